package app.littlebit.worker.quality;

import app.littlebit.worker.demo.Sound;
import app.littlebit.worker.demo.SoundSource;
import app.littlebit.worker.demo.SynthKit;
import java.util.Random;

/**
 * Another source's sounds played in a reverberant room: a Schroeder-Moorer reverberator (eight
 * damped combs into four all-passes, Freeverb's tunings) whose decay time and level are drawn per
 * sound. The tail is rendered to -80 dB and is part of the sound, so the truth's decay includes it.
 */
public final class Reverberant implements SoundSource {
    private static final int[] COMB_TUNINGS_44K = {1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617};
    private static final int[] ALLPASS_TUNINGS_44K = {556, 441, 341, 225};
    /** Freeverb's offset between the left and right delay lines, for a wide stereo tail. */
    private static final int STEREO_SPREAD = 23;

    private static final double DAMPING = 0.3;
    private static final double ALLPASS_FEEDBACK = 0.5;

    private final SoundSource dry;
    private final double minDecaySeconds;
    private final double maxDecaySeconds;

    /** @param minDecaySeconds shortest RT60 drawn; {@code maxDecaySeconds} the longest */
    public Reverberant(SoundSource dry, double minDecaySeconds, double maxDecaySeconds) {
        this.dry = dry;
        this.minDecaySeconds = minDecaySeconds;
        this.maxDecaySeconds = maxDecaySeconds;
    }

    @Override
    public Sound next(Random random, int sampleRate) {
        Sound sound = dry.next(random, sampleRate);
        double rt60 = SynthKit.between(random, minDecaySeconds, maxDecaySeconds);
        double wet = Math.pow(10, SynthKit.between(random, -18, -6) / 20);
        int tail = (int) (rt60 * 80 / 60 * sampleRate);
        float[][] out = new float[sound.channels().length][];
        for (int c = 0; c < out.length; c++) {
            out[c] = reverberate(sound.channels()[c], tail, rt60, wet, sampleRate, c * STEREO_SPREAD);
        }
        return new Sound(sound.kind() + String.format(java.util.Locale.ROOT, " in %.1f s reverb", rt60), out);
    }

    private static float[] reverberate(float[] dry, int tail, double rt60, double wet, int rate, int spread) {
        int frames = dry.length + tail;
        double scale = rate / 44_100.0;
        double[] sum = new double[frames];
        for (int tuning : COMB_TUNINGS_44K) {
            int delay = (int) ((tuning + spread) * scale);
            double feedback = Math.pow(10, -3.0 * delay / (rt60 * rate));
            double[] line = new double[delay];
            double filtered = 0;
            for (int f = 0, at = 0; f < frames; f++, at = (at + 1) % delay) {
                double delayed = line[at];
                filtered = delayed * (1 - DAMPING) + filtered * DAMPING;
                line[at] = (f < dry.length ? dry[f] : 0) + filtered * feedback;
                sum[f] += delayed;
            }
        }
        for (int tuning : ALLPASS_TUNINGS_44K) {
            int delay = (int) ((tuning + spread) * scale);
            double[] line = new double[delay];
            for (int f = 0, at = 0; f < frames; f++, at = (at + 1) % delay) {
                double delayed = line[at];
                line[at] = sum[f] + delayed * ALLPASS_FEEDBACK;
                sum[f] = delayed - sum[f];
            }
        }
        float[] out = new float[frames];
        double gain = wet / COMB_TUNINGS_44K.length;
        for (int f = 0; f < frames; f++) {
            out[f] = (float) ((f < dry.length ? dry[f] : 0) + sum[f] * gain);
        }
        return out;
    }
}
