package app.littlebit.worker.quality;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.pipeline.ProcessingParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality floors, held on the lab's validation half: sounds from sources the detector was
 * never tuned on (LMMS's samples, the TimGM6mb soundfont, other espeak-ng languages), other seeds,
 * coloured and drifting room noise, reverb, faint music and speech under the hits, quick
 * follow-ups. Half of each family's takes, cut by the real pipeline with the app's defaults (M4A in,
 * M4A out). docs/quality.md has the whole half and the tuning half.
 *
 * <p>The sounds come from Debian packages that {@code scripts/install-lab-sounds.sh} installs
 * (.ci/run runs it); without them this test fails and says so, rather than hold floors on nothing.
 */
class ValidationQualityTest {
    /** The families the validation half must have, so a missing package cannot shrink it silently. */
    private static final int FAMILIES = 7;
    /**
     * Floors just under what this test measured on 2026-12-02, after the spectral flux's early
     * entries were checked against the level (recall 0.989, precision 0.978: 3 false and 1 merged
     * of 178, no attack cut, tails cut 1 of 174, median pre-roll 4.1 ms), so a loss of two sounds,
     * or two more junk one-shots, fails it. Precision, attacks and tails are held at issue 10's
     * goals (0.97, none, 2 %), which this half now meets. A cut attack that was quieter than the
     * room (masked, as the whole half's one cut is) is left to docs/quality.md, so a codec build
     * that moves such a cut by a ms does not fail it.
     */
    private static final double RECALL_FLOOR = 0.98;

    private static final double PRECISION_FLOOR = 0.97;
    private static final int ATTACKS_CUT_CEILING = 0;
    private static final double TAILS_CUT_CEILING = 0.02;
    private static Score worker;

    @TempDir
    static Path dir;

    @BeforeAll
    static void cutHalfTheValidationHalf() {
        List<LabCorpora.Family> families = LabCorpora.validation(0.5);
        if (families.size() < FAMILIES) {
            fail("the validation half has " + families.size() + " of its " + FAMILIES
                    + " families: run scripts/install-lab-sounds.sh (see the messages above)");
        }
        List<CorpusTake> takes = new ArrayList<>();
        for (LabCorpora.Family family : families) {
            takes.addAll(family.takes().get());
        }
        WorkerRunner runner = new WorkerRunner(ProcessingParams.defaults(), AudioFileType.M4A);
        worker = QualityLab.total(QualityLab.run(takes, List.of(runner), dir), r -> r.score(0));
    }

    @Test
    void everySoundAndNothingElseGetsAOneShot() {
        assertAll(
                () -> assertTrue(worker.recall() >= RECALL_FLOOR, "recall " + worker.recall()),
                () -> assertTrue(
                        worker.precision() >= PRECISION_FLOOR,
                        "precision " + worker.precision() + ": " + worker.falseOneShots() + " false, " + worker.merged()
                                + " merged of " + worker.oneShots()));
    }

    @Test
    void attacksAndTailsAreWhole() {
        assertAll(
                () -> assertTrue(
                        worker.attacksCut() - worker.attacksCutMasked() <= ATTACKS_CUT_CEILING,
                        "attacks cut " + worker.attacksCut() + ", " + worker.attacksCutMasked() + " of them masked"),
                () -> assertTrue(
                        worker.tailCutRate() <= TAILS_CUT_CEILING,
                        "tails cut " + worker.tailsCut() + " of " + worker.found()),
                () -> assertTrue(worker.medianPreRollMillis() <= 5, "median pre-roll " + worker.medianPreRollMillis()));
    }

    @Test
    void noFileClips() {
        assertEquals(0, worker.clipped());
        assertTrue(worker.maxPeakDbfs() <= -0.9, "peak " + worker.maxPeakDbfs());
    }
}
