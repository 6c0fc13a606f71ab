package app.littlebit.worker.quality;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.demo.SynthKit;
import app.littlebit.worker.pipeline.ProcessingParams;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality floors, measured like docs/quality.md measures them, on a smaller corpus: phone-like
 * AAC takes of hits 1 to 2.5 s apart, soft and loud, quiet and noisy rooms, hum, mono and stereo,
 * 44.1 and 48 kHz, cut by the real pipeline with the app's defaults (M4A in, M4A out).
 */
class CorpusQualityTest {
    private static final int TAKES = 10;
    private static Score worker;
    private static Score seed;

    @TempDir
    static Path dir;

    @BeforeAll
    static void cutTheCorpus() {
        List<CorpusTake> corpus = Corpus.phoneTakes("floors", new SynthKit(), TAKES, 31);
        List<QualityLab.TakeResult> results =
                QualityLab.run(corpus, new WorkerRunner(ProcessingParams.defaults(), AudioFileType.M4A), dir);
        worker = QualityLab.total(results, QualityLab.TakeResult::workerScore);
        seed = QualityLab.total(results, QualityLab.TakeResult::seedScore);
    }

    @Test
    void everySoundGetsAOneShotOfItsOwn() {
        assertAll(
                () -> assertTrue(worker.recall() >= 0.95, "recall " + worker.recall()),
                () -> assertTrue(
                        worker.merged() <= worker.sounds() / 50, "one-shots holding two sounds " + worker.merged()),
                () -> assertTrue(
                        worker.falseOneShots() <= worker.sounds() / 50, "false one-shots " + worker.falseOneShots()));
    }

    @Test
    void noAttackIsCutAndTailsRunIntoTheFloor() {
        assertAll(
                () -> assertEquals(0, worker.attacksCut(), "attacks cut"),
                () -> assertTrue(worker.tailCutRate() <= 0.02, "tails cut: " + worker.tailsCut()),
                () -> assertTrue(worker.medianPreRollMillis() <= 5, "median pre-roll " + worker.medianPreRollMillis()));
    }

    @Test
    void noFileClips() {
        assertEquals(0, worker.clipped());
        assertTrue(worker.maxPeakDbfs() <= -0.9, "peak " + worker.maxPeakDbfs());
    }

    /** The same scorer marks the seed's algorithm down: it is not lenient. */
    @Test
    void theSeedAlgorithmFailsTheSameFloors() {
        assertTrue(seed.recall() < 0.5, "seed recall " + seed.recall());
        assertTrue(seed.tailCutRate() > 0.5, "seed tails cut " + seed.tailCutRate());
    }
}
