package app.littlebit.worker.ffmpeg;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.WavWriter;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes finished one-shots as files of the requested type. WAV is written directly; every other
 * type is encoded by FFmpeg from float samples piped to it. Encoder output is made bit-exact, so a
 * rerun with the same input produces the same bytes.
 *
 * <p>One FFmpeg run encodes a whole batch of one-shots: they are streamed back to back into its
 * stdin and split again, sample-exactly, by its {@code asegment} filter, each part into its own
 * encoder and file, byte for byte the file a run of its own would write. That saves a process
 * start per one-shot, and FFmpeg runs a batch's encoders on threads of their own.
 */
public final class OneShotEncoder {
    static final String LOSSY_BITRATE = "192k";
    /**
     * FFmpeg's AAC encoder with its "fast" coder rather than the default twoloop. Twoloop spends
     * about 30 ms of CPU setting up each file, most of the cost of a one-shot under a second, and
     * 5x the CPU in all (16 one-shots of 10 s in all: 0.91 s against 0.16 s). Its rate control
     * pays off at low bitrates; at 192 kb/s the two measured alike (SNR of a drum take after
     * decoding: 34.0 and 33.7 dB, same size), and FFmpeg's maintainers once made fast the default
     * for sounding better at high bitrates.
     */
    static final String AAC_CODER = "fast";
    /** Bytes per write to FFmpeg's stdin. */
    private static final int WRITE_CHUNK_BYTES = 64 * 1024;
    /** Half the last digit astats prints. */
    private static final double PRINTED_PEAK_ROUNDING_DB = 0.5e-6;

    private static final Pattern PEAK_LINE =
            Pattern.compile("\\[astats@p(\\d+) @ [^\\]]*\\] (?:\\[info\\] )?Peak level dB: (\\S+)");

    private final FfmpegTools tools;
    private final FfmpegProcesses processes;

    /** Its processes join {@code processes}, a job's, so that stopping the job stops them. */
    public OneShotEncoder(FfmpegTools tools, FfmpegProcesses processes) {
        this.tools = tools;
        this.processes = processes;
    }

    /** Writes a single one-shot. */
    public void encode(float[] interleaved, PcmFormat format, AudioFileType type, Path target) {
        try (Batch batch = batch(format, type, new long[] {interleaved.length / format.channels()}, List.of(target))) {
            batch.add(interleaved, interleaved.length);
            batch.finish();
        }
    }

    /**
     * Starts writing a batch of one-shots: one file per entry of {@code targets}, each exactly as
     * long as its entry in {@code frames}. Add their samples in the same order, in parts of any
     * size, then finish.
     */
    public Batch batch(PcmFormat format, AudioFileType type, long[] frames, List<Path> targets) {
        if (frames.length != targets.size() || targets.isEmpty()) {
            throw new IllegalArgumentException("one frame count per target, at least one target");
        }
        return new Batch(format, type, frames, targets);
    }

    /**
     * Each file's peak as a player decodes it, in dBFS (negative infinity for silence): all files
     * are decoded by one FFmpeg run, each measured by its own {@code astats} filter. astats prints
     * six decimals; the reading is rounded up, so it never understates the peak.
     */
    public double[] decodedPeaksDbfs(List<Path> files) {
        List<String> command = new ArrayList<>(
                List.of(tools.ffmpeg(), "-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+info"));
        StringBuilder graph = new StringBuilder();
        for (int i = 0; i < files.size(); i++) {
            command.addAll(List.of("-i", files.get(i).toAbsolutePath().toString()));
            graph.append(i == 0 ? "" : ";")
                    .append('[')
                    .append(i)
                    .append(":a]astats@p")
                    .append(i)
                    .append("=measure_perchannel=none:measure_overall=Peak_level[v")
                    .append(i)
                    .append(']');
        }
        command.addAll(List.of("-filter_complex", graph.toString()));
        for (int i = 0; i < files.size(); i++) {
            command.addAll(List.of("-map", "[v" + i + "]", "-f", "null", "-"));
        }
        List<String> log;
        int exit;
        try (FfmpegProcess ffmpeg = FfmpegProcess.start(processes, command, false, false)) {
            exit = ffmpeg.waitFor();
            log = ffmpeg.log();
        }
        double[] peaks = new double[files.size()];
        boolean[] found = new boolean[files.size()];
        for (String line : log) {
            Matcher m = PEAK_LINE.matcher(line);
            if (m.find()) {
                int index = Integer.parseInt(m.group(1));
                peaks[index] = m.group(2).endsWith("inf")
                        ? Double.NEGATIVE_INFINITY
                        : Double.parseDouble(m.group(2)) + PRINTED_PEAK_ROUNDING_DB;
                found[index] = true;
            }
        }
        for (int i = 0; i < files.size(); i++) {
            if (exit != 0 || !found[i]) {
                throw WorkerException.of(
                        FailureReason.FFMPEG,
                        "Could not measure the peak of " + files.get(i).getFileName()
                                + FfmpegDecoder.reason(log.stream()
                                        .filter(l -> l.contains("[error]") || l.contains("[fatal]"))
                                        .toList()));
            }
        }
        return peaks;
    }

    /**
     * One-shots on their way into files; for WAV, no FFmpeg is involved. Samples arrive in parts,
     * back to back: each one-shot is complete once it has its declared length, and the next part
     * starts the next one-shot.
     */
    public final class Batch implements AutoCloseable {
        private final PcmFormat format;
        private final AudioFileType type;
        private final long[] frames;
        private final List<Path> targets;
        private final FfmpegProcess ffmpeg;
        private final byte[] chunk = new byte[WRITE_CHUNK_BYTES];
        private final FloatBuffer chunkFloats =
                ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        /** One-shots complete. */
        private int added;
        /** Samples of the current one-shot so far. */
        private long samples;
        /** The current one-shot's file, for WAV. */
        private WavWriter wav;

        private Batch(PcmFormat format, AudioFileType type, long[] frames, List<Path> targets) {
            this.format = format;
            this.type = type;
            this.frames = frames;
            this.targets = targets;
            this.ffmpeg = type == AudioFileType.WAV ? null : FfmpegProcess.start(processes, command(), true, false);
        }

        /** The next {@code count} samples of {@code part}, interleaved, continuing the current one-shot. */
        public void add(float[] part, int count) {
            try {
                completeEmpty();
                if (added == targets.size()) {
                    throw new IllegalArgumentException(
                            "more samples than the " + targets.size() + " one-shots declared");
                }
                long expected = frames[added] * format.channels();
                if (count > expected - samples) {
                    throw new IllegalArgumentException(
                            "one-shot " + added + " has more than the " + expected + " samples declared");
                }
                if (ffmpeg == null) {
                    if (wav == null) {
                        wav = WavWriter.create(targets.get(added), format, frames[added]);
                    }
                    wav.write(part, count);
                } else {
                    write(part, count);
                }
                samples += count;
                if (samples == expected) {
                    complete();
                }
            } catch (IOException e) {
                throw failure(e);
            }
        }

        /** Waits until every file is complete. */
        public void finish() {
            try {
                completeEmpty();
            } catch (IOException e) {
                throw failure(e);
            }
            if (added != targets.size()) {
                throw new IllegalStateException(added + " of " + targets.size() + " one-shots complete");
            }
            if (ffmpeg == null) {
                return;
            }
            try {
                ffmpeg.stdin().close();
            } catch (IOException e) {
                throw failure(e);
            }
            if (ffmpeg.waitFor() != 0) {
                throw failure();
            }
        }

        /** A one-shot declared with no frames gets no parts, so it is complete as soon as it is reached. */
        private void completeEmpty() throws IOException {
            while (added < targets.size() && frames[added] == 0) {
                if (ffmpeg == null) {
                    wav = WavWriter.create(targets.get(added), format, 0);
                }
                complete();
            }
        }

        private void complete() throws IOException {
            added++;
            samples = 0;
            if (wav != null) {
                WavWriter finished = wav;
                wav = null;
                finished.close();
            }
        }

        private void write(float[] part, int count) throws IOException {
            OutputStream stdin = ffmpeg.stdin();
            int perChunk = chunk.length / Float.BYTES;
            for (int from = 0; from < count; from += perChunk) {
                int n = Math.min(perChunk, count - from);
                chunkFloats.put(0, part, from, n);
                stdin.write(chunk, 0, n * Float.BYTES);
                FfmpegProcess.checkInterrupted();
            }
        }

        /** A dead FFmpeg shows up as a broken pipe: its own log says why. */
        private WorkerException failure(IOException e) {
            String why = ffmpeg == null ? ": " + e.getMessage() : FfmpegDecoder.reason(stopAndReadLog());
            return WorkerException.of(
                    FailureReason.FFMPEG, "Could not write the " + type.extension() + " one-shot" + why, e);
        }

        /** FFmpeg ended with an error of its own: its log says why. */
        private WorkerException failure() {
            return WorkerException.of(
                    FailureReason.FFMPEG,
                    "Could not write the " + type.extension() + " one-shot" + FfmpegDecoder.reason(stopAndReadLog()));
        }

        private List<String> stopAndReadLog() {
            ffmpeg.close();
            ffmpeg.waitFor();
            return ffmpeg.log();
        }

        private List<String> command() {
            List<String> command = new ArrayList<>(List.of(tools.ffmpeg(), "-hide_banner", "-loglevel", "error"));
            command.addAll(FfmpegProcess.pcmPipe(format));
            command.addAll(List.of("-i", "pipe:0"));
            if (targets.size() > 1) {
                command.addAll(List.of("-filter_complex", splitGraph()));
            }
            for (int i = 0; i < targets.size(); i++) {
                command.addAll(List.of("-map", targets.size() > 1 ? "[o" + i + "]" : "0:a"));
                command.addAll(List.of("-fflags", "+bitexact", "-flags:a", "+bitexact"));
                command.addAll(codecArguments(type));
                command.addAll(List.of("-y", targets.get(i).toAbsolutePath().toString()));
            }
            return command;
        }

        /** asegment cuts at absolute sample positions; each part's clock restarts at zero, as its own file's would. */
        private String splitGraph() {
            StringBuilder points = new StringBuilder();
            StringBuilder outputs = new StringBuilder();
            StringBuilder retimed = new StringBuilder();
            long position = 0;
            for (int i = 0; i < targets.size(); i++) {
                if (i > 0) {
                    points.append(i == 1 ? "" : "|").append(position);
                }
                position += frames[i];
                outputs.append("[s").append(i).append(']');
                retimed.append(";[s")
                        .append(i)
                        .append("]asetpts=PTS-STARTPTS[o")
                        .append(i)
                        .append(']');
            }
            return "[0:a]asegment=samples=" + points + outputs + retimed;
        }

        @Override
        public void close() {
            if (wav != null) {
                try {
                    wav.close();
                } catch (IOException e) {
                    throw failure(e);
                }
            }
            if (ffmpeg != null) {
                ffmpeg.close();
            }
        }
    }

    private static List<String> codecArguments(AudioFileType type) {
        return switch (type) {
            case M4A ->
                List.of(
                        "-f",
                        "ipod",
                        "-c:a",
                        "aac",
                        "-aac_coder",
                        AAC_CODER,
                        "-b:a",
                        LOSSY_BITRATE,
                        "-movflags",
                        "+faststart");
            case AAC -> List.of("-f", "adts", "-c:a", "aac", "-aac_coder", AAC_CODER, "-b:a", LOSSY_BITRATE);
            case MP3 -> List.of("-f", "mp3", "-c:a", "libmp3lame", "-b:a", LOSSY_BITRATE);
            case FLAC -> List.of("-f", "flac", "-c:a", "flac", "-sample_fmt", "s32");
            case WAV -> throw new IllegalArgumentException("WAV is written without FFmpeg");
        };
    }
}
