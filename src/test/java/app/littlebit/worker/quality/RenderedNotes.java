package app.littlebit.worker.quality;

import app.littlebit.worker.demo.Sound;
import app.littlebit.worker.demo.SoundSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Notes and drum hits rendered from a General MIDI soundfont by fluidsynth (Debian packages
 * {@code fluidsynth} and a soundfont: {@code fluid-soundfont-gm}, {@code timgm6mb-soundfont},
 * {@code csound-soundfont}, {@code musescore-general-soundfont-small}, an .sf3 that Debian's
 * fluidsynth reads):
 * pitched one-shots with long natural decays (piano, bells, marimba, plucked strings, timpani)
 * and the soundfont's own drum kit. Each note is held for a while, released, and rendered until
 * its release has rung out; fluidsynth's own reverb and chorus are off, so a tail is the
 * instrument's.
 */
public final class RenderedNotes implements SoundSource {
    public static final Path FLUID_R3 = Path.of("/usr/share/sounds/sf2/FluidR3_GM.sf2");
    public static final Path TIM_GM = Path.of("/usr/share/sounds/sf2/TimGM6mb.sf2");
    /** Csound's small GM bank, for a tuning-half music bed unlike FluidR3's (package {@code csound-soundfont}). */
    public static final Path CSOUND_GM = Path.of("/usr/share/sounds/sf2/sf_GMbank.sf2");
    /** MuseScore's small GM font, Ogg-compressed, for another tuning-half music bed (package {@code musescore-general-soundfont-small}). */
    public static final Path MUSESCORE_LITE = Path.of("/usr/share/sounds/sf3/MuseScore_General_Lite.sf3");
    /**
     * General MIDI programs that make one-shots: pianos, chromatic percussion (celesta to tubular
     * bells), plucked guitars and basses, pizzicato, harp, timpani, and the percussive programs.
     */
    static final List<Integer> PITCHED_PROGRAMS = List.of(
            0, 1, 4, 6, 8, 9, 10, 11, 12, 13, 14, 24, 25, 27, 32, 33, 38, 45, 46, 47, 105, 107, 108, 112, 114, 115, 116,
            117, 118);
    /** The General MIDI drum map's notes, bass drum to open triangle. */
    static final int FIRST_DRUM_NOTE = 35;

    static final int LAST_DRUM_NOTE = 81;
    private static final int RENDER_RATE = 48_000;
    private static final int[] VELOCITIES = {45, 75, 100, 127};
    private static final int[] HOLD_MILLIS = {150, 400, 1000};
    /** Rendered after the note is released: longer than any release in the fonts. */
    private static final int RING_OUT_MILLIS = 5000;

    private static final int DRUM_CHANNEL = 9;

    private final Path soundfont;
    private final boolean drums;

    private RenderedNotes(Path soundfont, boolean drums) {
        this.soundfont = soundfont;
        this.drums = drums;
    }

    /** Pitched notes from the soundfont, or empty if it or fluidsynth is not installed. */
    public static Optional<RenderedNotes> pitched(Path soundfont) {
        return available(soundfont) ? Optional.of(new RenderedNotes(soundfont, false)) : Optional.empty();
    }

    /** The soundfont's drum kit, or empty if it or fluidsynth is not installed. */
    public static Optional<RenderedNotes> drums(Path soundfont) {
        return available(soundfont) ? Optional.of(new RenderedNotes(soundfont, true)) : Optional.empty();
    }

    private static boolean available(Path soundfont) {
        return Files.isRegularFile(soundfont) && SoundFiles.installed("fluidsynth");
    }

    @Override
    public Sound next(Random random, int sampleRate) {
        int program = drums ? 0 : PITCHED_PROGRAMS.get(random.nextInt(PITCHED_PROGRAMS.size()));
        int note = drums
                ? FIRST_DRUM_NOTE + random.nextInt(LAST_DRUM_NOTE - FIRST_DRUM_NOTE + 1)
                : 36 + random.nextInt(48);
        int velocity = VELOCITIES[random.nextInt(VELOCITIES.length)];
        int hold = HOLD_MILLIS[random.nextInt(HOLD_MILLIS.length)];
        String name = String.format(
                Locale.ROOT,
                "%s/%s-p%d-n%d-v%d-h%d.wav",
                fontName(),
                drums ? "drum" : "note",
                program,
                note,
                velocity,
                hold);
        Path file = SoundFiles.cached(name, out -> render(program, note, velocity, hold, out));
        String kind = String.format(
                Locale.ROOT, "%s %s %d/%d", fontName(), drums ? "drum" : "program " + program, note, velocity);
        return new Sound(kind, SoundFiles.decode(file, sampleRate));
    }

    private String fontName() {
        return soundfont.getFileName().toString().replaceAll("\\.sf[23]$", "");
    }

    private void render(int program, int note, int velocity, int holdMillis, Path out) throws IOException {
        Path midi = Files.createTempFile("note-", ".mid");
        try {
            Files.write(midi, oneNote(drums ? DRUM_CHANNEL : 0, program, note, velocity, holdMillis));
            SoundFiles.run(List.of(
                    "fluidsynth",
                    "-ni",
                    "-q",
                    "-R",
                    "0",
                    "-C",
                    "0",
                    "-g",
                    "0.5",
                    "-r",
                    Integer.toString(RENDER_RATE),
                    "-T",
                    "wav",
                    "-F",
                    out.toString(),
                    soundfont.toString(),
                    midi.toString()));
        } finally {
            Files.deleteIfExists(midi);
        }
    }

    /**
     * A standard MIDI file of one note: format 0, 480 ticks per quarter at the default 120 bpm,
     * so 960 ticks a second.
     */
    static byte[] oneNote(int channel, int program, int note, int velocity, int holdMillis) {
        ByteArrayOutputStream track = new ByteArrayOutputStream();
        event(track, 0, 0xC0 | channel, program);
        event(track, 0, 0x90 | channel, note, velocity);
        event(track, holdMillis * 960 / 1000, 0x80 | channel, note, 0);
        event(track, RING_OUT_MILLIS * 960 / 1000, 0xFF, 0x2F, 0);
        byte[] events = track.toByteArray();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[] {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0x01, (byte) 0xE0});
        file.writeBytes(new byte[] {'M', 'T', 'r', 'k'});
        file.writeBytes(new byte[] {
            (byte) (events.length >>> 24),
            (byte) (events.length >>> 16),
            (byte) (events.length >>> 8),
            (byte) events.length
        });
        file.writeBytes(events);
        return file.toByteArray();
    }

    private static void event(ByteArrayOutputStream track, int deltaTicks, int... bytes) {
        int buffer = deltaTicks & 0x7F;
        int rest = deltaTicks >>> 7;
        while (rest > 0) {
            buffer = (buffer << 8) | 0x80 | (rest & 0x7F);
            rest >>>= 7;
        }
        while (true) {
            track.write(buffer & 0xFF);
            if ((buffer & 0x80) == 0) {
                break;
            }
            buffer >>>= 8;
        }
        for (int b : bytes) {
            track.write(b);
        }
    }
}
