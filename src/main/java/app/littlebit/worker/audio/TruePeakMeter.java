package app.littlebit.worker.audio;

import java.util.Arrays;

/**
 * Estimates the true (inter-sample) peak by 4x oversampling, as ITU-R BS.1770 describes. Lossy
 * encoders reconstruct the waveform between samples, where it can exceed the sample peak.
 *
 * <p>The signal arrives in parts. An interpolated point needs a few frames on either side, so the
 * meter keeps the last frames of the previous part and measures each frame once its following
 * frames have arrived; outside the signal it counts zeros. However the signal is split, the
 * reading is exactly that of the whole signal in one part.
 */
final class TruePeakMeter {
    private static final int FACTOR = 4;
    private static final int TAPS_PER_PHASE = 12;
    /** Frames after a frame that its interpolation reads. */
    private static final int LOOKAHEAD = TAPS_PER_PHASE / 2;
    /** Frames kept from one part to the next: all a frame's interpolation reads, but the frame itself. */
    private static final int HISTORY = TAPS_PER_PHASE - 1;

    private static final double[][] PHASES = interpolationFilter();
    /**
     * The most an interpolated point can exceed the frames it is made of: the largest sum of a
     * phase's absolute taps, with room for rounding. A stretch whose frames, times this, stay under
     * the peak found so far cannot raise it; that skips nearly all of a decay, which is most of a
     * one-shot, and the reading stays exactly what interpolating every point gives.
     */
    private static final double MAX_INTERPOLATION_GAIN = maxInterpolationGain() * (1 + 1e-9);
    /** Frames judged at once by that bound. */
    private static final int BLOCK_FRAMES = 32;

    private final int channels;
    /** The last HISTORY frames received, then the part being measured; zeros before the signal starts. */
    private float[] window;
    /** First frame of the window not yet measured: the first frame of the signal, to begin with. */
    private int next = HISTORY;

    private double peak;

    TruePeakMeter(int channels) {
        this.channels = channels;
        this.window = new float[HISTORY * channels];
    }

    /** The next part of the signal, interleaved. */
    void accept(float[] interleaved, int frames) {
        int total = HISTORY + frames;
        if (window.length < total * channels) {
            window = Arrays.copyOf(window, total * channels);
        }
        System.arraycopy(interleaved, 0, window, HISTORY * channels, frames * channels);
        int end = Math.max(next, total - LOOKAHEAD);
        measureFrames(next, end);
        int dropped = total - HISTORY;
        System.arraycopy(window, dropped * channels, window, 0, HISTORY * channels);
        next = end - dropped;
    }

    /**
     * Measures the last frames against the silence after the signal. Returns the largest absolute
     * value of the 4x oversampled signal, linear.
     */
    double finish() {
        accept(new float[LOOKAHEAD * channels], LOOKAHEAD);
        return peak;
    }

    /** Window frames [from, to), each of which has all the frames its interpolation reads. */
    private void measureFrames(int from, int to) {
        for (int c = 0; c < channels; c++) {
            for (int block = from; block < to; block += BLOCK_FRAMES) {
                int end = Math.min(to, block + BLOCK_FRAMES);
                double loudest = 0;
                // Every frame the block's interpolations read: LOOKAHEAD - 1 before it to LOOKAHEAD after.
                for (int f = block - LOOKAHEAD + 1; f < end + LOOKAHEAD; f++) {
                    loudest = Math.max(loudest, Math.abs(window[f * channels + c]));
                }
                for (int f = block; f < end; f++) {
                    peak = Math.max(peak, Math.abs(window[f * channels + c]));
                }
                if (loudest * MAX_INTERPOLATION_GAIN > peak) {
                    interpolate(c, block, end);
                }
            }
        }
    }

    private void interpolate(int channel, int from, int to) {
        for (int f = from; f < to; f++) {
            for (int p = 1; p < FACTOR; p++) {
                double sum = 0;
                for (int t = 0; t < TAPS_PER_PHASE; t++) {
                    sum += PHASES[p][t] * window[(f + LOOKAHEAD - t) * channels + channel];
                }
                peak = Math.max(peak, Math.abs(sum));
            }
        }
    }

    private static double maxInterpolationGain() {
        double largest = 0;
        for (double[] phase : PHASES) {
            largest = Math.max(largest, Arrays.stream(phase).map(Math::abs).sum());
        }
        return largest;
    }

    /** Hann-windowed sinc, split into one short filter per fractional position; a new copy each call. */
    static double[][] interpolationFilter() {
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
