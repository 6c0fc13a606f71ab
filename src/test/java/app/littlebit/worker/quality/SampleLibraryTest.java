package app.littlebit.worker.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.demo.Sound;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which library files the lab draws: sounds a phone could record, one strike each. */
class SampleLibraryTest {
    private static final int RATE = 48_000;

    /** Tux Paint's click.wav: 25 ms of silence, 0.14 of full scale held for 95 ms, silence again. */
    private static float[] levelStep() {
        float[] samples = new float[RATE / 5];
        for (int f = RATE / 40; f < RATE / 40 + RATE * 95 / 1000; f++) {
            samples[f] = 0.14f;
        }
        return samples;
    }

    /** A hi-hat's noise, decaying over 50 ms, with the offset a cheap recorder leaves. */
    private static float[] hat() {
        Random random = new Random(3);
        float[] hat = new float[RATE / 2];
        for (int f = 0; f < hat.length; f++) {
            hat[f] = (float) (0.3 * random.nextGaussian() * Math.exp(-f / (0.05 * RATE)) + 0.01);
        }
        return hat;
    }

    @Test
    void gameEffectsLeaveOutTheVoicesSubfolderAndThePlaceholders(@TempDir Path folder) throws IOException {
        writeWav(folder.resolve("hit.wav"), hat());
        writeWav(folder.resolve("custom1.wav"), hat());
        Path voices = java.nio.file.Files.createDirectories(folder.resolve("voices/Pirate"));
        writeWav(voices.resolve("Ouch.wav"), hat());
        assertEquals(
                Set.of("hit.wav"),
                drawnFileNames(SampleLibrary.gameEffects(List.of(folder)).orElseThrow()));
    }

    /**
     * Wesnoth keeps its units' cries beside its weapons and creatures, and its ambient loops in a
     * subfolder: the voices family draws only the cries, the effects family everything else but
     * the loops.
     */
    @Test
    void wesnothsVoicesAndEffectsAreDrawnApart(@TempDir Path folder) throws IOException {
        writeWav(folder.resolve("dwarf-hit-1.wav"), hat());
        writeWav(folder.resolve("sword.wav"), hat());
        writeWav(folder.resolve("wolf-growl-1.wav"), hat());
        Path ambient = java.nio.file.Files.createDirectories(folder.resolve("ambient"));
        writeWav(ambient.resolve("birds1.wav"), hat());
        assertEquals(
                Set.of("dwarf-hit-1.wav"),
                drawnFileNames(SampleLibrary.wesnothVoices(List.of(folder)).orElseThrow()));
        assertEquals(
                Set.of("sword.wav", "wolf-growl-1.wav"),
                drawnFileNames(SampleLibrary.wesnothEffects(List.of(folder)).orElseThrow()));
    }

    @Test
    void aStepInLevelIsNoSound() {
        assertTrue(SampleLibrary.isLevelStep(new Sound("click", new float[][] {levelStep()})));
    }

    @Test
    void aLibraryNeverDrawsAStepInLevel(@TempDir Path folder) throws IOException {
        writeWav(folder.resolve("click.wav"), levelStep());
        writeWav(folder.resolve("hat.wav"), hat());
        assertEquals(
                Set.of("hat.wav"),
                drawnFileNames(SampleLibrary.installed(List.of(folder)).orElseThrow()));
    }

    /** Sonic Pi keeps loops, drones and robot voices beside its one-shots; only the one-shots are drawn. */
    @Test
    void aSonicPiLoopIsNeverDrawn(@TempDir Path folder) throws IOException {
        writeWav(folder.resolve("loop_amen.wav"), hat());
        writeWav(folder.resolve("ambi_drone.wav"), hat());
        writeWav(folder.resolve("drum_cymbal_closed.wav"), hat());
        assertEquals(
                Set.of("drum_cymbal_closed.wav"),
                drawnFileNames(SampleLibrary.installed(List.of(folder), SampleLibrary::isSonicPiOneShot)
                        .orElseThrow()));
    }

    /** The names of the files 30 draws from the library took: with two or three files, all it holds. */
    private static Set<String> drawnFileNames(SampleLibrary library) {
        Random random = new Random(5);
        Set<String> names = new TreeSet<>();
        for (int draw = 0; draw < 30; draw++) {
            String kind = library.next(random, RATE).kind();
            names.add(kind.substring(kind.lastIndexOf('/') + 1));
        }
        return names;
    }

    private static void writeWav(Path file, float[] samples) throws IOException {
        ByteBuffer pcm = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : samples) {
            pcm.putShort((short) Math.round(Math.max(-1, Math.min(1, x)) * Short.MAX_VALUE));
        }
        AudioFormat format = new AudioFormat(RATE, 16, 1, true, false);
        try (AudioInputStream stream =
                new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, samples.length)) {
            AudioSystem.write(stream, AudioFileFormat.Type.WAVE, file.toFile());
        }
    }

    /** A hi-hat's noise and a piano's tone, even with the offset a cheap recorder leaves, are sounds. */
    @Test
    void hitsAndNotesAreSounds() {
        float[] note = new float[RATE * 2];
        for (int f = 0; f < note.length; f++) {
            note[f] = (float) (0.5 * Math.sin(2 * Math.PI * 220 * f / RATE) * Math.exp(-f / (0.6 * RATE)) + 0.02);
        }
        assertFalse(SampleLibrary.isLevelStep(new Sound("hat", new float[][] {hat()})));
        assertFalse(SampleLibrary.isLevelStep(new Sound("note", new float[][] {note, note})));
    }
}
