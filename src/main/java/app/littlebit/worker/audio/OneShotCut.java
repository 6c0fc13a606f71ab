package app.littlebit.worker.audio;

/**
 * Where a one-shot lies in the recording, sample-accurately.
 *
 * @param startFrame    first frame kept (a few ms of pre-roll before the onset)
 * @param onsetFrame    where the sound begins
 * @param endFrame      one past the last frame kept
 * @param fadeInFrames  fade-in length, over the pre-roll only
 * @param fadeOutFrames fade-out length at the end
 */
public record OneShotCut(long startFrame, long onsetFrame, long endFrame, int fadeInFrames, int fadeOutFrames) {
    public long frames() {
        return endFrame - startFrame;
    }
}
