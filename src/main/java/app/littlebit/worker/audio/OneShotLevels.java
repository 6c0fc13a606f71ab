package app.littlebit.worker.audio;

/**
 * Levels of a finished one-shot: the gain applied, its RMS level and integrated loudness, its peaks.
 * (Not "loudness": RMS and peaks are levels; loudness is the LUFS figure.)
 *
 * @param gainDb       gain applied by normalization
 * @param rmsDbfs      RMS over the whole one-shot, dBFS (a full-scale square wave is 0)
 * @param loudnessLufs integrated loudness by ITU-R BS.1770-4, LUFS (see {@link IntegratedLoudnessMeter});
 *                     negative infinity when nothing in it reaches the {@link #ABSOLUTE_GATE_LUFS}
 * @param peakDbfs     sample peak, dBFS
 * @param truePeakDbfs 4x-oversampled peak, dBFS
 */
public record OneShotLevels(double gainDb, double rmsDbfs, double loudnessLufs, double peakDbfs, double truePeakDbfs) {
    /** BS.1770's absolute gate: quieter blocks do not count, and nothing reads quieter than this. */
    public static final double ABSOLUTE_GATE_LUFS = -70;

    /** The same one-shot with {@code db} more gain (negative: turned down). */
    public OneShotLevels plus(double db) {
        return new OneShotLevels(gainDb + db, rmsDbfs + db, loudnessLufs + db, peakDbfs + db, truePeakDbfs + db);
    }

    /** The same levels, with the peak as a player measured it after decoding. */
    public OneShotLevels withPeak(double decodedPeakDbfs) {
        return new OneShotLevels(gainDb, rmsDbfs, loudnessLufs, decodedPeakDbfs, truePeakDbfs);
    }
}
