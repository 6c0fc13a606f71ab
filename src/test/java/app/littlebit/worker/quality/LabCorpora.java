package app.littlebit.worker.quality;

import app.littlebit.worker.demo.SoundSource;
import app.littlebit.worker.demo.SynthKit;
import app.littlebit.worker.demo.TakeBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The lab's corpora in two halves. The <b>tuning</b> half may be looked at, listened to and tuned
 * on. The <b>validation</b> half is only ever scored: its sounds come from other sources (LMMS's
 * samples instead of Hydrogen's kits and the synthesizer, the TimGM6mb soundfont instead of
 * FluidR3, other espeak-ng languages and voices) and other seeds, so a change that only fits the
 * tuning half shows up there. Families whose Debian package is missing are left out, with a note.
 */
public final class LabCorpora {
    /** Hits spaced as a musician records one-shots, with a quarter of them quick follow-ups. */
    static final TakeBuilder.Layout QUICK_FOLLOW_UPS = new TakeBuilder.Layout(0.8, 2.2, 0.25);
    /** Room for long decays: bells, pianos and reverberant hits get 2 to 5 s each. */
    static final TakeBuilder.Layout LONG_DECAYS = new TakeBuilder.Layout(2, 5, 0.1);
    /** Faint speech or music 25 to 35 dB under the median hit. */
    static final double BED_MIN_BELOW_DB = 25;

    static final double BED_MAX_BELOW_DB = 35;

    private LabCorpora() {}

    /**
     * One kind of take.
     *
     * @param name  what the table calls it
     * @param takes the takes, made when asked for
     */
    public record Family(String name, Supplier<List<CorpusTake>> takes) {}

    /** The half tuned on. {@code scale} multiplies every family's number of takes. */
    public static List<Family> tuning(double scale) {
        List<Family> families = new ArrayList<>();
        Optional<RenderedNotes> music = RenderedNotes.pitched(RenderedNotes.FLUID_R3);
        families.add(new Family(
                "Synthesized kit, hiss and hum (the first corpus)",
                () -> Corpus.phoneTakes("synthetic", new SynthKit(), takes(12, scale), 2024)));
        families.add(inRooms("Synthesized kit", "synth-rooms", new SynthKit(), takes(8, scale), 1101));
        SampleLibrary.hydrogenKits()
                .ifPresentOrElse(
                        kits -> {
                            families.add(inRooms("Hydrogen drum kits", "kits", kits, takes(8, scale), 1201));
                            families.add(
                                    throughReverb("Hydrogen drum kits", "kits-reverb", kits, takes(6, scale), 1202));
                            music.ifPresent(bed -> families.add(overMusic(
                                    "Hydrogen drum kits",
                                    "kits-music",
                                    kits,
                                    TakeBuilder.Layout.SPACED,
                                    bed,
                                    "FluidR3",
                                    takes(6, scale),
                                    1203)));
                        },
                        () -> missing("hydrogen-drumkits"));
        addNotes(families, RenderedNotes.FLUID_R3, "FluidR3", scale, 1300);
        RenderedNotes.drums(RenderedNotes.FLUID_R3)
                .ifPresent(drums -> families.add(
                        throughReverb("FluidR3 drum kit", "FluidR3-drums-reverb", drums, takes(6, scale), 1304)));
        music.ifPresent(notes -> {
            families.add(throughReverb("FluidR3 notes", "FluidR3-notes-reverb", notes, takes(6, scale), 1305));
            families.add(overMusic(
                    "FluidR3 notes",
                    "FluidR3-notes-music",
                    notes,
                    LONG_DECAYS,
                    notes,
                    "FluidR3",
                    takes(6, scale),
                    1306));
            families.add(overMusic(
                    "Synthesized kit",
                    "synth-music",
                    new SynthKit(),
                    TakeBuilder.Layout.SPACED,
                    notes,
                    "FluidR3",
                    takes(6, scale),
                    1103));
        });
        SampleLibrary.tuxPaint()
                .ifPresentOrElse(
                        effects -> addLibrary(
                                families,
                                "Tux Paint effect sounds",
                                "tuxpaint",
                                effects,
                                new MusicBed(RenderedNotes.CSOUND_GM, "Csound GM bank", "csound-soundfont"),
                                scale,
                                1601),
                        () -> missing("tuxpaint-data"));
        SampleLibrary.sonicPi()
                .ifPresentOrElse(
                        samples -> addLibrary(
                                families,
                                "Sonic Pi samples",
                                "sonicpi",
                                samples,
                                new MusicBed(
                                        RenderedNotes.MUSESCORE_LITE,
                                        "MuseScore General Lite",
                                        "musescore-general-soundfont-small"),
                                scale,
                                1701),
                        () -> missing("sonic-pi-samples"));
        SampleLibrary.wesnothEffects()
                .ifPresentOrElse(
                        effects -> addLibrary(
                                families,
                                "Wesnoth sound effects",
                                "wesnoth",
                                effects,
                                new MusicBed(RenderedNotes.FLUID_R3, "FluidR3", "fluid-soundfont-gm"),
                                scale,
                                1801),
                        () -> missing("wesnoth-1.16-data"));
        addVoices(families, SpokenSounds.TUNING_VOICES, "en, de, it", scale, 1400);
        addVoices(families, SpokenSounds.MORE_TUNING_VOICES, "ru, cs, fi, hu, ro, tr", scale, 1410);
        SampleLibrary.wesnothVoices()
                .filter(voices -> SpokenSounds.installed())
                .ifPresentOrElse(
                        voices -> families.add(overTalk(
                                "Wesnoth voices (people recorded crying out, laughing, grunting)",
                                "wesnoth-voices",
                                voices,
                                SpokenSounds.TUNING_VOICES,
                                takes(8, scale),
                                1811)),
                        () -> missing("wesnoth-1.16-data and espeak-ng"));
        families.add(new Family(
                "Nothing played: hiss, pink and brown rooms", () -> Corpus.colouredBackgrounds("empty", 1500)));
        return families;
    }

    /** The half only scored, never tuned on. */
    public static List<Family> validation(double scale) {
        List<Family> families = new ArrayList<>();
        SampleLibrary.lmms()
                .ifPresentOrElse(
                        lmms -> {
                            families.add(inRooms("LMMS samples", "lmms", lmms, takes(10, scale), 9101));
                            families.add(throughReverb("LMMS samples", "lmms-reverb", lmms, takes(6, scale), 9102));
                            RenderedNotes.pitched(RenderedNotes.TIM_GM)
                                    .ifPresent(bed -> families.add(overMusic(
                                            "LMMS samples",
                                            "lmms-music",
                                            lmms,
                                            TakeBuilder.Layout.SPACED,
                                            bed,
                                            "TimGM6mb",
                                            takes(6, scale),
                                            9103)));
                        },
                        () -> missing("lmms-common"));
        addNotes(families, RenderedNotes.TIM_GM, "TimGM6mb", scale, 9300);
        addVoices(families, SpokenSounds.VALIDATION_VOICES, "fr, es, pt, pl, nl, sv", scale, 9400);
        families.add(new Family(
                "Nothing played: hiss, pink and brown rooms (other seeds)",
                () -> Corpus.colouredBackgrounds("empty-v", 9500)));
        return families;
    }

    /**
     * Sources neither half has, other seeds again: game sound effects and people's recorded voices
     * (Hedgewars, Pingus, Frozen Bubble), over a bed of recorded music or of talk in languages no
     * half speaks. Scored once for a fresh judgement of what the halves claim, never to choose a
     * rule or a constant: {@code docs/quality.sh --half unseen}.
     */
    public static List<Family> unseen(double scale) {
        List<Family> families = new ArrayList<>();
        SampleLibrary.gameEffects()
                .ifPresentOrElse(
                        effects -> {
                            families.add(inRooms("Game sound effects", "games", effects, takes(10, scale), 9701));
                            families.add(throughReverb(
                                    "Game sound effects", "games-reverb", effects, takes(6, scale), 9702));
                            MusicExcerpts.hedgewars()
                                    .ifPresent(music -> families.add(overMusic(
                                            "Game sound effects",
                                            "games-music",
                                            effects,
                                            TakeBuilder.Layout.SPACED,
                                            music,
                                            "Hedgewars' music",
                                            takes(6, scale),
                                            9703)));
                        },
                        () -> missing("hedgewars-data, pingus-data and frozen-bubble-data"));
        SampleLibrary.hedgewarsVoices()
                .filter(voices -> SpokenSounds.installed())
                .ifPresentOrElse(
                        voices -> families.add(overTalk(
                                "Hedgewars voices (people recorded saying a word)",
                                "hw-voices",
                                voices,
                                SpokenSounds.UNSEEN_VOICES,
                                takes(8, scale),
                                9705)),
                        () -> missing("hedgewars-data and espeak-ng"));
        return families;
    }

    /**
     * A soundfont whose notes make a faint music bed.
     *
     * @param name        what the table calls it
     * @param debianPackage the package that installs it, named when it is missing
     */
    private record MusicBed(Path soundfont, String name, String debianPackage) {}

    /**
     * A sample library's three families: in coloured rooms (8 takes, {@code seed}), through reverb
     * (6 takes, {@code seed + 1}) and over faint music from {@code bed} (6 takes, {@code seed + 2}).
     */
    private static void addLibrary(
            List<Family> families,
            String name,
            String prefix,
            SoundSource library,
            MusicBed bed,
            double scale,
            long seed) {
        families.add(inRooms(name, prefix, library, takes(8, scale), seed));
        families.add(throughReverb(name, prefix + "-reverb", library, takes(6, scale), seed + 1));
        RenderedNotes.pitched(bed.soundfont())
                .ifPresentOrElse(
                        music -> families.add(overMusic(
                                name,
                                prefix + "-music",
                                library,
                                TakeBuilder.Layout.SPACED,
                                music,
                                bed.name(),
                                takes(6, scale),
                                seed + 2)),
                        () -> missing(bed.debianPackage()));
    }

    /** {@code source} in coloured rooms, a quarter of its hits quick follow-ups. */
    private static Family inRooms(String name, String prefix, SoundSource source, int takes, long seed) {
        return new Family(
                name + ", coloured rooms, quick follow-ups",
                () -> Corpus.roomTakes(prefix, source, takes, seed, QUICK_FOLLOW_UPS, Optional.empty()));
    }

    /** Every hit of {@code source} through a reverb of 0.3 to 2 s, with room for its tail. */
    private static Family throughReverb(String name, String prefix, SoundSource source, int takes, long seed) {
        return new Family(
                name + ", reverb 0.3-2 s",
                () -> Corpus.roomTakes(
                        prefix, new Reverberant(source, 0.3, 2), takes, seed, LONG_DECAYS, Optional.empty()));
    }

    /** {@code source} with faint music from {@code music} all through the take. */
    private static Family overMusic(
            String name,
            String prefix,
            SoundSource source,
            TakeBuilder.Layout layout,
            SoundSource music,
            String musicName,
            int takes,
            long seed) {
        return new Family(
                name + " over faint music (" + musicName + ")",
                () -> Corpus.roomTakes(
                        prefix,
                        source,
                        takes,
                        seed,
                        layout,
                        Optional.of(new TakeBuilder.Bed(music, BED_MIN_BELOW_DB, BED_MAX_BELOW_DB))));
    }

    private static void addNotes(
            List<Family> families, java.nio.file.Path font, String fontName, double scale, long seed) {
        Optional<RenderedNotes> pitched = RenderedNotes.pitched(font);
        Optional<RenderedNotes> drums = RenderedNotes.drums(font);
        if (pitched.isEmpty() || drums.isEmpty()) {
            missing("fluidsynth and the " + fontName + " soundfont");
            return;
        }
        families.add(new Family(
                fontName + " notes: pianos, bells, plucks, long decays",
                () -> Corpus.roomTakes(
                        fontName + "-notes", pitched.get(), takes(8, scale), seed + 1, LONG_DECAYS, Optional.empty())));
        families.add(new Family(
                fontName + " drum kit, quick follow-ups",
                () -> Corpus.roomTakes(
                        fontName + "-drums",
                        drums.get(),
                        takes(6, scale),
                        seed + 2,
                        QUICK_FOLLOW_UPS,
                        Optional.empty())));
    }

    private static void addVoices(
            List<Family> families, List<String> voices, String languages, double scale, long seed) {
        if (!SpokenSounds.installed()) {
            missing("espeak-ng");
            return;
        }
        families.add(overTalk(
                "Spoken syllables (" + languages + ")",
                "voice-" + seed,
                SpokenSounds.syllables(voices),
                voices,
                takes(8, scale),
                seed + 1));
    }

    /** {@code source}, spaced, with someone talking faintly in espeak-ng's {@code talkers} all through the take. */
    private static Family overTalk(
            String name, String prefix, SoundSource source, List<String> talkers, int takes, long seed) {
        return new Family(
                name + " with someone talking faintly",
                () -> Corpus.roomTakes(
                        prefix,
                        source,
                        takes,
                        seed,
                        TakeBuilder.Layout.SPACED,
                        Optional.of(new TakeBuilder.Bed(
                                SpokenSounds.phrases(talkers), BED_MIN_BELOW_DB, BED_MAX_BELOW_DB))));
    }

    private static int takes(int count, double scale) {
        return Math.max(1, (int) Math.round(count * scale));
    }

    private static void missing(String what) {
        System.err.println("Lab: " + what + " not installed; its corpus is left out (scripts/install-lab-sounds.sh)");
    }
}
