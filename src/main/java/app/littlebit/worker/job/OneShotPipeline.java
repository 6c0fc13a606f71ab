package app.littlebit.worker.job;

import app.littlebit.worker.WorkerException;
import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.CutPlanner;
import app.littlebit.worker.audio.Detection;
import app.littlebit.worker.audio.LevelDetector;
import app.littlebit.worker.audio.Loudness;
import app.littlebit.worker.audio.LoudnessNormalizer;
import app.littlebit.worker.audio.OneShotCut;
import app.littlebit.worker.audio.OneShotShaper;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.PcmSpool;
import app.littlebit.worker.audio.RecordingAnalysis;
import app.littlebit.worker.audio.RecordingAnalyzer;
import app.littlebit.worker.audio.RecordingInfo;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audio work of a job, with no knowledge of where the recording came from or where the
 * one-shots go: probe, decode and analyse in one streaming pass, find the sounds, then cut, shape,
 * normalize and encode each one-shot in turn, holding only one in memory at a time.
 */
public final class OneShotPipeline {
    private static final Logger log = LoggerFactory.getLogger(OneShotPipeline.class);
    static final double MAX_ONE_SHOT_MILLIS = 10_000;
    /** Longer than any take a musician would upload; stops a tiny file that decodes to days of audio. */
    static final long MAX_RECORDING_MINUTES = 120;
    private static final int MAX_CEILING_ATTEMPTS = 6;
    private static final double CEILING_MARGIN_DB = 0.25;

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
     */
    public record Output(RecordingInfo recording, JobResult.DetectionSummary detection, List<Produced> oneShots) {
    }

    /** A one-shot file written to the work folder, with its place in the recording and its levels. */
    public record Produced(int index, Path file, AudioFileType type, OneShotCut cut, PcmFormat format,
                           Loudness loudness) {
        public OneShot toOneShot() {
            try {
                return new OneShot(null, null, file.toString(), index, round(format.millisFor(cut.startFrame())),
                        round(format.millisFor(cut.endFrame())), round(format.millisFor(cut.frames())),
                        round(loudness.peakDbfs()), round(loudness.truePeakDbfs()),
                        round(loudness.rmsDbfs()), round(loudness.gainDb()), Files.size(file),
                        type.extension());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * @param scratchDir private folder for the decoded audio
     * @param outputDir  where the one-shot files are written, named {@code <name>-<index>.<ext>}
     */
    public Output run(Path recording, AudioFileType outputType, ProcessingParams params, Path scratchDir,
                      Path outputDir, String name, Timings timings) {
        RecordingInfo probed = timings.time(Timings.DECODE, () -> decoder.probe(recording));
        PcmFormat format = probed.pcmFormat();
        try (PcmSpool spool = new PcmSpool(format, scratchDir)) {
            RecordingAnalyzer analyzer = new RecordingAnalyzer(format);
            long maxFrames = format.framesFor(MAX_RECORDING_MINUTES * 60_000.0);
            timings.time(Timings.DECODE, () -> decoder.decode(recording, format, (samples, frames) -> {
                if (spool.frames() + frames > maxFrames) {
                    throw WorkerException.badData("The recording is longer than " + MAX_RECORDING_MINUTES
                            + " minutes");
                }
                analyzer.accept(samples, frames);
                spool.accept(samples, frames);
            }));
            RecordingAnalysis analysis = analyzer.finish();
            RecordingInfo decoded = new RecordingInfo(probed.codec(), format.sampleRate(), format.channels(),
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

            LoudnessNormalizer normalizer = new LoudnessNormalizer(params.targetDbfs(), params.normalizeAudio());
            List<Produced> produced = new ArrayList<>();
            try {
                for (OneShotCut cut : cuts) {
                    int index = produced.size() + 1;
                    Path file = outputDir.resolve(name + "-" + index + "." + outputType.extension());
                    produced.add(timings.time(Timings.ENCODE, () -> {
                        float[] samples = shape(cut, analysis, spool);
                        Loudness loudness = normalizer.normalize(samples, format.channels(), outputType.lossy());
                        return new Produced(index, file, outputType, cut, format,
                                encodeUnderCeiling(samples, format, outputType, file, loudness));
                    }));
                }
            } catch (RuntimeException e) {
                deleteAll(produced);
                throw e;
            }
            JobResult.DetectionSummary summary = new JobResult.DetectionSummary(
                    params.adaptiveThreshold() ? "adaptive" : "fixed", round(detection.noiseFloorDbfs()),
                    round(detection.thresholdDbfs()), detection.sounds().size());
            return new Output(decoded, summary, produced);
        } catch (IOException | UncheckedIOException e) {
            throw WorkerException.internal("Work files could not be read or written: " + e.getMessage(), e);
        }
    }

    /**
     * Lossy codecs add their own overshoot on top of the true peak, so the encoded file is decoded
     * and measured; if it went over the ceiling, the one-shot is turned down by the excess and
     * encoded again. The peak reported is the one a player will see.
     */
    private Loudness encodeUnderCeiling(float[] samples, PcmFormat format, AudioFileType type, Path file,
                                        Loudness loudness) {
        encoder.encode(samples, format, type, file);
        if (!type.lossy()) {
            return loudness;
        }
        Loudness current = loudness;
        for (int attempt = 0; ; attempt++) {
            double decodedPeak = decodedPeakDbfs(file, format);
            double excess = decodedPeak - LoudnessNormalizer.PEAK_CEILING_DBFS;
            if (excess <= 0 || attempt == MAX_CEILING_ATTEMPTS) {
                return new Loudness(current.gainDb(), current.rmsDbfs(), decodedPeak, current.truePeakDbfs());
            }
            // The codec's overshoot moves a little with every encode, so each retry backs off further.
            double reduction = excess + CEILING_MARGIN_DB * (attempt + 1);
            float gain = (float) Math.pow(10, -reduction / 20);
            for (int i = 0; i < samples.length; i++) {
                samples[i] *= gain;
            }
            current = new Loudness(current.gainDb() - reduction, current.rmsDbfs() - reduction,
                    current.peakDbfs() - reduction, current.truePeakDbfs() - reduction);
            encoder.encode(samples, format, type, file);
        }
    }

    private double decodedPeakDbfs(Path file, PcmFormat format) {
        double[] peak = {0};
        decoder.decode(file, format, (samples, frames) -> {
            for (int i = 0; i < frames * format.channels(); i++) {
                peak[0] = Math.max(peak[0], Math.abs(samples[i]));
            }
        });
        return 20 * Math.log10(Math.max(peak[0], 1e-9));
    }

    private static Detection detect(RecordingAnalysis analysis, ProcessingParams params) {
        if (analysis.frames() == 0) {
            throw WorkerException.badData("The recording contains no audio samples");
        }
        LevelDetector detector = new LevelDetector(
                params.adaptiveThreshold() ? Optional.empty() : params.silenceThresholdDbfs(),
                params.minSilenceMs());
        Detection detection = detector.detect(analysis);
        if (detection.sounds().isEmpty()) {
            throw WorkerException.badData(String.format(Locale.ROOT,
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

    private static float[] shape(OneShotCut cut, RecordingAnalysis analysis, PcmSpool spool) {
        try {
            return OneShotShaper.shape(cut, analysis, spool);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A half-finished set of one-shots must not look like a finished one. */
    private static void deleteAll(List<Produced> produced) {
        for (Produced oneShot : produced) {
            try {
                Files.deleteIfExists(oneShot.file());
            } catch (IOException e) {
                log.atWarn().addKeyValue("file", oneShot.file().toString()).log("Could not delete partial output");
            }
        }
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
