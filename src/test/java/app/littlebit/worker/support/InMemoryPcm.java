package app.littlebit.worker.support;

import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.PcmSource;

/** A decoded recording held in memory, for tests that cut without a spool file. */
// Audio buffers handed along, never compared or hashed: copying them per access would cost per sample.
@SuppressWarnings("ArrayRecordComponent")
public record InMemoryPcm(float[] samples, PcmFormat format) implements PcmSource {
    @Override
    public long frames() {
        return samples.length / format.channels();
    }

    @Override
    public int read(long startFrame, float[] into, int frameCount) {
        long start = Math.max(0, Math.min(startFrame, frames()));
        int count = (int) Math.max(0, Math.min(frameCount, frames() - start));
        System.arraycopy(samples, (int) start * format.channels(), into, 0, count * format.channels());
        return count;
    }
}
