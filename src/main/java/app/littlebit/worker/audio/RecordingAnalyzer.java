package app.littlebit.worker.audio;

import java.util.Arrays;

/**
 * Measures a recording as it streams past: DC offset per channel and the energy of every 5 ms
 * block, over the full band, above {@link #HIGH_BAND_HERTZ} and below {@link #LOW_BAND_HERTZ}.
 * Energy is measured after a DC-blocking filter so an offset never looks like a sound, and on the
 * block's loudest channel, so a sound panned to one side is followed as long as that side hears
 * it. The high band is free of hum and rumble, so a soft hi-hat stands out there even in a humming
 * room; the low band is free of a held note's body, so a kick stands out there even while a synth
 * note or a cymbal still rings.
 */
public final class RecordingAnalyzer implements PcmConsumer {
    static final double BLOCK_MILLIS = 5;
    /** One-pole DC blocker pole: a corner of a few Hz, far below any musical content. */
    private static final double DC_BLOCKER_POLE = 0.9995;

    private static final double SETTLE_MILLIS = 20;
    static final double HIGH_BAND_HERTZ = 400;
    /** Where a kick's thump lives, under the fundamental of most held notes. */
    static final double LOW_BAND_HERTZ = 150;

    private final PcmFormat format;
    private final int blockFrames;
    private final double[] dcSums;
    private final double[] previousInput;
    private final double[] previousOutput;
    private final Biquad[] highPasses;
    private final Biquad[] lowPasses;
    /** Energy so far of the block still open, per band and channel. */
    private final double[][] openBlock;
    /** Per band, channel and block touched by the buffer being measured; reused. */
    private double[][][] blockSums = new double[BANDS][0][0];
    /** One channel of the buffer being measured, and that channel filtered; reused. */
    private double[] channel = new double[0];

    private double[] filtered = new double[0];
    private float[][] meanSquares = new float[BANDS][1024];
    private int blocks;
    private int framesInBlock;
    private long frames;

    private static final int FULL = 0;
    private static final int HIGH = 1;
    private static final int LOW = 2;
    private static final int BANDS = 3;

    public RecordingAnalyzer(PcmFormat format) {
        this.format = format;
        this.blockFrames = (int) Math.max(1, format.framesFor(BLOCK_MILLIS));
        this.dcSums = new double[format.channels()];
        this.previousInput = new double[format.channels()];
        this.previousOutput = new double[format.channels()];
        this.openBlock = new double[BANDS][format.channels()];
        this.highPasses = new Biquad[format.channels()];
        this.lowPasses = new Biquad[format.channels()];
        for (int c = 0; c < highPasses.length; c++) {
            highPasses[c] = Biquad.highPass(format.sampleRate(), HIGH_BAND_HERTZ);
            lowPasses[c] = Biquad.lowPass(format.sampleRate(), LOW_BAND_HERTZ);
        }
    }

    /**
     * One channel at a time through the whole buffer, each filter in a tight loop of its own, then
     * the blocks closed in order: the same sums, in the same order, as sample by sample, in a
     * fraction of the time.
     */
    @Override
    public void accept(float[] interleaved, int frameCount) {
        int channels = format.channels();
        if (frames == 0 && frameCount > 0) {
            settleFilter(interleaved, frameCount);
        }
        int touched = (framesInBlock + frameCount + blockFrames - 1) / blockFrames;
        prepare(channels, frameCount, touched);
        for (int c = 0; c < channels; c++) {
            double sum = dcSums[c];
            for (int f = 0; f < frameCount; f++) {
                double x = interleaved[f * channels + c];
                channel[f] = x;
                sum += x;
            }
            dcSums[c] = sum;
            highPasses[c].filter(channel, filtered, frameCount);
            addBlockEnergies(HIGH, c, filtered, frameCount);
            blockDc(c, frameCount);
            addBlockEnergies(FULL, c, channel, frameCount);
            lowPasses[c].filter(channel, filtered, frameCount);
            addBlockEnergies(LOW, c, filtered, frameCount);
        }
        int complete = (framesInBlock + frameCount) / blockFrames;
        int left = (framesInBlock + frameCount) % blockFrames;
        for (int k = 0; k < touched; k++) {
            for (int band = 0; band < BANDS; band++) {
                System.arraycopy(blockSums[band][k], 0, openBlock[band], 0, channels);
            }
            if (k < complete) {
                framesInBlock = blockFrames;
                closeBlock();
            }
        }
        framesInBlock = left;
        frames += frameCount;
    }

    /** Scratch space for a buffer; each block's sums start from what the open block holds. */
    private void prepare(int channels, int frameCount, int touched) {
        if (channel.length < frameCount) {
            channel = new double[frameCount];
            filtered = new double[frameCount];
        }
        for (int band = 0; band < BANDS; band++) {
            if (blockSums[band].length < touched) {
                blockSums[band] = new double[touched][channels];
            }
            for (int k = 0; k < touched; k++) {
                if (k == 0) {
                    System.arraycopy(openBlock[band], 0, blockSums[band][0], 0, channels);
                } else {
                    Arrays.fill(blockSums[band][k], 0);
                }
            }
        }
    }

    /** The channel's samples in place through the DC blocker. */
    private void blockDc(int c, int frameCount) {
        double previousX = previousInput[c];
        double previousY = previousOutput[c];
        for (int f = 0; f < frameCount; f++) {
            double x = channel[f];
            double y = x - previousX + DC_BLOCKER_POLE * previousY;
            previousX = x;
            previousY = y;
            channel[f] = y;
        }
        previousInput[c] = previousX;
        previousOutput[c] = previousY;
    }

    /** Adds each frame's square to the sum of the block it falls in. */
    private void addBlockEnergies(int band, int c, double[] samples, int frameCount) {
        double[][] sums = blockSums[band];
        int k = 0;
        int inBlock = framesInBlock;
        double sum = sums[0][c];
        for (int f = 0; f < frameCount; f++) {
            double v = samples[f];
            sum += v * v;
            if (++inBlock == blockFrames) {
                sums[k++][c] = sum;
                sum = 0;
                inBlock = 0;
            }
        }
        if (inBlock > 0) {
            sums[k][c] = sum;
        }
    }

    /**
     * Starts the filter as if the recording had always sat at its opening mean, so a DC offset does
     * not ring at the start. A mean over a few ms, not the first sample: a single noisy sample taken
     * for the offset would ring for tens of ms and look like a sound.
     */
    private void settleFilter(float[] interleaved, int frameCount) {
        int channels = format.channels();
        int settleFrames = (int) Math.max(1, Math.min(frameCount, format.framesFor(SETTLE_MILLIS)));
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int f = 0; f < settleFrames; f++) {
                sum += interleaved[f * channels + c];
            }
            previousInput[c] = sum / settleFrames;
        }
    }

    /** The summary of everything accepted so far. */
    public RecordingAnalysis finish() {
        if (framesInBlock > 0) {
            closeBlock();
        }
        double[] dcOffsets = new double[format.channels()];
        for (int c = 0; c < dcOffsets.length; c++) {
            dcOffsets[c] = frames == 0 ? 0 : dcSums[c] / frames;
        }
        return new RecordingAnalysis(
                format,
                frames,
                blockFrames,
                Arrays.copyOf(meanSquares[FULL], blocks),
                Arrays.copyOf(meanSquares[HIGH], blocks),
                Arrays.copyOf(meanSquares[LOW], blocks),
                dcOffsets);
    }

    private void closeBlock() {
        if (blocks == meanSquares[FULL].length) {
            for (int band = 0; band < BANDS; band++) {
                meanSquares[band] = Arrays.copyOf(meanSquares[band], blocks * 2);
            }
        }
        for (int band = 0; band < BANDS; band++) {
            meanSquares[band][blocks] = loudestChannel(openBlock[band]);
        }
        blocks++;
    }

    /** The loudest channel's mean square, and the accumulators cleared for the next block. */
    private float loudestChannel(double[] energy) {
        double loudest = 0;
        for (int c = 0; c < energy.length; c++) {
            loudest = Math.max(loudest, energy[c]);
            energy[c] = 0;
        }
        return (float) (loudest / framesInBlock);
    }
}
