package app.littlebit.worker.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Finds sounds where the level rises above a threshold and separates them by silent gaps.
 *
 * <p>The threshold is either the user's fixed level or, by default, adaptive: a margin above the
 * recording's own noise floor (a low percentile of its level), but never more than a set range
 * below its loudest sound. So soft hits in a quiet room and loud hits in a noisy room are both
 * found, and steady hum or hiss alone, which sits at the floor, never is.
 *
 * <p>Levels are RMS over 25 ms windows, which spans a full cycle of mains hum, so hum reads as a
 * steady floor rather than as bursts.
 */
public final class LevelDetector implements SoundDetector {
    static final double NOISE_FLOOR_PERCENTILE = 0.10;
    static final double OPEN_ABOVE_FLOOR_DB = 10;
    static final double MAX_RANGE_BELOW_LOUDEST_DB = 50;
    static final double TAIL_ABOVE_FLOOR_DB = 3;
    static final double TAIL_RANGE_DB = 60;
    static final int WINDOW_BLOCKS = 5;
    /** A tail has ended once the level stays down this long. */
    static final double TAIL_HOLD_MILLIS = 40;
    /** How far before the first loud block an onset may lie. */
    static final double MAX_ONSET_SEARCH_MILLIS = 100;
    /** Shorter bursts than this are ticks of the phone or room, not a sound. */
    static final double MIN_SOUND_MILLIS = 10;
    private static final double SILENCE_DB = -120;

    private final Optional<Double> fixedThresholdDbfs;
    private final double minSilenceMillis;

    /**
     * @param fixedThresholdDbfs the user's threshold, or empty for an adaptive one
     * @param minSilenceMillis   the shortest gap that separates two sounds
     */
    public LevelDetector(Optional<Double> fixedThresholdDbfs, double minSilenceMillis) {
        this.fixedThresholdDbfs = fixedThresholdDbfs;
        this.minSilenceMillis = minSilenceMillis;
    }

    @Override
    public Detection detect(RecordingAnalysis analysis) {
        double[] levels = windowedLevels(analysis.blockMeanSquares());
        if (levels.length == 0) {
            return new Detection(SILENCE_DB, 0, List.of());
        }
        double floor = percentile(levels, NOISE_FLOOR_PERCENTILE);
        double loudest = Arrays.stream(levels).max().orElse(SILENCE_DB);
        double threshold = fixedThresholdDbfs.orElse(
                Math.max(floor + OPEN_ABOVE_FLOOR_DB, loudest - MAX_RANGE_BELOW_LOUDEST_DB));
        double blockMillis = analysis.format().millisFor(analysis.blockFrames());
        List<int[]> runs = loudRuns(levels, threshold, (int) Math.ceil(minSilenceMillis / blockMillis));
        int minLoudBlocks = (int) Math.ceil(MIN_SOUND_MILLIS / blockMillis);
        int holdBlocks = (int) Math.ceil(TAIL_HOLD_MILLIS / blockMillis);
        int maxSearchBlocks = (int) Math.ceil(MAX_ONSET_SEARCH_MILLIS / blockMillis);

        List<DetectedSound> sounds = new ArrayList<>();
        int previousEnd = -1;
        for (int i = 0; i < runs.size(); i++) {
            int first = runs.get(i)[0];
            int last = runs.get(i)[1];
            if (runs.get(i)[2] < minLoudBlocks) {
                continue;
            }
            double peak = max(levels, first, last);
            int nextStart = i + 1 < runs.size() ? runs.get(i + 1)[0] : levels.length;
            double tailLevel = Math.max(floor + TAIL_ABOVE_FLOOR_DB, peak - TAIL_RANGE_DB);
            int tailEnd = tailEnd(levels, last, nextStart, tailLevel, holdBlocks);
            int searchFrom = onsetSearchStart(levels, first, Math.max(previousEnd + 1, first - maxSearchBlocks),
                    floor + TAIL_ABOVE_FLOOR_DB);
            sounds.add(new DetectedSound(searchFrom, first, tailEnd, peak));
            previousEnd = tailEnd;
        }
        return new Detection(floor, threshold, sounds);
    }

    /** Runs of blocks at or above the threshold, joined across gaps shorter than the minimum silence. */
    private static List<int[]> loudRuns(double[] levels, double threshold, int minSilenceBlocks) {
        List<int[]> runs = new ArrayList<>();
        int[] current = null;
        for (int b = 0; b < levels.length; b++) {
            if (levels[b] < threshold) {
                continue;
            }
            if (current != null && b - current[1] - 1 < minSilenceBlocks) {
                current[1] = b;
                current[2]++;
            } else {
                current = new int[] {b, b, 1};
                runs.add(current);
            }
        }
        return runs;
    }

    /** Follows the decay until it has stayed below the tail level for the hold time. */
    private static int tailEnd(double[] levels, int lastLoud, int limit, double tailLevel, int holdBlocks) {
        int end = lastLoud;
        for (int b = lastLoud + 1; b < limit && b - end <= holdBlocks; b++) {
            if (levels[b] > tailLevel) {
                end = b;
            }
        }
        return end;
    }

    /** Walks back from the first loud block while the level is still rising out of the floor. */
    private static int onsetSearchStart(double[] levels, int firstLoud, int limit, double floorLevel) {
        int b = firstLoud;
        while (b > limit && levels[b - 1] > floorLevel) {
            b--;
        }
        return Math.max(limit, b - 2);
    }

    static double[] windowedLevels(float[] meanSquares) {
        double[] levels = new double[meanSquares.length];
        int half = WINDOW_BLOCKS / 2;
        double sum = 0;
        int count = 0;
        for (int b = 0; b < Math.min(half, meanSquares.length); b++) {
            sum += meanSquares[b];
            count++;
        }
        for (int b = 0; b < meanSquares.length; b++) {
            int entering = b + half;
            int leaving = b - half - 1;
            if (entering < meanSquares.length) {
                sum += meanSquares[entering];
                count++;
            }
            if (leaving >= 0) {
                sum -= meanSquares[leaving];
                count--;
            }
            levels[b] = toDb(Math.max(0, sum) / count);
        }
        return levels;
    }

    static double toDb(double meanSquare) {
        return meanSquare <= 0 ? SILENCE_DB : Math.max(SILENCE_DB, 10 * Math.log10(meanSquare));
    }

    static double percentile(double[] values, double fraction) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
    }

    private static double max(double[] values, int from, int to) {
        double max = SILENCE_DB;
        for (int i = from; i <= to; i++) {
            max = Math.max(max, values[i]);
        }
        return max;
    }
}
