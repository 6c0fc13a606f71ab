package app.littlebit.worker.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.demo.Room;
import app.littlebit.worker.demo.TakeSynthesizer;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Notes of known pitch come out as that note; drums and noise come out unpitched. */
class PitchEstimatorTest {
    private static final PcmFormat MONO = new PcmFormat(48_000, 1);

    /** Plucked-string-like notes: eight harmonics falling off, a sharp attack, an exponential decay. */
    @ParameterizedTest
    @ValueSource(ints = {28, 33, 40, 45, 52, 57, 60, 64, 69, 76, 81, 88, 93})
    void harmonicNotesReadAsTheirNote(int midiNote) {
        double hertz = 440 * Math.pow(2, (midiNote - 69) / 12.0);
        Pitch.Pitched pitch = assertInstanceOf(Pitch.Pitched.class, estimate(MONO, note(hertz, 1.5, 8), 96));
        assertEquals(midiNote, pitch.midiNote(), pitch.toString());
        assertEquals(0, pitch.cents(), 3, pitch.toString());
        assertEquals(hertz, pitch.hertz(), hertz * 0.002, pitch.toString());
        assertTrue(pitch.confidence() > 0.8, pitch.toString());
    }

    @ParameterizedTest
    @CsvSource({"57, 20", "57, -35", "64, 45", "45, -10"})
    void detunedNotesGiveTheNearestNoteAndTheCents(int midiNote, double cents) {
        double hertz = 440 * Math.pow(2, (midiNote - 69 + cents / 100) / 12.0);
        Pitch.Pitched pitch = assertInstanceOf(Pitch.Pitched.class, estimate(MONO, note(hertz, 1.0, 6), 0));
        assertEquals(midiNote, pitch.midiNote());
        assertEquals(cents, pitch.cents(), 3, pitch.toString());
    }

    /** A strong second harmonic and a weak fundamental must not read an octave up. */
    @Test
    void aWeakFundamentalStillGivesTheFundamental() {
        double hertz = 110;
        float[] samples = render(
                MONO,
                1.2,
                t -> Math.exp(-t / 0.5)
                        * (0.3 * Math.sin(2 * Math.PI * hertz * t)
                                + Math.sin(2 * Math.PI * 2 * hertz * t)
                                + 0.6 * Math.sin(2 * Math.PI * 3 * hertz * t)));
        Pitch.Pitched pitch = assertInstanceOf(Pitch.Pitched.class, estimate(MONO, samples, 0));
        assertEquals(45, pitch.midiNote(), pitch.toString());
    }

    @Test
    void stereoNotesAreReadFromBothChannels() {
        PcmFormat stereo = new PcmFormat(44_100, 2);
        float[] mono = note(261.63, 1.0, 5, stereo);
        float[] samples = new float[mono.length * 2];
        for (int f = 0; f < mono.length; f++) {
            samples[2 * f] = mono[f];
            samples[2 * f + 1] = 0.5f * mono[f];
        }
        assertEquals(
                "C4",
                assertInstanceOf(Pitch.Pitched.class, estimate(stereo, samples, 0))
                        .noteName());
    }

    @Test
    void noiseIsUnpitched() {
        Random random = new Random(1);
        float[] hiss = render(MONO, 1.0, t -> random.nextGaussian() * 0.3 * Math.exp(-t / 0.3));
        assertInstanceOf(Pitch.Unpitched.class, estimate(MONO, hiss, 0));
    }

    @Test
    void silenceAndSoundsTooShortForASustainAreUnpitched() {
        assertInstanceOf(Pitch.Unpitched.class, estimate(MONO, new float[48_000], 0));
        assertInstanceOf(Pitch.Unpitched.class, estimate(MONO, note(440, 0.05, 4), 0));
    }

    /** The demo take's drums: a kick that sweeps down, a snare's rattle, a hat, a clap. */
    @ParameterizedTest
    @ValueSource(strings = {"kick", "snare", "closed-hat", "clap"})
    void synthesizedDrumsAreUnpitched(String kind) {
        assertInstanceOf(Pitch.Unpitched.class, estimate(MONO, synthesized(kind), 0), kind);
    }

    @ParameterizedTest
    @CsvSource({"pluck, A3", "tone, A4"})
    void synthesizedNotesReadAsTheirNote(String kind, String note) {
        assertEquals(
                note,
                assertInstanceOf(Pitch.Pitched.class, estimate(MONO, synthesized(kind), 0))
                        .noteName());
    }

    @Test
    void noteNamesFollowScientificPitchNotation() {
        assertEquals("A4", Pitch.Pitched.of(440, 1).noteName());
        assertEquals("C4", Pitch.Pitched.of(261.63, 1).noteName());
        assertEquals("C#-1", new Pitch.Pitched(8.66, 1, 0, 1).noteName());
        assertEquals("B1", Pitch.Pitched.of(61.74, 1).noteName());
    }

    /** One sound of the demo take's synthesizer, alone, at -6 dBFS, over a faint noise floor. */
    static float[] synthesized(String kind) {
        return new TakeSynthesizer(new Room(MONO, -70, 0, 50, 0), 9)
                .take(1.5, List.of(new TakeSynthesizer.Placement(kind, 0, -6)))
                .samples();
    }

    static Pitch estimate(PcmFormat format, float[] samples, int onsetFrames) {
        PitchEstimator estimator = new PitchEstimator(format, onsetFrames);
        // In parts, as the pipeline hands them on.
        int channels = format.channels();
        for (int frame = 0; frame < samples.length / channels; frame += 1000) {
            int count = Math.min(1000, samples.length / channels - frame);
            float[] part = new float[count * channels];
            System.arraycopy(samples, frame * channels, part, 0, part.length);
            estimator.accept(part, count);
        }
        return estimator.finish();
    }

    private static float[] note(double hertz, double seconds, int harmonics) {
        return note(hertz, seconds, harmonics, MONO);
    }

    private static float[] note(double hertz, double seconds, int harmonics, PcmFormat format) {
        return render(new PcmFormat(format.sampleRate(), 1), seconds, t -> {
            double sum = 0;
            for (int h = 1; h <= harmonics && h * hertz < format.sampleRate() / 2.0; h++) {
                sum += Math.sin(2 * Math.PI * h * hertz * t + h) / h;
            }
            return 0.5 * Math.min(1, t / 0.003) * Math.exp(-t / 0.4) * sum;
        });
    }

    static float[] render(PcmFormat format, double seconds, DoubleUnaryOperator at) {
        float[] out = new float[(int) (seconds * format.sampleRate())];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) at.applyAsDouble((double) i / format.sampleRate());
        }
        return out;
    }
}
