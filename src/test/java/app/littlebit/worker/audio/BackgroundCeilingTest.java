package app.littlebit.worker.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How loud the background gets between a take's sounds, read where no sound is. */
class BackgroundCeilingTest {
    private static final int EDGE_BLOCKS = 10;

    /** Five seconds of 5 ms blocks at {@code levelDbfs}. */
    private static float[] blocks(double levelDbfs) {
        float[] meanSquares = new float[1_000];
        Arrays.fill(meanSquares, (float) Math.pow(10, levelDbfs / 10));
        return meanSquares;
    }

    private static double ceilingDbfs(float[] meanSquares, List<DetectedSound> sounds) {
        boolean[] between = BackgroundCeiling.betweenSounds(
                meanSquares.length, sounds, EDGE_BLOCKS, RecordingAnalyzer.BLOCK_MILLIS);
        return BackgroundCeiling.dbfs(meanSquares, between, RecordingAnalyzer.BLOCK_MILLIS);
    }

    private static void set(float[] meanSquares, int from, int to, double levelDbfs) {
        Arrays.fill(meanSquares, from, to, (float) Math.pow(10, levelDbfs / 10));
    }

    /**
     * Talk at -55 dBFS in a few blocks between two hits, over a room at -70: the ceiling is the
     * talk's level. The hits, the onset search before each (and a little before it) and their
     * tails up to where they end are no background, nor the recording's first and last blocks.
     */
    @Test
    void isHowLoudTheTalkBetweenTheSoundsGot() {
        float[] meanSquares = blocks(-70);
        set(meanSquares, 0, EDGE_BLOCKS, -40);
        set(meanSquares, 172, 180, -45); // its soft start, just before its onset search
        set(meanSquares, 180, 200, -50); // its soft start, in its onset search
        set(meanSquares, 200, 300, -20);
        set(meanSquares, 300, 360, -45); // its tail, to its end
        set(meanSquares, 500, 530, -55);
        set(meanSquares, 700, 800, -20);
        List<DetectedSound> sounds =
                List.of(new DetectedSound(180, 200, 360, -20), new DetectedSound(690, 700, 800, -20));

        assertEquals(-55, ceilingDbfs(meanSquares, sounds), 0.01);
    }

    /** A single stray window between the sounds (under 0.5 % of them) does not lift the ceiling. */
    @Test
    void aStrayWindowDoesNotLiftIt() {
        float[] meanSquares = blocks(-70);
        meanSquares[500] = (float) Math.pow(10, -30 / 10.0);
        List<DetectedSound> sounds = List.of(new DetectedSound(180, 200, 360, -20));

        assertEquals(-70, ceilingDbfs(meanSquares, sounds), 0.01);
    }

    /** A take that is nearly all sound, 0.8 s between its sounds, leaves too little to tell: no ceiling. */
    @Test
    void isUnknownWithTooLittleBetweenTheSounds() {
        float[] meanSquares = blocks(-70);
        List<DetectedSound> sounds =
                List.of(new DetectedSound(20, 30, 400, -20), new DetectedSound(580, 590, 980, -20));

        assertEquals(BlockLevels.SILENCE_DB, ceilingDbfs(meanSquares, sounds));
    }
}
