package app.littlebit.worker.quality;

import app.littlebit.worker.demo.Sound;
import app.littlebit.worker.demo.SoundSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Recorded one-shots from a sample library installed by a Debian package, decoded at the take's
 * sample rate: the drum kits of Hydrogen ({@code hydrogen-drumkits}), or LMMS's drums, percussion
 * and instrument notes ({@code lmms-common}). Unlike the synthesizer they bring real attacks, room
 * tails and the libraries' own recording noise.
 *
 * <p>Files holding more than one strike (drags, ruffs, "flink" and "swish" cymbals, patterns) are
 * left out: the truth is one sound per file, and for those it would be wrong. A file has a second
 * strike when, more than {@link #SAME_STRIKE_MILLIS} after its loudest point so far, its 10 ms level
 * climbs {@link #SECOND_STRIKE_RISE_DB} out of a dip of at least as much. Swells are left out too
 * (a slice of a crescendo in a loop): a file whose loudest 10 ms come more than
 * {@link #MAX_ATTACK_MILLIS} after it starts to sound has no attack to cut, only a rise. And a file
 * that is mostly a step in DC level is left out: no phone records one.
 */
public final class SampleLibrary implements SoundSource {
    public static final Path HYDROGEN_KITS = Path.of("/usr/share/hydrogen/data/drumkits");
    public static final Path LMMS_SAMPLES = Path.of("/usr/share/lmms/samples");
    public static final Path TUX_PAINT_SOUNDS = Path.of("/usr/share/tuxpaint/sounds");
    public static final Path SONIC_PI_SAMPLES = Path.of("/usr/share/sonic-pi/samples");
    public static final Path HEDGEWARS_SOUNDS = Path.of("/usr/share/games/hedgewars/Data/Sounds");
    public static final Path PINGUS_SOUNDS = Path.of("/usr/share/games/pingus/data/sounds");
    public static final Path FROZEN_BUBBLE_SOUNDS = Path.of("/usr/share/games/frozen-bubble/snd");
    /** Wesnoth's sounds ({@code wesnoth-1.16-data}); another branch draws other takes, so only this one is read. */
    public static final Path WESNOTH_SOUNDS = Path.of("/usr/share/games/wesnoth/1.16/data/core/sounds");
    /**
     * Wesnoth's voices, by name: people recorded as its living units (dwarves, elves, goblins,
     * humans, ogres, orcs, trolls), crying out when hit or dying, laughing, grunting. Everything
     * else is an effect: weapons, magic, creatures (wolves, drakes, gryphons), and the undead's and
     * merfolk's cries too, which are voices made strange.
     */
    static final List<String> WESNOTH_VOICE_PREFIXES =
            List.of("dwarf-", "elf-", "goblin-", "human-", "ogre-", "orc-", "troll-", "groan", "ugg");
    /**
     * Sonic Pi's files that may hold one sound, by name: basses, kicks, drums, electronic hits,
     * percussion, snares, tabla, guitar and a few odd ones. Left out by name: loops, ambient
     * drones, glitches and robot voices (several events per file) and vinyl noises. The few
     * several-event files among the kept ones (a drum roll, a guitar slide) are left out by
     * {@link #isOneStrike} like any library's.
     */
    static final List<String> SONIC_PI_ONE_SHOT_PREFIXES =
            List.of("bass_", "bd_", "drum_", "elec_", "perc_", "sn_", "tabla_", "guit_", "misc_");
    /** LMMS's folders of single sounds; the others hold loops, beats and waveforms. */
    static final List<String> LMMS_ONE_SHOT_FOLDERS = List.of("drums", "instruments", "misc", "latin", "effects");
    /** A file whose mean carries this share of its power or more is a step in level (see {@link #isLevelStep}). */
    static final double MAX_DC_SHARE_OF_POWER = 0.25;
    /** Longer files are loops or cymbals left to ring far past any take's spacing. */
    private static final double MAX_SECONDS = 6;

    static final double SAME_STRIKE_MILLIS = 30;
    static final double SECOND_STRIKE_RISE_DB = 6;
    /** A strike is loudest within this long of its first sound; the slowest, a soft mallet on a big drum, well within. */
    static final double MAX_ATTACK_MILLIS = 100;
    /** Wiggles this far under the peak are the sample's own noise, not a strike. */
    private static final double STRIKE_RANGE_DB = 50;

    private final List<Path> files;
    private final Map<String, Sound> decoded = new HashMap<>();

    private SampleLibrary(List<Path> files) {
        this.files = files;
    }

    /** Hydrogen's kits, or empty if they are not installed. */
    public static Optional<SampleLibrary> hydrogenKits() {
        return installed(List.of(HYDROGEN_KITS));
    }

    /** Tux Paint's effect sounds (clicks, pops, a harp, a bell, a stamp), or empty if not installed. */
    public static Optional<SampleLibrary> tuxPaint() {
        return installed(List.of(TUX_PAINT_SOUNDS));
    }

    /** LMMS's one-shots (drums, percussion, instrument notes, effects), or empty if not installed. */
    public static Optional<SampleLibrary> lmms() {
        return installed(
                LMMS_ONE_SHOT_FOLDERS.stream().map(LMMS_SAMPLES::resolve).toList());
    }

    /** Sonic Pi's one-shots ({@code sonic-pi-samples}), or empty if not installed. */
    public static Optional<SampleLibrary> sonicPi() {
        return installed(List.of(SONIC_PI_SAMPLES), SampleLibrary::isSonicPiOneShot);
    }

    /**
     * Game sound effects: Hedgewars' weapons, impacts and items ({@code hedgewars-data}, not its
     * voices or music), Pingus' ({@code pingus-data}) and Frozen Bubble's ({@code
     * frozen-bubble-data}); or empty if none is installed.
     */
    public static Optional<SampleLibrary> gameEffects() {
        return gameEffects(List.of(HEDGEWARS_SOUNDS, PINGUS_SOUNDS, FROZEN_BUBBLE_SOUNDS));
    }

    /**
     * The effects right in these folders: Hedgewars keeps its voices in a subfolder. Its
     * custom1.ogg to custom8.ogg are one placeholder, 3.5 kB peaking at -45 dBFS: no sound.
     */
    static Optional<SampleLibrary> gameEffects(List<Path> folders) {
        return installed(folders, 1, name -> !name.startsWith("custom"));
    }

    /**
     * Hedgewars' voices: people recorded saying a word or a shout ("Hello", "Ouch", "Incoming") as
     * some fifteen characters, in English and a few other languages; or empty if not installed.
     */
    public static Optional<SampleLibrary> hedgewarsVoices() {
        return installed(List.of(HEDGEWARS_SOUNDS.resolve("voices")));
    }

    /**
     * Wesnoth's sound effects: weapons, magic, explosions and creatures (not its voices, its
     * ambient loops or its horn signals, which sit in subfolders); or empty if not installed.
     */
    public static Optional<SampleLibrary> wesnothEffects() {
        return wesnothEffects(List.of(WESNOTH_SOUNDS));
    }

    /** The effects right in these folders of Wesnoth's sounds. */
    static Optional<SampleLibrary> wesnothEffects(List<Path> folders) {
        return installed(folders, 1, name -> !isWesnothVoice(name));
    }

    /** Wesnoth's voices (see {@link #WESNOTH_VOICE_PREFIXES}), or empty if not installed. */
    public static Optional<SampleLibrary> wesnothVoices() {
        return wesnothVoices(List.of(WESNOTH_SOUNDS));
    }

    /** The voices right in these folders of Wesnoth's sounds. */
    static Optional<SampleLibrary> wesnothVoices(List<Path> folders) {
        return installed(folders, 1, SampleLibrary::isWesnothVoice);
    }

    private static boolean isWesnothVoice(String fileName) {
        return WESNOTH_VOICE_PREFIXES.stream().anyMatch(fileName::startsWith);
    }

    /** Whether a file of Sonic Pi's holds one sound, by its name (see {@link #SONIC_PI_ONE_SHOT_PREFIXES}). */
    static boolean isSonicPiOneShot(String fileName) {
        return SONIC_PI_ONE_SHOT_PREFIXES.stream().anyMatch(fileName::startsWith);
    }

    /** The audio files under the folders, or empty if there are none. */
    static Optional<SampleLibrary> installed(List<Path> folders) {
        return installed(folders, name -> true);
    }

    /** The audio files under the folders whose names {@code keep} accepts, or empty if there are none. */
    static Optional<SampleLibrary> installed(List<Path> folders, Predicate<String> keep) {
        return installed(folders, Integer.MAX_VALUE, keep);
    }

    /** The audio files at most {@code depth} folders down, whose names {@code keep} accepts, or empty if there are none. */
    private static Optional<SampleLibrary> installed(List<Path> folders, int depth, Predicate<String> keep) {
        List<Path> audio = new ArrayList<>();
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(folder, depth)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> p.getFileName()
                                .toString()
                                .toLowerCase(Locale.ROOT)
                                .matches(".*\\.(wav|flac|aiff|ogg)"))
                        .filter(p -> keep.test(p.getFileName().toString()))
                        .sorted()
                        .forEach(audio::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return audio.isEmpty() ? Optional.empty() : Optional.of(new SampleLibrary(audio));
    }

    @Override
    public Sound next(Random random, int sampleRate) {
        for (int attempt = 0; ; attempt++) {
            Path file = files.get(random.nextInt(files.size()));
            Sound sound = decoded.computeIfAbsent(file + "@" + sampleRate, key -> decode(file, sampleRate));
            if (sound.frames() > 0
                    && sound.frames() <= MAX_SECONDS * sampleRate
                    && !isLevelStep(sound)
                    && isOneStrike(sound, sampleRate)) {
                return sound;
            }
            if (attempt > 1000) {
                throw new IllegalStateException("no sample shorter than " + MAX_SECONDS + " s");
            }
        }
    }

    /**
     * Whether the file is mostly a step in DC level, not a sound: no speaker plays it and no phone's
     * microphone records it, so its truth (one sound as long as the step) is not what a phone would
     * hear. Tux Paint's click.wav holds 0.14 of full scale for 95 ms (mean 0.69 of its RMS); every
     * drum, note and effect of the Hydrogen, LMMS and Tux Paint libraries stays under 0.44.
     */
    static boolean isLevelStep(Sound sound) {
        double sum = 0;
        double squares = 0;
        long samples = 0;
        for (float[] channel : sound.channels()) {
            for (float x : channel) {
                sum += x;
                squares += (double) x * x;
                samples++;
            }
        }
        double mean = sum / samples;
        return mean * mean >= MAX_DC_SHARE_OF_POWER * (squares / samples);
    }

    /** Whether the file is one strike: no second one, and no swell (see the class comment). */
    static boolean isOneStrike(Sound sound, int sampleRate) {
        int hop = sampleRate / 200;
        double millisPerWindow = 1000.0 * hop / sampleRate;
        double[] levels = levels(sound, hop, sampleRate / 100);
        double peak = Arrays.stream(levels).max().orElse(Double.NEGATIVE_INFINITY);
        int firstSound = 0;
        while (firstSound < levels.length && levels[firstSound] < peak - STRIKE_RANGE_DB) {
            firstSound++;
        }
        double loudest = Double.NEGATIVE_INFINITY;
        int loudestAt = 0;
        double dip = Double.POSITIVE_INFINITY;
        for (int w = 0; w < levels.length; w++) {
            if (levels[w] == peak && (w - firstSound) * millisPerWindow > MAX_ATTACK_MILLIS) {
                return false;
            }
            boolean rose = levels[w] >= dip + SECOND_STRIKE_RISE_DB && dip <= loudest - SECOND_STRIKE_RISE_DB;
            if (rose && (w - loudestAt) * millisPerWindow > SAME_STRIKE_MILLIS && levels[w] >= peak - STRIKE_RANGE_DB) {
                return false;
            }
            if (levels[w] > loudest) {
                loudest = levels[w];
                loudestAt = w;
                dip = levels[w];
            } else {
                dip = Math.min(dip, levels[w]);
            }
        }
        return true;
    }

    /** The level of each window of {@code window} frames, {@code hop} apart, over all channels, in dB. */
    private static double[] levels(Sound sound, int hop, int window) {
        int windows = Math.max(0, (sound.frames() - window) / hop + 1);
        double[] levels = new double[windows];
        for (int w = 0; w < windows; w++) {
            double sum = 0;
            for (float[] channel : sound.channels()) {
                for (int f = w * hop; f < w * hop + window; f++) {
                    sum += (double) channel[f] * channel[f];
                }
            }
            levels[w] = 10 * Math.log10(sum / (window * sound.channels().length) + 1e-20);
        }
        return levels;
    }

    /** The file's sound, or an empty one if FFmpeg cannot read it (a few LMMS files are Ogg Speex or FLAC). */
    private static Sound decode(Path file, int sampleRate) {
        String kind = file.getParent().getFileName() + "/" + file.getFileName();
        try {
            return new Sound(kind, SoundFiles.decode(file, sampleRate));
        } catch (app.littlebit.worker.failure.WorkerException e) {
            return new Sound(kind, new float[][] {new float[0]});
        }
    }
}
