package app.littlebit.worker.audio;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Finds where new spectral content enters, in the spirit of SuperFlux (Böck and Widmer, DAFx 2013):
 * the rise of each frequency bin's log magnitude over the previous frame's, max-filtered across
 * neighbouring bins so a ringing partial's vibrato or beating does not count as new. A note
 * struck in an earlier note's ring hardly raises the overall level, which is why a level test
 * places it late; but its partials sit in bins where the ring has little, so the flux jumps at once.
 */
final class SpectralFluxOnset {
    /** Analysis frames of about this length: short enough to place an onset within a few ms. */
    static final double FRAME_MILLIS = 6;

    static final double HOP_MILLIS = 1;
    /** Frames this far apart barely overlap, so a steady sound's flux between them stays near zero. */
    static final double REFERENCE_LAG_MILLIS = 3;
    /**
     * New content must raise the flux this many times over the highest it reached over the background.
     * Measured on the lab's tuning half (FluidR3 notes and drums struck in a ring, Hydrogen kits in pink
     * and brown rooms).
     */
    static final double OVER_BACKGROUND = 2;
    /**
     * A frame notices what enters its first half only faintly: new content is placed half a frame
     * and this much after the start of the first frame whose flux stands out. Measured on the lab's
     * tuning half (248 sounds): against the truth, the median onset lands 0.8 ms before the level
     * test's alone, and 7 instead of 11 land more than 2 ms late.
     */
    static final double ENTRY_DELAY_MILLIS = 1;

    private final Fft fft;
    private final double[] window;
    private final int hop;
    private final int lag;
    private final int entryDelay;
    /** The FFT's work buffers, reused frame after frame: one onset search at a time per instance. */
    private final double[] real;

    private final double[] imaginary;

    SpectralFluxOnset(PcmFormat format) {
        int size = Integer.highestOneBit((int) Math.max(64, format.framesFor(FRAME_MILLIS)));
        fft = new Fft(size);
        window = new double[size];
        for (int i = 0; i < size; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / size);
        }
        real = new double[size];
        imaginary = new double[size];
        hop = (int) Math.max(1, format.framesFor(HOP_MILLIS));
        lag = (int) Math.max(1, Math.round(REFERENCE_LAG_MILLIS / HOP_MILLIS));
        entryDelay = (int) format.framesFor(ENTRY_DELAY_MILLIS);
    }

    /**
     * The frame (counted from {@code skip}) where new content first enters after the background
     * stretch, if any does.
     *
     * @param backgroundFrames how many frames, from {@code skip} on, are background only
     * @param latestFrame      no later onset is of use: frames beyond it are not analysed
     */
    OptionalInt firstNewContent(
            float[] samples, int channels, double[] dc, int skip, int backgroundFrames, int latestFrame) {
        int size = fft.size();
        int count = Math.min(
                (samples.length / channels - skip - size) / hop + 1, (latestFrame - size / 2 - entryDelay) / hop + 1);
        if (count <= lag) {
            return OptionalInt.empty();
        }
        int backgroundCount = Math.min(count, Math.max(1, (backgroundFrames - size) / hop + 1));
        double[][] magnitudes = new double[count][];
        for (int n = 0; n < backgroundCount; n++) {
            magnitudes[n] = magnitudes(samples, channels, dc, skip + n * hop);
        }
        double scale = backgroundMagnitude(magnitudes, backgroundCount);
        double[][] logs = new double[count][];
        double backgroundPeak = 0;
        // Frame by frame, so a search ends at the first frame that stands out.
        for (int n = 0; n < count; n++) {
            if (magnitudes[n] == null) {
                magnitudes[n] = magnitudes(samples, channels, dc, skip + n * hop);
            }
            logs[n] = new double[magnitudes[n].length];
            for (int k = 0; k < logs[n].length; k++) {
                logs[n][k] = Math.log1p(magnitudes[n][k] / scale);
            }
            if (n < lag) {
                continue;
            }
            double flux = flux(logs[n], logs[n - lag]);
            if (n * hop + size <= backgroundFrames) {
                backgroundPeak = Math.max(backgroundPeak, flux);
            } else if (backgroundPeak > 0 && flux > OVER_BACKGROUND * backgroundPeak) {
                return OptionalInt.of(n * hop + size / 2 + entryDelay);
            }
        }
        return OptionalInt.empty();
    }

    /** The background's mean bin magnitude: log magnitudes relative to it are the same at any recording level. */
    private static double backgroundMagnitude(double[][] magnitudes, int frames) {
        double sum = 0;
        int bins = 0;
        for (int n = 0; n < frames; n++) {
            for (double m : magnitudes[n]) {
                sum += m;
                bins++;
            }
        }
        return Math.max(sum / Math.max(1, bins), 1e-12);
    }

    private double[] magnitudes(float[] samples, int channels, double[] dc, int start) {
        int size = fft.size();
        double[] re = real;
        double[] im = imaginary;
        Arrays.fill(im, 0);
        for (int i = 0; i < size; i++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += samples[(start + i) * channels + c] - dc[c];
            }
            re[i] = window[i] * sum / channels;
        }
        fft.transform(re, im);
        double[] magnitude = new double[size / 2];
        for (int k = 1; k < size / 2; k++) {
            magnitude[k] = Math.sqrt(re[k] * re[k] + im[k] * im[k]);
        }
        return magnitude;
    }

    /** The summed rise of every bin over the reference frame's louder neighbour bins. */
    private static double flux(double[] current, double[] reference) {
        double flux = 0;
        for (int k = 1; k < current.length; k++) {
            double neighbours = reference[k];
            if (k > 1) {
                neighbours = Math.max(neighbours, reference[k - 1]);
            }
            if (k + 1 < reference.length) {
                neighbours = Math.max(neighbours, reference[k + 1]);
            }
            flux += Math.max(0, current[k] - neighbours);
        }
        return flux;
    }
}
