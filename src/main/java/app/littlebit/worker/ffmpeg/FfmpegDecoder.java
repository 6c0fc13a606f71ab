package app.littlebit.worker.ffmpeg;

import app.littlebit.worker.WorkerException;
import app.littlebit.worker.audio.PcmConsumer;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.RecordingInfo;
import com.github.kokorin.jaffree.JaffreeException;
import com.github.kokorin.jaffree.LogLevel;
import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.PipeOutput;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import com.github.kokorin.jaffree.ffprobe.FFprobe;
import com.github.kokorin.jaffree.ffprobe.FFprobeResult;
import com.github.kokorin.jaffree.ffprobe.Stream;
import com.github.kokorin.jaffree.process.JaffreeAbnormalExitException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads recordings with FFmpeg: a probe for what the file holds, then its first audio stream
 * decoded to 32-bit float PCM and streamed to a consumer as it arrives, never held whole.
 */
public final class FfmpegDecoder {
    /** The most channels a one-shot keeps; more (surround, ambisonics) is not a phone recording. */
    static final int MAX_CHANNELS = 8;
    private static final int MIN_SAMPLE_RATE = 8_000;
    private static final int MAX_SAMPLE_RATE = 192_000;

    private final FfmpegTools tools;

    public FfmpegDecoder(FfmpegTools tools) {
        this.tools = tools;
    }

    public RecordingInfo probe(Path recording) {
        FFprobeResult result;
        try {
            result = FFprobe.atPath(tools.binDirectory())
                    .setInput(recording)
                    .setShowStreams(true)
                    .setShowFormat(true)
                    .setLogLevel(LogLevel.ERROR)
                    .execute();
        } catch (JaffreeException e) {
            throw WorkerException.badData("The recording is not a readable audio file" + reason(e), e);
        }
        Optional<Stream> audio = result.getStreams().stream()
                .filter(s -> s.getCodecType() == StreamType.AUDIO)
                .findFirst();
        if (audio.isEmpty()) {
            throw WorkerException.badData("The recording has no audio stream");
        }
        Stream stream = audio.get();
        Integer rate = stream.getSampleRate();
        Integer channels = stream.getChannels();
        if (rate == null || rate < MIN_SAMPLE_RATE || rate > MAX_SAMPLE_RATE) {
            throw WorkerException.badData("The recording's sample rate must be " + MIN_SAMPLE_RATE
                    + " to " + MAX_SAMPLE_RATE + " Hz, got " + rate);
        }
        if (channels == null || channels < 1 || channels > MAX_CHANNELS) {
            throw WorkerException.badData("The recording must have 1 to " + MAX_CHANNELS
                    + " channels, got " + channels);
        }
        Float seconds = stream.getDuration() != null ? stream.getDuration()
                : result.getFormat() != null ? result.getFormat().getDuration() : null;
        long durationMs = seconds == null ? -1 : Math.round(seconds * 1000.0);
        return new RecordingInfo(String.valueOf(stream.getCodecName()), rate, channels, durationMs);
    }

    /** Decodes the first audio stream at the given rate and channel count into the consumer. */
    public void decode(Path recording, PcmFormat format, PcmConsumer consumer) {
        PcmOutputStream sink = new PcmOutputStream(format, consumer);
        try {
            FFmpeg.atPath(tools.binDirectory())
                    .addInput(UrlInput.fromPath(recording))
                    .addOutput(PipeOutput.pumpTo(sink)
                            .addMap(0, "a:0")
                            .setFormat("f32le")
                            .setCodec(StreamType.AUDIO, "pcm_f32le")
                            .addArguments("-ar", Integer.toString(format.sampleRate()))
                            .addArguments("-ac", Integer.toString(format.channels())))
                    .setLogLevel(LogLevel.ERROR)
                    .execute();
            sink.flushRemainder();
        } catch (JaffreeException e) {
            sink.rethrowConsumerFailure();
            throw WorkerException.badData("The recording could not be decoded" + reason(e), e);
        } catch (IOException e) {
            throw WorkerException.internal("Decoded audio could not be stored: " + e.getMessage(), e);
        }
        sink.rethrowConsumerFailure();
    }

    private static String reason(JaffreeException e) {
        if (e instanceof JaffreeAbnormalExitException abnormal
                && !abnormal.getProcessErrorLogMessages().isEmpty()) {
            return ": " + abnormal.getProcessErrorLogMessages().stream()
                    .map(m -> m.message.strip())
                    .distinct()
                    .limit(3)
                    .collect(Collectors.joining(" / "));
        }
        return "";
    }

    /** Converts FFmpeg's little-endian float bytes into frames for the consumer. */
    private static final class PcmOutputStream extends OutputStream {
        private static final int FRAMES_PER_BUFFER = 8192;
        private final PcmFormat format;
        private final PcmConsumer consumer;
        private final ByteBuffer bytes;
        private final float[] samples;
        private RuntimeException consumerFailure;
        private IOException storageFailure;

        PcmOutputStream(PcmFormat format, PcmConsumer consumer) {
            this.format = format;
            this.consumer = consumer;
            int frameBytes = format.channels() * Float.BYTES;
            this.bytes = ByteBuffer.allocate(FRAMES_PER_BUFFER * frameBytes).order(ByteOrder.LITTLE_ENDIAN);
            this.samples = new float[FRAMES_PER_BUFFER * format.channels()];
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            while (length > 0) {
                int chunk = Math.min(length, bytes.remaining());
                bytes.put(data, offset, chunk);
                offset += chunk;
                length -= chunk;
                if (!bytes.hasRemaining()) {
                    deliver();
                }
            }
        }

        void flushRemainder() throws IOException {
            deliver();
        }

        private void deliver() throws IOException {
            bytes.flip();
            int frames = bytes.remaining() / (format.channels() * Float.BYTES);
            bytes.asFloatBuffer().get(samples, 0, frames * format.channels());
            bytes.position(frames * format.channels() * Float.BYTES);
            bytes.compact();
            if (frames == 0) {
                return;
            }
            try {
                consumer.accept(samples, frames);
            } catch (WorkerException e) {
                consumerFailure = e;
                throw new IOException(e.getMessage(), e);
            } catch (IOException e) {
                storageFailure = e;
                throw e;
            }
        }

        /** A failure of ours inside FFmpeg's output thread surfaces as itself, not as a decode error. */
        void rethrowConsumerFailure() {
            if (consumerFailure != null) {
                throw consumerFailure;
            }
            if (storageFailure != null) {
                throw WorkerException.internal("Decoded audio could not be stored: "
                        + storageFailure.getMessage(), storageFailure);
            }
        }
    }
}
