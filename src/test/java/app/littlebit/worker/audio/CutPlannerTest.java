package app.littlebit.worker.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.support.InMemoryPcm;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How a detected sound becomes a sample-accurate cut. */
class CutPlannerTest {
    private static final PcmFormat MONO = new PcmFormat(44_100, 1);
    private static final double ROOM_DBFS = -60;

    /**
     * A sound the detector heard at 1 s, after a search start 100 ms back, whose attack comes only
     * 40 ms later, past the end of the onset search: within the search, nothing rises clearly over
     * the room. Its one-shot starts where the detector heard it, not where the search began (a
     * spoken "go" over faint talk whose vowel came late began 102 ms early that way).
     */
    @Test
    void aSoundWithNoClearRiseInItsSearchIsCutWhereItWasHeard() throws IOException {
        Random random = new Random(3);
        float[] samples = new float[(int) MONO.framesFor(3_000)];
        long heard = MONO.framesFor(1_000);
        long attack = heard + MONO.framesFor(40);
        for (int f = 0; f < samples.length; f++) {
            double x = random.nextGaussian() * Math.pow(10, ROOM_DBFS / 20);
            if (f >= heard && f < attack) {
                x += random.nextGaussian() * Math.pow(10, (ROOM_DBFS - 6) / 20);
            } else if (f >= attack) {
                x += random.nextGaussian() * 0.1 * Math.exp(-(f - attack) / 8_000.0);
            }
            samples[f] = (float) x;
        }
        RecordingAnalyzer analyzer = new RecordingAnalyzer(MONO);
        analyzer.accept(samples, samples.length);
        RecordingAnalysis analysis = analyzer.finish();
        int heardBlock = analysis.blockOf(heard);
        int searchBlocks = (int) Math.round(LevelDetector.MAX_ONSET_SEARCH_MILLIS / RecordingAnalyzer.BLOCK_MILLIS);
        Detection detection = new Detection(
                ROOM_DBFS,
                0.5,
                0.5,
                ROOM_DBFS + 6,
                List.of(new DetectedSound(heardBlock - searchBlocks, heardBlock, analysis.blockOf(attack) + 100, -20)));

        List<OneShotCut> cuts = new CutPlanner(0, 10_000).plan(detection, analysis, new InMemoryPcm(samples, MONO));

        assertEquals(1, cuts.size());
        double earlyMillis = MONO.millisFor(
                analysis.blockStartFrame(heardBlock) - cuts.get(0).onsetFrame());
        assertTrue(earlyMillis >= 0 && earlyMillis <= 10, "starts " + earlyMillis + " ms before it was heard");
    }
}
