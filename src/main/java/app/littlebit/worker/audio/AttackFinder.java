package app.littlebit.worker.audio;

/**
 * Recognises a new hit while an earlier sound still rings: the energy of the next 10 ms jumps well
 * above that of 25 ms a little before, and past the loudest the ringing sound was just before.
 * Both windows are long enough that a low tone's own ripple never looks like an attack; the 10 ms
 * left out between them is where the attack builds up (and where a lossy codec smears its
 * pre-echo), so the jump is measured whole.
 */
final class AttackFinder {
    static final int AHEAD_BLOCKS = 2;
    static final int BEHIND_BLOCKS = 5;
    static final int GAP_BLOCKS = 2;
    /** A hit must rise this much over what still rings; a sound's own flutter stays well below it. */
    static final double MIN_RISE_DB = 9;

    /** How far back, before the gap, the decay's recent loudest 10 ms is looked for: 50 ms. */
    static final int RECENT_BLOCKS = 10;
    /**
     * A hit must also pass that recent loudest 10 ms by this much. Measured on the tuning half:
     * 3 dB took 3 false one-shots out of reverb tails and syllables, 6 dB one more, with no sound
     * lost; a second hit 120 ms after the first is past the 50 ms and rises far more. Once Sonic
     * Pi's samples had joined, a tom's tail beating in a 1.8 s reverb came back 6.2 dB over its
     * dip's 50 ms and was cut off as a new sound: 7, 7.5 and 8 dB left it whole with nothing else
     * changed; 9 dB split a spoken "ki" and gave two more false one-shots in syllable takes.
     */
    static final double MIN_OVER_RECENT_PEAK_DB = 7.5;
    /**
     * No new sound within this long of an attack: the bursts of a clap, a flam or a rattle belong
     * to the hit that started them, and so does the vowel after a spoken consonant (40 to 70 ms
     * after the burst of "pa" or "ka" in the tuning half's espeak-ng voices, 80 to 100 ms after the
     * start of a hissed "ch": at 100 ms one "cha" of the tuning half split). A second hit comes
     * later: the lab's quickest follow-ups are 120 ms.
     */
    static final double MIN_SPACING_MILLIS = 110;
    /**
     * Where an attack is first seen, its steepest rise may still come this much later: a lossy
     * codec smears pre-echo over up to one frame (21 to 23 ms at 44.1 and 48 kHz) before it. Not
     * longer, or a spoken "ta" is taken from its vowel and not from its burst.
     */
    static final double STEEPEST_WITHIN_MILLIS = 30;

    private final BlockLevels levels;
    private final float[] detectionLevels;
    private final double threshold;

    /** @param detectionLevels the detector's levels: an attack must reach the threshold on them */
    AttackFinder(BlockLevels levels, float[] detectionLevels, double threshold) {
        this.levels = levels;
        this.detectionLevels = detectionLevels;
        this.threshold = threshold;
    }

    /** Whether a new sound starts at block b. */
    boolean isAttack(int b) {
        return detectionLevels[b] >= threshold
                && riseDb(b) >= MIN_RISE_DB
                && overRecentPeakDb(b) >= MIN_OVER_RECENT_PEAK_DB;
    }

    /**
     * How far the next 10 ms rise over the loudest 10 ms of the 50 ms before the gap: a decay that
     * beats (a low tom's tail in reverb, over brown noise) dips and comes back to where it was, a
     * new hit goes past it.
     */
    private double overRecentPeakDb(int b) {
        double ahead = levels.meanSquare(b, b + AHEAD_BLOCKS);
        double recent = 0;
        for (int from = b - GAP_BLOCKS - RECENT_BLOCKS; from < b - GAP_BLOCKS; from++) {
            recent = Math.max(recent, levels.meanSquare(from, Math.min(b - GAP_BLOCKS, from + AHEAD_BLOCKS)));
        }
        return BlockLevels.toDb(ahead) - BlockLevels.toDb(recent);
    }

    /** The rise, in dB, of the energy from the 25 ms that end 10 ms before block b to the 10 ms from it. */
    double riseDb(int b) {
        return BlockLevels.toDb(levels.meanSquare(b, b + AHEAD_BLOCKS))
                - BlockLevels.toDb(levels.meanSquare(b - GAP_BLOCKS - BEHIND_BLOCKS, b - GAP_BLOCKS));
    }
}
