package app.littlebit.worker.audio;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns detected sounds into sample-accurate cuts: the onset is found on the samples themselves,
 * a short pre-roll with a fade-in goes before it, and the tail runs until the sound has decayed
 * into the noise floor, plus the silence the user wants kept, then fades out.
 */
public final class CutPlanner {
    static final double PRE_ROLL_MILLIS = 2;
    static final double FADE_OUT_MILLIS = 10;
    /** Window over which the onset's energy must clear the floor: short enough for sample accuracy. */
    static final double ONSET_WINDOW_MILLIS = 1;
    static final double ONSET_ABOVE_FLOOR_DB = 6;

    private final double keepSilenceMillis;
    private final double maxOneShotMillis;

    public CutPlanner(double keepSilenceMillis, double maxOneShotMillis) {
        this.keepSilenceMillis = keepSilenceMillis;
        this.maxOneShotMillis = maxOneShotMillis;
    }

    /** One cut per detected sound, sounds longer than the maximum split into pieces. */
    public List<OneShotCut> plan(Detection detection, RecordingAnalysis analysis, PcmSource pcm)
            throws IOException {
        PcmFormat format = analysis.format();
        List<DetectedSound> sounds = detection.sounds();
        List<Long> onsets = new ArrayList<>();
        for (DetectedSound sound : sounds) {
            onsets.add(findOnset(sound, detection.noiseFloorDbfs(), analysis, pcm));
        }
        long preRoll = format.framesFor(PRE_ROLL_MILLIS);
        List<OneShotCut> cuts = new ArrayList<>();
        for (int i = 0; i < sounds.size(); i++) {
            long onset = onsets.get(i);
            long previousEnd = cuts.isEmpty() ? 0 : cuts.get(cuts.size() - 1).endFrame();
            long start = Math.max(previousEnd, onset - preRoll);
            long limit = i + 1 < sounds.size() ? onsets.get(i + 1) - preRoll : analysis.frames();
            long tailEnd = analysis.blockStartFrame(sounds.get(i).tailEndBlock() + 1);
            long end = Math.min(limit, tailEnd + format.framesFor(keepSilenceMillis));
            end = Math.max(end, Math.min(limit, onset + format.framesFor(FADE_OUT_MILLIS)));
            splitIfTooLong(start, onset, end, format, cuts);
        }
        return cuts;
    }

    /** The whole recording as a single cut, for when the app asks for no one-shots. */
    public OneShotCut whole(RecordingAnalysis analysis) {
        PcmFormat format = analysis.format();
        return new OneShotCut(0, 0, analysis.frames(), 0,
                (int) Math.min(analysis.frames(), format.framesFor(FADE_OUT_MILLIS)));
    }

    private void splitIfTooLong(long start, long onset, long end, PcmFormat format, List<OneShotCut> cuts) {
        long maxFrames = format.framesFor(maxOneShotMillis);
        int fadeOut = (int) format.framesFor(FADE_OUT_MILLIS);
        int fadeIn = (int) (onset - start);
        for (long pieceStart = start; pieceStart < end; pieceStart += maxFrames) {
            long pieceEnd = Math.min(end, pieceStart + maxFrames);
            boolean first = pieceStart == start;
            // A piece cut out of a sound that never stops needs its own short fade-in to stay click-free.
            int pieceFadeIn = first ? fadeIn : (int) format.framesFor(PRE_ROLL_MILLIS);
            cuts.add(new OneShotCut(pieceStart, first ? onset : pieceStart, pieceEnd, pieceFadeIn,
                    (int) Math.min(fadeOut, pieceEnd - pieceStart)));
        }
    }

    /**
     * The first frame from which a short window's energy clears the noise floor. A window starting
     * at the onset already holds the attack, so the frame found is at or just before it, never after.
     */
    private long findOnset(DetectedSound sound, double floorDbfs, RecordingAnalysis analysis, PcmSource pcm)
            throws IOException {
        PcmFormat format = analysis.format();
        int channels = format.channels();
        long from = analysis.blockStartFrame(sound.searchFromBlock());
        long to = analysis.blockStartFrame(sound.firstLoudBlock() + LevelDetector.WINDOW_BLOCKS);
        float[] samples = pcm.read(from, (int) (to - from));
        int frames = samples.length / channels;
        int window = (int) Math.max(1, format.framesFor(ONSET_WINDOW_MILLIS));
        double threshold = window * Math.pow(10, (floorDbfs + ONSET_ABOVE_FLOOR_DB) / 10);
        double[] power = new double[frames];
        double[] dc = analysis.dcOffsets();
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                double x = samples[f * channels + c] - dc[c];
                sum += x * x;
            }
            power[f] = sum / channels;
        }
        double energy = 0;
        for (int f = 0; f < Math.min(window, frames); f++) {
            energy += power[f];
        }
        for (int f = 0; f + window <= frames; f++) {
            if (energy > threshold) {
                return from + f;
            }
            if (f + window < frames) {
                energy += power[f + window] - power[f];
            }
        }
        return analysis.blockStartFrame(sound.firstLoudBlock());
    }
}
