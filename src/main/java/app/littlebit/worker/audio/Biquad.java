package app.littlebit.worker.audio;

/**
 * A second-order Butterworth filter (the Audio EQ Cookbook's biquad) for one channel. As a
 * high-pass at a few hundred Hz it takes mains hum with its strong low harmonics, and room rumble,
 * out of a signal, while the broadband click of an attack and the hiss of cymbals pass; as a
 * low-pass at the top of a kick's range it keeps a kick's thump and drops a held note's body.
 */
final class Biquad {
    private final double b0;
    private final double b1;
    private final double b2;
    private final double a1;
    private final double a2;
    private double x1;
    private double x2;
    private double y1;
    private double y2;

    private Biquad(double b0, double b1, double b2, double a0, double a1, double a2) {
        this.b0 = b0 / a0;
        this.b1 = b1 / a0;
        this.b2 = b2 / a0;
        this.a1 = a1 / a0;
        this.a2 = a2 / a0;
    }

    static Biquad highPass(int sampleRate, double cornerHertz) {
        double w = 2 * Math.PI * cornerHertz / sampleRate;
        double alpha = Math.sin(w) / Math.sqrt(2);
        double cos = Math.cos(w);
        return new Biquad((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    static Biquad lowPass(int sampleRate, double cornerHertz) {
        double w = 2 * Math.PI * cornerHertz / sampleRate;
        double alpha = Math.sin(w) / Math.sqrt(2);
        double cos = Math.cos(w);
        return new Biquad((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    /**
     * The next {@code count} samples of one channel, from {@code in} into {@code out}, the state
     * carried on to the next call. The state lives in locals for the loop's length, which the JIT
     * keeps in registers: several times faster than a call per sample.
     */
    void filter(double[] in, double[] out, int count) {
        double sx1 = x1;
        double sx2 = x2;
        double sy1 = y1;
        double sy2 = y2;
        for (int i = 0; i < count; i++) {
            double x = in[i];
            double y = b0 * x + b1 * sx1 + b2 * sx2 - a1 * sy1 - a2 * sy2;
            sx2 = sx1;
            sx1 = x;
            sy2 = sy1;
            sy1 = y;
            out[i] = y;
        }
        x1 = sx1;
        x2 = sx2;
        y1 = sy1;
        y2 = sy2;
    }

    /** Interleaved samples high-passed channel by channel, each from rest. */
    static float[] highPassed(float[] interleaved, int channels, int sampleRate, double cornerHertz) {
        int frames = interleaved.length / channels;
        double[] channel = new double[frames];
        float[] out = new float[interleaved.length];
        for (int c = 0; c < channels; c++) {
            for (int f = 0; f < frames; f++) {
                channel[f] = interleaved[f * channels + c];
            }
            highPass(sampleRate, cornerHertz).filter(channel, channel, frames);
            for (int f = 0; f < frames; f++) {
                out[f * channels + c] = (float) channel[f];
            }
        }
        return out;
    }
}
