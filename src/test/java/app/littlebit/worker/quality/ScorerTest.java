package app.littlebit.worker.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.demo.SynthesizedTake;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scorer's verdicts on hand-made one-shots, at 1 kHz so frames are milliseconds. */
class ScorerTest {
    private static final PcmFormat FORMAT = new PcmFormat(1_000, 1);
    /** Two sounds: onsets at 1000 and 2000 ms, decaying into the floor at 1500 and 2600 ms; 4 s long. */
    private static final SynthesizedTake TAKE = new SynthesizedTake(
            FORMAT,
            new float[4_000],
            List.of(
                    new SynthesizedTake.Hit("kick", 1_000, 1_500, -6),
                    new SynthesizedTake.Hit("snare", 2_000, 2_600, -12)));

    private static Slice slice(long start, long fullGain, long end, long fadeOut) {
        return new Slice(start, fullGain, end, fadeOut, 0, -1, false);
    }

    @Test
    void cleanOneShotsAreFound() {
        Score score = Scorer.score(TAKE, List.of(slice(997, 998, 1_560, 10), slice(1_998, 1_999, 2_700, 10)));
        assertEquals(2, score.found());
        assertEquals(0, score.attacksCut() + score.tailsCut() + score.merged() + score.falseOneShots());
        assertEquals(List.of(3.0, 2.0), score.preRollsMillis());
    }

    @Test
    void oneShotHoldingBothSoundsIsMergedAndFindsNeither() {
        Score score = Scorer.score(TAKE, List.of(slice(990, 990, 2_700, 10)));
        assertEquals(1, score.merged());
        assertEquals(0, score.found());
    }

    @Test
    void aLateStartOrAFadeOverTheOnsetCutsTheAttack() {
        Score score = Scorer.score(TAKE, List.of(slice(1_003, 1_003, 1_560, 10), slice(1_995, 2_001, 2_700, 10)));
        assertEquals(2, score.found());
        assertEquals(2, score.attacksCut());
    }

    @Test
    void aCutAttackQuieterThanTheBackgroundItCameInOverIsCountedAndNamedMasked() {
        // A steady background; the kick's first 5 ms add less than the background's own power, the
        // snare starts loud. Both one-shots reach full gain 2 to 3 ms after the onset.
        float[] samples = new float[4_000];
        for (int f = 0; f < samples.length; f++) {
            double level = 0.01;
            if (f >= 1_000 && f < 1_500) {
                level += f < 1_005 ? 0.003 : 0.5;
            } else if (f >= 2_000 && f < 2_600) {
                level += 0.05;
            }
            samples[f] = (float) (f % 2 == 0 ? level : -level);
        }
        SynthesizedTake take = new SynthesizedTake(FORMAT, samples, TAKE.hits());
        List<Slice> slices = List.of(slice(1_002, 1_003, 1_560, 10), slice(2_001, 2_002, 2_700, 10));

        Score score = Scorer.score(take, slices);

        assertEquals(2, score.attacksCut());
        assertEquals(1, score.attacksCutMasked(), "only the kick's cut lay under the background");
        assertEquals(
                List.of(
                        "attack cut kick@1.000: full gain from 1.003 s, masked",
                        "attack cut snare@2.000: full gain from 2.002 s"),
                Scorer.problems(take, slices));
    }

    @Test
    void aSoundEnteredLateInTheOneShotBeforeIsNamedWithHowLateAndWhetherMasked() {
        // The kick rings on at 0.05 until the snare; the snare's first 5 ms add 0.005 (masked) or
        // 0.5 (heard) to it. The snare's own one-shot starts 5 ms after its onset.
        List<Slice> slices = List.of(slice(990, 990, 2_005, 10), slice(2_005, 2_006, 2_700, 10));
        for (double snareStart : new double[] {0.005, 0.5}) {
            float[] samples = new float[4_000];
            for (int f = 0; f < samples.length; f++) {
                double level = 0.01;
                if (f >= 1_000 && f < 2_000) {
                    level += f < 1_100 ? 0.5 : 0.05;
                } else if (f >= 2_000 && f < 2_600) {
                    level += 0.05 + (f < 2_005 ? snareStart : 0.5);
                }
                samples[f] = (float) (f % 2 == 0 ? level : -level);
            }
            SynthesizedTake take = new SynthesizedTake(FORMAT, samples, TAKE.hits());

            assertEquals(
                    List.of(
                            "merged 0.990-2.005 s [kick@1.000, snare@2.000]; snare@2.000 entered 5.0 ms late"
                                    + (snareStart < 0.01 ? ", masked" : ""),
                            "false 2.005-2.700 s []"),
                    Scorer.problems(take, slices));
        }
    }

    @Test
    void aSoundWhoseNextOneShotIsAnothersWasNeverSplitOffNotEnteredLate() {
        // A hat 30 ms after the snare has the one-shot that starts 10 ms after the snare's onset.
        List<SynthesizedTake.Hit> hits = new ArrayList<>(TAKE.hits());
        hits.add(new SynthesizedTake.Hit("hat", 2_030, 2_100, -12));
        SynthesizedTake take = new SynthesizedTake(FORMAT, new float[4_000], hits);

        assertEquals(
                List.of("merged 0.990-2.010 s [kick@1.000, snare@2.000]"),
                Scorer.problems(take, List.of(slice(990, 990, 2_010, 10), slice(2_010, 2_011, 2_700, 10))));
    }

    /**
     * A kick whose first 5 ms raise a steady background by the given dB, cut by a one-shot reaching
     * full gain 3 ms after its onset: how many cuts are masked.
     */
    private static int maskedCuts(double riseDb) {
        float[] samples = new float[4_000];
        double background = 0.01;
        for (int f = 0; f < samples.length; f++) {
            double level = background;
            if (f >= 1_000 && f < 1_500) {
                level = f < 1_005 ? background * Math.pow(10, riseDb / 20) : 0.5;
            }
            samples[f] = (float) (f % 2 == 0 ? level : -level);
        }
        SynthesizedTake take = new SynthesizedTake(FORMAT, samples, TAKE.hits().subList(0, 1));
        return Scorer.score(take, List.of(slice(1_002, 1_003, 1_560, 10))).attacksCutMasked();
    }

    @Test
    void aCutIsMaskedUpTo3DbOverTheBackground() {
        assertEquals(1, maskedCuts(2.7));
        assertEquals(0, maskedCuts(3.3));
    }

    @Test
    void aCutAttackDrownedByRumbleButClearAboveTheHumIsNotMasked() {
        // A 10 Hz rumble ten times the power of the kick's first 5 ms, which sit at 500 Hz (a hiss, an "h").
        float[] samples = new float[4_000];
        for (int f = 0; f < samples.length; f++) {
            double hiss = f >= 1_000 && f < 1_500 ? (f < 1_005 ? 0.02 : 0.5) : 0;
            samples[f] = (float) (0.1 * Math.sin(2 * Math.PI * 10 * f / 1_000.0) + (f % 2 == 0 ? hiss : -hiss));
        }
        SynthesizedTake take = new SynthesizedTake(FORMAT, samples, TAKE.hits().subList(0, 1));

        Score score = Scorer.score(take, List.of(slice(1_002, 1_003, 1_560, 10)));

        assertEquals(1, score.attacksCut());
        assertEquals(0, score.attacksCutMasked(), "heard above the hum");
    }

    @Test
    void aFadeOutBeforeTheDecayEndCutsTheTail() {
        Score score = Scorer.score(TAKE, List.of(slice(997, 998, 1_505, 10), slice(1_998, 1_999, 2_700, 10)));
        assertEquals(1, score.tailsCut());
    }

    @Test
    void aSoundStillRingingWhenTheNextStartsNeedOnlyReachNearIt() {
        SynthesizedTake overlapping = new SynthesizedTake(
                FORMAT,
                new float[4_000],
                List.of(
                        new SynthesizedTake.Hit("crash", 1_000, 2_500, -6),
                        new SynthesizedTake.Hit("kick", 2_000, 2_400, -6)));
        Score score = Scorer.score(overlapping, List.of(slice(997, 998, 1_997, 10), slice(1_997, 1_998, 2_500, 10)));
        assertEquals(0, score.tailsCut());
        assertEquals(2, score.found());
    }

    @Test
    void oneShotsWithoutASoundAreFalseAndClippedFilesCounted() {
        Score score =
                Scorer.score(TAKE, List.of(slice(997, 998, 1_560, 10), new Slice(3_000, 3_000, 3_100, 10, 0, 0, true)));
        assertEquals(1, score.falseOneShots());
        assertEquals(1, score.clipped());
        assertEquals(1, score.found());
    }

    @Test
    void precisionCountsOnlyOneShotsHoldingExactlyOneSound() {
        Score clean = Scorer.score(TAKE, List.of(slice(997, 998, 1_560, 10), slice(1_998, 1_999, 2_700, 10)));
        Score oneFalse = Scorer.score(
                TAKE,
                List.of(slice(997, 998, 1_560, 10), slice(1_998, 1_999, 2_700, 10), slice(3_000, 3_000, 3_100, 10)));
        Score merged = Scorer.score(TAKE, List.of(slice(990, 990, 2_700, 10), slice(3_000, 3_000, 3_100, 10)));
        assertEquals(1.0, clean.precision());
        assertEquals(2.0 / 3, oneFalse.precision(), 1e-9);
        assertEquals(0.0, merged.precision());
        assertEquals(1.0, Scorer.score(TAKE, List.of()).precision(), "nothing written, nothing junk");
    }
}
