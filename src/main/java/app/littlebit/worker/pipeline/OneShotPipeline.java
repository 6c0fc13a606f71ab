package app.littlebit.worker.pipeline;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.CutPlanner;
import app.littlebit.worker.audio.Detection;
import app.littlebit.worker.audio.LevelDetector;
import app.littlebit.worker.audio.LoudnessNormalizer;
import app.littlebit.worker.audio.OneShotCut;
import app.littlebit.worker.audio.OneShotLevels;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.PcmSpool;
import app.littlebit.worker.audio.Pitch;
import app.littlebit.worker.audio.RecordingAnalysis;
import app.littlebit.worker.audio.RecordingAnalyzer;
import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.audio.WaveformBuilder;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.ffmpeg.FfmpegDecoder;
import app.littlebit.worker.ffmpeg.FfmpegProcesses;
import app.littlebit.worker.ffmpeg.FfmpegTools;
import app.littlebit.worker.ffmpeg.OneShotEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audio work of a job, with no knowledge of where the recording came from or where the
 * one-shots go: probe, decode and analyse in one streaming pass, find the sounds, then cut, shape,
 * normalize and encode each one-shot in turn, a chunk at a time, whatever its length. The figures
 * the app shows (loudness, pitch, waveforms) are taken on the passes that are made anyway.
 */
public final class OneShotPipeline {
    private static final Logger log = LoggerFactory.getLogger(OneShotPipeline.class);
    static final double MAX_ONE_SHOT_MILLIS = 10_000;
    /** Longer than any take a musician would upload; stops a tiny file that decodes to days of audio. */
    static final long MAX_RECORDING_MINUTES = 120;

    private final FfmpegTools tools;

    public OneShotPipeline(FfmpegTools tools) {
        this.tools = tools;
    }

    /**
     * What to run the pipeline on.
     *
     * @param recording  the recording file
     * @param outputType the file type of the one-shots
     * @param params     what the app asked for
     * @param scratchDir private folder for the decoded audio
     * @param outputDir  where the one-shot files are written, named {@code <name>-<index>.<ext>}
     * @param name       the one-shot files' base name
     * @param ffmpeg     the job's FFmpeg processes, which the pipeline's join (its time limit stops them)
     */
    public record Request(
            Path recording,
            AudioFileType outputType,
            ProcessingParams params,
            Path scratchDir,
            Path outputDir,
            String name,
            FfmpegProcesses ffmpeg) {
        /** A request whose FFmpeg processes nothing but their own end stops (a local run). */
        public Request(
                Path recording,
                AudioFileType outputType,
                ProcessingParams params,
                Path scratchDir,
                Path outputDir,
                String name) {
            this(recording, outputType, params, scratchDir, outputDir, name, new FfmpegProcesses());
        }
    }

    /**
     * Everything the pipeline produced.
     *
     * @param recording  the recording as decoded (duration from the decoded length)
     * @param detection  what the detector found
     * @param oneShots   the one-shot files written, in recording order
     * @param recordingWaveform the recording's waveform file, with the cuts
     */
    public record Output(
            RecordingInfo recording, DetectionSummary detection, List<Produced> oneShots, Path recordingWaveform) {}

    /**
     * A one-shot file written to the work folder, with its place in the recording, its levels and
     * pitch, and its waveform file beside it.
     */
    public record Produced(
            int index,
            Path file,
            AudioFileType type,
            OneShotCut cut,
            PcmFormat format,
            OneShotLevels levels,
            Pitch pitch,
            Path waveform) {}

    /** What a caller hears while the pipeline runs; every method has a do-nothing default. */
    public interface Listener {
        /** What the probe found (the recording's length), before decoding starts. */
        default void probed(RecordingInfo info) {}

        /**
         * A one-shot whose file is final (checked against the ceiling), from the encoding threads
         * and in no particular order, so it can be uploaded while the rest are made; if the run
         * then fails, the files are deleted and the run's exception says why.
         */
        default void ready(Produced oneShot) {}

        /**
         * How much of the audio work is done, 0 to 1, rising: decoding is the first half (by the
         * probed length), the one-shots the second (by count). Called often, from the decoding
         * and encoding threads: whoever listens decides how often to act on it.
         */
        default void progress(double done) {}
    }

    /** Runs the job's audio work; see {@link #run(Request, Timings, Listener)}. */
    public Output run(Request request, Timings timings) {
        return run(request, timings, new Listener() {});
    }

    /** Decodes, detects, cuts, shapes and encodes the recording into one-shots, telling {@code listener} as it goes. */
    public Output run(Request request, Timings timings, Listener listener) {
        Path recording = request.recording();
        ProcessingParams params = request.params();
        Path outputDir = request.outputDir();
        String name = request.name();
        // In the job's processes, so that its time limit stops this run's FFmpeg and no other job's.
        FfmpegDecoder decoder = new FfmpegDecoder(tools, request.ffmpeg());
        OneShotEncoder encoder = new OneShotEncoder(tools, request.ffmpeg());
        RecordingInfo info = timings.time(Timings.DECODE, () -> decoder.probe(recording));
        listener.probed(info);
        PcmFormat format = info.pcmFormat();
        Path recordingWaveform = outputDir.resolve(name + "-recording" + WaveformFile.SUFFIX);
        List<PendingOneShot> pending = new ArrayList<>();
        try (PcmSpool spool = new PcmSpool(format, request.scratchDir())) {
            WaveformBuilder waveform = new WaveformBuilder(format);
            RecordingAnalysis analysis = timings.time(
                    Timings.DECODE,
                    () -> decodeInto(
                            decoder, recording, format, spool, waveform, expectedFrames(info, format), listener));
            RecordingInfo decoded = new RecordingInfo(
                    info.codec(),
                    format.sampleRate(),
                    format.channels(),
                    Math.round(format.millisFor(analysis.frames())));
            log.atInfo()
                    .addKeyValue("codec", decoded.codec())
                    .addKeyValue("sampleRate", format.sampleRate())
                    .addKeyValue("channels", format.channels())
                    .addKeyValue("durationMs", decoded.durationMs())
                    .log("Recording decoded");

            Detection detection = timings.time(Timings.ANALYZE, () -> detect(analysis, params));
            List<OneShotCut> cuts = timings.time(Timings.ANALYZE, () -> plan(detection, analysis, spool, params));
            log.atInfo()
                    .addKeyValue("noiseFloorDbfs", round(detection.noiseFloorDbfs()))
                    .addKeyValue("thresholdDbfs", round(detection.thresholdDbfs()))
                    .addKeyValue("sounds", detection.sounds().size())
                    .addKeyValue("oneShots", cuts.size())
                    .log("Sounds found");

            LoudnessNormalizer normalizer =
                    new LoudnessNormalizer(params.targetDbfs(), params.normalizeAudio(), params.normalizeTo());
            List<WaveformFile.Cut> marks = new ArrayList<>();
            for (OneShotCut cut : cuts) {
                int index = pending.size() + 1;
                String oneShotName = name + "-" + index;
                pending.add(new PendingOneShot(
                        index,
                        cut,
                        outputDir.resolve(
                                oneShotName + "." + request.outputType().extension()),
                        outputDir.resolve(oneShotName + WaveformFile.SUFFIX)));
                marks.add(new WaveformFile.Cut(
                        index,
                        round(format.millisFor(cut.startFrame())),
                        round(format.millisFor(cut.onsetFrame())),
                        round(format.millisFor(cut.endFrame()))));
            }
            WaveformFile.write(recordingWaveform, waveform.finish(), marks);
            OneShotWriter writer = new OneShotWriter(encoder, request.outputType(), analysis, spool, normalizer);
            AtomicInteger made = new AtomicInteger();
            List<Produced> produced = timings.time(
                    Timings.ENCODE,
                    () -> ParallelBatches.encodeAll(pending, writer, new PeakCeiling(encoder), oneShot -> {
                        listener.ready(oneShot);
                        listener.progress(0.5 + 0.5 * made.incrementAndGet() / pending.size());
                    }));
            DetectionSummary summary = new DetectionSummary(
                    params.silenceThreshold().mode(), round(detection.noiseFloorDbfs()),
                    round(detection.thresholdDbfs()), detection.sounds().size());
            return new Output(decoded, summary, produced, recordingWaveform);
        } catch (IOException | UncheckedIOException e) {
            deleteAll(pending, recordingWaveform);
            throw WorkerException.of(
                    FailureReason.WORK_FILES, "Work files could not be read or written: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteAll(pending, recordingWaveform);
            throw e;
        }
    }

    /**
     * Decodes the recording into the spool and analyses it on the way, in one pass. The analyzer's
     * working buffers end with this method, so they are not held while the one-shots are encoded.
     */
    private static RecordingAnalysis decodeInto(
            FfmpegDecoder decoder,
            Path recording,
            PcmFormat format,
            PcmSpool spool,
            WaveformBuilder waveform,
            long expectedFrames,
            Listener listener) {
        RecordingAnalyzer analyzer = new RecordingAnalyzer(format);
        long maxFrames = format.framesFor(MAX_RECORDING_MINUTES * 60_000.0);
        decoder.decode(recording, format, (samples, frames) -> {
            if (spool.frames() + frames > maxFrames) {
                throw WorkerException.of(
                        FailureReason.TOO_LONG, "The recording is longer than " + MAX_RECORDING_MINUTES + " minutes");
            }
            analyzer.accept(samples, frames);
            spool.accept(samples, frames);
            waveform.accept(samples, frames);
            listener.progress(0.5 * Math.min(1, spool.frames() / (double) expectedFrames));
        });
        return analyzer.finish();
    }

    /** The probed length in frames, at least 1: what "half done" is measured against while decoding. */
    private static long expectedFrames(RecordingInfo info, PcmFormat format) {
        return Math.max(1, format.framesFor((double) info.durationMs()));
    }

    private static Detection detect(RecordingAnalysis analysis, ProcessingParams params) {
        if (analysis.frames() == 0) {
            throw WorkerException.of(FailureReason.NOT_AUDIO, "The recording contains no audio samples");
        }
        LevelDetector detector =
                new LevelDetector(params.silenceThreshold().fixedDbfs(), params.minSilenceMs(), params.splitMode());
        Detection detection = detector.detect(analysis);
        if (detection.sounds().isEmpty()) {
            throw WorkerException.of(
                    FailureReason.NO_SOUND,
                    String.format(
                            Locale.ROOT,
                            "No sound found: the recording holds only silence or steady background noise "
                                    + "(noise floor %.1f dBFS, threshold %.1f dBFS)",
                            detection.noiseFloorDbfs(),
                            detection.thresholdDbfs()));
        }
        return detection;
    }

    private static List<OneShotCut> plan(
            Detection detection, RecordingAnalysis analysis, PcmSpool spool, ProcessingParams params) {
        CutPlanner planner = new CutPlanner(params.keepSilenceMs(), MAX_ONE_SHOT_MILLIS);
        try {
            return params.createOneShot() ? planner.plan(detection, analysis, spool) : List.of(planner.whole(analysis));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A half-finished set of one-shots must not look like a finished one. */
    private static void deleteAll(List<PendingOneShot> oneShots, Path recordingWaveform) {
        List<Path> files = new ArrayList<>(List.of(recordingWaveform));
        oneShots.forEach(oneShot -> files.addAll(List.of(oneShot.file, oneShot.waveform)));
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.atWarn().addKeyValue("file", file.toString()).log("Could not delete partial output");
            }
        }
    }

    /** Figures as the result reports them: two decimals. */
    public static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
