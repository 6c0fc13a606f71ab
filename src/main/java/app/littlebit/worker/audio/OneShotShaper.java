package app.littlebit.worker.audio;

import java.io.IOException;

/**
 * Cuts a one-shot out of the recording: removes DC offset and applies the click-free fades. The
 * one-shot is read and handed on a chunk at a time, so a whole recording kept as one file takes
 * no more memory than a drum hit.
 */
public final class OneShotShaper {
    /**
     * Frames per chunk: 512 KB of stereo floats, small next to the heap, and large enough that the
     * per-chunk work (a read from the spool, a write to FFmpeg) costs nothing noticeable.
     */
    static final int CHUNK_FRAMES = 64 * 1024;

    private OneShotShaper() {}

    /**
     * Reads the one-shot in order and hands each shaped chunk to {@code chunks}, which may change
     * it but not keep it: every chunk arrives in the same array.
     */
    public static void shape(OneShotCut cut, RecordingAnalysis analysis, PcmSource pcm, PcmConsumer chunks)
            throws IOException {
        int channels = analysis.format().channels();
        double[] dc = analysis.dcOffsets();
        long frames = cut.frames();
        float[] samples = new float[(int) Math.min(CHUNK_FRAMES, frames) * channels];
        for (long first = 0; first < frames; first += CHUNK_FRAMES) {
            int count = (int) Math.min(CHUNK_FRAMES, frames - first);
            int read = pcm.read(cut.startFrame() + first, samples, count);
            if (read != count) {
                throw new IOException(
                        "the recording ends inside the one-shot, at frame " + (cut.startFrame() + first + read));
            }
            for (int f = 0; f < count; f++) {
                double gain = fadeGain(first + f, frames, cut.fadeInFrames(), cut.fadeOutFrames());
                for (int c = 0; c < channels; c++) {
                    int i = f * channels + c;
                    samples[i] = (float) ((samples[i] - dc[c]) * gain);
                }
            }
            chunks.accept(samples, count);
        }
    }

    /** Raised-cosine fades: no corner at either end, so no click. {@code frame} counts from the cut's start. */
    private static double fadeGain(long frame, long frames, int fadeIn, int fadeOut) {
        double gain = 1;
        if (frame < fadeIn) {
            gain *= halfCosine((frame + 0.5) / fadeIn);
        }
        long fromEnd = frames - 1 - frame;
        if (fromEnd < fadeOut) {
            gain *= halfCosine((fromEnd + 0.5) / fadeOut);
        }
        return gain;
    }

    private static double halfCosine(double position) {
        return 0.5 - 0.5 * Math.cos(Math.PI * position);
    }
}
