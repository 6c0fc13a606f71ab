package app.littlebit.worker.audio;

/**
 * Estimates the true (inter-sample) peak by 4x oversampling, as ITU-R BS.1770 describes. Lossy
 * encoders reconstruct the waveform between samples, where it can exceed the sample peak.
 */
final class TruePeakMeter {
    private static final int FACTOR = 4;
    private static final int TAPS_PER_PHASE = 12;
    private static final double[][] PHASES = interpolationFilter();

    private TruePeakMeter() {
    }

    /** Largest absolute value of the 4x oversampled signal, linear. */
    static double measure(float[] interleaved, int channels) {
        int frames = interleaved.length / channels;
        double peak = 0;
        for (int c = 0; c < channels; c++) {
            for (int f = 0; f < frames; f++) {
                peak = Math.max(peak, Math.abs(interleaved[f * channels + c]));
                for (int p = 1; p < FACTOR; p++) {
                    double sum = 0;
                    for (int t = 0; t < TAPS_PER_PHASE; t++) {
                        int source = f + TAPS_PER_PHASE / 2 - t;
                        if (source >= 0 && source < frames) {
                            sum += PHASES[p][t] * interleaved[source * channels + c];
                        }
                    }
                    peak = Math.max(peak, Math.abs(sum));
                }
            }
        }
        return peak;
    }

    /** Hann-windowed sinc, split into one short filter per fractional position. */
    private static double[][] interpolationFilter() {
        double[][] phases = new double[FACTOR][TAPS_PER_PHASE];
        int length = FACTOR * TAPS_PER_PHASE;
        for (int p = 0; p < FACTOR; p++) {
            for (int t = 0; t < TAPS_PER_PHASE; t++) {
                // Distance, in input samples, from the interpolated point to tap t.
                double x = (t - TAPS_PER_PHASE / 2.0) + (double) p / FACTOR;
                double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
                double n = x * FACTOR + length / 2.0;
                double window = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / length);
                phases[p][t] = sinc * window;
            }
        }
        return phases;
    }
}
