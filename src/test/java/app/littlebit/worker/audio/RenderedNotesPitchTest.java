package app.littlebit.worker.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.littlebit.worker.support.TestAudio;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real instruments: General MIDI notes rendered by FluidSynth from a SoundFont (Debian packages
 * fluidsynth and timgm6mb-soundfont or fluid-soundfont-gm, which {@code .ci/run} installs), read
 * back as the worker reads a recording. Pitched instruments must read as the note played; the
 * drum kit's kick, snare, hats, clap and cymbals as unpitched.
 */
class RenderedNotesPitchTest {
    private static final List<Path> SOUND_FONTS =
            List.of(Path.of("/usr/share/sounds/sf2/FluidR3_GM.sf2"), Path.of("/usr/share/sounds/sf2/TimGM6mb.sf2"));
    private static final int MIDI_DRUM_CHANNEL = 9;
    private static List<Path> soundFonts;

    @TempDir
    static Path dir;

    @BeforeAll
    static void findFluidSynth() {
        soundFonts = SOUND_FONTS.stream().filter(Files::isRegularFile).toList();
    }

    /** General MIDI program (0-based) and note: piano, nylon guitar, bass, strings, trumpet, flute, marimba. */
    @ParameterizedTest(name = "program {0}, note {1}")
    @CsvSource({
        "0, 48", "0, 60", "0, 72", "0, 84", "24, 52", "24, 64", "33, 33", "33, 40", "40, 67", "56, 62", "73, 79",
        "12, 69"
    })
    void renderedNotesReadAsTheNotePlayed(int program, int note) throws Exception {
        for (Path soundFont : soundFonts()) {
            Pitch pitch = PitchEstimatorTest.estimate(new PcmFormat(48_000, 2), render(soundFont, 0, program, note), 0);
            String played = soundFont.getFileName() + " program " + program + " note " + note + ": " + pitch;
            Pitch.Pitched pitched = assertInstanceOf(Pitch.Pitched.class, pitch, played);
            assertEquals(note, pitched.midiNote(), played);
            // SoundFont samples are tuned by ear and by their loop points: a few cents either way.
            assertTrue(Math.abs(pitched.cents()) < 20, played);
        }
    }

    /** General MIDI percussion: bass drum, snare, closed and open hat, clap, crash and ride. */
    @ParameterizedTest(name = "drum note {0}")
    @CsvSource({"36", "38", "40", "42", "46", "39", "49", "51"})
    void renderedDrumsAreUnpitched(int note) throws Exception {
        for (Path soundFont : soundFonts()) {
            Pitch pitch = PitchEstimatorTest.estimate(
                    new PcmFormat(48_000, 2), render(soundFont, MIDI_DRUM_CHANNEL, 0, note), 0);
            assertInstanceOf(
                    Pitch.Unpitched.class, pitch, soundFont.getFileName() + " drum note " + note + ": " + pitch);
        }
    }

    private static List<Path> soundFonts() {
        assumeTrue(
                !soundFonts.isEmpty() && onPath("fluidsynth"),
                "FluidSynth or a General MIDI SoundFont is not installed (apt-get install fluidsynth "
                        + "timgm6mb-soundfont); skipping the rendered-note checks");
        return soundFonts;
    }

    /** One note held for a second, rendered without reverb or chorus, as 48 kHz stereo floats. */
    private static float[] render(Path soundFont, int channel, int program, int note)
            throws IOException, InterruptedException {
        Path midi = dir.resolve("note-" + channel + "-" + program + "-" + note + ".mid");
        Files.write(midi, midiFile(channel, program, note));
        Path wav = dir.resolve(soundFont.getFileName() + "-" + midi.getFileName() + ".wav");
        Process fluidsynth = new ProcessBuilder(
                        "fluidsynth",
                        "-ni",
                        "-q",
                        "-R",
                        "0",
                        "-C",
                        "0",
                        "-r",
                        "48000",
                        "-F",
                        wav.toString(),
                        soundFont.toString(),
                        midi.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(fluidsynth.waitFor(60, TimeUnit.SECONDS) && fluidsynth.exitValue() == 0, "fluidsynth failed");
        return TestAudio.decode(wav);
    }

    /** A type-0 Standard MIDI File: program change, note on at velocity 100, note off a second later (120 bpm). */
    private static byte[] midiFile(int channel, int program, int note) {
        byte[] events = {
            0,
            (byte) (0xC0 | channel),
            (byte) program,
            0,
            (byte) (0x90 | channel),
            (byte) note,
            100,
            (byte) 0x81,
            0x40,
            (byte) (0x80 | channel),
            (byte) note,
            64,
            0,
            (byte) 0xFF,
            0x2F,
            0
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {
            'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0, 96, 'M', 'T', 'r', 'k', 0, 0, 0, (byte) events.length
        });
        out.writeBytes(events);
        return out.toByteArray();
    }

    private static boolean onPath(String command) {
        return Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(path -> java.util.Arrays.stream(path.split(java.io.File.pathSeparator)))
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, command)));
    }
}
