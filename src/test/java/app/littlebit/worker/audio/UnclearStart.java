package app.littlebit.worker.audio;

import java.util.Random;

/**
 * A take whose sound the onset search cannot see rise clearly: in a white room at {@link
 * #ROOM_DBFS} whose level swings {@link #NOISE_SPREAD_DB} (a brown room's swing), the sound starts
 * softly {@link #SOFT_START_MILLIS} before the detector heard it, 8 dB over the room (far over the
 * room's own swings, under the 9 dB over it where such a room's swings put the search's alarm),
 * goes on 1 dB over the room, and its attack comes only after the search has ended. So did a
 * spoken "go" over faint talk whose vowel came late. Over 10 seeds the soft start is found the same
 * way; at 4 dB over a room swinging 1 dB it was missed by a ms on 2 of 6.
 */
final class UnclearStart {
    static final double ROOM_DBFS = -60;
    static final double NOISE_SPREAD_DB = 3;
    static final double SOFT_START_MILLIS = 6;

    private UnclearStart() {}

    /** The take's samples, mono, the sound heard at frame {@code heard} and its attack at {@code attack}. */
    static float[] take(PcmFormat format, long heard, long attack, long frames) {
        Random random = new Random(11);
        long softStart = heard - format.framesFor(SOFT_START_MILLIS);
        float[] samples = new float[(int) frames];
        for (int f = 0; f < samples.length; f++) {
            double x = random.nextGaussian() * Math.pow(10, ROOM_DBFS / 20);
            if (f >= softStart && f < heard) {
                x += random.nextGaussian() * Math.pow(10, (ROOM_DBFS + 7) / 20);
            } else if (f >= heard && f < attack) {
                x += random.nextGaussian() * Math.pow(10, (ROOM_DBFS - 6) / 20);
            } else if (f >= attack) {
                x += random.nextGaussian() * 0.1 * Math.exp(-(f - attack) / 8_000.0);
            }
            samples[f] = (float) x;
        }
        return samples;
    }
}
