package app.littlebit.worker.quality;

import app.littlebit.worker.audio.CutPlanner;
import app.littlebit.worker.audio.Detection;
import app.littlebit.worker.audio.LevelDetector;
import app.littlebit.worker.audio.OneShotCut;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.RecordingAnalysis;
import app.littlebit.worker.audio.RecordingAnalyzer;
import app.littlebit.worker.audio.SplitMode;
import app.littlebit.worker.support.InMemoryPcm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The worker's detection and cut planning run on samples in memory, without FFmpeg: fast enough
 * for many small, exact unit tests (no codec between the truth and the cutter).
 */
public final class DirectCutter implements Cutter {
    private final Optional<Double> fixedThresholdDbfs;
    private final double minSilenceMillis;
    private final SplitMode splitMode;
    private final double keepSilenceMillis;

    public DirectCutter(
            Optional<Double> fixedThresholdDbfs,
            double minSilenceMillis,
            SplitMode splitMode,
            double keepSilenceMillis) {
        this.fixedThresholdDbfs = fixedThresholdDbfs;
        this.minSilenceMillis = minSilenceMillis;
        this.splitMode = splitMode;
        this.keepSilenceMillis = keepSilenceMillis;
    }

    /** The worker's defaults: adaptive threshold, 750 ms minimum silence, onsets, 50 ms kept. */
    public static DirectCutter defaults() {
        return new DirectCutter(Optional.empty(), 750, SplitMode.ONSETS, 50);
    }

    public List<OneShotCut> cut(float[] interleaved, PcmFormat format) {
        RecordingAnalysis analysis = analysed(interleaved, format);
        Detection detection = detect(analysis);
        try {
            return new CutPlanner(keepSilenceMillis, 10_000)
                    .plan(detection, analysis, new InMemoryPcm(interleaved, format));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the detector heard each sound (its first loud window's first frame), before any onset search. */
    public List<Long> heardFrames(float[] interleaved, PcmFormat format) {
        RecordingAnalysis analysis = analysed(interleaved, format);
        return detect(analysis).sounds().stream()
                .map(sound -> analysis.blockStartFrame(sound.firstLoudBlock()))
                .toList();
    }

    private static RecordingAnalysis analysed(float[] interleaved, PcmFormat format) {
        RecordingAnalyzer analyzer = new RecordingAnalyzer(format);
        analyzer.accept(interleaved, interleaved.length / format.channels());
        return analyzer.finish();
    }

    private Detection detect(RecordingAnalysis analysis) {
        return new LevelDetector(fixedThresholdDbfs, minSilenceMillis, splitMode).detect(analysis);
    }

    @Override
    public String name() {
        return "this worker, cut points only";
    }

    @Override
    public List<Slice> cut(
            java.nio.file.Path recording, float[] decoded, PcmFormat format, java.nio.file.Path workDir) {
        return slices(decoded, format);
    }

    /** The cuts as the scorer sees them (peaks are the recording's own: no gain is applied here). */
    public List<Slice> slices(float[] interleaved, PcmFormat format) {
        return cut(interleaved, format).stream()
                .map(c -> new Slice(
                        c.startFrame(),
                        c.startFrame() + c.fadeInFrames(),
                        c.endFrame(),
                        c.fadeOutFrames(),
                        0,
                        0,
                        false))
                .toList();
    }
}
