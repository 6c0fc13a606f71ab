package app.littlebit.worker.pipeline;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.NormalizeTo;
import app.littlebit.worker.audio.SplitMode;
import java.util.Optional;

/**
 * What the app asked for, with every default filled in and every range checked.
 *
 * @param createOneShot        cut the recording into one-shots; false processes it as one piece
 * @param silenceThreshold     adaptive, or the user's fixed level below which audio is silence
 * @param minSilenceMs         the gap that separates two sounds (in onsets mode a sound that has
 *                             decayed into the floor, or a new attack, separates them sooner)
 * @param keepSilenceMs        silence kept after a sound's tail before the fade-out
 * @param targetDbfs           level the one-shots are brought toward: dBFS RMS, or LUFS when
 *                             normalizeTo is LUFS
 * @param normalizeAudio       apply gain toward targetDbfs (peaks are capped either way)
 * @param preserveOriginal     also store an untouched copy of the recording next to the one-shots
 * @param outputFormat         file type of the one-shots; empty means the recording's own type
 * @param processingVersion    echoed back to the app
 * @param uiVersion            echoed back to the app
 * @param splitMode            what separates two sounds: onsets (default) ends a sound once it has
 *                             decayed into the floor or at a new attack; silence only at a gap of minSilenceMs
 * @param normalizeTo          what targetDbfs is a level of: RMS (default) or integrated loudness (LUFS)
 */
public record ProcessingParams(
        boolean createOneShot,
        SilenceThreshold silenceThreshold,
        int minSilenceMs,
        int keepSilenceMs,
        double targetDbfs,
        boolean normalizeAudio,
        boolean preserveOriginal,
        Optional<AudioFileType> outputFormat,
        Optional<String> processingVersion,
        Optional<String> uiVersion,
        SplitMode splitMode,
        NormalizeTo normalizeTo) {

    public static final double MIN_SILENCE_THRESHOLD = -50;
    public static final double MAX_SILENCE_THRESHOLD = -20;
    public static final int MIN_MIN_SILENCE_MS = 500;
    public static final int MAX_MIN_SILENCE_MS = 2000;
    public static final int MAX_KEEP_SILENCE_MS = 500;
    public static final double MIN_TARGET_DBFS = -30;
    public static final double MAX_TARGET_DBFS = -10;

    /** The params used when the app sends none. */
    public static ProcessingParams defaults() {
        return new ProcessingParams(
                true,
                SilenceThreshold.adaptive(),
                750,
                50,
                -20,
                true,
                true,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                SplitMode.ONSETS,
                NormalizeTo.RMS);
    }

    /** The file type one-shots are written as, for a recording of the given type. */
    public AudioFileType outputTypeFor(AudioFileType recordingType) {
        return outputFormat.orElse(recordingType);
    }
}
