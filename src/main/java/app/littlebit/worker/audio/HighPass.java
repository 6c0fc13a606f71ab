package app.littlebit.worker.audio;

/**
 * A second-order Butterworth high-pass (the Audio EQ Cookbook's biquad) for one channel. Set at a
 * few hundred Hz it takes mains hum with its strong low harmonics, and room rumble, out of a
 * signal, while the broadband click of an attack and the hiss of cymbals pass.
 */
final class HighPass {
    private final double b0;
    private final double b1;
    private final double b2;
    private final double a1;
    private final double a2;
    private double x1;
    private double x2;
    private double y1;
    private double y2;

    HighPass(int sampleRate, double cornerHertz) {
        double w = 2 * Math.PI * cornerHertz / sampleRate;
        double alpha = Math.sin(w) / Math.sqrt(2);
        double cos = Math.cos(w);
        double a0 = 1 + alpha;
        b0 = (1 + cos) / 2 / a0;
        b1 = -(1 + cos) / a0;
        b2 = b0;
        a1 = -2 * cos / a0;
        a2 = (1 - alpha) / a0;
    }

    double apply(double x) {
        double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
        x2 = x1;
        x1 = x;
        y2 = y1;
        y1 = y;
        return y;
    }

    /** Interleaved samples filtered channel by channel, each from rest. */
    static float[] filter(float[] interleaved, int channels, int sampleRate, double cornerHertz) {
        float[] out = new float[interleaved.length];
        for (int c = 0; c < channels; c++) {
            HighPass filter = new HighPass(sampleRate, cornerHertz);
            for (int i = c; i < interleaved.length; i += channels) {
                out[i] = (float) filter.apply(interleaved[i]);
            }
        }
        return out;
    }
}
