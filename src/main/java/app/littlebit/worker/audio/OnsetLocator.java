package app.littlebit.worker.audio;

import java.io.IOException;

/**
 * Finds a sound's onset to the sample, as the change point between what precedes it and the
 * attack: the minimum of the running sum of (power - reference). Before the onset the power stays
 * under the reference and the sum falls; from the attack on it climbs. Unlike a threshold crossing,
 * which fires only once the attack is loud, the change point lands where the sound first rises out
 * of the background, so a soft or slow attack is not entered late.
 */
final class OnsetLocator {
    /** The first stretch of the search window is background: it sets the reference. */
    static final double BACKGROUND_MILLIS = 10;
    /**
     * The reference sits this far above the background's loudest millisecond, so the background,
     * even a fluttering rumble or a ringing tail, always sums down.
     */
    static final double REFERENCE_ABOVE_BACKGROUND_DB = 1.5;
    /**
     * The reference never sits further than this below the attack's peak: a lossy codec's pre-echo,
     * tens of dB under the attack, is not taken for its start.
     */
    static final double MAX_REFERENCE_BELOW_PEAK_DB = 40;
    static final double WINDOW_MILLIS = 1;
    /** How far above the reference the attack has risen once it is surely under way. */
    static final double RISEN_DB = 10;
    /**
     * The change point is moved earlier by half the time the attack takes to rise, at least
     * {@link #MIN_SAFETY_MILLIS}: noise moves the estimate by a part of that rise, and an onset
     * placed after the attack is the worst cut there is.
     */
    static final double MIN_SAFETY_MILLIS = 1;
    static final double MAX_SAFETY_MILLIS = 5;

    private final RecordingAnalysis analysis;
    private final PcmSource pcm;

    OnsetLocator(RecordingAnalysis analysis, PcmSource pcm) {
        this.analysis = analysis;
        this.pcm = pcm;
    }

    /** The onset frame within [from, to), which must start with background and end inside the attack. */
    long locate(long from, long to) throws IOException {
        PcmFormat format = analysis.format();
        double[] power = power(pcm.read(from, (int) (to - from)), format.channels(), analysis.dcOffsets());
        double[] windowed = windowed(power, (int) Math.max(1, format.framesFor(WINDOW_MILLIS)));
        int backgroundWindows = (int) Math.min(windowed.length, Math.max(1, format.framesFor(BACKGROUND_MILLIS)
                - format.framesFor(WINDOW_MILLIS) + 1));
        double background = mean(power, 0, (int) Math.min(power.length, format.framesFor(BACKGROUND_MILLIS)));
        double reference = Math.max(background * Math.pow(10, 2.0 / 10),
                max(windowed, 0, windowed.length) * Math.pow(10, -MAX_REFERENCE_BELOW_PEAK_DB / 10));
        double sum = 0;
        double lowest = 0;
        int changePoint = 0;
        for (int f = 0; f < power.length; f++) {
            sum += power[f] - reference;
            if (sum < lowest) {
                lowest = sum;
                changePoint = f + 1;
            }
        }
        int risen = changePoint;
        while (risen < windowed.length && windowed[risen] < reference * Math.pow(10, RISEN_DB / 10)) {
            risen++;
        }
        for (int f = changePoint; f < risen; f++) {
            if (windowed[f] <= background) {
                changePoint = f + 1;
            }
        }
        long safety = Math.max(format.framesFor(MIN_SAFETY_MILLIS),
                Math.min((risen - changePoint) / 2, format.framesFor(MAX_SAFETY_MILLIS)));
        return Math.max(from, from + changePoint - safety);
    }

    /** DC-free power of each frame on its loudest channel: the onset is where either side first hears it. */
    private static double[] power(float[] samples, int channels, double[] dc) {
        double[] power = new double[samples.length / channels];
        for (int f = 0; f < power.length; f++) {
            for (int c = 0; c < channels; c++) {
                double x = samples[f * channels + c] - dc[c];
                power[f] = Math.max(power[f], x * x);
            }
        }
        return power;
    }

    /** Mean power of the window starting at each frame (the last windows are shorter). */
    private static double[] windowed(double[] power, int window) {
        double[] out = new double[power.length];
        double sum = 0;
        for (int f = power.length - 1; f >= 0; f--) {
            sum += power[f] - (f + window < power.length ? power[f + window] : 0);
            out[f] = sum / Math.min(window, power.length - f);
        }
        return out;
    }

    private static double mean(double[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return to > from ? sum / (to - from) : 0;
    }

    private static double max(double[] values, int from, int to) {
        double max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, values[i]);
        }
        return max;
    }
}
