package app.littlebit.worker.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.support.InMemoryPcm;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a detected sound becomes a sample-accurate cut. */
class CutPlannerTest {
    private static final PcmFormat MONO = new PcmFormat(44_100, 1);

    /**
     * A sound the detector heard at 1 s, its onset searched for from 100 ms before, whose rise the
     * search never sees clearly ({@link UnclearStart}: its attack comes 40 ms later, after the
     * search has ended). Its one-shot starts at its soft start, found from where the detector heard
     * it; from the search's start, it began 100 ms early.
     */
    @Test
    void aSoundWithNoClearRiseInItsSearchIsCutAtItsSoftStart() throws IOException {
        long heard = MONO.framesFor(1_000);
        long attack = heard + MONO.framesFor(40);
        float[] samples = UnclearStart.take(MONO, heard, attack, MONO.framesFor(3_000));
        RecordingAnalyzer analyzer = new RecordingAnalyzer(MONO);
        analyzer.accept(samples, samples.length);
        RecordingAnalysis analysis = analyzer.finish();
        int heardBlock = analysis.blockOf(heard);
        int searchBlocks = (int) Math.round(LevelDetector.MAX_ONSET_SEARCH_MILLIS / RecordingAnalyzer.BLOCK_MILLIS);
        Detection detection = new Detection(
                UnclearStart.ROOM_DBFS,
                UnclearStart.NOISE_SPREAD_DB,
                UnclearStart.NOISE_SPREAD_DB,
                UnclearStart.ROOM_DBFS + 6,
                List.of(new DetectedSound(heardBlock - searchBlocks, heardBlock, analysis.blockOf(attack) + 100, -20)),
                BlockLevels.SILENCE_DB,
                BlockLevels.SILENCE_DB);

        List<OneShotCut> cuts = new CutPlanner(0, 10_000).plan(detection, analysis, new InMemoryPcm(samples, MONO));

        assertEquals(1, cuts.size());
        long softStart = heard - MONO.framesFor(UnclearStart.SOFT_START_MILLIS);
        double earlyMillis = MONO.millisFor(softStart - cuts.get(0).onsetFrame());
        assertTrue(earlyMillis >= 4 && earlyMillis <= 10, "starts " + earlyMillis + " ms before its soft start");
    }
}
