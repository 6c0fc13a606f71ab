package app.littlebit.worker.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.SplitMode;
import app.littlebit.worker.demo.Room;
import app.littlebit.worker.demo.SynthKit;
import app.littlebit.worker.demo.SynthesizedTake;
import app.littlebit.worker.demo.TakeBuilder;
import app.littlebit.worker.demo.TakeSynthesizer;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.job.ProcessingParamsParser;
import app.littlebit.worker.pipeline.ProcessingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What separates two sounds. By default (splitMode onsets) a sound ends once it has decayed into
 * the floor, and a new attack in a decay starts a new one, so hits played faster than the minimum
 * silence still come out one by one. splitMode silence keeps PyDub's rule: only a gap of the
 * minimum silence separates.
 */
class SplitModeTest {
    @Test
    void theDemoTakesEightHitsGiveEightOneShots() {
        SynthesizedTake demo = TakeSynthesizer.demo();
        Score score = Scorer.score(demo, DirectCutter.defaults().slices(demo.samples(), demo.format()));
        assertEquals(8, score.sounds());
        assertEquals(8, score.found());
        assertEquals(8, score.oneShots());
    }

    @Test
    void hitsASecondApartWhoseDecaysOverlapAreNotMerged() {
        Room room = new Room(new PcmFormat(48_000, 2), -60, 0, 50, 0);
        for (String kind : List.of("pluck", "crash", "tom", "open-hat")) {
            SynthesizedTake take =
                    new TakeBuilder(room, new SynthKit(List.of(kind, "kick", "snare")), 9, -20, -3).record(8);
            Score score = Scorer.score(take, DirectCutter.defaults().slices(take.samples(), take.format()));
            assertEquals(0, score.merged(), kind);
            assertEquals(take.hits().size(), score.found(), kind);
        }
    }

    /**
     * A kick half a second into a held synth note, which has decayed only 7 dB by then: over the
     * whole band the kick rises less than an attack must, but under the note, where the kick's
     * thump is, it stands out.
     */
    @Test
    void aKickWhileAHeldNoteStillRingsGetsAOneShotOfItsOwn() {
        List<TakeSynthesizer.Placement> placements = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            placements.add(new TakeSynthesizer.Placement("tone", 0.5 + 2.5 * i, -12));
            placements.add(new TakeSynthesizer.Placement("kick", 1.0 + 2.5 * i, -12));
        }
        for (PcmFormat format : List.of(new PcmFormat(44_100, 1), new PcmFormat(48_000, 2))) {
            // Noise at -60 dBFS and 50 Hz hum at -66 dBFS: -59 dBFS in all, a fifth of it hum.
            SynthesizedTake take = new TakeSynthesizer(new Room(format, -59.03, 0.2, 50, 0), 5).take(16, placements);
            Score score = Scorer.score(take, DirectCutter.defaults().slices(take.samples(), take.format()));
            assertEquals(0, score.merged(), format.toString());
            assertEquals(12, score.found(), format.toString());
            assertEquals(0, score.attacksCut(), format.toString());
        }
    }

    /**
     * An open hat 220 ms after a closed one: 200 ms before the open hat is found, the closed hat
     * still rings almost as loud as the open hat, so measured from there the open hat hardly
     * rises. It rose out of the room's floor, where the closed hat had decayed to.
     */
    @Test
    void anOpenHatSoonAfterAClosedOneGetsAOneShotOfItsOwn() {
        Room room = new Room(new PcmFormat(48_000, 2), -56, 0, 50, 0, Room.NoiseColor.PINK);
        assertEachGetsItsOwnOneShot("closed-hat", "open-hat", 0.22, -20, new TakeSynthesizer(room, 8));
    }

    /**
     * A low tom whose two lowest modes beat at 15 Hz as it rings out (as a tom's tail does in a
     * reverberant room): each swell back out of a dip rises as fast as a new hit, but never past
     * where the tail was a beat before. One one-shot, tail whole; not a new one-shot every 66 ms.
     */
    @Test
    void aDecayThatBeatsIsOneSound() {
        PcmFormat format = new PcmFormat(48_000, 1);
        float[] samples = new float[format.sampleRate() * 4];
        Random random = new Random(5);
        long tom = format.framesFor(500);
        for (int i = 0; i < samples.length; i++) {
            double t = (i - tom) / (double) format.sampleRate();
            double ring = t < 0
                    ? 0
                    : 0.15 * Math.exp(-t / 0.35) * (Math.sin(2 * Math.PI * 80 * t) + Math.sin(2 * Math.PI * 95 * t));
            samples[i] = (float) (ring + random.nextGaussian() * Math.pow(10, -66 / 20.0));
        }
        // Its peak, 0.3, sinks to the floor's level (-66 dBFS) after 0.35 s * ln(0.3 / 0.0005) = 2.2 s.
        long decayed = tom + format.framesFor(2200);
        SynthesizedTake take =
                new SynthesizedTake(format, samples, List.of(new SynthesizedTake.Hit("tom", tom, decayed, -10)));
        List<Slice> slices = DirectCutter.defaults().slices(samples, format);
        Score score = Scorer.score(take, slices);
        assertEquals(1, score.oneShots(), slices.toString());
        assertEquals(1, score.found());
        assertEquals(0, score.tailsCut(), slices.toString());
    }

    /**
     * A spoken "ki" with someone talking across the room right up to it: the talk is found first,
     * but the vowel, 75 ms after the "k", still belongs to the syllable. Counted from where the
     * talk was found, the vowel came past the 110 ms that keep a syllable whole, and was cut off
     * as a one-shot of its own.
     */
    @Test
    void aSyllableThatTalkLeadsIntoIsOneSound() {
        assertOneSound(syllable(80, 10, 75));
    }

    /**
     * Talk across the room for 50 ms that pauses 30 ms before a "ki": the talk was found first and
     * led into the syllable, so its one-shot began 80 ms early, with the talk in front. The pause
     * shows the talk was no start of the syllable: the one-shot starts at the "k".
     */
    @Test
    void talkThatPausesBeforeASyllableIsLeftOutOfIt() {
        Score score = assertOneWholeOneShot(syllable(80, 30, 10, 75));
        assertTrue(score.maxPreRollMillis() <= Scorer.LONG_PRE_ROLL_MILLIS, "pre-roll " + score.maxPreRollMillis());
    }

    /**
     * Talk across the room, 8 dB fainter for 200 ms, then swelling 80 ms before a "ki" and running
     * on into it without a pause, no louder than the talk the take holds elsewhere: the detector
     * heard the syllable where the talk swelled, and the one-shot began 85 ms early with all of the
     * swell in front. Now the swell is left out as background: the syllable is heard at its "k".
     * (The onset search still reaches 100 ms back and finds part of the swell: 47 ms of pre-roll.)
     */
    @Test
    void talkRunningOnIntoASyllableAsFaintAsTheTalkElsewhereIsNotWhereItIsHeard() {
        SynthesizedTake take = syllableAmidTalk(LeadIn.TALK, 80, -56, -50);
        assertHeardWithin(take, 980, 1005);
        Score score = assertOneWholeOneShot(take);
        assertTrue(score.maxPreRollMillis() <= 50, "pre-roll " + score.maxPreRollMillis());
    }

    /**
     * The same take with the syllable's own soft start (an "h", 80 ms of breath) in place of the
     * talk, 6 dB over the talk elsewhere: it stands above anything the background holds, so it
     * stays the start of its one-shot.
     */
    @Test
    void aSoftStartLouderThanTheTalkElsewhereStaysOnItsOneShot() {
        SynthesizedTake take = syllableAmidTalk(LeadIn.BREATH, 80, -44, -50);
        assertHeardWithin(take, 895, 935);
        assertOneWholeOneShot(take);
    }

    /** A "cha": its "ch" hisses for 90 ms before the vowel, and that is still one syllable. */
    @Test
    void aSyllableWithALongConsonantIsOneSound() {
        assertOneSound(syllable(0, 90, 90));
    }

    /** A snare 120 ms after a kick, the quickest follow-up the lab plays, is a second hit all the same. */
    @Test
    void aHit120MillisecondsAfterAnotherGetsAOneShotOfItsOwn() {
        Room room = new Room(new PcmFormat(44_100, 1), -58, 0, 50, 0, Room.NoiseColor.BROWN);
        assertEachGetsItsOwnOneShot("kick", "snare", 0.12, -12, new TakeSynthesizer(room, 3));
    }

    /** Five pairs, 2 s apart, the second of each {@code afterSeconds} after the first: ten one-shots, none merged. */
    private static void assertEachGetsItsOwnOneShot(
            String first, String second, double afterSeconds, double peakDbfs, TakeSynthesizer synthesizer) {
        List<TakeSynthesizer.Placement> placements = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            placements.add(new TakeSynthesizer.Placement(first, 0.5 + 2.0 * i, peakDbfs));
            placements.add(new TakeSynthesizer.Placement(second, 0.5 + afterSeconds + 2.0 * i, peakDbfs));
        }
        SynthesizedTake take = synthesizer.take(11, placements);
        Score score = Scorer.score(take, DirectCutter.defaults().slices(take.samples(), take.format()));
        assertEquals(0, score.merged());
        assertEquals(10, score.found());
        assertEquals(10, score.oneShots());
    }

    private static void assertOneSound(SynthesizedTake take) {
        List<Slice> slices = DirectCutter.defaults().slices(take.samples(), take.format());
        Score score = Scorer.score(take, slices);
        assertEquals(1, score.oneShots(), slices.toString());
        assertEquals(1, score.found());
        assertEquals(0, score.tailsCut(), slices.toString());
    }

    private static SynthesizedTake syllable(double talkMillis, double burstMillis, double vowelAfterMillis) {
        return syllable(talkMillis, 0, burstMillis, vowelAfterMillis);
    }

    /**
     * A spoken syllable at 1 s over a -66 dBFS room: a consonant (a burst 12 dB over its hiss at
     * -40 dBFS), then a voiced vowel at -14 dBFS from {@code vowelAfterMillis} after the consonant
     * began; and before it, from {@code talkMillis} before it until {@code pauseMillis} before it,
     * distant talk at -50 dBFS.
     */
    private static SynthesizedTake syllable(
            double talkMillis, double pauseMillis, double burstMillis, double vowelAfterMillis) {
        PcmFormat format = new PcmFormat(48_000, 1);
        float[] samples = new float[format.sampleRate() * 3];
        Random random = new Random(7);
        double rate = format.sampleRate();
        Syllable syllable = Syllable.at(format, 1000, burstMillis, vowelAfterMillis);
        long talk = syllable.consonant() - format.framesFor(talkMillis);
        for (int i = 0; i < samples.length; i++) {
            double noise = random.nextGaussian();
            double x = noise * Math.pow(10, -66 / 20.0);
            if (i >= talk && i < syllable.consonant() - format.framesFor(pauseMillis)) {
                x += talkAt(i, rate, -50);
            }
            samples[i] = (float) (x + syllable.at(i, noise, rate));
        }
        return new SynthesizedTake(
                format,
                samples,
                List.of(new SynthesizedTake.Hit("syllable", syllable.consonant(), syllable.vowelEnd(), -14)));
    }

    /** Asserts the take's one sound comes out as one one-shot, its attack whole; returns the score. */
    private static Score assertOneWholeOneShot(SynthesizedTake take) {
        List<Slice> slices = DirectCutter.defaults().slices(take.samples(), take.format());
        Score score = Scorer.score(take, slices);
        assertEquals(1, score.oneShots(), slices.toString());
        assertEquals(1, score.found(), slices.toString());
        assertEquals(0, score.attacksCut(), slices.toString());
        return score;
    }

    /** Asserts the detector hears the take's one sound between the two times. */
    private static void assertHeardWithin(SynthesizedTake take, double fromMillis, double toMillis) {
        List<Long> heard = DirectCutter.defaults().heardFrames(take.samples(), take.format());
        assertEquals(1, heard.size(), heard.toString());
        double heardMillis = heard.get(0) * 1000.0 / take.format().sampleRate();
        assertTrue(heardMillis >= fromMillis && heardMillis <= toMillis, "heard at " + heardMillis + " ms");
    }

    /** What leads into the syllable of {@link #syllableAmidTalk}. */
    private enum LeadIn {
        /** Distant talk, 8 dB quieter for 200 ms before: background, the syllable starts after it. */
        TALK,
        /** The syllable's own breath, an "h": the syllable starts with it. */
        BREATH
    }

    /**
     * The syllable of {@link #syllable} (a "k" at 1 s, its vowel 75 ms later) in a 4 s take, led
     * in to for {@code leadInMillis} by {@code leadIn} at {@code leadInDbfs}, with distant talk
     * (150 ms syllables 250 ms apart) at {@code talkElsewhereDbfs} from 2 to 3.5 s, too faint and
     * too close together to be one-shots.
     */
    private static SynthesizedTake syllableAmidTalk(
            LeadIn leadIn, double leadInMillis, double leadInDbfs, double talkElsewhereDbfs) {
        PcmFormat format = new PcmFormat(48_000, 1);
        float[] samples = new float[format.sampleRate() * 4];
        Random random = new Random(11);
        double rate = format.sampleRate();
        Syllable syllable = Syllable.at(format, 1000, 10, 75);
        long leadInStart = syllable.consonant() - format.framesFor(leadInMillis);
        for (int i = 0; i < samples.length; i++) {
            double noise = random.nextGaussian();
            double x = noise * Math.pow(10, -66 / 20.0);
            if (leadIn == LeadIn.TALK && i >= leadInStart - format.framesFor(200) && i < syllable.consonant()) {
                x += talkAt(i, rate, i < leadInStart ? leadInDbfs - 8 : leadInDbfs);
            }
            if (leadIn == LeadIn.BREATH && i >= leadInStart && i < syllable.consonant()) {
                x += random.nextGaussian() * Math.pow(10, leadInDbfs / 20.0);
            }
            double talkMillis = i * 1000.0 / rate - 2000;
            if (talkMillis >= 0 && talkMillis < 1500 && talkMillis % 250 < 150) {
                x += talkAt(i, rate, talkElsewhereDbfs);
            }
            samples[i] = (float) (x + syllable.at(i, noise, rate));
        }
        long onset = leadIn == LeadIn.TALK ? syllable.consonant() : leadInStart;
        return new SynthesizedTake(
                format, samples, List.of(new SynthesizedTake.Hit("syllable", onset, syllable.vowelEnd(), -14)));
    }

    /**
     * A spoken syllable's frames: its consonant (a burst at -28 dBFS, then hiss at -40) from
     * {@code consonant}, its voiced vowel (-14 dBFS, dying away) from {@code vowel} to {@code vowelEnd}.
     */
    private record Syllable(long consonant, long burstEnd, long vowel, long vowelEnd) {
        static Syllable at(PcmFormat format, double atMillis, double burstMillis, double vowelAfterMillis) {
            long consonant = format.framesFor(atMillis);
            long vowel = consonant + format.framesFor(vowelAfterMillis);
            return new Syllable(
                    consonant, consonant + format.framesFor(burstMillis), vowel, vowel + format.framesFor(300));
        }

        /** The syllable at frame {@code i}, its consonant shaped from the room's own {@code noise} sample. */
        double at(int i, double noise, double rate) {
            if (i >= consonant && i < vowel) {
                return noise * Math.pow(10, (i < burstEnd ? -28 : -40) / 20.0);
            }
            if (i >= vowel && i < vowelEnd) {
                double t = (i - vowel) / rate;
                double envelope = Math.min(1, t / 0.01) * Math.exp(-t / 0.15);
                return 0.2 * envelope * (Math.sin(2 * Math.PI * 140 * t) + 0.5 * Math.sin(2 * Math.PI * 280 * t));
            }
            return 0;
        }
    }

    /** Distant talk's voice at sample {@code i}: a 180 Hz tone whose level is {@code dbfs} RMS. */
    private static double talkAt(int i, double rate, double dbfs) {
        return Math.pow(10, dbfs / 20.0) * Math.sin(2 * Math.PI * 180 * i / rate) * Math.sqrt(2);
    }

    @Test
    void silenceModeKeepsHitsCloserThanTheMinimumSilenceTogether() {
        SynthesizedTake demo = TakeSynthesizer.demo();
        DirectCutter silence = new DirectCutter(Optional.empty(), 750, SplitMode.SILENCE, 50);
        Score score = Scorer.score(demo, silence.slices(demo.samples(), demo.format()));
        assertTrue(score.merged() > 0, "the demo's 1.2 s spacing leaves gaps under 750 ms");
        DirectCutter shortGaps = new DirectCutter(Optional.empty(), 500, SplitMode.SILENCE, 50);
        assertTrue(
                Scorer.score(demo, shortGaps.slices(demo.samples(), demo.format()))
                                .merged()
                        < score.merged(),
                "a shorter minimum silence separates more");
    }

    @Test
    void splitModeIsAnOptionalParam() {
        assertEquals(SplitMode.ONSETS, ProcessingParams.defaults().splitMode());
        assertEquals(
                SplitMode.SILENCE,
                ProcessingParamsParser.parse(Optional.of("{\"splitMode\":\"Silence\"}"))
                        .splitMode());
        WorkerException bad = assertThrows(
                WorkerException.class, () -> ProcessingParamsParser.parse(Optional.of("{\"splitMode\":\"gaps\"}")));
        assertTrue(bad.getMessage().contains("splitMode must be one of onsets, silence"), bad.getMessage());
    }
}
