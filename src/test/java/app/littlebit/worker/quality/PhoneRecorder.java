package app.littlebit.worker.quality;

import app.littlebit.worker.demo.SynthesizedTake;
import app.littlebit.worker.support.TestAudio;
import ch.qos.logback.classic.Level;
import com.github.kokorin.jaffree.LogLevel;
import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.PipeInput;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Saves a take as a phone's voice-memo app does: AAC-LC at 128 kbit/s in an M4A file. The codec's
 * pre-echo, smeared transients and band-limited noise are part of what the worker must cope with.
 */
public final class PhoneRecorder {
    static final String BITRATE = "128k";

    static {
        // Jaffree warns on every run that no progress listener is set; its real errors are ERROR.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("com.github.kokorin.jaffree")).setLevel(Level.ERROR);
    }

    private PhoneRecorder() {}

    public static Path save(SynthesizedTake take, Path file) {
        float[] samples = take.samples();
        ByteBuffer bytes = ByteBuffer.allocate(samples.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(samples);
        FFmpeg.atPath(TestAudio.ffmpeg().binDirectory())
                .addInput(PipeInput.pumpFrom(new ByteArrayInputStream(bytes.array()))
                        .setFormat("f32le")
                        .addArguments("-ar", Integer.toString(take.format().sampleRate()))
                        .addArguments("-ac", Integer.toString(take.format().channels())))
                .addOutput(UrlOutput.toPath(file)
                        .setFormat("ipod")
                        .setCodec(StreamType.AUDIO, "aac")
                        .addArguments("-b:a", BITRATE))
                .setOverwriteOutput(true)
                .setLogLevel(LogLevel.ERROR)
                .execute();
        return file;
    }
}
