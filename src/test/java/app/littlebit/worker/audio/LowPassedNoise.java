package app.littlebit.worker.audio;

import java.util.Arrays;
import java.util.Random;

/** Rumble for tests: Gaussian noise through the worker's own low-pass, scaled to an RMS of 1. */
final class LowPassedNoise {
    private LowPassedNoise() {}

    static double[] unitRms(int sampleRate, int frames, double cornerHertz, Random random) {
        double[] noise = new double[frames];
        for (int f = 0; f < frames; f++) {
            noise[f] = random.nextGaussian();
        }
        Biquad.lowPass(sampleRate, cornerHertz).filter(noise, noise, frames);
        double rms = Math.sqrt(Arrays.stream(noise).map(x -> x * x).average().orElseThrow());
        return Arrays.stream(noise).map(x -> x / rms).toArray();
    }
}
