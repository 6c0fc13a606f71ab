package app.littlebit.worker.pipeline;

import java.util.Optional;

/**
 * Where sound starts, as the app asked: found relative to the recording's own noise floor, or the
 * user's fixed level. The app's two fields ({@code silenceThreshold}, {@code autoDetectThreshold})
 * are kept as sent, because the result echoes them.
 */
public sealed interface SilenceThreshold {
    /** Nothing asked: adaptive. A method, not a constant: a constant of a nested subtype here can deadlock class initialization. */
    static SilenceThreshold adaptive() {
        return new Auto(false, Optional.empty());
    }

    /**
     * The app's two fields as sent: auto-detection wins over a level, and a level alone is fixed.
     *
     * @param givenDbfs  {@code silenceThreshold}, if sent
     * @param autoDetect {@code autoDetectThreshold}
     */
    static SilenceThreshold of(Optional<Double> givenDbfs, boolean autoDetect) {
        if (autoDetect || givenDbfs.isEmpty()) {
            return new Auto(autoDetect, givenDbfs);
        }
        return new Fixed(givenDbfs.get());
    }

    /**
     * Adaptive: found relative to the recording's noise floor.
     *
     * @param requested   the app sent {@code autoDetectThreshold: true}
     * @param unusedDbfs  a level the app sent as well, which auto-detection overrides (only echoed)
     */
    record Auto(boolean requested, Optional<Double> unusedDbfs) implements SilenceThreshold {
        public Auto {
            if (!requested && unusedDbfs.isPresent()) {
                throw new IllegalArgumentException("a level without autoDetectThreshold is a fixed threshold");
            }
        }
    }

    /** The user's fixed level: quieter audio is silence. */
    record Fixed(double dbfs) implements SilenceThreshold {}

    /** The fixed level, if this is one; empty: adaptive. */
    default Optional<Double> fixedDbfs() {
        return this instanceof Fixed fixed ? Optional.of(fixed.dbfs()) : Optional.empty();
    }

    /** {@code adaptive} or {@code fixed}, as the result's {@code thresholdMode} says it. */
    default String mode() {
        return this instanceof Fixed ? "fixed" : "adaptive";
    }

    /** The level as the app sent it, used or not (the result echoes it). */
    default Optional<Double> sentDbfs() {
        return this instanceof Auto auto ? auto.unusedDbfs() : fixedDbfs();
    }

    /** Whether the app sent {@code autoDetectThreshold: true}. */
    default boolean autoDetectRequested() {
        return this instanceof Auto auto && auto.requested();
    }
}
