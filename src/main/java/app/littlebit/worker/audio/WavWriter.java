package app.littlebit.worker.audio;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes 24-bit PCM WAV. 24 bits keep quantisation noise far below any phone's noise floor, so no
 * dither is needed, and every sampler and DAW reads it.
 *
 * <p>The header comes first and holds the length, so the length is given up front; the samples
 * then follow in parts of any size, and memory stays the same however long the file.
 */
public final class WavWriter implements AutoCloseable {
    private static final int BYTES_PER_SAMPLE = 3;
    private static final int MAX_24_BIT = 8_388_607;
    private static final int HEADER_BYTES = 44;
    /** RIFF sizes are unsigned 32-bit. */
    private static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - (HEADER_BYTES - 8);
    /** Samples converted per write to the file. */
    private static final int BUFFER_SAMPLES = 8 * 1024;

    private final OutputStream out;
    private final long samples;
    private final byte[] buffer = new byte[BUFFER_SAMPLES * BYTES_PER_SAMPLE];
    private long written;

    private WavWriter(OutputStream out, long samples) {
        this.out = out;
        this.samples = samples;
    }

    /** Creates (or replaces) {@code target} and writes the header of a file of {@code frames} frames. */
    public static WavWriter create(Path target, PcmFormat format, long frames) throws IOException {
        long samples = frames * format.channels();
        long dataBytes = samples * BYTES_PER_SAMPLE;
        if (dataBytes > MAX_DATA_BYTES) {
            throw new IOException(frames + " frames are too many for a WAV file");
        }
        int blockAlign = format.channels() * BYTES_PER_SAMPLE;
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes(US_ASCII))
                .putInt((int) (HEADER_BYTES - 8 + dataBytes))
                .put("WAVE".getBytes(US_ASCII))
                .put("fmt ".getBytes(US_ASCII))
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) format.channels())
                .putInt(format.sampleRate())
                .putInt(format.sampleRate() * blockAlign)
                .putShort((short) blockAlign)
                .putShort((short) (BYTES_PER_SAMPLE * 8))
                .put("data".getBytes(US_ASCII))
                .putInt((int) dataBytes);
        OutputStream out = Files.newOutputStream(target);
        try {
            out.write(header.array());
        } catch (IOException e) {
            out.close();
            throw e;
        }
        return new WavWriter(out, samples);
    }

    /** The next {@code count} samples of {@code interleaved}; in all, exactly as many as the header says. */
    public void write(float[] interleaved, int count) throws IOException {
        if (count > samples - written) {
            throw new IllegalArgumentException("more samples than the " + samples + " the header declares");
        }
        for (int from = 0; from < count; from += BUFFER_SAMPLES) {
            int part = Math.min(BUFFER_SAMPLES, count - from);
            for (int i = 0; i < part; i++) {
                float sample = interleaved[from + i];
                int value = (int) Math.round(Math.max(-1.0, Math.min(1.0, sample)) * MAX_24_BIT);
                buffer[i * BYTES_PER_SAMPLE] = (byte) value;
                buffer[i * BYTES_PER_SAMPLE + 1] = (byte) (value >> 8);
                buffer[i * BYTES_PER_SAMPLE + 2] = (byte) (value >> 16);
            }
            out.write(buffer, 0, part * BYTES_PER_SAMPLE);
        }
        written += count;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
