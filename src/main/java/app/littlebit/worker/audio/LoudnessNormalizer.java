package app.littlebit.worker.audio;

import java.io.IOException;

/**
 * Brings a one-shot toward a target level, RMS (dBFS) or integrated loudness (LUFS), but never lets
 * its peak above the ceiling: the sample peak for lossless files, the true peak for lossy ones,
 * whose decoders overshoot.
 *
 * <p>Two passes over the recording, each a chunk at a time, so memory does not grow with the
 * one-shot's length: {@link #measure} chooses the gain, {@link #apply} hands on the gained audio.
 */
public final class LoudnessNormalizer {
    public static final double PEAK_CEILING_DBFS = -1;
    /**
     * Lossy one-shots are aimed this far under the ceiling. AAC at 192 kb/s overshoots the true
     * peak of a drum hit by a few tenths of a dB as often as not (measured: 30% of 80 peak-limited
     * one-shots went over -1 dBFS when aimed at it, 5% when aimed 0.5 dB lower), and every one that
     * goes over must be encoded and checked again. The check still guards the ceiling.
     */
    static final double LOSSY_HEADROOM_DB = 0.5;

    private final double target;
    private final boolean raiseToTarget;
    private final NormalizeTo measure;

    /**
     * @param target        target level: dBFS RMS, or LUFS
     * @param raiseToTarget false leaves the level alone except to keep peaks under the ceiling
     * @param measure       what {@code target} is a level of
     */
    public LoudnessNormalizer(double target, boolean raiseToTarget, NormalizeTo measure) {
        this.target = target;
        this.raiseToTarget = raiseToTarget;
        this.measure = measure;
    }

    /**
     * Measures the shaped one-shot and chooses its gain; reports the levels it will have with that
     * gain. The shaped audio, before any gain, is also handed to {@code alsoTo}, so other
     * measurements of the one-shot need no pass of their own.
     */
    public OneShotLevels measure(
            OneShotCut cut, RecordingAnalysis analysis, PcmSource pcm, boolean lossy, PcmConsumer alsoTo)
            throws IOException {
        LoudnessMeter meter = new LoudnessMeter(analysis.format());
        OneShotShaper.shape(cut, analysis, pcm, (samples, frames) -> {
            meter.accept(samples, frames);
            alsoTo.accept(samples, frames);
        });
        return choose(meter.finish(), lossy);
    }

    /** The one place the gain is decided. */
    OneShotLevels choose(LoudnessMeter.Levels levels, boolean lossy) {
        double rms = levels.rmsDbfs();
        double level = measure == NormalizeTo.LUFS ? levels.loudnessLufs() : rms;
        double headroom = lossy
                ? PEAK_CEILING_DBFS - LOSSY_HEADROOM_DB - levels.truePeakDbfs()
                : PEAK_CEILING_DBFS - levels.peakDbfs();
        double wanted = raiseToTarget && level > Double.NEGATIVE_INFINITY ? target - level : 0;
        double gainDb = Math.min(wanted, headroom);
        if (!Double.isFinite(gainDb)) {
            gainDb = 0;
        }
        return new OneShotLevels(
                gainDb,
                rms + gainDb,
                levels.loudnessLufs() + gainDb,
                levels.peakDbfs() + gainDb,
                levels.truePeakDbfs() + gainDb);
    }

    /**
     * Reads and shapes the one-shot again and hands it on, chunk by chunk, with the gain applied:
     * the one {@link #measure} chose, less any turn-down asked for since.
     */
    public static void apply(OneShotCut cut, RecordingAnalysis analysis, PcmSource pcm, double gainDb, PcmConsumer out)
            throws IOException {
        int channels = analysis.format().channels();
        float gain = (float) Math.pow(10, gainDb / 20);
        OneShotShaper.shape(cut, analysis, pcm, (samples, frames) -> {
            int count = frames * channels;
            for (int i = 0; i < count; i++) {
                samples[i] *= gain;
            }
            out.accept(samples, frames);
        });
    }
}
