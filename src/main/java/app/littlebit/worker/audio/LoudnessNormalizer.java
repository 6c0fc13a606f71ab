package app.littlebit.worker.audio;

/**
 * Brings a one-shot toward a target RMS loudness, but never lets its peak above the ceiling: the
 * sample peak for lossless files, the true peak for lossy ones, whose decoders overshoot.
 */
public final class LoudnessNormalizer {
    public static final double PEAK_CEILING_DBFS = -1;

    private final double targetDbfs;
    private final boolean raiseToTarget;

    /**
     * @param targetDbfs    target RMS level
     * @param raiseToTarget false leaves the level alone except to keep peaks under the ceiling
     */
    public LoudnessNormalizer(double targetDbfs, boolean raiseToTarget) {
        this.targetDbfs = targetDbfs;
        this.raiseToTarget = raiseToTarget;
    }

    /** Applies the gain in place and reports the resulting levels. */
    public Loudness normalize(float[] samples, int channels, boolean lossy) {
        double rms = rmsDb(samples);
        double peak = dB(samplePeak(samples));
        double truePeak = dB(TruePeakMeter.measure(samples, channels));
        double governingPeak = lossy ? truePeak : peak;
        double wanted = raiseToTarget && rms > Double.NEGATIVE_INFINITY ? targetDbfs - rms : 0;
        double gainDb = Math.min(wanted, PEAK_CEILING_DBFS - governingPeak);
        if (!Double.isFinite(gainDb)) {
            gainDb = 0;
        }
        float gain = (float) Math.pow(10, gainDb / 20);
        for (int i = 0; i < samples.length; i++) {
            samples[i] *= gain;
        }
        return new Loudness(gainDb, rms + gainDb, peak + gainDb, truePeak + gainDb);
    }

    static double rmsDb(float[] samples) {
        double sum = 0;
        for (float s : samples) {
            sum += (double) s * s;
        }
        return samples.length == 0 ? Double.NEGATIVE_INFINITY : dB(Math.sqrt(sum / samples.length));
    }

    static double samplePeak(float[] samples) {
        double peak = 0;
        for (float s : samples) {
            peak = Math.max(peak, Math.abs(s));
        }
        return peak;
    }

    static double dB(double amplitude) {
        return 20 * Math.log10(amplitude);
    }
}
