package app.littlebit.worker.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Finds sounds where the level rises above a threshold, and separates them by silent gaps and, in
 * {@link SplitMode#ONSETS}, by new attacks.
 *
 * <p>The noise floor is a low percentile of the recording's short-term level. The threshold is the
 * user's fixed level or, by default, adaptive: a margin above the floor, wider when the noise
 * itself fluctuates, but never more than a set range below the loudest sound. So soft hits in a
 * quiet room and loud hits in a noisy room are both found, and steady hum or hiss alone, which
 * sits at the floor, never is.
 *
 * <p>Sounds are found on 10 ms windows, short enough for a soft closed hi-hat to stand out, long
 * enough to hold a whole period of mains hum's energy so hum reads as a steady floor. Tails are
 * followed on 25 ms windows, which ride over a low note's ripple.
 */
public final class LevelDetector implements SoundDetector {
    static final double NOISE_FLOOR_PERCENTILE = 0.10;
    /** The floor's own spread is read from how far below it the quietest 1% of windows fall. */
    static final double NOISE_SPREAD_PERCENTILE = 0.01;
    static final double MIN_OPEN_ABOVE_FLOOR_DB = 6;
    /** The threshold stays this many spreads above the floor, so fluctuating noise is not a sound. */
    static final double OPEN_ABOVE_FLOOR_SPREADS = 4;
    static final double MAX_RANGE_BELOW_LOUDEST_DB = 50;
    /** A tail has sunk into the floor when its level, sound and noise together, is this close to it. */
    static final double TAIL_ABOVE_FLOOR_DB = 2;
    static final double TAIL_RANGE_DB = 60;
    static final int DETECTION_BLOCKS = 2;
    static final int TAIL_BLOCKS = 5;
    /**
     * A tail has ended once its level stays down this long: longer than the dips of a low note
     * beating against mains hum of nearly the same pitch.
     */
    static final double TAIL_HOLD_MILLIS = 100;
    /** How far before the first loud window an onset may lie (a slow swell). */
    static final double MAX_ONSET_SEARCH_MILLIS = 100;
    /** Fewer loud windows than this are a tick of the phone or room, not a sound. */
    static final int MIN_LOUD_WINDOWS = 2;
    /**
     * A lossy file's first and last frames ring with the step from digital silence into the room's
     * noise and back; what lies wholly within them is the recording starting or stopping.
     */
    static final double EDGE_MILLIS = 50;
    /** Quiet audio kept before an onset search so the planner can measure what precedes the attack. */
    static final int BACKGROUND_BLOCKS = 2;

    private final Optional<Double> fixedThresholdDbfs;
    private final double minSilenceMillis;
    private final SplitMode splitMode;

    /**
     * @param fixedThresholdDbfs the user's threshold, or empty for an adaptive one
     * @param minSilenceMillis   the shortest gap that separates two sounds
     * @param splitMode          whether a new attack also separates two sounds
     */
    public LevelDetector(Optional<Double> fixedThresholdDbfs, double minSilenceMillis, SplitMode splitMode) {
        this.fixedThresholdDbfs = fixedThresholdDbfs;
        this.minSilenceMillis = minSilenceMillis;
        this.splitMode = splitMode;
    }

    @Override
    public Detection detect(RecordingAnalysis analysis) {
        BlockLevels blocks = new BlockLevels(analysis.blockMeanSquares());
        if (blocks.blocks() == 0) {
            return new Detection(BlockLevels.SILENCE_DB, 0, List.of());
        }
        double blockMillis = analysis.format().millisFor(analysis.blockFrames());
        double[] detection = blocks.windowed(0, DETECTION_BLOCKS);
        double[] tail = blocks.windowed(-TAIL_BLOCKS / 2, TAIL_BLOCKS);
        double floor = BlockLevels.percentile(tail, NOISE_FLOOR_PERCENTILE);
        double detectionFloor = BlockLevels.percentile(detection, NOISE_FLOOR_PERCENTILE);
        double spread = detectionFloor - BlockLevels.percentile(detection, NOISE_SPREAD_PERCENTILE);
        double loudest = Arrays.stream(detection).max().orElse(BlockLevels.SILENCE_DB);
        double threshold = fixedThresholdDbfs.orElse(Math.max(
                detectionFloor + Math.max(MIN_OPEN_ABOVE_FLOOR_DB, OPEN_ABOVE_FLOOR_SPREADS * spread),
                loudest - MAX_RANGE_BELOW_LOUDEST_DB));

        Levels levels = new Levels(detection, tail, threshold, floor, (int) Math.ceil(TAIL_HOLD_MILLIS / blockMillis),
                new AttackFinder(blocks, blockMillis, detection, threshold));
        int edgeBlocks = (int) Math.ceil(EDGE_MILLIS / blockMillis);
        List<Segment> segments = segments(levels, (int) Math.ceil(minSilenceMillis / blockMillis)).stream()
                .filter(s -> s.lastLoud() >= edgeBlocks && s.first() < blocks.blocks() - edgeBlocks)
                .toList();
        int[] searchFrom = new int[segments.size()];
        int maxSearchBlocks = (int) Math.ceil(MAX_ONSET_SEARCH_MILLIS / blockMillis);
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment.afterAttack()) {
                // The window before the steepest rise is the earlier sound's decay: the attack follows it.
                searchFrom[i] = segment.first() - AttackFinder.GAP_BLOCKS - BACKGROUND_BLOCKS;
            } else {
                int earliest = i == 0 ? 0 : segments.get(i - 1).lastLoud() + 1;
                searchFrom[i] = onsetSearchStart(detection, segment.first(),
                        Math.max(earliest, segment.first() - maxSearchBlocks), floor);
            }
        }
        List<DetectedSound> sounds = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            int limit = i + 1 < segments.size() ? searchFrom[i + 1] : blocks.blocks();
            int tailEnd = levels.tailEnd(segment.lastLoud(), segment.peak(), limit);
            sounds.add(new DetectedSound(searchFrom[i], segment.first(), tailEnd, segment.peak()));
        }
        return new Detection(floor, threshold, sounds);
    }

    /**
     * A stretch of the recording holding one sound.
     *
     * @param first       the block where its attack was found
     * @param lastLoud    its last block at or above the threshold
     * @param peak        its loudest tail-window level
     * @param afterAttack whether it starts at a new attack in an earlier sound's decay, not after silence
     */
    private record Segment(int first, int lastLoud, double peak, boolean afterAttack) {
    }

    /**
     * The recording's levels and the rules read off them.
     *
     * @param detection  10 ms levels, which find sounds
     * @param tail       25 ms levels, which follow decays
     * @param holdBlocks how long a decay must stay in the floor to have ended
     */
    private record Levels(double[] detection, double[] tail, double threshold, double floor, int holdBlocks,
                          AttackFinder attacks) {
        int blocks() {
            return detection.length;
        }

        boolean loud(int b) {
            return detection[b] >= threshold;
        }

        int nextLoud(int from) {
            int b = from;
            while (b < blocks() && !loud(b)) {
                b++;
            }
            return b;
        }

        /** Where a sound of the given peak has sunk into the floor (or 60 dB under its peak). */
        double tailLevel(double peak) {
            return Math.max(floor + TAIL_ABOVE_FLOOR_DB, peak - TAIL_RANGE_DB);
        }

        /** The last block of the decay, once it has stayed down at the tail level for the hold time. */
        int tailEnd(int lastLoud, double peak, int limit) {
            int end = lastLoud;
            double level = tailLevel(peak);
            for (int b = lastLoud + 1; b < limit && b - end <= holdBlocks; b++) {
                if (tail[b] > level) {
                    end = b;
                }
            }
            return end;
        }
    }

    /** The sounds, one after another, each followed from its attack until what ends it. */
    private List<Segment> segments(Levels levels, int minSilenceBlocks) {
        List<Segment> segments = new ArrayList<>();
        int first = levels.nextLoud(0);
        boolean afterAttack = false;
        while (first < levels.blocks()) {
            int lastLoud = first;
            double peak = levels.tail()[first];
            int lastAbove = first;
            int next = levels.blocks();
            boolean nextAfterAttack = false;
            for (int b = first + 1; b < levels.blocks(); b++) {
                if (splitMode == SplitMode.ONSETS && b - first >= levels.attacks().minSpacingBlocks()
                        && levels.attacks().isAttack(b)) {
                    next = levels.attacks().steepestFrom(b);
                    nextAfterAttack = true;
                    break;
                }
                if (levels.loud(b)) {
                    lastLoud = b;
                    peak = Math.max(peak, levels.tail()[b]);
                }
                if (levels.loud(b) || levels.tail()[b] > levels.tailLevel(peak)) {
                    lastAbove = b;
                }
                boolean ended = splitMode == SplitMode.ONSETS
                        ? b - lastAbove > levels.holdBlocks()
                        : b - lastLoud >= minSilenceBlocks;
                if (ended) {
                    next = levels.nextLoud(b);
                    break;
                }
            }
            if (loudWindows(levels, first, lastLoud) >= MIN_LOUD_WINDOWS) {
                segments.add(new Segment(first, lastLoud, peak, afterAttack));
            }
            first = next;
            afterAttack = nextAfterAttack;
        }
        return segments;
    }

    private static int loudWindows(Levels levels, int from, int to) {
        int count = 0;
        for (int b = from; b <= to; b++) {
            count += levels.loud(b) ? 1 : 0;
        }
        return count;
    }

    /**
     * Walks back from the first loud window while the level is still rising out of the floor, then
     * keeps a little of the floor before it.
     */
    private static int onsetSearchStart(double[] levels, int firstLoud, int limit, double floor) {
        int b = firstLoud;
        while (b > limit && levels[b - 1] > floor + TAIL_ABOVE_FLOOR_DB) {
            b--;
        }
        return Math.max(limit, b - BACKGROUND_BLOCKS);
    }
}
