package app.littlebit.worker.audio;

import java.util.Optional;

/**
 * One frequency band of a recording as the detector reads it: its noise floor, the threshold a
 * sound must reach in it, whether a block is loud or still ringing, and where new attacks are.
 *
 * <p>The floor is a low percentile of the band's short-term level. The adaptive threshold sits a
 * margin above it, wider when the noise itself fluctuates, but never more than a set range below
 * the band's loudest sound: so soft hits in a quiet room and loud hits in a noisy room are both
 * found, and steady hum or hiss alone, which sits at the floor, never is.
 *
 * <p>Sounds are found on short windows: 20 ms on the full band, a whole period of 50 Hz hum (and
 * more than one of 60 Hz) so hum reads as a steady floor; 10 ms above the hum, short enough for a
 * soft closed hi-hat to stand out. Tails are followed on 25 ms windows, which ride over a low
 * note's ripple.
 */
final class Band {
    static final int FULL_BAND_DETECTION_BLOCKS = 4;
    static final int HIGH_BAND_DETECTION_BLOCKS = 2;
    static final int TAIL_BLOCKS = 5;
    static final int SHORT_BLOCKS = 2;
    static final double NOISE_FLOOR_PERCENTILE = 0.10;
    /** The floor's own spread is read from how far below it the quietest 1% of windows fall. */
    static final double NOISE_SPREAD_PERCENTILE = 0.01;

    static final double MIN_OPEN_ABOVE_FLOOR_DB = 6;
    /** The threshold stays this many spreads above the floor, so fluctuating noise is not a sound. */
    static final double OPEN_ABOVE_FLOOR_SPREADS = 4;

    static final double MAX_RANGE_BELOW_LOUDEST_DB = 50;
    /** A tail has sunk into the floor when its level, sound and noise together, is this close to it. */
    static final double TAIL_ABOVE_FLOOR_DB = 2;
    /**
     * A band silent this long before it turns loud has a new sound in it, however gently that
     * sound swells in, even while another band still rings with the last one (a clap after a bass
     * note, over the note's dying fundamental).
     */
    static final int SILENT_BEFORE_ATTACK_BLOCKS = 8;

    private final BlockLevels levels;
    private final float[] detection;
    private final float[] tail;
    private final double floor;
    private final double shortSpread;
    private final double threshold;
    private final double backgroundSwingDb;
    private final AttackFinder attacks;

    /** The level at which a band finds sounds. */
    private sealed interface Threshold permits Adaptive, Fixed, FindsNone {
        static Threshold fixedOrAdaptive(Optional<Double> fixedDbfs) {
            return fixedDbfs.<Threshold>map(Fixed::new).orElseGet(Adaptive::new);
        }
    }

    /** A margin above the band's own floor. */
    private record Adaptive() implements Threshold {}

    /** The user's level, in dBFS. */
    private record Fixed(double dbfs) implements Threshold {}

    /** None: the band only follows tails or tells attacks, and finds no sounds of its own. */
    private record FindsNone() implements Threshold {}

    /** @param lowestFloor the floor is taken as no lower than this */
    private Band(float[] blockMeanSquares, int detectionBlocks, Threshold threshold, double lowestFloor) {
        levels = new BlockLevels(blockMeanSquares);
        detection = levels.windowed(0, detectionBlocks);
        tail = levels.windowed(-TAIL_BLOCKS / 2, TAIL_BLOCKS);
        floor = Math.max(lowestFloor, BlockLevels.percentile(tail, NOISE_FLOOR_PERCENTILE));
        double detectionFloor = Math.max(lowestFloor, BlockLevels.percentile(detection, NOISE_FLOOR_PERCENTILE));
        double spread = spread(detection);
        shortSpread = spread(levels.windowed(0, SHORT_BLOCKS));
        double loudest = BlockLevels.max(detection);
        if (threshold instanceof Fixed fixed) {
            this.threshold = fixed.dbfs();
        } else if (threshold instanceof FindsNone) {
            this.threshold = Double.POSITIVE_INFINITY; // no level is loud
        } else {
            this.threshold = Math.max(
                    detectionFloor + Math.max(MIN_OPEN_ABOVE_FLOOR_DB, OPEN_ABOVE_FLOOR_SPREADS * spread),
                    loudest - MAX_RANGE_BELOW_LOUDEST_DB);
        }
        attacks = new AttackFinder(levels, detection, this.threshold);
        backgroundSwingDb = 0;
    }

    /** The same band with another threshold, over a background that swings so far. */
    private Band(Band band, double threshold, double backgroundSwingDb) {
        this.backgroundSwingDb = backgroundSwingDb;
        levels = band.levels;
        detection = band.detection;
        tail = band.tail;
        floor = band.floor;
        shortSpread = band.shortSpread;
        this.threshold = threshold;
        attacks = new AttackFinder(levels, detection, threshold);
    }

    /**
     * The band with its threshold raised, if need be, over what the background itself reaches: its
     * given percentile plus a margin that grows with how far the background swings (that
     * percentile over its 10th). The floor's percentiles say where the noise sits; this says how
     * high it swings, which for pink and brown rooms, or a room whose noise drifts, is far more
     * than the floor's spread suggests. Steady hiss swings about 1 dB: for it the floor's own
     * threshold stays the higher.
     *
     * @param background which blocks hold no sound
     */
    Band aboveBackground(boolean[] background, double percentile, double marginDb, double marginPerSwingDb) {
        float[] noise = BlockLevels.masked(detection, background);
        if (noise.length == 0) {
            return this;
        }
        double high = BlockLevels.percentile(noise, percentile);
        double swing = high - BlockLevels.percentile(noise, NOISE_FLOOR_PERCENTILE);
        return new Band(this, Math.max(threshold, high + marginDb + marginPerSwingDb * swing), swing);
    }

    /** The full band with a threshold of its own, or the user's. */
    static Band full(float[] blockMeanSquares, Optional<Double> fixedThresholdDbfs) {
        return new Band(
                blockMeanSquares,
                FULL_BAND_DETECTION_BLOCKS,
                Threshold.fixedOrAdaptive(fixedThresholdDbfs),
                BlockLevels.SILENCE_DB);
    }

    /**
     * The band above the hum with a threshold of its own, its floor taken as no lower than the
     * given level: under it the band holds only what no one would hear beneath the room's own noise
     * (a codec's hiss, the last harmonics of hum a high-pass lets through), which can flicker.
     */
    static Band high(float[] blockMeanSquares, double lowestFloorDbfs) {
        return new Band(blockMeanSquares, HIGH_BAND_DETECTION_BLOCKS, new Adaptive(), lowestFloorDbfs);
    }

    /**
     * The band under a held note's body: it finds no sounds of its own (the full band does) but
     * tells where a kick starts while a note or a cymbal still rings. With the user's threshold,
     * only the full band decides, so this band stays silent.
     */
    static Band lowAttacksOnly(float[] blockMeanSquares, boolean fixedThreshold) {
        return new Band(
                blockMeanSquares,
                FULL_BAND_DETECTION_BLOCKS,
                fixedThreshold ? new FindsNone() : new Adaptive(),
                BlockLevels.SILENCE_DB);
    }

    /** The band above the hum, finding no sounds itself but telling when a tail has died away in it. */
    static Band highTailsOnly(float[] blockMeanSquares) {
        return new Band(blockMeanSquares, HIGH_BAND_DETECTION_BLOCKS, new FindsNone(), BlockLevels.SILENCE_DB);
    }

    int blocks() {
        return detection.length;
    }

    double floor() {
        return floor;
    }

    /** How much the band's noise level fluctuates over 10 ms, in dB. */
    double shortSpread() {
        return shortSpread;
    }

    double threshold() {
        return threshold;
    }

    /**
     * How far the background's level swings, from its floor to the percentile the threshold was
     * checked against, in dB: a fraction of a dB for steady hiss, several for pink and brown
     * rooms, far more when something goes on in the background (a voice, music).
     */
    double backgroundSwingDb() {
        return backgroundSwingDb;
    }

    private static double spread(float[] levels) {
        return BlockLevels.percentile(levels, NOISE_FLOOR_PERCENTILE)
                - BlockLevels.percentile(levels, NOISE_SPREAD_PERCENTILE);
    }

    boolean loud(int block) {
        return detection[block] >= threshold;
    }

    /** The level the band finds sounds on, over the window from the block. */
    double level(int block) {
        return detection[block];
    }

    /** The 25 ms level around the block. */
    double tailLevel(int block) {
        return tail[block];
    }

    /** Whether a sound is still audible above this band's floor at the block. */
    boolean ringing(int block) {
        return tail[block] > floor + TAIL_ABOVE_FLOOR_DB;
    }

    /** Whether the 10 ms from the block are still at the floor, with nothing rising out of it. */
    boolean quiet(int block) {
        return detection[block] <= floor + TAIL_ABOVE_FLOOR_DB;
    }

    /** Whether a new sound starts in this band at the block: a sharp rise, or any sound out of silence. */
    boolean attackAt(int block) {
        return loud(block) && (attacks.isAttack(block) || silentBefore(block));
    }

    private boolean silentBefore(int block) {
        // The last tail window that does not yet reach into the block.
        int last = block - TAIL_BLOCKS / 2 - 1;
        for (int b = last - SILENT_BEFORE_ATTACK_BLOCKS + 1; b <= last; b++) {
            if (b < 0 || ringing(b)) {
                return false;
            }
        }
        return true;
    }

    double riseDb(int block) {
        return attacks.riseDb(block);
    }
}
