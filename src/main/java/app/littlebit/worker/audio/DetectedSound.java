package app.littlebit.worker.audio;

/**
 * One sound, located to the nearest analysis block; {@link CutPlanner} refines it to the sample.
 *
 * @param searchFromBlock where the onset search starts: the level was still at the noise floor
 * @param firstLoudBlock  the first block above the detection threshold
 * @param tailEndBlock    the last block before the sound decayed into the floor
 * @param peakDbfs        the sound's loudest block level
 */
public record DetectedSound(int searchFromBlock, int firstLoudBlock, int tailEndBlock, double peakDbfs) {
}
