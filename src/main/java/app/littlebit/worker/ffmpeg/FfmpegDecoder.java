package app.littlebit.worker.ffmpeg;

import app.littlebit.worker.audio.PcmConsumer;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads recordings with FFmpeg: a probe for what the file holds, then its first audio stream
 * decoded to 32-bit float PCM and streamed to a consumer as it arrives, never held whole.
 *
 * <p>The audio comes over FFmpeg's stdout, a plain pipe: no socket, no copy through a helper
 * thread. The consumer runs on the caller's thread, a buffer of frames at a time.
 */
public final class FfmpegDecoder {
    private static final Pattern HEAP_ADDRESS = Pattern.compile(" @ 0x[0-9a-fA-F]+");
    /** The folders of an absolute path, not a ratio like 44100/1 or a URL's "//". */
    private static final Pattern FOLDERS = Pattern.compile("(?<![\\w.:/])/(?:[^/\\s:'\"]+/)+");
    /** The most channels a one-shot keeps; more (surround, ambisonics) is not a phone recording. */
    static final int MAX_CHANNELS = 8;

    private static final int MIN_SAMPLE_RATE = 8_000;
    private static final int MAX_SAMPLE_RATE = 192_000;
    /** Frames handed to the consumer at once: large enough that per-call costs vanish, small enough for L2. */
    private static final int FRAMES_PER_BUFFER = 16_384;

    private static final int EXIT_CANNOT_EXECUTE = 126;
    private static final int EXIT_NOT_STARTED = 127;

    private final FfmpegTools tools;
    private final FfmpegProcesses processes;

    /** Its processes join {@code processes}, a job's, so that stopping the job stops them. */
    public FfmpegDecoder(FfmpegTools tools, FfmpegProcesses processes) {
        this.tools = tools;
        this.processes = processes;
    }

    public RecordingInfo probe(Path recording) {
        List<String> output;
        List<String> log;
        int exit;
        try (FfmpegProcess ffprobe = FfmpegProcess.start(
                processes,
                List.of(
                        tools.ffprobe(),
                        "-v",
                        "error",
                        "-select_streams",
                        "a:0",
                        "-show_entries",
                        "stream=codec_name,sample_rate,channels,duration" + ":format=duration",
                        "-of",
                        "flat",
                        input(recording)),
                false,
                true)) {
            output = new String(ffprobe.stdout().readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            exit = ffprobe.waitFor();
            log = ffprobe.log();
        } catch (IOException e) {
            throw WorkerException.of(FailureReason.FFMPEG, "Could not read ffprobe's answer: " + e.getMessage(), e);
        }
        if (exit != 0) {
            throw failure(exit, log, "The recording is not a readable audio file");
        }
        // Lines like streams.stream.0.sample_rate="48000"; "N/A" where ffprobe does not know.
        Map<String, String> fields = new HashMap<>();
        for (String line : output) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                fields.put(line.substring(0, equals), line.substring(equals + 1).replace("\"", ""));
            }
        }
        String codec = fields.get("streams.stream.0.codec_name");
        if (codec == null) {
            throw WorkerException.of(FailureReason.NOT_AUDIO, "The recording has no audio stream");
        }
        int rate = (int) number(fields.get("streams.stream.0.sample_rate"));
        int channels = (int) number(fields.get("streams.stream.0.channels"));
        if (rate < MIN_SAMPLE_RATE || rate > MAX_SAMPLE_RATE) {
            throw WorkerException.of(
                    FailureReason.NOT_AUDIO,
                    "The recording's sample rate must be " + MIN_SAMPLE_RATE + " to " + MAX_SAMPLE_RATE + " Hz, got "
                            + (rate == 0 ? null : rate));
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw WorkerException.of(
                    FailureReason.NOT_AUDIO,
                    "The recording must have 1 to " + MAX_CHANNELS + " channels, got "
                            + (channels == 0 ? null : channels));
        }
        double seconds = number(fields.get("streams.stream.0.duration"));
        if (seconds <= 0) {
            seconds = number(fields.get("format.duration"));
        }
        return new RecordingInfo(codec, rate, channels, seconds <= 0 ? -1 : Math.round(seconds * 1000.0));
    }

    /** A number ffprobe printed, or 0 where it printed none. */
    private static double number(String value) {
        try {
            return value == null ? 0 : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Decodes the first audio stream at the given rate and channel count into the consumer. */
    public void decode(Path recording, PcmFormat format, PcmConsumer consumer) {
        List<String> command = new ArrayList<>(List.of(
                tools.ffmpeg(),
                "-nostdin",
                "-hide_banner",
                "-loglevel",
                "error",
                "-i",
                input(recording),
                "-map",
                "0:a:0",
                "-c:a",
                "pcm_f32le"));
        command.addAll(FfmpegProcess.pcmPipe(format));
        command.add("pipe:1");
        int exit;
        List<String> log;
        try (FfmpegProcess ffmpeg = FfmpegProcess.start(processes, command, false, true)) {
            try {
                pump(ffmpeg.stdout(), format, consumer);
            } catch (IOException e) {
                throw WorkerException.of(
                        FailureReason.WORK_FILES, "Decoded audio could not be stored: " + e.getMessage(), e);
            }
            exit = ffmpeg.waitFor();
            log = ffmpeg.log();
        }
        if (exit != 0) {
            throw failure(exit, log, "The recording could not be decoded");
        }
    }

    /** Reads whole buffers of frames from FFmpeg and hands each to the consumer. */
    private static void pump(InputStream pcm, PcmFormat format, PcmConsumer consumer) throws IOException {
        int frameBytes = format.channels() * Float.BYTES;
        byte[] bytes = new byte[FRAMES_PER_BUFFER * frameBytes];
        FloatBuffer floats =
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] samples = new float[FRAMES_PER_BUFFER * format.channels()];
        int filled = 0;
        while (true) {
            int read = pcm.read(bytes, filled, bytes.length - filled);
            boolean ended = read < 0;
            filled += Math.max(read, 0);
            if (filled == bytes.length || (ended && filled > 0)) {
                // Whole frames only; a torn one can only come last, and is dropped.
                int frames = filled / frameBytes;
                floats.get(0, samples, 0, frames * format.channels());
                consumer.accept(samples, frames);
                filled = 0;
            }
            if (ended) {
                return;
            }
            FfmpegProcess.checkInterrupted();
        }
    }

    /**
     * FFmpeg names what is wrong with a file it cannot read. One that ends without a word was
     * stopped from outside (killed, out of memory): not the recording's fault, and not fixed by
     * running the same job again with the same resources.
     */
    private static WorkerException failure(int exit, List<String> log, String badData) {
        if (exit == EXIT_CANNOT_EXECUTE || exit == EXIT_NOT_STARTED) {
            // The shell's and the dynamic loader's codes ("error while loading shared libraries"):
            // FFmpeg never ran, so the recording is not to blame.
            return WorkerException.of(FailureReason.FFMPEG, "FFmpeg could not start (exit " + exit + ")" + reason(log));
        }
        if (log.stream().allMatch(String::isBlank)) {
            return WorkerException.of(
                    FailureReason.FFMPEG,
                    "FFmpeg stopped without an error of its own (exit " + exit + "): killed or out of memory");
        }
        return WorkerException.of(FailureReason.NOT_AUDIO, badData + reason(log));
    }

    private static String plain(String line) {
        return FOLDERS.matcher(HEAP_ADDRESS.matcher(line).replaceAll(""))
                .replaceAll("")
                .strip();
    }

    /** An absolute path never starts with '-', so FFmpeg cannot take a file name for an option. */
    private static String input(Path recording) {
        return recording.toAbsolutePath().toString();
    }

    /**
     * FFmpeg's first few lines on a failure, as the reason shown to the app and stored in the
     * status item: without heap addresses ("[mp3 @ 0x55d1...]") and folders (of the work
     * directory, say), which change every run and mean nothing to a musician; file names stay.
     */
    static String reason(List<String> log) {
        List<String> lines = log.stream()
                .map(FfmpegDecoder::plain)
                .filter(l -> !l.isEmpty())
                .distinct()
                .limit(3)
                .collect(Collectors.toList());
        return lines.isEmpty() ? "" : ": " + String.join(" / ", lines);
    }
}
