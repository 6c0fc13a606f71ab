package app.littlebit.worker.quality;

import app.littlebit.worker.demo.Sound;
import app.littlebit.worker.demo.SoundSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Spoken and sung one-shots from espeak-ng (Debian package {@code espeak-ng}): the syllables a
 * musician records for vocal samples and beatboxing ("ka", "tss", "boom"), in several voices,
 * pitches and speeds. A syllable such as "ka" is one sound with two parts (a burst, then a vowel
 * 30 to 60 ms later), which a cutter must keep together. Also longer phrases, for the faint speech
 * of a room's background.
 */
public final class SpokenSounds implements SoundSource {
    /** Words espeak-ng says as one syllable (it spells out "tss" or "chk" letter by letter, so they are not here). */
    static final List<String> SYLLABLES = List.of(
            "ka", "ta", "pa", "boom", "cha", "hey", "ho", "dum", "pah", "bap", "tok", "yeah", "ki", "doo", "go", "bo");

    static final List<String> PHRASES = List.of(
            "okay so this one is the next take",
            "wait let me try that again a bit softer",
            "can you hear the difference between these two",
            "I think the second one was better",
            "hold on, the phone is a little far away",
            "one more time and then we stop for lunch");
    /** espeak-ng's voices for the tuning half. */
    public static final List<String> TUNING_VOICES = List.of("en", "en-us", "de", "it", "en+m3", "de+f2");
    /**
     * More languages for the tuning half: the first tuning voices split far fewer syllables and
     * let far less background speech through than the validation half's languages do.
     */
    public static final List<String> MORE_TUNING_VOICES = List.of("ru", "cs", "fi", "hu+f3", "ro", "tr+m2");
    /** Other languages and variants, for the validation half only. */
    public static final List<String> VALIDATION_VOICES = List.of("fr", "es", "pt", "pl", "nl+f3", "sv+m4", "fr+f4");

    /** Languages neither half speaks, for the talk behind the unseen recordings ({@link LabCorpora#unseen}). */
    public static final List<String> UNSEEN_VOICES = List.of("eo", "id", "sw", "vi");

    private static final int[] PITCHES = {20, 40, 60, 80};
    private static final int[] SPEEDS = {130, 170, 220};

    private final List<String> voices;
    private final List<String> texts;

    private SpokenSounds(List<String> voices, List<String> texts) {
        this.voices = List.copyOf(voices);
        this.texts = List.copyOf(texts);
    }

    /** Vocal one-shots, one syllable each. */
    public static SpokenSounds syllables(List<String> voices) {
        return new SpokenSounds(voices, SYLLABLES);
    }

    /** Whole phrases: someone talking in the room. */
    public static SpokenSounds phrases(List<String> voices) {
        return new SpokenSounds(voices, PHRASES);
    }

    public static boolean installed() {
        return SoundFiles.installed("espeak-ng");
    }

    @Override
    public Sound next(Random random, int sampleRate) {
        String voice = voices.get(random.nextInt(voices.size()));
        String text = texts.get(random.nextInt(texts.size()));
        int pitch = PITCHES[random.nextInt(PITCHES.length)];
        int speed = SPEEDS[random.nextInt(SPEEDS.length)];
        String name = String.format(
                Locale.ROOT,
                "espeak/%s-%s-p%d-s%d.wav",
                voice.replace('+', '_'),
                Integer.toHexString(text.hashCode()),
                pitch,
                speed);
        Path file = SoundFiles.cached(
                name,
                out -> SoundFiles.run(List.of(
                        "espeak-ng",
                        "-v",
                        voice,
                        "-p",
                        Integer.toString(pitch),
                        "-s",
                        Integer.toString(speed),
                        "-w",
                        out.toString(),
                        text)));
        return new Sound(voice + " '" + text + "'", SoundFiles.decode(file, sampleRate));
    }
}
