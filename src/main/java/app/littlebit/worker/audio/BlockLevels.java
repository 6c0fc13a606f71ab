package app.littlebit.worker.audio;

import java.util.Arrays;

/**
 * The energy of a recording's analysis blocks, averaged over windows of a few blocks and read in
 * dB. Prefix sums make any window's mean a subtraction, so every level is O(1).
 */
final class BlockLevels {
    static final double SILENCE_DB = -120;

    private final double[] prefix;

    BlockLevels(float[] blockMeanSquares) {
        prefix = new double[blockMeanSquares.length + 1];
        for (int b = 0; b < blockMeanSquares.length; b++) {
            prefix[b + 1] = prefix[b] + blockMeanSquares[b];
        }
    }

    int blocks() {
        return prefix.length - 1;
    }

    /** Mean square of blocks [from, to), clipped to the recording. */
    double meanSquare(int from, int to) {
        int a = Math.max(0, from);
        int b = Math.min(blocks(), to);
        return b <= a ? 0 : Math.max(0, prefix[b] - prefix[a]) / (b - a);
    }

    /**
     * For every block b, the level in dB of the window of {@code width} blocks starting at b +
     * offset. Floats: a millionth of a dB is precision enough, and an hour of 5 ms blocks is
     * 3 MB a window instead of 6.
     */
    float[] windowed(int offset, int width) {
        float[] levels = new float[blocks()];
        for (int b = 0; b < levels.length; b++) {
            levels[b] = (float) toDb(meanSquare(b + offset, b + offset + width));
        }
        return levels;
    }

    static double toDb(double meanSquare) {
        return meanSquare <= 0 ? SILENCE_DB : Math.max(SILENCE_DB, 10 * Math.log10(meanSquare));
    }

    /** The values whose mask is set, in order. */
    static float[] masked(float[] values, boolean[] mask) {
        int count = 0;
        for (boolean b : mask) {
            count += b ? 1 : 0;
        }
        float[] selected = new float[count];
        for (int b = 0, i = 0; b < mask.length; b++) {
            if (mask[b]) {
                selected[i++] = values[b];
            }
        }
        return selected;
    }

    static double percentile(float[] values, double fraction) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
    }

    static double max(float[] values) {
        double max = SILENCE_DB;
        for (float value : values) {
            max = Math.max(max, value);
        }
        return max;
    }
}
