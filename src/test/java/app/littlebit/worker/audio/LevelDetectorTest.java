package app.littlebit.worker.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Where the detector tells the onset locator to look: before the search, nothing of the sound. */
class LevelDetectorTest {
    /** The full band's level looks this far ahead: an abrupt hit is heard up to this long before it. */
    private static final double HEARD_AHEAD_MILLIS = Band.FULL_BAND_DETECTION_BLOCKS * RecordingAnalyzer.BLOCK_MILLIS;

    /**
     * A brown room with a phone's hiss: its rumble swings the full band's level by several dB from
     * one 10 ms to the next, while above the hum only the steady hiss is left. The onset search
     * sets its margin over the background by these swings, band by band: with the full band's
     * swings above the hum too, a soft "t" there (8 to 10 dB over the hiss, under someone talking)
     * was passed over, and its one-shot began at the vowel.
     */
    @Test
    void theNoiseSwingIsMeasuredBandByBand() {
        PcmFormat format = new PcmFormat(44_100, 1);
        float[] samples = new float[format.sampleRate() * 4];
        Random random = new Random(9);
        double brown = 0;
        for (int i = 0; i < samples.length; i++) {
            // A leaky integrator of white noise: brown noise, about -58 dBFS; hiss at -72 dBFS.
            brown = 0.999 * brown + random.nextGaussian();
            samples[i] =
                    (float) (brown * Math.pow(10, -58 / 20.0) / 22 + random.nextGaussian() * Math.pow(10, -72 / 20.0));
        }
        Detection detection = detect(analysed(format, samples));
        assertTrue(detection.noiseSpreadDb() >= 2, "the rumble swings: " + detection);
        assertTrue(detection.highNoiseSpreadDb() <= 1, "the hiss above the hum is steady: " + detection);
    }

    /**
     * A shaker that creeps up out of a cymbal's ring for 15 ms before its steepest rise (a
     * soundfont cabasa over a crash, in the lab's tuning half). The onset search takes its first
     * 20 ms as the background it measures the attack against, so that stretch must lie wholly
     * before the creep; searched for from 30 ms before the steepest rise, it held the creep's
     * start, and the cabasa was placed 11 ms late.
     */
    @Test
    void aSoundCreepingInWithinAnotherIsSearchedForFromBeforeItsCreep() {
        PcmFormat format = new PcmFormat(48_000, 1);
        float[] samples = new float[format.sampleRate() * 3];
        Random random = new Random(3);
        long cymbal = format.framesFor(500);
        long shaker = format.framesFor(1800);
        for (int i = 0; i < samples.length; i++) {
            double ring = i < cymbal ? 0 : 0.1 * Math.exp(-(i - cymbal) / (1.5 * format.sampleRate()));
            double since = (i - shaker) / (double) format.sampleRate();
            // 3 dB over the ring in 15 ms, then 15 dB more in 10 ms, then a quick decay.
            double overRingDb =
                    since < 0.015 ? 3 * since / 0.015 : since < 0.025 ? 3 + 15 * (since - 0.015) / 0.01 : 18;
            double shakerGain = since < 0
                    ? 0
                    : Math.sqrt(Math.pow(10, overRingDb / 10) - 1)
                            * (since < 0.025 ? 1 : Math.exp(-(since - 0.025) / 0.04));
            samples[i] = (float) (ring * (1 + shakerGain) * random.nextGaussian() + 1e-4 * random.nextGaussian());
        }
        RecordingAnalysis analysis = analysed(format, samples);

        List<DetectedSound> sounds = detect(analysis).sounds();

        assertEquals(2, sounds.size(), sounds.toString());
        long backgroundEnd = analysis.blockStartFrame(sounds.get(1).searchFromBlock())
                + format.framesFor(OnsetLocator.BACKGROUND_MILLIS);
        assertTrue(
                backgroundEnd <= shaker,
                "the onset search's background runs to " + format.millisFor(backgroundEnd) + " ms, into the shaker at "
                        + format.millisFor(shaker) + " ms");
    }

    /**
     * A low note of music across a brown room, 2 s after the take's only hit: 21.5 dB under the
     * hit, barely over the threshold. Soft music is no one-shot; while only what lay 24 dB under
     * the loudest was faint, such notes after a sound's tail were one-shots in the lab.
     */
    @Test
    void aLowNoteOfMusicFarUnderTheTakesHitIsNoSound() {
        PcmFormat format = new PcmFormat(48_000, 1);
        float[] samples = new float[format.sampleRate() * 4];
        Random random = new Random(5);
        long hit = format.framesFor(500);
        long note = format.framesFor(2500);
        double brown = 0;
        for (int i = 0; i < samples.length; i++) {
            brown = 0.999 * brown + random.nextGaussian();
            // Brown noise at about -45 dBFS, and a hit at -10 dBFS with an 80 ms decay.
            double x = brown * Math.pow(10, -45 / 20.0) / 22;
            if (i >= hit) {
                x += 0.3 * Math.exp(-(i - hit) / (0.08 * format.sampleRate())) * random.nextGaussian();
            }
            double since = (i - note) / (double) format.sampleRate();
            if (since >= 0 && since < 0.3) {
                double envelope = Math.min(1, since / 0.03) * Math.min(1, (0.3 - since) / 0.1);
                // 110 Hz at -34 dBFS RMS: 21.5 dB under the hit's loudest 25 ms, 4 dB over the threshold.
                x += Math.pow(10, -34 / 20.0) * Math.sqrt(2) * envelope * Math.sin(2 * Math.PI * 110 * since);
            }
            samples[i] = (float) x;
        }
        Detection detection = detect(analysed(format, samples));
        assertEquals(1, detection.sounds().size(), detection.toString());
    }

    /**
     * A note of music 35 dB under the take's only hit, 800 ms after it, well over the threshold:
     * faint music near a sound, alone among the candidates because the music's other notes stay
     * under the threshold. The tuning half's Sonic Pi samples over faint music had three such
     * notes (33 to 43 dB under the loudest, 0.25 to 0.6 s from a hit) become one-shots.
     */
    @Test
    void aVeryFaintNoteNearAHitIsNoSound() {
        assertEquals(1, detect(hitAndVeryFaintNote(1300)).sounds().size());
    }

    /** The same note 2.3 s from the hit stands alone: a soft hit the musician played, kept. */
    @Test
    void aVeryFaintSoundStandingAloneIsASound() {
        assertEquals(2, detect(hitAndVeryFaintNote(2800)).sounds().size());
    }

    /**
     * How loud the background gets between the sounds: the note of music dropped as background
     * sets it (within its first few ms, from -46 dBFS RMS decaying), not the hit 35 dB over it, nor
     * the hiss 24 dB under it.
     */
    @Test
    void theBackgroundCeilingIsHowLoudTheMusicBetweenTheSoundsGot() {
        Detection detection = detect(hitAndVeryFaintNote(1300));
        double ceilingDbfs = detection.backgroundCeilingDbfs();
        assertTrue(ceilingDbfs >= -50 && ceilingDbfs <= -45, detection.toString());
    }

    /** With the user's threshold what lies between the sounds may be hits they left out: no ceiling. */
    @Test
    void theUsersThresholdLeavesNoBackgroundCeiling() {
        Detection detection =
                new LevelDetector(Optional.of(-40.0), 750, SplitMode.ONSETS).detect(hitAndVeryFaintNote(1300));
        assertEquals(BlockLevels.SILENCE_DB, detection.backgroundCeilingDbfs(), detection.toString());
    }

    /**
     * A hi-hat led in to by a swell of the room's rumble that passed 65 ms before it: from the
     * swell to the hat the full band's level rises 10 to 11 dB, the band above the hum's 24 dB.
     * The hat is the sound's attack proper and the swell only led in, so the sound is heard at the hat and
     * searched for after the swell. Judged on the full band alone, the hat was no attack proper:
     * here the swell became a one-shot of its own; in a brown room of the tuning half a Tux Paint
     * sound was heard at such a swell, its onset search (which ends 35 ms past where a sound was
     * heard) ended before the sound, and its one-shot began 60 ms early, on the rumble.
     */
    @Test
    void aHatAfterASwellOfRumbleIsHeardAtTheHat() {
        PcmFormat format = new PcmFormat(44_100, 1);
        int frames = format.sampleRate() * 3;
        Random random = new Random(11);
        double[] rumble = LowPassedNoise.unitRms(format.sampleRate(), frames, 100, random);
        double[] swell = LowPassedNoise.unitRms(format.sampleRate(), frames, 100, random);
        double swellEndMillis = 380;
        long hat = format.framesFor(445);
        long clap = format.framesFor(1800);
        float[] samples = new float[frames];
        for (int i = 0; i < frames; i++) {
            // The room: rumble at -66 dBFS, hiss at -64 dBFS; the swell, -46 dBFS for 35 ms.
            double swellGain = bump(format.millisFor(i), 345, swellEndMillis);
            double x = Math.pow(10, -66 / 20.0) * rumble[i]
                    + Math.pow(10, -64 / 20.0) * random.nextGaussian()
                    + Math.pow(10, -46 / 20.0) * swellGain * swell[i];
            if (i >= hat) {
                // The hat: white noise from -38 dBFS, decaying in 30 ms.
                x += Math.pow(10, -38 / 20.0)
                        * Math.exp(-(i - hat) / (0.03 * format.sampleRate()))
                        * random.nextGaussian();
            }
            if (i >= clap) {
                // A louder sound later in the take, so the swell is faint next to it.
                x += 0.1 * Math.exp(-(i - clap) / (0.05 * format.sampleRate())) * random.nextGaussian();
            }
            samples[i] = (float) x;
        }
        RecordingAnalysis analysis = analysed(format, samples);

        List<DetectedSound> sounds = detect(analysis).sounds();

        assertEquals(2, sounds.size(), sounds.toString());
        double heardBeforeHatMillis =
                format.millisFor(hat - analysis.blockStartFrame(sounds.get(0).firstLoudBlock()));
        double searchFromMillis =
                format.millisFor(analysis.blockStartFrame(sounds.get(0).searchFromBlock()));
        // The detector's level looks a few blocks ahead: a sound is heard up to 15 ms before it, never after.
        assertTrue(
                heardBeforeHatMillis >= 0 && heardBeforeHatMillis <= 15,
                "heard " + heardBeforeHatMillis + " ms before the hat");
        assertTrue(searchFromMillis >= swellEndMillis, "searched for from " + searchFromMillis + " ms, in the swell");
    }

    /**
     * Hits of a roll at one level, 90 ms apart, each sinking to the room's floor before the next
     * (the lab's quickest follow-ups are 120 ms apart). No hit is taken for a lead-in of the next:
     * the roll comes out as at least four sounds (two hits to a sound today, the 110 ms spacing),
     * the first searched for over the first hit and each over one of the hits. A rule that ended a
     * lead-in at any pause to the floor made the eight hits one sound.
     */
    @Test
    void noHitOfAFastRollIsTakenForALeadIn() {
        PcmFormat format = new PcmFormat(44_100, 1);
        double firstHitMillis = 400;
        double spacingMillis = 90;
        float[] samples = inHissBeforeALoudClap(format, new Random(29), 0.1, millis -> {
            double since = millis - firstHitMillis;
            if (since < 0 || since >= 8 * spacingMillis) {
                return 0;
            }
            // Each hit: -30 dBFS, decaying in 8 ms, in the floor well before the next.
            return Math.pow(10, -30 / 20.0) * Math.exp(-(since % spacingMillis) / 8);
        });
        RecordingAnalysis analysis = analysed(format, samples);

        List<DetectedSound> sounds = detect(analysis).sounds();

        List<DetectedSound> roll = sounds.subList(0, sounds.size() - 1);
        assertTrue(roll.size() >= 4 && roll.size() <= 8, sounds.toString());
        for (int sound = 0; sound < roll.size(); sound++) {
            // Its onset is searched for from before a hit up to a little past where it was heard.
            double searchFromMillis =
                    format.millisFor(analysis.blockStartFrame(roll.get(sound).searchFromBlock()));
            double heardMillis =
                    format.millisFor(analysis.blockStartFrame(roll.get(sound).firstLoudBlock()));
            int firstHit = (int) Math.ceil((searchFromMillis - firstHitMillis) / spacingMillis);
            double hitMillis = firstHitMillis + Math.max(0, firstHit) * spacingMillis;
            assertTrue(
                    (sound > 0 || hitMillis == firstHitMillis) && hitMillis <= heardMillis + HEARD_AHEAD_MILLIS,
                    "sound " + sound + " searched for from " + searchFromMillis + " ms, heard at " + heardMillis
                            + " ms: no hit in between");
        }
    }

    /**
     * A syllable's burst that falls silent some 55 ms before its vowel, 6 dB softer at its peak,
     * in a take whose loudest sound makes the burst faint: the burst is the syllable's start, not
     * a lead-in left out of it. A rule that ended a lead-in at any pause to the floor left it out
     * (heard at the vowel, 66 ms late).
     */
    @Test
    void aBurstThatFallsSilentBeforeItsSofterVowelStaysTheSyllablesStart() {
        PcmFormat format = new PcmFormat(44_100, 1);
        double burstMillis = 480;
        float[] samples = inHissBeforeALoudClap(format, new Random(31), 0.5, millis -> {
            double since = millis - burstMillis;
            if (since < 0) {
                return 0;
            }
            // The burst: -34 dBFS, decaying in 3 ms; the vowel: -40 dBFS from 70 ms to 220 ms.
            return Math.pow(10, -34 / 20.0) * Math.exp(-since / 3) + Math.pow(10, -40 / 20.0) * bump(since, 70, 220);
        });
        RecordingAnalysis analysis = analysed(format, samples);

        List<DetectedSound> sounds = detect(analysis).sounds();

        assertEquals(2, sounds.size(), sounds.toString());
        double heardMillis =
                format.millisFor(analysis.blockStartFrame(sounds.get(0).firstLoudBlock()));
        assertTrue(
                heardMillis <= burstMillis && heardMillis >= burstMillis - HEARD_AHEAD_MILLIS,
                "heard at " + heardMillis + " ms, the burst at " + burstMillis + " ms");
    }

    /**
     * Three seconds of hiss at -64 dBFS with a sound in it (noise under the given envelope, by the
     * ms), and a clap at 1.8 s of the given gain: what lies 20 dB under the clap is faint.
     */
    private static float[] inHissBeforeALoudClap(
            PcmFormat format, Random random, double clapGain, DoubleUnaryOperator envelope) {
        float[] samples = new float[format.sampleRate() * 3];
        long clap = format.framesFor(1800);
        for (int i = 0; i < samples.length; i++) {
            double x = Math.pow(10, -64 / 20.0) * random.nextGaussian()
                    + envelope.applyAsDouble(format.millisFor(i)) * random.nextGaussian();
            if (i >= clap) {
                x += clapGain * Math.exp(-(i - clap) / (0.05 * format.sampleRate())) * random.nextGaussian();
            }
            samples[i] = (float) x;
        }
        return samples;
    }

    /** A gain of 1 over [from, to), reached and left in 5 ms ramps: no click at its edges. */
    private static double bump(double millis, double fromMillis, double toMillis) {
        double ramp = Math.min(Math.min(millis - fromMillis, toMillis - millis) / 5, 1);
        if (ramp <= 0) {
            return 0;
        }
        double sine = Math.sin(Math.PI / 2 * ramp);
        return sine * sine;
    }

    /** Hiss at -70 dBFS, a hit at 500 ms (its loudest 25 ms near -11 dBFS), a note at -46 dBFS RMS. */
    private static RecordingAnalysis hitAndVeryFaintNote(double noteAtMillis) {
        PcmFormat format = new PcmFormat(48_000, 1);
        float[] samples = new float[format.sampleRate() * 4];
        Random random = new Random(7);
        long hit = format.framesFor(500);
        long note = format.framesFor(noteAtMillis);
        for (int i = 0; i < samples.length; i++) {
            double x = Math.pow(10, -70 / 20.0) * random.nextGaussian();
            if (i >= hit) {
                x += 0.3 * Math.exp(-(i - hit) / (0.08 * format.sampleRate())) * random.nextGaussian();
            }
            double since = (i - note) / (double) format.sampleRate();
            if (since >= 0 && since < 0.3) {
                double envelope = Math.min(1, since / 0.01) * Math.exp(-since / 0.1);
                x += Math.pow(10, -46 / 20.0) * Math.sqrt(2) * envelope * Math.sin(2 * Math.PI * 440 * since);
            }
            samples[i] = (float) x;
        }
        return analysed(format, samples);
    }

    /**
     * A tone whose tail beats, as a tom's did in the lab's 1.8 s reverb: it sinks 16 dB under its
     * decay and comes back within 10 ms, 6.7 dB over the loudest 10 ms of the trough's last 50 ms
     * and 12 dB over its 25 ms before. One sound: while a return of 6 dB over the trough was
     * enough to make a new one, the tail was cut off there and the rest became a false one-shot.
     */
    @Test
    void aTailThatBeatsBackIsNoNewSound() {
        PcmFormat format = new PcmFormat(48_000, 1);
        float[] samples = new float[format.sampleRate() * 3];
        Random random = new Random(11);
        long strike = format.framesFor(500);
        for (int i = 0; i < samples.length; i++) {
            double since = (i - strike) / (double) format.sampleRate();
            double x = Math.pow(10, -70 / 20.0) * random.nextGaussian();
            if (since >= 0) {
                double envelopeDb = -12 - 29 * since + beatDb(since);
                x += Math.pow(10, envelopeDb / 20) * Math.sqrt(2) * Math.sin(2 * Math.PI * 400 * since);
            }
            samples[i] = (float) x;
        }
        assertEquals(1, detect(analysed(format, samples)).sounds().size());
    }

    /**
     * A long fizz like the tuning half's Wesnoth "magic missile" (hiss dying away over a second),
     * here with a rumble that swells 12 dB under 150 Hz 200 ms in while the whole sound hardly
     * moves: the rumble, 8 dB under the whole sound, is a part of the fizz, not a kick's thump,
     * which is most of a kick. One sound: while a rumble 10 dB under counted as a thump, the fizz
     * was cut there, its tail lost and the rest a false one-shot.
     */
    @Test
    void aRumbleSwellingWithinAFizzIsNoNewSound() {
        PcmFormat format = new PcmFormat(48_000, 1);
        int frames = format.sampleRate() * 3;
        Random random = new Random(5);
        double[] rumble = LowPassedNoise.unitRms(format.sampleRate(), frames, 100, random);
        float[] samples = new float[frames];
        long start = format.framesFor(500);
        for (int i = 0; i < frames; i++) {
            double since = (i - start) / (double) format.sampleRate();
            double x = Math.pow(10, -70 / 20.0) * random.nextGaussian();
            if (since >= 0 && since < 1.2) {
                x += Math.pow(10, (-12 - 8 * since) / 20) * random.nextGaussian();
                x += Math.pow(10, (since < 0.2 ? -40 : -21) / 20.0) * rumble[i];
            }
            samples[i] = (float) x;
        }
        assertEquals(1, detect(analysed(format, samples)).sounds().size());
    }

    /** The beat's dB under the decay: none, then a trough sinking to 16 dB, back within 10 ms to 0.5 dB under. */
    private static double beatDb(double sinceSeconds) {
        if (sinceSeconds < 0.07) {
            return 0;
        }
        if (sinceSeconds < 0.15) {
            return -2 - 14 * (sinceSeconds - 0.07) / 0.08;
        }
        if (sinceSeconds < 0.16) {
            return -16 + 15.5 * (sinceSeconds - 0.15) / 0.01;
        }
        return -0.5;
    }

    /**
     * Beeps with digital silence between them, as a file made on a computer has (the benchmark's
     * training file): a sound at each beep but the first, which starts with the recording. A rule
     * tried this session (a take whose loudest sound does not clear the threshold by the
     * background's swing holds nothing) found no sound here.
     */
    @Test
    void beepsInDigitalSilenceAreSounds() {
        assertEquals(3, detect(beepsInDigitalSilence(6, Double.NaN)).sounds().size());
    }

    /**
     * Beeps in digital silence, one of them 25 dB softer and 1.5 s from the others: a soft sound
     * standing alone, which the faint rule keeps. It was dropped while a faint sound had to pass
     * the threshold by the background's whole swing, which here spans tens of dB.
     */
    @Test
    void aSoftBeepAmongLoudOnesInDigitalSilenceIsASound() {
        assertEquals(5, detect(beepsInDigitalSilence(8, 4.5)).sounds().size());
    }

    /**
     * 300 ms of 440 Hz at half scale every 1.5 s from the recording's start, exact zeros between;
     * the beep at {@code softBeepAtSeconds} (NaN for none) 25 dB softer.
     */
    private static RecordingAnalysis beepsInDigitalSilence(int seconds, double softBeepAtSeconds) {
        PcmFormat format = new PcmFormat(44_100, 1);
        float[] samples = new float[format.sampleRate() * seconds];
        for (int i = 0; i < samples.length; i++) {
            double t = i / (double) format.sampleRate();
            boolean soft = t >= softBeepAtSeconds && t < softBeepAtSeconds + 1.5;
            double amplitude = soft ? 0.5 * Math.pow(10, -25 / 20.0) : 0.5;
            samples[i] = t % 1.5 < 0.3 ? (float) (amplitude * Math.sin(2 * Math.PI * 440 * t)) : 0;
        }
        return analysed(format, samples);
    }

    private static RecordingAnalysis analysed(PcmFormat format, float[] monoSamples) {
        RecordingAnalyzer analyzer = new RecordingAnalyzer(format);
        analyzer.accept(monoSamples, monoSamples.length);
        return analyzer.finish();
    }

    /** The detector with the worker's defaults: adaptive threshold, 750 ms minimum silence, onsets. */
    private static Detection detect(RecordingAnalysis analysis) {
        return new LevelDetector(Optional.empty(), 750, SplitMode.ONSETS).detect(analysis);
    }
}
