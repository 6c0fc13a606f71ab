package app.littlebit.worker.audio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.support.InMemoryPcm;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Where the onset search places a sound's start in a window that begins with background and ends
 * inside the attack: at the first sign of the sound, but not at a bump of the background that had
 * died away well before the attack.
 */
class OnsetLocatorTest {
    private static final PcmFormat MONO = new PcmFormat(44_100, 1);
    private static final double ROOM_DBFS = -60;
    /** A soft hit, so the reference is not held up by the attack's loudest ms (30 dB under it). */
    private static final double HIT_DBFS = -36;

    private static final double ATTACK_MILLIS = 120;
    private static final double WINDOW_MILLIS = 160;

    /** Background {@code overRoomDb} over the room for {@code lengthMillis} from {@code fromMillis}. */
    private record Bump(double fromMillis, double lengthMillis, double overRoomDb) {}

    /** Talk 8 dB over the room, running on for 60 ms right up to the hit. */
    private static final Bump RUN_ON_TALK = new Bump(ATTACK_MILLIS - 60, 60, 8);

    /** {@link #onsetMillis(Bump, double, double)} for a 5 ms bump and the soft hit, in a room swinging 0.5 dB. */
    private static double onsetMillis(double bumpMillis, double bumpDb) throws IOException {
        return onsetMillis(new Bump(bumpMillis, 5, bumpDb), HIT_DBFS, 0.5);
    }

    /**
     * A room's white noise swinging {@code noiseSpreadDb}, the bump, and a hit at {@code hitDbfs}
     * from {@link #ATTACK_MILLIS} on. The onset found in the whole window, in ms.
     */
    private static double onsetMillis(Bump bump, double hitDbfs, double noiseSpreadDb) throws IOException {
        return onsetMillis(List.of(bump), hitDbfs, noiseSpreadDb, BlockLevels.SILENCE_DB);
    }

    /**
     * The same with bumps (the loudest counts where they overlap), in a take whose background
     * between its sounds stays under {@code backgroundCeilingDbfs}.
     */
    private static double onsetMillis(
            List<Bump> bumps, double hitDbfs, double noiseSpreadDb, double backgroundCeilingDbfs) throws IOException {
        Random random = new Random(11);
        float[] samples = new float[(int) MONO.framesFor(WINDOW_MILLIS + 100)];
        long attack = MONO.framesFor(ATTACK_MILLIS);
        for (int f = 0; f < samples.length; f++) {
            double level = ROOM_DBFS;
            for (Bump bump : bumps) {
                long bumpStart = MONO.framesFor(bump.fromMillis());
                if (f >= bumpStart && f < bumpStart + MONO.framesFor(bump.lengthMillis())) {
                    level = Math.max(level, ROOM_DBFS + bump.overRoomDb());
                }
            }
            double x = random.nextGaussian() * Math.pow(10, level / 20);
            if (f >= attack) {
                x += random.nextGaussian() * Math.pow(10, hitDbfs / 20) * Math.exp(-(f - attack) / 2_000.0);
            }
            samples[f] = (float) x;
        }
        return onsetInWhiteRoomMillis(samples, ATTACK_MILLIS, noiseSpreadDb, backgroundCeilingDbfs);
    }

    /** The onset found in the first {@link #WINDOW_MILLIS} of a take in the white room, the sound heard from {@code heardMillis}. */
    private static double onsetInWhiteRoomMillis(float[] samples, double heardMillis, double noiseSpreadDb)
            throws IOException {
        return onsetInWhiteRoomMillis(samples, heardMillis, noiseSpreadDb, BlockLevels.SILENCE_DB);
    }

    /** The same, the take's background between its sounds staying under {@code backgroundCeilingDbfs} in both bands. */
    private static double onsetInWhiteRoomMillis(
            float[] samples, double heardMillis, double noiseSpreadDb, double backgroundCeilingDbfs)
            throws IOException {
        RecordingAnalyzer analyzer = new RecordingAnalyzer(MONO);
        analyzer.accept(samples, samples.length);
        OnsetLocator locator = new OnsetLocator(
                analyzer.finish(),
                new InMemoryPcm(samples, MONO),
                new Detection(
                        ROOM_DBFS,
                        noiseSpreadDb,
                        noiseSpreadDb,
                        ROOM_DBFS + 6,
                        List.of(),
                        backgroundCeilingDbfs,
                        backgroundCeilingDbfs));
        return MONO.millisFor(locator.locate(0, MONO.framesFor(heardMillis), MONO.framesFor(WINDOW_MILLIS)));
    }

    @Test
    void aHitIsFoundWhereItStarts() throws IOException {
        double onset = onsetMillis(0, 0);
        assertTrue(onset > ATTACK_MILLIS - 5 && onset <= ATTACK_MILLIS, "onset at " + onset + " ms");
    }

    /**
     * A faint note of music 6 dB over the room for 5 ms, 90 ms before a hit: the search's sum drains
     * away again some 60 ms before the hit.
     */
    @Test
    void aBumpOfTheBackgroundThatDiedAwayLongBeforeTheHitDoesNotOpenIt() throws IOException {
        double onset = onsetMillis(30, 6);
        assertTrue(onset > ATTACK_MILLIS - 5 && onset <= ATTACK_MILLIS, "onset at " + onset + " ms");
    }

    /**
     * A consonant's burst 40 ms before its vowel (a "pa"), whose sum drains only some 17 ms before
     * the vowel, is where the syllable starts: some 17 dB under the vowel, it is not taken for
     * talk hovering before it ({@link OnsetLocator#FAINT_RUN_BELOW_PEAK_DB}).
     */
    @Test
    void aBurstThatDiesAwayJustBeforeTheAttackStillOpensIt() throws IOException {
        double onset = onsetMillis(ATTACK_MILLIS - 40, 6);
        assertTrue(onset > ATTACK_MILLIS - 45 && onset <= ATTACK_MILLIS - 40, "onset at " + onset + " ms");
    }

    /**
     * Distant talk 8 dB over the room for 40 ms, fading out 25 ms before a hit some 28 dB louder
     * (-24 dBFS): the hit's loudest ms holds the reference 30 dB under it, about 7 dB over the
     * room, so the talk hovers some 1 dB over the reference and its sum drains away only some
     * 13 ms before the hit. The talk never came near the hit's level: the hit opens its one-shot
     * (the tuning half's "yeah" over talk started 61 ms early).
     */
    @Test
    void talkHoveringAtTheReferenceThatFadedJustBeforeAMuchLouderHitDoesNotOpenIt() throws IOException {
        double onset = onsetMillis(new Bump(ATTACK_MILLIS - 65, 40, 8), -24, 2);
        assertTrue(onset > ATTACK_MILLIS - 5 && onset <= ATTACK_MILLIS, "onset at " + onset + " ms");
    }

    /**
     * Distant talk 8 dB over the room running on for 60 ms right up to a hit 16 dB louder, in a take
     * where the talk between the sounds reached 9 dB over the room: no louder than it was there, it
     * is background, and the hit opens its one-shot (the tuning half's "bo" over talk started 47 ms
     * early).
     */
    @Test
    void talkRunningOnIntoAHitNoLouderThanBetweenTheSoundsDoesNotOpenIt() throws IOException {
        double onset = onsetMillis(List.of(RUN_ON_TALK), HIT_DBFS, 0.5, ROOM_DBFS + 9);
        assertTrue(onset > ATTACK_MILLIS - 5 && onset <= ATTACK_MILLIS, "onset at " + onset + " ms");
    }

    /**
     * The same lead-in in a take whose background between the sounds stays 5 dB under it: it rose
     * over anything the background did, so it is the sound's own soft start, kept whole.
     */
    @Test
    void aLeadInLouderThanTheBackgroundBetweenTheSoundsStaysOnTheHit() throws IOException {
        double onset = onsetMillis(List.of(RUN_ON_TALK), HIT_DBFS, 0.5, ROOM_DBFS + 3);
        assertTrue(onset > ATTACK_MILLIS - 65 && onset <= ATTACK_MILLIS - 60, "onset at " + onset + " ms");
    }

    /**
     * The lead-in of {@link #talkRunningOnIntoAHitNoLouderThanBetweenTheSoundsDoesNotOpenIt} with a
     * click 2 ms long 3 dB over anything the background reached between the sounds, 30 ms before
     * the hit (a consonant's burst): too short to place an onset at, it still rose over the
     * background, so the lead-in is the sound's own start and stays on it.
     */
    @Test
    void aLeadInThatOnceRoseOverTheBackgroundBetweenTheSoundsStaysOnTheHit() throws IOException {
        double onset =
                onsetMillis(List.of(RUN_ON_TALK, new Bump(ATTACK_MILLIS - 30, 2, 12)), HIT_DBFS, 0.5, ROOM_DBFS + 9);
        assertTrue(onset > ATTACK_MILLIS - 65 && onset <= ATTACK_MILLIS - 60, "onset at " + onset + " ms");
    }

    /**
     * A sound whose rise the search never sees clearly ({@link UnclearStart}), heard 120 ms into
     * the window: its one-shot starts the faint safety margin before its soft start, walked back
     * from where the detector heard it, not at the window's start. (The spectral flux alone would
     * place it 2.8 ms before.)
     */
    @Test
    void aSoundThatNeverRisesClearlyStartsAtItsSoftStart() throws IOException {
        float[] samples = UnclearStart.take(
                MONO,
                MONO.framesFor(ATTACK_MILLIS),
                MONO.framesFor(WINDOW_MILLIS + 10),
                MONO.framesFor(WINDOW_MILLIS + 100));
        double softStart = ATTACK_MILLIS - UnclearStart.SOFT_START_MILLIS;
        double onset = onsetInWhiteRoomMillis(samples, ATTACK_MILLIS, UnclearStart.NOISE_SPREAD_DB);
        assertTrue(onset >= softStart - 10 && onset <= softStart - 4, "onset at " + onset + " ms");
    }

    /**
     * A hit in a rumbling room (low-passed noise at {@link #ROOM_DBFS}), led in for 20 ms by hiss
     * {@code leadBelowHitDb} under it. How many ms before the hit its one-shot starts.
     */
    private static double startsBeforeHitMillis(double leadBelowHitDb) throws IOException {
        Random random = new Random(11);
        int frames = (int) MONO.framesFor(3_000);
        long attack = MONO.framesFor(2_000);
        long lead = attack - MONO.framesFor(20);
        double[] rumble = LowPassedNoise.unitRms(MONO.sampleRate(), frames, 300, random);
        float[] samples = new float[frames];
        for (int f = 0; f < frames; f++) {
            double x = rumble[f] * Math.pow(10, ROOM_DBFS / 20);
            if (f >= lead && f < attack) {
                x += random.nextGaussian() * Math.pow(10, (HIT_DBFS - leadBelowHitDb) / 20);
            } else if (f >= attack) {
                x += random.nextGaussian() * Math.pow(10, HIT_DBFS / 20) * Math.exp(-(f - attack) / 4_000.0);
            }
            samples[f] = (float) x;
        }
        return MONO.millisFor(attack - onsetAsTheWorkerFindsIt(samples, attack));
    }

    /**
     * The onset the worker places for a sound heard at {@code attack}, the take's background
     * measured by its own detector, searched for from 120 ms before to 30 ms after.
     */
    private static long onsetAsTheWorkerFindsIt(float[] samples, long attack) throws IOException {
        RecordingAnalyzer analyzer = new RecordingAnalyzer(MONO);
        analyzer.accept(samples, samples.length);
        RecordingAnalysis analysis = analyzer.finish();
        Detection detection = new LevelDetector(Optional.empty(), 750, SplitMode.ONSETS).detect(analysis);
        OnsetLocator locator = new OnsetLocator(analysis, new InMemoryPcm(samples, MONO), detection);
        return locator.locate(attack - MONO.framesFor(120), attack, attack + MONO.framesFor(30));
    }

    /**
     * A room of rumble (noise under 150 Hz at {@link #ROOM_DBFS}) and hiss 2 dB over it, the
     * rumble swelling 10 dB for 10 ms 25 ms before a sound at 2 s when {@code rumbleSwells}: a
     * click above 3 kHz peaking at {@link #HIT_DBFS}, and, when {@code thumpLeadMillis} is more
     * than 0, a 60 Hz thump under it peaking as high, starting that many ms before the click. How
     * many ms before the sound's first sample its one-shot starts. The thump scene guards the
     * rule's other side: a version that compared the part under the hum with itself up to the
     * click (the thump included) took the thump for rumble and cut 13 ms of it.
     */
    private static double startsBeforeSoundInRumbleMillis(double thumpLeadMillis, boolean rumbleSwells)
            throws IOException {
        Random random = new Random(5);
        int frames = (int) MONO.framesFor(3_000);
        long click = MONO.framesFor(2_000);
        long thump = click - MONO.framesFor(thumpLeadMillis);
        long swell = click - MONO.framesFor(25);
        double[] rumble = LowPassedNoise.unitRms(MONO.sampleRate(), frames, 150, random);
        float[] noise = new float[frames];
        for (int f = 0; f < frames; f++) {
            noise[f] = (float) random.nextGaussian();
        }
        float[] clickNoise =
                Biquad.highPassed(Biquad.highPassed(noise, 1, MONO.sampleRate(), 3_000), 1, MONO.sampleRate(), 3_000);
        double hit = Math.pow(10, HIT_DBFS / 20);
        float[] samples = new float[frames];
        for (int f = 0; f < frames; f++) {
            boolean swelling = rumbleSwells && f >= swell && f < swell + MONO.framesFor(10);
            double x = rumble[f] * Math.pow(10, (ROOM_DBFS + (swelling ? 10 : 0)) / 20)
                    + random.nextGaussian() * Math.pow(10, (ROOM_DBFS + 2) / 20);
            if (f >= click) {
                x += clickNoise[f] * hit * Math.exp(-(f - click) / 2_000.0);
            }
            if (thumpLeadMillis > 0 && f >= thump) {
                double seconds = (f - thump) / (double) MONO.sampleRate();
                x += Math.sin(2 * Math.PI * 60 * seconds) * hit * Math.exp(-(f - thump) / 8_000.0);
            }
            samples[f] = (float) x;
        }
        return MONO.millisFor(Math.min(click, thump) - onsetAsTheWorkerFindsIt(samples, click));
    }

    /**
     * A closed hat has nothing under the hum: the rumble swelling before it is no start of it,
     * though the full band rose there. The one-shot starts at the hat, not 25 ms before it (the
     * tuning half's closed hat in a rumbling room started 29 ms early).
     */
    @Test
    void aHatIsNotOpenedByASwellOfRumbleBeforeIt() throws IOException {
        double early = startsBeforeSoundInRumbleMillis(0, true);
        assertTrue(early >= 0 && early <= 5, "starts " + early + " ms before the hat");
    }

    /**
     * A kick whose thump comes 15 ms before its beater's click: the full band rises first, and
     * the sound's own part under the hum with it, so the one-shot starts at the thump.
     */
    @Test
    void aThumpUnderTheHumBeforeTheClickStaysOnTheSound() throws IOException {
        double early = startsBeforeSoundInRumbleMillis(15, false);
        assertTrue(early >= 0 && early <= 5, "starts " + early + " ms before the thump");
    }

    /**
     * A lossy codec's pre-echo: a hit's noise smeared over the 20 ms before it, 40 dB under the hit
     * and 10 dB under the rumbling room. It is new to the spectrum, but nothing a musician made: the
     * one-shot starts at the hit, not 20 ms before it.
     */
    @Test
    void aCodecsPreEchoUnderARumblingRoomDoesNotOpenTheHit() throws IOException {
        double early = startsBeforeHitMillis(40);
        assertTrue(early >= 0 && early <= 5, "starts " + early + " ms before the hit");
    }

    /** The same lead-in 25 dB under the hit, 5 dB over the room: a soft start of the sound, kept whole. */
    @Test
    void aSoftStartOverTheRumbleStaysOnTheHit() throws IOException {
        double early = startsBeforeHitMillis(25);
        assertTrue(early >= 20 && early <= 25, "starts " + early + " ms before the hit");
    }

    /**
     * A sound that starts softly in a room whose level swings 3 dB (a brown room's swing): for
     * 15 ms it lifts the room by 5 dB, under the 9 dB over it where such swings put the level
     * test's alarm, then the attack comes. Only the spectral flux sees the soft start, and the
     * level rose with it: it is the sound's own start, and the one-shot keeps it.
     */
    @Test
    void aSoftStartOnlyTheSpectralFluxSeesIsKeptWhenTheLevelRoseWithIt() throws IOException {
        for (long seed = 1; seed <= 12; seed++) {
            Random random = new Random(seed);
            float[] samples = new float[(int) MONO.framesFor(WINDOW_MILLIS + 100)];
            long softStart = MONO.framesFor(ATTACK_MILLIS - 15);
            long attack = MONO.framesFor(ATTACK_MILLIS);
            for (int f = 0; f < samples.length; f++) {
                double x = random.nextGaussian() * Math.pow(10, ROOM_DBFS / 20);
                if (f >= softStart && f < attack) {
                    x += random.nextGaussian() * Math.pow(10, (ROOM_DBFS + 3.3) / 20);
                } else if (f >= attack) {
                    x += random.nextGaussian() * Math.pow(10, HIT_DBFS / 20) * Math.exp(-(f - attack) / 2_000.0);
                }
                samples[f] = (float) x;
            }
            // Within the flux's 1 ms frames of the soft start; with the flux's entry refused, 13 ms into it.
            double onset = onsetInWhiteRoomMillis(samples, ATTACK_MILLIS, 3);
            double softStartMillis = MONO.millisFor(softStart);
            assertTrue(
                    onset >= softStartMillis - 5 && onset <= softStartMillis + 1,
                    "seed " + seed + ": onset at " + onset + " ms, soft start at " + softStartMillis + " ms");
        }
    }

    /**
     * A loud whoosh (a sword's swing) that swells 3 dB a millisecond, from 20 dB under a quiet room
     * to 6 dB under full scale. The search's reference sits 30 dB under the whoosh's peak (a codec's
     * pre-echo is no start), which the swell passes 8 ms after it rose out of the room: the one-shot
     * starts where it rose out of the room. (The spectral flux alone leaves it 1 ms inside.)
     */
    @Test
    void aLoudSlowSwellIsEnteredWhereItLeavesTheRoom() throws IOException {
        double risesOutOfRoomMillis = ATTACK_MILLIS + 20 / 3.0;
        for (long seed = 1; seed <= 6; seed++) {
            Random random = new Random(seed);
            float[] samples = new float[(int) MONO.framesFor(WINDOW_MILLIS + 100)];
            long swell = MONO.framesFor(ATTACK_MILLIS);
            double framesPerMilli = MONO.framesFor(1);
            for (int f = 0; f < samples.length; f++) {
                double x = random.nextGaussian() * Math.pow(10, ROOM_DBFS / 20);
                if (f >= swell) {
                    double whooshDbfs = Math.min(-6, ROOM_DBFS - 20 + 3 * (f - swell) / framesPerMilli);
                    x += random.nextGaussian() * Math.pow(10, whooshDbfs / 20);
                }
                samples[f] = (float) x;
            }
            double onset = onsetInWhiteRoomMillis(samples, ATTACK_MILLIS + 20, 0.5);
            assertTrue(
                    onset > risesOutOfRoomMillis - 5 && onset <= risesOutOfRoomMillis,
                    "seed " + seed + ": onset at " + onset + " ms");
        }
    }
}
