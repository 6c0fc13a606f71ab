package app.littlebit.worker.audio;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns detected sounds into sample-accurate cuts: the onset is found on the samples themselves,
 * a short pre-roll with a fade-in goes before it, and the tail runs until the sound has decayed
 * into the noise floor; the fade-out starts only after that, and the silence the user wants kept
 * follows it. A sound cut short by the next one's attack fades out just before it.
 */
public final class CutPlanner {
    /** Pre-roll before the onset, all of it a fade-in: long enough to be click-free, short enough to be no dead air. */
    static final double PRE_ROLL_MILLIS = 1;

    static final double FADE_OUT_MILLIS = 10;
    /**
     * The onset is searched up to this far past the start of the first loud window: the window is
     * loud because it holds the attack, so the attack lies within it, and a little beyond for luck.
     */
    static final int ONSET_SEARCH_BLOCKS_PAST_LOUD = Band.FULL_BAND_DETECTION_BLOCKS + 3;

    private final double keepSilenceMillis;
    private final double maxOneShotMillis;

    public CutPlanner(double keepSilenceMillis, double maxOneShotMillis) {
        this.keepSilenceMillis = keepSilenceMillis;
        this.maxOneShotMillis = maxOneShotMillis;
    }

    /** One cut per detected sound, sounds longer than the maximum split into pieces. */
    public List<OneShotCut> plan(Detection detection, RecordingAnalysis analysis, PcmSource pcm) throws IOException {
        PcmFormat format = analysis.format();
        List<DetectedSound> sounds = detection.sounds();
        OnsetLocator locator = new OnsetLocator(analysis, pcm, detection);
        List<Long> onsets = new ArrayList<>();
        for (DetectedSound sound : sounds) {
            long from = analysis.blockStartFrame(sound.searchFromBlock());
            long heardFrom = analysis.blockStartFrame(sound.firstLoudBlock());
            long to = Math.min(
                    analysis.frames(),
                    analysis.blockStartFrame(sound.firstLoudBlock() + ONSET_SEARCH_BLOCKS_PAST_LOUD));
            onsets.add(locator.locate(from, heardFrom, to));
        }
        long preRoll = format.framesFor(PRE_ROLL_MILLIS);
        long fadeOut = format.framesFor(FADE_OUT_MILLIS);
        // The tail's level is measured over a window centred on its last block: the sound can reach
        // to the window's far edge.
        int tailReachBlocks = Band.TAIL_BLOCKS / 2 + 1;
        List<OneShotCut> cuts = new ArrayList<>();
        for (int i = 0; i < sounds.size(); i++) {
            long onset = onsets.get(i);
            long previousEnd = cuts.isEmpty() ? 0 : cuts.get(cuts.size() - 1).endFrame();
            long start = Math.max(previousEnd, onset - preRoll);
            long limit = i + 1 < sounds.size() ? onsets.get(i + 1) - preRoll : analysis.frames();
            long decayed = Math.min(
                    analysis.frames(), analysis.blockStartFrame(sounds.get(i).tailEndBlock() + tailReachBlocks));
            long end = Math.min(limit, decayed + fadeOut + format.framesFor(keepSilenceMillis));
            end = Math.max(end, Math.min(limit, onset + fadeOut));
            splitIfTooLong(start, onset, end, format, cuts);
        }
        return cuts;
    }

    /** The whole recording as a single cut, for when the app asks for no one-shots. */
    public OneShotCut whole(RecordingAnalysis analysis) {
        PcmFormat format = analysis.format();
        return new OneShotCut(
                0, 0, analysis.frames(), 0, (int) Math.min(analysis.frames(), format.framesFor(FADE_OUT_MILLIS)));
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
            cuts.add(new OneShotCut(pieceStart, first ? onset : pieceStart, pieceEnd, pieceFadeIn, (int)
                    Math.min(fadeOut, pieceEnd - pieceStart)));
        }
    }
}
