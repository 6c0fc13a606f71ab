package app.littlebit.worker.audio;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import static java.nio.charset.StandardCharsets.US_ASCII;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes 24-bit PCM WAV. 24 bits keep quantisation noise far below any phone's noise floor, so no
 * dither is needed, and every sampler and DAW reads it.
 */
public final class WavWriter {
    private static final int BYTES_PER_SAMPLE = 3;
    private static final int MAX_24_BIT = 8_388_607;

    private WavWriter() {
    }

    public static void write(float[] interleaved, PcmFormat format, Path target) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target))) {
            write(interleaved, format, out);
        }
    }

    static void write(float[] interleaved, PcmFormat format, OutputStream out) throws IOException {
        int dataBytes = interleaved.length * BYTES_PER_SAMPLE;
        int blockAlign = format.channels() * BYTES_PER_SAMPLE;
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes(US_ASCII)).putInt(36 + dataBytes)
                .put("WAVE".getBytes(US_ASCII))
                .put("fmt ".getBytes(US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) format.channels())
                .putInt(format.sampleRate()).putInt(format.sampleRate() * blockAlign)
                .putShort((short) blockAlign).putShort((short) (BYTES_PER_SAMPLE * 8))
                .put("data".getBytes(US_ASCII)).putInt(dataBytes);
        out.write(header.array());
        byte[] frame = new byte[BYTES_PER_SAMPLE];
        for (float sample : interleaved) {
            int value = (int) Math.round(Math.max(-1.0, Math.min(1.0, sample)) * MAX_24_BIT);
            frame[0] = (byte) value;
            frame[1] = (byte) (value >> 8);
            frame[2] = (byte) (value >> 16);
            out.write(frame);
        }
    }
}
