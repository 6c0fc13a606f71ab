package app.littlebit.worker.quality;

/**
 * A one-shot as the scorer sees it, placed in the recording's frames, whoever cut it.
 *
 * @param startFrame     first frame taken from the recording
 * @param fullGainFrame  first frame not attenuated by a fade-in (the start, without a fade)
 * @param endFrame       one past the last frame taken
 * @param fadeOutFrames  frames attenuated by the fade-out at the end
 * @param paddingMillis  silence put in front of the audio (dead air before the attack)
 * @param peakDbfs       sample peak of the file as written
 * @param clipped        whether any sample was cut off at full scale
 */
public record Slice(
        long startFrame,
        long fullGainFrame,
        long endFrame,
        long fadeOutFrames,
        double paddingMillis,
        double peakDbfs,
        boolean clipped) {}
