package app.littlebit.worker.audio;

import java.util.Locale;
import java.util.Optional;

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

    /** The mode for its name in the params, case-insensitive. */
    public static Optional<SplitMode> fromName(String name) {
        for (SplitMode mode : values()) {
            if (mode.paramName().equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }

    public String paramName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
