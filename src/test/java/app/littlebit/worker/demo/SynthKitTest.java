package app.littlebit.worker.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.Pitch;
import app.littlebit.worker.audio.PitchEstimator;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The kit's fixed-pitch option: the demo's notes at their pitch, and nothing else moved by it. */
class SynthKitTest {
    private static final int RATE = 44_100;

    @Test
    void aFixedPitchHoldsTheNoteThereAndDrawsTheSameRandomNumbers() {
        SynthKit free = new SynthKit(List.of("pluck"));
        SynthKit fixed = new SynthKit(List.of("pluck"), Map.of("pluck", 261.63));
        Random freeRandom = new Random(3);
        Random fixedRandom = new Random(3);

        float[] freePluck = free.sound("pluck", freeRandom, RATE).channels()[0];
        float[] fixedPluck = fixed.sound("pluck", fixedRandom, RATE).channels()[0];

        assertEquals("C4", pitch(fixedPluck).noteName());
        assertFalse(Arrays.equals(freePluck, fixedPluck), "the seed's pitch is not C4");
        // Everything after the note comes out as without the option: a lab take keeps its sounds.
        assertArrayEquals(
                free.sound("kick", freeRandom, RATE).channels()[0],
                fixed.sound("kick", fixedRandom, RATE).channels()[0]);
    }

    @Test
    void onlyTunedKindsHaveAPitchToFix() {
        assertThrows(
                IllegalArgumentException.class, () -> new SynthKit(List.of("closed-hat"), Map.of("closed-hat", 440.0)));
    }

    private static Pitch.Pitched pitch(float[] mono) {
        PitchEstimator estimator = new PitchEstimator(new PcmFormat(RATE, 1), 0);
        estimator.accept(mono, mono.length);
        return (Pitch.Pitched) estimator.finish();
    }
}
