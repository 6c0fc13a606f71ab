package app.littlebit.worker.audio;

import java.util.List;

/**
 * How loud a recording's background gets between its sounds: the level distant talk or music
 * under the take reaches where no sound is, over 5 ms. A sound's onset search leaves out a lead-in
 * that stays under it ({@link OnsetLocator}): talk running on into a syllable is no louder there
 * than it was between the syllables. Read once the sounds are known; the detector's own check of
 * a lead-in, before that, compares it with the candidates it dropped as background.
 */
final class BackgroundCeiling {
    /**
     * The ceiling is this percentile of the 5 ms levels between the sounds, not their loudest: one
     * stray window (a reverb's last ring, a sound the detector left out) would lift it over a
     * sound's own soft start. Measured on the tuning half (1296 sounds): pre-rolls over 20 ms
     * 42 → 30 at the 99.5th and 99.8th percentiles with nothing else moved; 33 at the 99th, 39 at
     * the 95th (under most of the talk); the loudest window gave 26 but cut three attacks (a kick
     * in reverb by 8 ms, its take's loudest stray window 15 dB over the room).
     */
    static final double PERCENTILE = 0.995;
    /**
     * Blocks this close to a sound's onset search or its tail's end are left out: they may hold its
     * start or its last ring. Chosen, not tuned.
     */
    static final double MARGIN_MILLIS = 50;
    /**
     * With less background than this between the sounds, how loud it gets is not known: 200 windows
     * of 5 ms, so the {@link #PERCENTILE} leaves the loudest one out. At 200 ms the tuning half
     * had one Wesnoth cry over talk 104 → 56 ms early, from a take whose ceiling was its loudest
     * window; the other pre-rolls and both halves' counts were the same.
     */
    static final double MIN_BACKGROUND_MILLIS = 1_000;

    private BackgroundCeiling() {}

    /**
     * Which blocks lie between the sounds: away from each one's onset search and tail end by
     * {@link #MARGIN_MILLIS}, and not among the recording's first and last {@code edgeBlocks}.
     *
     * @param blockMillis how long a block is
     */
    static boolean[] betweenSounds(int blocks, List<DetectedSound> sounds, int edgeBlocks, double blockMillis) {
        boolean[] between = new boolean[blocks];
        for (int b = edgeBlocks; b < blocks - edgeBlocks; b++) {
            between[b] = true;
        }
        int margin = (int) Math.ceil(MARGIN_MILLIS / blockMillis);
        for (DetectedSound sound : sounds) {
            int to = Math.min(blocks - 1, sound.tailEndBlock() + margin);
            for (int b = Math.max(0, sound.searchFromBlock() - margin); b <= to; b++) {
                between[b] = false;
            }
        }
        return between;
    }

    /**
     * The ceiling of one band in dBFS, or {@link BlockLevels#SILENCE_DB} when too little lies
     * between the sounds.
     *
     * @param blockMeanSquares the band's mean square per analysis block
     * @param between          the blocks between the sounds ({@link #betweenSounds})
     * @param blockMillis      how long a block is
     */
    static double dbfs(float[] blockMeanSquares, boolean[] between, double blockMillis) {
        float[] background = BlockLevels.masked(blockMeanSquares, between);
        if (background.length < MIN_BACKGROUND_MILLIS / blockMillis) {
            return BlockLevels.SILENCE_DB;
        }
        return BlockLevels.toDb(BlockLevels.percentile(background, PERCENTILE));
    }
}
