package app.littlebit.worker.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a decoded recording on disk as raw 32-bit floats while it streams in, then serves spans of
 * it back. Memory stays constant whatever the recording's length.
 */
public final class PcmSpool implements PcmConsumer, PcmSource, AutoCloseable {
    private static final int BYTES_PER_SAMPLE = Float.BYTES;

    private final PcmFormat format;
    private final Path file;
    private final FileChannel channel;
    private ByteBuffer writeBuffer = ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
    private long frames;

    public PcmSpool(PcmFormat format, Path directory) throws IOException {
        this.format = format;
        this.file = Files.createTempFile(directory, "decoded-", ".f32");
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Override
    public void accept(float[] interleaved, int frameCount) throws IOException {
        int samples = frameCount * format.channels();
        if (writeBuffer.capacity() < samples * BYTES_PER_SAMPLE) {
            writeBuffer = ByteBuffer.allocate(samples * BYTES_PER_SAMPLE).order(ByteOrder.LITTLE_ENDIAN);
        }
        writeBuffer.clear();
        writeBuffer.asFloatBuffer().put(interleaved, 0, samples);
        writeBuffer.limit(samples * BYTES_PER_SAMPLE);
        long position = frames * format.channels() * BYTES_PER_SAMPLE;
        while (writeBuffer.hasRemaining()) {
            position += channel.write(writeBuffer, position);
        }
        frames += frameCount;
    }

    @Override
    public PcmFormat format() {
        return format;
    }

    @Override
    public long frames() {
        return frames;
    }

    @Override
    public float[] read(long startFrame, int frameCount) throws IOException {
        long start = Math.max(0, Math.min(startFrame, frames));
        int count = (int) Math.max(0, Math.min(frameCount, frames - start));
        ByteBuffer bytes = ByteBuffer.allocate(count * format.channels() * BYTES_PER_SAMPLE)
                .order(ByteOrder.LITTLE_ENDIAN);
        long position = start * format.channels() * BYTES_PER_SAMPLE;
        while (bytes.hasRemaining()) {
            int read = channel.read(bytes, position + bytes.position());
            if (read < 0) {
                throw new IOException("decoded audio ended early at byte " + position);
            }
        }
        bytes.flip();
        float[] samples = new float[count * format.channels()];
        bytes.asFloatBuffer().get(samples);
        return samples;
    }

    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }
}
