package app.littlebit.worker.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpectralFluxOnsetTest {
    private static final PcmFormat MONO = new PcmFormat(44_100, 1);
    private static final int BACKGROUND = (int) MONO.framesFor(20);

    /** A bell's ring: two partials, decaying slowly, beating a little. */
    private static float[] ring(int frames) {
        float[] samples = new float[frames];
        for (int f = 0; f < frames; f++) {
            double t = f / 44_100.0;
            samples[f] = (float) (Math.exp(-t / 0.8) * (0.1 * Math.sin(2 * Math.PI * 440 * t)
                    + 0.05 * Math.sin(2 * Math.PI * 883 * t)));
        }
        return samples;
    }

    @Test
    void aNoteStruckTwentyDbUnderARingIsFoundWhereItEnters() {
        float[] samples = ring((int) MONO.framesFor(80));
        int entry = (int) MONO.framesFor(40);
        for (int f = entry; f < samples.length; f++) {
            double t = (f - entry) / 44_100.0;
            // 20 dB under the ring's loudest partial, a 2 ms attack.
            samples[f] += (float) (0.01 * Math.min(1, t / 0.002) * Math.sin(2 * Math.PI * 1_319 * t));
        }

        OptionalInt found = new SpectralFluxOnset(MONO).firstNewContent(samples, 1, new double[1], 0, BACKGROUND);

        assertTrue(found.isPresent(), "the new note is found");
        double errorMillis = MONO.millisFor(found.getAsInt() - entry);
        assertTrue(errorMillis > -4 && errorMillis < 3, "placed within a few ms of its entry, was " + errorMillis + " ms");
    }

    @Test
    void aRingAloneBringsNothingNew() {
        OptionalInt found = new SpectralFluxOnset(MONO).firstNewContent(ring((int) MONO.framesFor(80)), 1,
                new double[1], 0, BACKGROUND);

        assertEquals(OptionalInt.empty(), found);
    }

    @Test
    void steadyNoiseBringsNothingNew() {
        Random random = new Random(7);
        float[] noise = new float[(int) MONO.framesFor(80)];
        for (int f = 0; f < noise.length; f++) {
            noise[f] = (float) (0.003 * random.nextGaussian());
        }

        OptionalInt found = new SpectralFluxOnset(MONO).firstNewContent(noise, 1, new double[1], 0, BACKGROUND);

        assertEquals(OptionalInt.empty(), found);
    }

    @Test
    void aStereoHitIsFoundOnEitherChannel() {
        PcmFormat stereo = new PcmFormat(48_000, 2);
        int frames = (int) stereo.framesFor(60);
        int entry = (int) stereo.framesFor(30);
        float[] samples = new float[frames * 2];
        Random random = new Random(11);
        for (int f = 0; f < frames; f++) {
            samples[2 * f] = (float) (0.001 * random.nextGaussian());
            samples[2 * f + 1] = (float) (0.001 * random.nextGaussian() + (f >= entry ? 0.2 * Math.sin(f * 0.3) : 0));
        }

        OptionalInt found = new SpectralFluxOnset(stereo).firstNewContent(samples, 2, new double[2], 0,
                (int) stereo.framesFor(20));

        assertTrue(found.isPresent());
        assertTrue(Math.abs(stereo.millisFor(found.getAsInt() - entry)) < 4);
    }
}
