package app.littlebit.worker.quality;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.demo.Sound;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which library files the lab draws: sounds a phone could record, one strike each. */
class SampleLibraryTest {
    private static final int RATE = 48_000;

    /** Tux Paint's click.wav: 25 ms of silence, 0.14 of full scale held for 95 ms, silence again. */
    @Test
    void aStepInLevelIsNoSound() {
        float[] samples = new float[RATE / 5];
        for (int f = RATE / 40; f < RATE / 40 + RATE * 95 / 1000; f++) {
            samples[f] = 0.14f;
        }
        assertTrue(SampleLibrary.isLevelStep(new Sound("click", new float[][] {samples})));
    }

    /** A hi-hat's noise and a piano's tone, even with the offset a cheap recorder leaves, are sounds. */
    @Test
    void hitsAndNotesAreSounds() {
        Random random = new Random(3);
        float[] hat = new float[RATE / 2];
        float[] note = new float[RATE * 2];
        for (int f = 0; f < hat.length; f++) {
            hat[f] = (float) (0.3 * random.nextGaussian() * Math.exp(-f / (0.05 * RATE)) + 0.01);
        }
        for (int f = 0; f < note.length; f++) {
            note[f] = (float) (0.5 * Math.sin(2 * Math.PI * 220 * f / RATE) * Math.exp(-f / (0.6 * RATE)) + 0.02);
        }
        assertFalse(SampleLibrary.isLevelStep(new Sound("hat", new float[][] {hat})));
        assertFalse(SampleLibrary.isLevelStep(new Sound("note", new float[][] {note, note})));
    }
}
