package app.littlebit.worker.audio;

import java.util.Arrays;

/**
 * Integrated loudness in LUFS by ITU-R BS.1770-4: each channel K-weighted (a high shelf for the
 * head's acoustic effect, then a high-pass that drops what the ear barely hears), mean squares over
 * 400 ms blocks that overlap by 75 %, channels summed with their weights, then two gates: blocks
 * under -70 LUFS (absolute) are dropped, then blocks more than 10 LU under the loudness of those
 * left (relative).
 *
 * <p>One-shots are often shorter than one block, where the standard has nothing to measure (FFmpeg's
 * {@code ebur128} reads them as -70 LUFS). A sound shorter than 400 ms is measured as one block of
 * its own length: its mean square over all of it, K-weighted and channel-weighted the same way, with
 * only the absolute gate. Padding it with silence to 400 ms instead would make a 100 ms hit read 6 dB
 * quieter than the same hit held longer, which is not what a musician hears.
 *
 * <p>The signal arrives in parts; the reading is that of the whole signal measured at once. Memory:
 * one number per 100 ms.
 */
final class IntegratedLoudnessMeter implements PcmConsumer {
    /** BS.1770's gating block, and the step between blocks (75 % overlap). */
    static final double BLOCK_SECONDS = 0.4;

    private static final int STEPS_PER_BLOCK = 4;
    private static final double RELATIVE_GATE_LU = -10;
    /** BS.1770's offset, which makes a 997 Hz full-scale sine on one channel read -3.01 LUFS. */
    private static final double OFFSET_DB = -0.691;

    private final int channels;
    private final double[] channelWeights;
    private final KWeighting[] filters;
    private final int stepFrames;
    /** Channel-weighted sum of squares of each finished 100 ms step. */
    private double[] stepSums = new double[64];

    private int steps;
    private double currentStepSum;
    private int currentStepFrames;
    private double totalSum;
    private long totalFrames;
    /** One channel of the current part, then its K-weighted form; and the channels' weighted power. */
    private double[] buffer = new double[0];

    private double[] power = new double[0];

    IntegratedLoudnessMeter(PcmFormat format) {
        this.channels = format.channels();
        this.channelWeights = channelWeights(channels);
        this.filters = new KWeighting[channels];
        for (int c = 0; c < channels; c++) {
            filters[c] = new KWeighting(format.sampleRate());
        }
        this.stepFrames = (int) Math.max(1, Math.round(format.sampleRate() * BLOCK_SECONDS / STEPS_PER_BLOCK));
    }

    /**
     * BS.1770's weights: 1 for left, right and centre, 1.41 for the surrounds, 0 for the LFE. Only a
     * six-channel (5.1: L R C LFE Ls Rs, FFmpeg's order) recording has the last two; any other
     * layout counts every channel at 1, as FFmpeg's {@code ebur128} does for the layouts a phone records.
     */
    private static double[] channelWeights(int channels) {
        double[] weights = new double[channels];
        Arrays.fill(weights, 1);
        if (channels == 6) {
            weights[3] = 0;
            weights[4] = 1.41;
            weights[5] = 1.41;
        }
        return weights;
    }

    @Override
    public void accept(float[] interleaved, int frames) {
        if (buffer.length < frames) {
            buffer = new double[frames];
            power = new double[frames];
        }
        Arrays.fill(power, 0, frames, 0);
        for (int c = 0; c < channels; c++) {
            for (int f = 0; f < frames; f++) {
                buffer[f] = interleaved[f * channels + c];
            }
            filters[c].filter(buffer, frames);
            for (int f = 0; f < frames; f++) {
                power[f] += channelWeights[c] * buffer[f] * buffer[f];
            }
        }
        for (int f = 0; f < frames; f++) {
            currentStepSum += power[f];
            totalSum += power[f];
            if (++currentStepFrames == stepFrames) {
                if (steps == stepSums.length) {
                    stepSums = Arrays.copyOf(stepSums, steps * 2);
                }
                stepSums[steps++] = currentStepSum;
                currentStepSum = 0;
                currentStepFrames = 0;
            }
        }
        totalFrames += frames;
    }

    /** The integrated loudness of everything received, LUFS; negative infinity if nothing passes the gates. */
    double finish() {
        if (steps < STEPS_PER_BLOCK) {
            double loudness = totalFrames == 0 ? Double.NEGATIVE_INFINITY : lufs(totalSum / totalFrames);
            return loudness > OneShotLevels.ABSOLUTE_GATE_LUFS ? loudness : Double.NEGATIVE_INFINITY;
        }
        int blocks = steps - STEPS_PER_BLOCK + 1;
        double[] meanSquares = new double[blocks];
        double blockFrames = (double) stepFrames * STEPS_PER_BLOCK;
        for (int b = 0; b < blocks; b++) {
            double sum = 0;
            for (int s = b; s < b + STEPS_PER_BLOCK; s++) {
                sum += stepSums[s];
            }
            meanSquares[b] = sum / blockFrames;
        }
        double absolute = gatedMean(meanSquares, OneShotLevels.ABSOLUTE_GATE_LUFS);
        if (Double.isNaN(absolute)) {
            return Double.NEGATIVE_INFINITY;
        }
        double relative = gatedMean(meanSquares, lufs(absolute) + RELATIVE_GATE_LU);
        return lufs(relative);
    }

    /** Mean of the blocks louder than the gate; NaN if none is. */
    private static double gatedMean(double[] meanSquares, double gateLufs) {
        double sum = 0;
        int count = 0;
        for (double meanSquare : meanSquares) {
            if (lufs(meanSquare) > gateLufs) {
                sum += meanSquare;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private static double lufs(double weightedMeanSquare) {
        return OFFSET_DB + 10 * Math.log10(weightedMeanSquare);
    }

    /**
     * BS.1770's two K-weighting stages for one channel. The standard tabulates them for 48 kHz only;
     * here they are derived for any rate from the analogue filters they come from (the derivation of
     * libebur128, which FFmpeg's meter agrees with), and match the table at 48 kHz.
     */
    static final class KWeighting {
        /** Shelf: +4 dB above about 1.7 kHz. */
        private static final double SHELF_HERTZ = 1681.974450955533;

        private static final double SHELF_GAIN_DB = 3.999843853973347;
        private static final double SHELF_Q = 0.7071752369554196;
        /** RLB high-pass at about 38 Hz. */
        private static final double HIGH_PASS_HERTZ = 38.13547087602444;

        private static final double HIGH_PASS_Q = 0.5003270373238773;

        final double[] shelfB = new double[3];
        final double[] shelfA = new double[3];
        final double[] highPassB = {1, -2, 1};
        final double[] highPassA = new double[3];
        private double s1;
        private double s2;
        private double h1;
        private double h2;

        KWeighting(int sampleRate) {
            double k = Math.tan(Math.PI * SHELF_HERTZ / sampleRate);
            double vh = Math.pow(10, SHELF_GAIN_DB / 20);
            double vb = Math.pow(vh, 0.4996667741545416);
            double a0 = 1 + k / SHELF_Q + k * k;
            shelfB[0] = (vh + vb * k / SHELF_Q + k * k) / a0;
            shelfB[1] = 2 * (k * k - vh) / a0;
            shelfB[2] = (vh - vb * k / SHELF_Q + k * k) / a0;
            shelfA[0] = 1;
            shelfA[1] = 2 * (k * k - 1) / a0;
            shelfA[2] = (1 - k / SHELF_Q + k * k) / a0;
            k = Math.tan(Math.PI * HIGH_PASS_HERTZ / sampleRate);
            a0 = 1 + k / HIGH_PASS_Q + k * k;
            highPassA[0] = 1;
            highPassA[1] = 2 * (k * k - 1) / a0;
            highPassA[2] = (1 - k / HIGH_PASS_Q + k * k) / a0;
        }

        /** Filters {@code count} samples in place (direct form II), the state carried to the next call. */
        void filter(double[] samples, int count) {
            for (int i = 0; i < count; i++) {
                double w = samples[i] - shelfA[1] * s1 - shelfA[2] * s2;
                double shelved = shelfB[0] * w + shelfB[1] * s1 + shelfB[2] * s2;
                s2 = s1;
                s1 = w;
                double v = shelved - highPassA[1] * h1 - highPassA[2] * h2;
                samples[i] = highPassB[0] * v + highPassB[1] * h1 + highPassB[2] * h2;
                h2 = h1;
                h1 = v;
            }
        }
    }
}
