package app.littlebit.worker.audio;

import java.io.IOException;

/** Receives a recording's decoded audio in order, a buffer of interleaved frames at a time. */
public interface PcmConsumer {
    void accept(float[] interleaved, int frames) throws IOException;
}
