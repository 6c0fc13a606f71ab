package app.littlebit.worker.audio;

import java.util.Locale;

/** Which measure of loudness normalization brings to the target. */
public enum NormalizeTo {
    /** RMS over the whole one-shot, dBFS: what the worker has always used, so the default. */
    RMS,
    /** Integrated loudness by ITU-R BS.1770-4, LUFS: how loud it sounds, weighted as the ear hears. */
    LUFS;

    public String paramName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
