package app.littlebit.worker.audio;

import java.io.IOException;

/** Random access to a decoded recording, so only the spans that become one-shots are held in memory. */
public interface PcmSource {
    PcmFormat format();

    long frames();

    /**
     * Reads frames from {@code startFrame} into the start of {@code into}, interleaved: up to
     * {@code frameCount}, fewer where the recording ends. Returns the frames read.
     */
    int read(long startFrame, float[] into, int frameCount) throws IOException;

    /** Frames [start, start + count) clipped to the recording, interleaved, in an array of their own. */
    default float[] read(long startFrame, int frameCount) throws IOException {
        long start = Math.max(0, Math.min(startFrame, frames()));
        int available = (int) Math.max(0, Math.min(frameCount, frames() - start));
        float[] samples = new float[available * format().channels()];
        read(start, samples, available);
        return samples;
    }
}
