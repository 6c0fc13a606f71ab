package app.littlebit.worker.ffmpeg;

import app.littlebit.worker.WorkerException;
import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.WavWriter;
import com.github.kokorin.jaffree.JaffreeException;
import com.github.kokorin.jaffree.LogLevel;
import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.PipeInput;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Writes a finished one-shot as a file of the requested type. WAV is written directly; every
 * other type is encoded by FFmpeg from the float samples piped to it. Encoder output is made
 * bit-exact, so a rerun with the same input produces the same bytes.
 */
public final class OneShotEncoder {
    static final String LOSSY_BITRATE = "192k";

    private final FfmpegTools tools;

    public OneShotEncoder(FfmpegTools tools) {
        this.tools = tools;
    }

    public void encode(float[] interleaved, PcmFormat format, AudioFileType type, Path target) {
        try {
            if (type == AudioFileType.WAV) {
                WavWriter.write(interleaved, format, target);
            } else {
                encodeWithFfmpeg(interleaved, format, type, target);
            }
        } catch (IOException | JaffreeException e) {
            throw WorkerException.internal("Could not write the " + type.extension()
                    + " one-shot: " + e.getMessage(), e);
        }
    }

    private void encodeWithFfmpeg(float[] interleaved, PcmFormat format, AudioFileType type, Path target) {
        ByteBuffer bytes = ByteBuffer.allocate(interleaved.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(interleaved);
        UrlOutput output = UrlOutput.toPath(target).addArguments("-fflags", "+bitexact")
                .addArguments("-flags:a", "+bitexact");
        switch (type) {
            case M4A -> output.setFormat("ipod").setCodec(StreamType.AUDIO, "aac")
                    .addArguments("-b:a", LOSSY_BITRATE).addArguments("-movflags", "+faststart");
            case AAC -> output.setFormat("adts").setCodec(StreamType.AUDIO, "aac")
                    .addArguments("-b:a", LOSSY_BITRATE);
            case MP3 -> output.setFormat("mp3").setCodec(StreamType.AUDIO, "libmp3lame")
                    .addArguments("-b:a", LOSSY_BITRATE);
            case FLAC -> output.setFormat("flac").setCodec(StreamType.AUDIO, "flac")
                    .addArguments("-sample_fmt", "s32");
            case WAV -> throw new IllegalArgumentException("WAV is written without FFmpeg");
        }
        FFmpeg.atPath(tools.binDirectory())
                .addInput(PipeInput.pumpFrom(new ByteArrayInputStream(bytes.array()))
                        .setFormat("f32le")
                        .addArguments("-ar", Integer.toString(format.sampleRate()))
                        .addArguments("-ac", Integer.toString(format.channels())))
                .addOutput(output)
                .setOverwriteOutput(true)
                .setLogLevel(LogLevel.ERROR)
                .execute();
    }
}
