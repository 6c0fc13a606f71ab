package app.littlebit.worker.quality;

import app.littlebit.worker.demo.SynthKit;
import app.littlebit.worker.demo.TakeBuilder;
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
        families.add(new Family(
                "Synthesized kit, hiss and hum (the first corpus)",
                () -> Corpus.phoneTakes("synthetic", new SynthKit(), takes(12, scale), 2024)));
        families.add(new Family(
                "Synthesized kit, coloured rooms, quick follow-ups",
                () -> Corpus.roomTakes(
                        "synth-rooms", new SynthKit(), takes(8, scale), 1101, QUICK_FOLLOW_UPS, Optional.empty())));
        SampleLibrary.hydrogenKits()
                .ifPresentOrElse(
                        kits -> {
                            families.add(new Family(
                                    "Hydrogen drum kits, coloured rooms, quick follow-ups",
                                    () -> Corpus.roomTakes(
                                            "kits", kits, takes(8, scale), 1201, QUICK_FOLLOW_UPS, Optional.empty())));
                            families.add(new Family(
                                    "Hydrogen drum kits, reverb 0.3-2 s",
                                    () -> Corpus.roomTakes(
                                            "kits-reverb",
                                            new Reverberant(kits, 0.3, 2),
                                            takes(6, scale),
                                            1202,
                                            LONG_DECAYS,
                                            Optional.empty())));
                            RenderedNotes.pitched(RenderedNotes.FLUID_R3)
                                    .ifPresent(music -> families.add(new Family(
                                            "Hydrogen drum kits over faint music (FluidR3)",
                                            () -> Corpus.roomTakes(
                                                    "kits-music",
                                                    kits,
                                                    takes(6, scale),
                                                    1203,
                                                    TakeBuilder.Layout.SPACED,
                                                    Optional.of(new TakeBuilder.Bed(
                                                            music, BED_MIN_BELOW_DB, BED_MAX_BELOW_DB))))));
                        },
                        () -> missing("hydrogen-drumkits"));
        addNotes(families, RenderedNotes.FLUID_R3, "FluidR3", scale, 1300);
        RenderedNotes.drums(RenderedNotes.FLUID_R3)
                .ifPresent(drums -> families.add(new Family(
                        "FluidR3 drum kit, reverb 0.3-2 s",
                        () -> Corpus.roomTakes(
                                "FluidR3-drums-reverb",
                                new Reverberant(drums, 0.3, 2),
                                takes(6, scale),
                                1304,
                                LONG_DECAYS,
                                Optional.empty()))));
        RenderedNotes.pitched(RenderedNotes.FLUID_R3).ifPresent(notes -> {
            families.add(new Family(
                    "FluidR3 notes, reverb 0.3-2 s",
                    () -> Corpus.roomTakes(
                            "FluidR3-notes-reverb",
                            new Reverberant(notes, 0.3, 2),
                            takes(6, scale),
                            1305,
                            LONG_DECAYS,
                            Optional.empty())));
            families.add(new Family(
                    "FluidR3 notes over faint music (FluidR3)",
                    () -> Corpus.roomTakes(
                            "FluidR3-notes-music",
                            notes,
                            takes(6, scale),
                            1306,
                            LONG_DECAYS,
                            Optional.of(new TakeBuilder.Bed(notes, BED_MIN_BELOW_DB, BED_MAX_BELOW_DB)))));
        });
        RenderedNotes.pitched(RenderedNotes.FLUID_R3)
                .ifPresent(music -> families.add(new Family(
                        "Synthesized kit over faint music (FluidR3)",
                        () -> Corpus.roomTakes(
                                "synth-music",
                                new SynthKit(),
                                takes(6, scale),
                                1103,
                                TakeBuilder.Layout.SPACED,
                                Optional.of(new TakeBuilder.Bed(music, BED_MIN_BELOW_DB, BED_MAX_BELOW_DB))))));
        SampleLibrary.tuxPaint()
                .ifPresentOrElse(
                        effects -> {
                            families.add(new Family(
                                    "Tux Paint effect sounds, coloured rooms, quick follow-ups",
                                    () -> Corpus.roomTakes(
                                            "tuxpaint",
                                            effects,
                                            takes(8, scale),
                                            1601,
                                            QUICK_FOLLOW_UPS,
                                            Optional.empty())));
                            families.add(new Family(
                                    "Tux Paint effect sounds, reverb 0.3-2 s",
                                    () -> Corpus.roomTakes(
                                            "tuxpaint-reverb",
                                            new Reverberant(effects, 0.3, 2),
                                            takes(6, scale),
                                            1602,
                                            LONG_DECAYS,
                                            Optional.empty())));
                        },
                        () -> missing("tuxpaint-data"));
        addVoices(families, SpokenSounds.TUNING_VOICES, "en, de, it", scale, 1400);
        addVoices(families, SpokenSounds.MORE_TUNING_VOICES, "ru, cs, fi, hu, ro, tr", scale, 1410);
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
                            families.add(new Family(
                                    "LMMS samples, coloured rooms, quick follow-ups",
                                    () -> Corpus.roomTakes(
                                            "lmms", lmms, takes(10, scale), 9101, QUICK_FOLLOW_UPS, Optional.empty())));
                            families.add(new Family(
                                    "LMMS samples, reverb 0.3-2 s",
                                    () -> Corpus.roomTakes(
                                            "lmms-reverb",
                                            new Reverberant(lmms, 0.3, 2),
                                            takes(6, scale),
                                            9102,
                                            LONG_DECAYS,
                                            Optional.empty())));
                            RenderedNotes.pitched(RenderedNotes.TIM_GM)
                                    .ifPresent(music -> families.add(new Family(
                                            "LMMS samples over faint music (TimGM6mb)",
                                            () -> Corpus.roomTakes(
                                                    "lmms-music",
                                                    lmms,
                                                    takes(6, scale),
                                                    9103,
                                                    TakeBuilder.Layout.SPACED,
                                                    Optional.of(new TakeBuilder.Bed(
                                                            music, BED_MIN_BELOW_DB, BED_MAX_BELOW_DB))))));
                        },
                        () -> missing("lmms-common"));
        addNotes(families, RenderedNotes.TIM_GM, "TimGM6mb", scale, 9300);
        addVoices(families, SpokenSounds.VALIDATION_VOICES, "fr, es, pt, pl, nl, sv", scale, 9400);
        families.add(new Family(
                "Nothing played: hiss, pink and brown rooms (other seeds)",
                () -> Corpus.colouredBackgrounds("empty-v", 9500)));
        return families;
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
        families.add(new Family(
                "Spoken syllables (" + languages + ") with someone talking faintly",
                () -> Corpus.roomTakes(
                        "voice-" + seed,
                        SpokenSounds.syllables(voices),
                        takes(8, scale),
                        seed + 1,
                        TakeBuilder.Layout.SPACED,
                        Optional.of(new TakeBuilder.Bed(
                                SpokenSounds.phrases(voices), BED_MIN_BELOW_DB, BED_MAX_BELOW_DB)))));
    }

    private static int takes(int count, double scale) {
        return Math.max(1, (int) Math.round(count * scale));
    }

    private static void missing(String what) {
        System.err.println("Lab: " + what + " not installed; its corpus is left out (scripts/install-lab-sounds.sh)");
    }
}
