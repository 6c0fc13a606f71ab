package app.littlebit.worker.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a decoded recording on disk as raw 32-bit floats while it streams in, then serves spans of
 * it back. Memory stays constant whatever the recording's length. Spans may be read from several
 * threads at once.
 */
public final class PcmSpool implements PcmConsumer, PcmSource, AutoCloseable {
    private static final int BYTES_PER_SAMPLE = Float.BYTES;
    /** Bytes read at a time: a long span is read in pieces, so no buffer grows with it. */
    private static final int READ_CHUNK_BYTES = 256 * 1024;

    private final PcmFormat format;
    private final Path file;
    private final FileChannel channel;
    private ByteBuffer writeBuffer = ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
    /**
     * One read buffer per reading thread (the encoders read side by side), reused for every read.
     * Direct, so the channel fills it without a copy of its own.
     */
    private final ThreadLocal<ByteBuffer> readBuffers = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(READ_CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN));

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
            // Direct, so the channel writes it as it is rather than through a copy of its own.
            writeBuffer = ByteBuffer.allocateDirect(samples * BYTES_PER_SAMPLE).order(ByteOrder.LITTLE_ENDIAN);
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
    public int read(long startFrame, float[] into, int frameCount) throws IOException {
        long start = Math.max(0, Math.min(startFrame, frames));
        int count = (int) Math.max(0, Math.min(frameCount, frames - start));
        int samples = count * format.channels();
        ByteBuffer bytes = readBuffers.get().clear();
        // A view of the whole buffer, taken before a read moves the buffer's position.
        FloatBuffer floats = bytes.asFloatBuffer();
        long position = start * format.channels() * BYTES_PER_SAMPLE;
        for (int done = 0; done < samples; ) {
            int chunk = Math.min(samples - done, bytes.capacity() / BYTES_PER_SAMPLE);
            bytes.clear().limit(chunk * BYTES_PER_SAMPLE);
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, position + bytes.position()) < 0) {
                    throw new IOException("decoded audio ended early at byte " + (position + bytes.position()));
                }
            }
            floats.get(0, into, done, chunk);
            done += chunk;
            position += (long) chunk * BYTES_PER_SAMPLE;
        }
        return count;
    }

    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }
}
