package app.littlebit.worker.audio;

/**
 * A recording summarised in one streaming pass: its energy in short blocks, the DC offset of each
 * channel, and its length. Small enough to keep for an hour of audio (three floats per 5 ms).
 *
 * @param format           the decoded audio's layout
 * @param frames           length in frames
 * @param blockFrames      frames per energy block
 * @param blockMeanSquares DC-free mean square of each block, on its loudest channel
 * @param highBlockMeanSquares the same above a few hundred Hz, where hum and rumble are gone
 * @param lowBlockMeanSquares  the same below 150 Hz, where a kick is and a held note is not
 * @param dcOffsets        mean sample value of each channel
 */
// Per-block levels handed along, never compared or hashed: copying them per access would cost per block.
@SuppressWarnings("ArrayRecordComponent")
public record RecordingAnalysis(
        PcmFormat format,
        long frames,
        int blockFrames,
        float[] blockMeanSquares,
        float[] highBlockMeanSquares,
        float[] lowBlockMeanSquares,
        double[] dcOffsets) {

    public int blocks() {
        return blockMeanSquares.length;
    }

    public long blockStartFrame(int block) {
        return (long) block * blockFrames;
    }

    public int blockOf(long frame) {
        return (int) Math.min(blocks() - 1L, frame / blockFrames);
    }
}
