package app.littlebit.worker.audio;

import java.util.Locale;

/** What separates two sounds. */
public enum SplitMode {
    /**
     * A silent gap of the minimum silence, or a clear new attack: the level jumping up out of the
     * previous sound's decay. Hits played faster than their tails die away still come out one by one.
     */
    ONSETS,
    /**
     * Only a silent gap of the minimum silence. Sounds with several attacks close together (a
     * drum roll, a strum, a word) stay in one piece.
     */
    SILENCE;

    public String paramName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
