package app.littlebit.worker.pipeline;

import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.CutPlanner;
import app.littlebit.worker.audio.Detection;
import app.littlebit.worker.audio.LevelDetector;
import app.littlebit.worker.audio.Loudness;
import app.littlebit.worker.audio.LoudnessNormalizer;
import app.littlebit.worker.audio.OneShotCut;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.PcmSpool;
import app.littlebit.worker.audio.Pitch;
import app.littlebit.worker.audio.PitchEstimator;
import app.littlebit.worker.audio.RecordingAnalysis;
import app.littlebit.worker.audio.RecordingAnalyzer;
import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.audio.WaveformBuilder;
import app.littlebit.worker.ffmpeg.FfmpegDecoder;
import app.littlebit.worker.ffmpeg.OneShotEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
    private static final int MAX_CEILING_ATTEMPTS = 6;
    private static final double CEILING_MARGIN_DB = 0.25;
    /** What digital silence reads as, rather than negative infinity. */
    private static final double SILENCE_DBFS = -180;
    /**
     * One-shots per FFmpeg run. A run of its own costs each one-shot about 15 ms more CPU (a process
     * start, FFmpeg's libraries loaded and linked), a sixth of what encoding a typical hit takes;
     * every one-shot in a run keeps an encoder of about 1 MB until the run ends, so runs stay short.
     */
    static final int ONE_SHOTS_PER_BATCH = 16;
    /** Batches encoded at once, at most one per CPU; each is an FFmpeg process of some tens of MB. */
    private static final int MAX_PARALLEL_BATCHES = 4;

    private final FfmpegDecoder decoder;
    private final OneShotEncoder encoder;

    public OneShotPipeline(FfmpegDecoder decoder, OneShotEncoder encoder) {
        this.decoder = decoder;
        this.encoder = encoder;
    }

    /**
     * Everything the pipeline produced.
     *
     * @param recording  the recording as decoded (duration from the decoded length)
     * @param detection  what the detector found
     * @param oneShots   the one-shot files written, in recording order
     * @param recordingWaveform the recording's waveform file, with the cuts
     */
    public record Output(RecordingInfo recording, DetectionSummary detection, List<Produced> oneShots,
                         Path recordingWaveform) {
    }

    /**
     * A one-shot file written to the work folder, with its place in the recording, its levels and
     * pitch, and its waveform file beside it.
     */
    public record Produced(int index, Path file, AudioFileType type, OneShotCut cut, PcmFormat format,
                           Loudness loudness, Pitch pitch, Path waveform) {
    }

    /** Runs the job's audio work; see {@link #run(Path, AudioFileType, ProcessingParams, Path, Path, String, Timings, Consumer, Consumer)}. */
    public Output run(Path recording, AudioFileType outputType, ProcessingParams params, Path scratchDir,
                      Path outputDir, String name, Timings timings) {
        return run(recording, outputType, params, scratchDir, outputDir, name, timings, info -> { }, oneShot -> { });
    }

    /**
     * @param scratchDir private folder for the decoded audio
     * @param outputDir  where the one-shot files are written, named {@code <name>-<index>.<ext>}
     * @param probed     told what the probe found (the recording's length) before decoding starts
     * @param ready      told of each one-shot as soon as its file is final (checked against the
     *                   ceiling), from the encoding threads and in no particular order, so it can
     *                   be uploaded while the rest are made; if the run then fails, the files are
     *                   deleted and the run's exception says why
     */
    public Output run(Path recording, AudioFileType outputType, ProcessingParams params, Path scratchDir,
                      Path outputDir, String name, Timings timings, Consumer<RecordingInfo> probed,
                      Consumer<Produced> ready) {
        RecordingInfo info = timings.time(Timings.DECODE, () -> decoder.probe(recording));
        probed.accept(info);
        PcmFormat format = info.pcmFormat();
        Path recordingWaveform = outputDir.resolve(name + "-recording" + WaveformFile.SUFFIX);
        List<Pending> pending = new ArrayList<>();
        try (PcmSpool spool = new PcmSpool(format, scratchDir)) {
            WaveformBuilder waveform = new WaveformBuilder(format);
            RecordingAnalysis analysis = timings.time(Timings.DECODE,
                    () -> decodeInto(recording, format, spool, waveform));
            RecordingInfo decoded = new RecordingInfo(info.codec(), format.sampleRate(), format.channels(),
                    Math.round(format.millisFor(analysis.frames())));
            log.atInfo().addKeyValue("codec", decoded.codec()).addKeyValue("sampleRate", format.sampleRate())
                    .addKeyValue("channels", format.channels()).addKeyValue("durationMs", decoded.durationMs())
                    .log("Recording decoded");

            Detection detection = timings.time(Timings.ANALYZE, () -> detect(analysis, params));
            List<OneShotCut> cuts = timings.time(Timings.ANALYZE, () -> plan(detection, analysis, spool, params));
            log.atInfo().addKeyValue("noiseFloorDbfs", round(detection.noiseFloorDbfs()))
                    .addKeyValue("thresholdDbfs", round(detection.thresholdDbfs()))
                    .addKeyValue("sounds", detection.sounds().size()).addKeyValue("oneShots", cuts.size())
                    .log("Sounds found");

            LoudnessNormalizer normalizer = new LoudnessNormalizer(params.targetDbfs(), params.normalizeAudio(),
                    params.normalizeTo());
            List<WaveformFile.Cut> marks = new ArrayList<>();
            for (OneShotCut cut : cuts) {
                int index = pending.size() + 1;
                String oneShotName = name + "-" + index;
                pending.add(new Pending(index, cut, outputDir.resolve(oneShotName + "." + outputType.extension()),
                        outputDir.resolve(oneShotName + WaveformFile.SUFFIX)));
                marks.add(new WaveformFile.Cut(index, round(format.millisFor(cut.startFrame())),
                        round(format.millisFor(cut.onsetFrame())), round(format.millisFor(cut.endFrame()))));
            }
            WaveformFile.write(recordingWaveform, waveform.finish(), marks);
            List<Produced> produced = timings.time(Timings.ENCODE,
                    () -> encodeAll(pending, outputType, analysis, spool, normalizer, ready));
            DetectionSummary summary = new DetectionSummary(
                    params.adaptiveThreshold() ? "adaptive" : "fixed", round(detection.noiseFloorDbfs()),
                    round(detection.thresholdDbfs()), detection.sounds().size());
            return new Output(decoded, summary, produced, recordingWaveform);
        } catch (IOException | UncheckedIOException e) {
            deleteAll(pending, recordingWaveform);
            throw WorkerException.of(FailureReason.WORK_FILES, "Work files could not be read or written: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteAll(pending, recordingWaveform);
            throw e;
        }
    }

    /**
     * Decodes the recording into the spool and analyses it on the way, in one pass. The analyzer's
     * working buffers end with this method, so they are not held while the one-shots are encoded.
     */
    private RecordingAnalysis decodeInto(Path recording, PcmFormat format, PcmSpool spool, WaveformBuilder waveform) {
        RecordingAnalyzer analyzer = new RecordingAnalyzer(format);
        long maxFrames = format.framesFor(MAX_RECORDING_MINUTES * 60_000.0);
        decoder.decode(recording, format, (samples, frames) -> {
            if (spool.frames() + frames > maxFrames) {
                throw WorkerException.of(FailureReason.TOO_LONG, "The recording is longer than " + MAX_RECORDING_MINUTES + " minutes");
            }
            analyzer.accept(samples, frames);
            spool.accept(samples, frames);
            waveform.accept(samples, frames);
        });
        return analyzer.finish();
    }

    /**
     * A one-shot on its way to a file: the levels normalization chose, how far the ceiling has
     * turned it down since, its peak as decoded (lossy files), and its pitch.
     */
    private static final class Pending {
        final int index;
        final OneShotCut cut;
        final Path file;
        final Path waveform;
        Loudness chosen;
        Pitch pitch;
        double turnDownDb;
        OptionalDouble decodedPeakDbfs = OptionalDouble.empty();

        Pending(int index, OneShotCut cut, Path file, Path waveform) {
            this.index = index;
            this.cut = cut;
            this.file = file;
            this.waveform = waveform;
        }

        Loudness loudness() {
            Loudness turned = chosen.plus(-turnDownDb);
            return decodedPeakDbfs.isPresent() ? turned.withPeak(decodedPeakDbfs.getAsDouble()) : turned;
        }

        Produced produced(AudioFileType type, PcmFormat format) {
            return new Produced(index, file, type, cut, format, loudness(), pitch, waveform);
        }
    }

    /**
     * Encodes the one-shots a batch at a time: one FFmpeg run writes a whole batch, and for lossy
     * types one more decodes and measures it (see {@link #keepUnderCeiling}). With more than one
     * CPU, batches run side by side, one per CPU (an AAC encoder uses one); on one CPU they run in
     * turn. Only the chunk each batch is handing to FFmpeg is in memory.
     */
    private List<Produced> encodeAll(List<Pending> oneShots, AudioFileType type, RecordingAnalysis analysis,
                                     PcmSpool spool, LoudnessNormalizer normalizer, Consumer<Produced> ready) {
        int workers = Math.min(MAX_PARALLEL_BATCHES, Runtime.getRuntime().availableProcessors());
        // Short takes are split evenly, so that every CPU gets a share.
        int batchSize = Math.min(ONE_SHOTS_PER_BATCH, Math.max(1, (oneShots.size() + workers - 1) / workers));
        ExecutorService pool = Executors.newFixedThreadPool(workers, task -> {
            Thread thread = new Thread(task, "one-shot-encoder");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> batches = new ArrayList<>();
            for (int from = 0; from < oneShots.size(); from += batchSize) {
                List<Pending> batch = oneShots.subList(from, Math.min(oneShots.size(), from + batchSize));
                batches.add(pool.submit(() -> {
                    encode(batch, type, analysis, spool, normalizer);
                    if (type.lossy()) {
                        keepUnderCeiling(batch, type, analysis, spool, normalizer);
                    }
                    batch.forEach(oneShot -> ready.accept(oneShot.produced(type, analysis.format())));
                }));
            }
            for (Future<?> batch : batches) {
                batch.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw WorkerException.of(FailureReason.UNEXPECTED, "Encoding failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw WorkerException.of(FailureReason.STOPPED, "Interrupted while encoding", e);
        } finally {
            // After a failure or a stop, the other batches are interrupted, which kills their FFmpeg;
            // they must be gone before the caller deletes the files they were writing.
            pool.shutdownNow();
            awaitTermination(pool);
        }
        return oneShots.stream().map(o -> o.produced(type, analysis.format())).toList();
    }

    private static void awaitTermination(ExecutorService pool) {
        boolean interrupted = Thread.interrupted();
        try {
            while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                log.atWarn().log("Still waiting for the one-shot encoders to stop");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Cuts, shapes and normalizes each one-shot from the spool, applies the ceiling's turn-downs so
     * far, and streams it to the encoder a chunk at a time, so a one-shot as long as the whole
     * recording takes no more memory than a short one. The gain is chosen by a first pass over the
     * one-shot, once, which also finds its pitch; a retry reads the spool again rather than holding
     * a batch in memory. The waveform is drawn from exactly what goes to the encoder, so it shows
     * the gain the file has.
     */
    private void encode(List<Pending> oneShots, AudioFileType type, RecordingAnalysis analysis, PcmSpool spool,
                        LoudnessNormalizer normalizer) {
        PcmFormat format = analysis.format();
        long[] frames = oneShots.stream().mapToLong(o -> o.cut.frames()).toArray();
        List<Path> files = oneShots.stream().map(o -> o.file).toList();
        List<WaveformBuilder> waveforms = new ArrayList<>();
        try (OneShotEncoder.Batch batch = encoder.batch(format, type, frames, files)) {
            for (Pending oneShot : oneShots) {
                if (oneShot.chosen == null) {
                    PitchEstimator pitch = new PitchEstimator(format, oneShot.cut.onsetFrame() - oneShot.cut.startFrame());
                    oneShot.chosen = normalizer.measure(oneShot.cut, analysis, spool, type.lossy(), pitch);
                    oneShot.pitch = pitch.finish();
                }
                WaveformBuilder waveform = new WaveformBuilder(format);
                waveforms.add(waveform);
                LoudnessNormalizer.apply(oneShot.cut, analysis, spool, oneShot.loudness().gainDb(),
                        (samples, count) -> {
                            waveform.accept(samples, count);
                            batch.add(samples, count * format.channels());
                        });
            }
            batch.finish();
            for (int i = 0; i < oneShots.size(); i++) {
                WaveformFile.write(oneShots.get(i).waveform, waveforms.get(i).finish(), null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lossy codecs add their own overshoot on top of the true peak, so the encoded files are
     * decoded and measured; a one-shot that went over the ceiling is turned down by the excess and
     * encoded again, with the others that did. The peak reported is the one a player will see.
     */
    private void keepUnderCeiling(List<Pending> batch, AudioFileType type, RecordingAnalysis analysis,
                                  PcmSpool spool, LoudnessNormalizer normalizer) {
        List<Pending> unmeasured = batch;
        for (int attempt = 0; !unmeasured.isEmpty(); attempt++) {
            double[] peaks = encoder.decodedPeaksDbfs(unmeasured.stream().map(o -> o.file).toList());
            List<Pending> over = new ArrayList<>();
            for (int i = 0; i < peaks.length; i++) {
                Pending oneShot = unmeasured.get(i);
                double decodedPeak = Math.max(peaks[i], SILENCE_DBFS);
                oneShot.decodedPeakDbfs = OptionalDouble.of(decodedPeak);
                double excess = decodedPeak - LoudnessNormalizer.PEAK_CEILING_DBFS;
                if (excess > 0 && attempt < MAX_CEILING_ATTEMPTS) {
                    // The codec's overshoot moves a little with every encode, so each retry backs off further.
                    oneShot.turnDownDb += excess + CEILING_MARGIN_DB * (attempt + 1);
                    over.add(oneShot);
                }
            }
            if (!over.isEmpty()) {
                encode(over, type, analysis, spool, normalizer);
            }
            unmeasured = over;
        }
    }

    private static Detection detect(RecordingAnalysis analysis, ProcessingParams params) {
        if (analysis.frames() == 0) {
            throw WorkerException.of(FailureReason.NOT_AUDIO, "The recording contains no audio samples");
        }
        LevelDetector detector = new LevelDetector(
                params.adaptiveThreshold() ? Optional.empty() : params.silenceThresholdDbfs(),
                params.minSilenceMs(), params.splitMode());
        Detection detection = detector.detect(analysis);
        if (detection.sounds().isEmpty()) {
            throw WorkerException.of(FailureReason.NO_SOUND, String.format(Locale.ROOT,
                    "No sound found: the recording holds only silence or steady background noise "
                            + "(noise floor %.1f dBFS, threshold %.1f dBFS)",
                    detection.noiseFloorDbfs(), detection.thresholdDbfs()));
        }
        return detection;
    }

    private static List<OneShotCut> plan(Detection detection, RecordingAnalysis analysis, PcmSpool spool,
                                         ProcessingParams params) {
        CutPlanner planner = new CutPlanner(params.keepSilenceMs(), MAX_ONE_SHOT_MILLIS);
        try {
            return params.createOneShot() ? planner.plan(detection, analysis, spool)
                    : List.of(planner.whole(analysis));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A half-finished set of one-shots must not look like a finished one. */
    private static void deleteAll(List<Pending> oneShots, Path recordingWaveform) {
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
