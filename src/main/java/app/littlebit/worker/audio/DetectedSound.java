package app.littlebit.worker.audio;

/**
 * One sound, located to the nearest analysis block; {@link CutPlanner} refines it to the sample.
 *
 * @param searchFromBlock where the onset search starts: before it, only the floor or an earlier sound's decay
 * @param firstLoudBlock  where the sound was found: its first loud window, or its attack in an earlier decay
 * @param tailEndBlock    the last block before the sound decayed into the floor
 * @param peakDbfs        the sound's loudest 25 ms level
 */
public record DetectedSound(int searchFromBlock, int firstLoudBlock, int tailEndBlock, double peakDbfs) {}
