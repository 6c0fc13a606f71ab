package app.littlebit.worker.audio;

import java.io.IOException;

/** Random access to a decoded recording, so only the spans that become one-shots are held in memory. */
public interface PcmSource {
    PcmFormat format();

    long frames();

    /** Reads frames [start, start + count) clipped to the recording, interleaved. */
    float[] read(long startFrame, int frameCount) throws IOException;
}
