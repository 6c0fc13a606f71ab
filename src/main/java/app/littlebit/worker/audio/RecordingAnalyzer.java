package app.littlebit.worker.audio;

import java.util.Arrays;

/**
 * Measures a recording as it streams past: DC offset per channel and the energy of every 5 ms
 * block, over the full band and above {@link #HIGH_BAND_HERTZ}. Energy is measured after a
 * DC-blocking filter so an offset never looks like a sound, and on the block's loudest channel, so
 * a sound panned to one side is followed as long as that side hears it. The high band is free of
 * hum and rumble, so a soft hi-hat stands out there even in a humming room.
 */
public final class RecordingAnalyzer implements PcmConsumer {
    static final double BLOCK_MILLIS = 5;
    /** One-pole DC blocker pole: a corner of a few Hz, far below any musical content. */
    private static final double DC_BLOCKER_POLE = 0.9995;
    private static final double SETTLE_MILLIS = 20;
    static final double HIGH_BAND_HERTZ = 400;

    private final PcmFormat format;
    private final int blockFrames;
    private final double[] dcSums;
    private final double[] previousInput;
    private final double[] previousOutput;
    private final HighPass[] highPasses;
    private final double[] highEnergy;
    private float[] blockMeanSquares = new float[1024];
    private float[] highBlockMeanSquares = new float[1024];
    private int blocks;
    private final double[] blockEnergy;
    private int framesInBlock;
    private long frames;

    public RecordingAnalyzer(PcmFormat format) {
        this.format = format;
        this.blockFrames = (int) Math.max(1, format.framesFor(BLOCK_MILLIS));
        this.dcSums = new double[format.channels()];
        this.previousInput = new double[format.channels()];
        this.previousOutput = new double[format.channels()];
        this.blockEnergy = new double[format.channels()];
        this.highEnergy = new double[format.channels()];
        this.highPasses = new HighPass[format.channels()];
        for (int c = 0; c < highPasses.length; c++) {
            highPasses[c] = new HighPass(format.sampleRate(), HIGH_BAND_HERTZ);
        }
    }

    @Override
    public void accept(float[] interleaved, int frameCount) {
        int channels = format.channels();
        if (frames == 0 && frameCount > 0) {
            settleFilter(interleaved, frameCount);
        }
        for (int f = 0; f < frameCount; f++) {
            int base = f * channels;
            for (int c = 0; c < channels; c++) {
                double x = interleaved[base + c];
                dcSums[c] += x;
                double y = x - previousInput[c] + DC_BLOCKER_POLE * previousOutput[c];
                previousInput[c] = x;
                previousOutput[c] = y;
                blockEnergy[c] += y * y;
                double high = highPasses[c].apply(x);
                highEnergy[c] += high * high;
            }
            if (++framesInBlock == blockFrames) {
                closeBlock();
            }
        }
        frames += frameCount;
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
        return new RecordingAnalysis(format, frames, blockFrames, Arrays.copyOf(blockMeanSquares, blocks),
                Arrays.copyOf(highBlockMeanSquares, blocks), dcOffsets);
    }

    private void closeBlock() {
        if (blocks == blockMeanSquares.length) {
            blockMeanSquares = Arrays.copyOf(blockMeanSquares, blocks * 2);
            highBlockMeanSquares = Arrays.copyOf(highBlockMeanSquares, blocks * 2);
        }
        blockMeanSquares[blocks] = loudestChannel(blockEnergy);
        highBlockMeanSquares[blocks] = loudestChannel(highEnergy);
        blocks++;
        framesInBlock = 0;
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
