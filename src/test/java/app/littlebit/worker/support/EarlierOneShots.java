package app.littlebit.worker.support;

import app.littlebit.worker.audio.Pitch;
import app.littlebit.worker.job.Location;
import app.littlebit.worker.job.OneShot;

/** One-shots an earlier run stored, for the results tests build by hand (a rerun finds them). */
public final class EarlierOneShots {
    private EarlierOneShots() {}

    /** The first one-shot of a kick take, stored with its waveform under {@code prefix} in {@code bucket}. */
    public static OneShot kick(String bucket, String prefix) {
        return new OneShot(
                new Location.InBucket(bucket, prefix + "kick-1.m4a"),
                new OneShot.Figures(
                        1, 10.0, 300.0, 290.0, -1.0, -0.9, -20.0, 3.0, 1234, "m4a", -18.0, new Pitch.Unpitched()),
                new Location.InBucket(bucket, prefix + "kick-1.waveform.json"));
    }
}
