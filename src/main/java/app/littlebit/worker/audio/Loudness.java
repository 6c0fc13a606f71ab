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
    /** The same one-shot with {@code db} more gain (negative: turned down). */
    public Loudness plus(double db) {
        return new Loudness(gainDb + db, rmsDbfs + db, peakDbfs + db, truePeakDbfs + db);
    }

    /** The same levels, with the peak as a player measured it after decoding. */
    public Loudness withPeak(double decodedPeakDbfs) {
        return new Loudness(gainDb, rmsDbfs, decodedPeakDbfs, truePeakDbfs);
    }
}
