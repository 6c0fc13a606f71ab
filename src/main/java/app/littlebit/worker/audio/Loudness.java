package app.littlebit.worker.audio;

/**
 * Levels of a finished one-shot.
 *
 * @param gainDb       gain applied by normalization
 * @param rmsDbfs      loudness: RMS over the whole one-shot, dBFS (a full-scale square wave is 0)
 * @param peakDbfs     sample peak, dBFS
 * @param truePeakDbfs 4x-oversampled peak, dBFS
 */
public record Loudness(double gainDb, double rmsDbfs, double peakDbfs, double truePeakDbfs) {
}
