package app.littlebit.worker.audio;

import java.util.List;

/**
 * How loud a recording's background gets between its sounds: the level distant talk or music
 * under the take reaches where no sound is, over 5 ms. A sound's onset search leaves out a lead-in
 * that stays under it ({@link OnsetLocator}): talk running on into a syllable is no louder there
 * than it was between the syllables.
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
    /** With less background than this between the sounds, how loud it gets is not known. Chosen, not tuned. */
    static final double MIN_BACKGROUND_MILLIS = 200;

    private BackgroundCeiling() {}

    /**
     * The ceiling of one band in dBFS, or {@link BlockLevels#SILENCE_DB} when too little lies
     * between the sounds.
     *
     * @param blockMeanSquares the band's mean square per analysis block
     * @param edgeBlocks       blocks at either end of the recording left out (its start and stop)
     */
    static double dbfs(float[] blockMeanSquares, List<DetectedSound> sounds, int edgeBlocks) {
        boolean[] between = new boolean[blockMeanSquares.length];
        int margin = blocksFor(MARGIN_MILLIS);
        for (int b = edgeBlocks; b < between.length - edgeBlocks; b++) {
            between[b] = true;
        }
        for (DetectedSound sound : sounds) {
            int to = Math.min(between.length - 1, sound.tailEndBlock() + margin);
            for (int b = Math.max(0, sound.searchFromBlock() - margin); b <= to; b++) {
                between[b] = false;
            }
        }
        int count = 0;
        for (boolean b : between) {
            count += b ? 1 : 0;
        }
        if (count < blocksFor(MIN_BACKGROUND_MILLIS)) {
            return BlockLevels.SILENCE_DB;
        }
        float[] levels = new float[count];
        for (int b = 0, i = 0; b < between.length; b++) {
            if (between[b]) {
                levels[i++] = (float) BlockLevels.toDb(blockMeanSquares[b]);
            }
        }
        return BlockLevels.percentile(levels, PERCENTILE);
    }

    private static int blocksFor(double millis) {
        return (int) Math.ceil(millis / RecordingAnalyzer.BLOCK_MILLIS);
    }
}
