package app.littlebit.worker.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Measuring in parts gives exactly the reading of the whole signal, wherever the parts meet. */
class TruePeakMeterTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 6})
    void partsOfAnySizeReadExactlyAsTheWholeSignal(int channels) {
        Random random = new Random(7 + channels);
        for (int round = 0; round < 50; round++) {
            float[] signal = noise(random, channels, 1 + random.nextInt(3000));
            double whole = truePeak(signal, channels, signal.length / channels);
            // Parts shorter than the filter, single frames, empty parts and long ones.
            for (int maxPart : new int[] {1, 3, 11, 12, 13, 100, 5000}) {
                assertEquals(
                        whole,
                        truePeakInRandomParts(signal, channels, maxPart, random),
                        "parts of up to " + maxPart + " frames, round " + round);
            }
        }
    }

    /** Decays, where the meter skips what cannot raise the peak, read exactly as interpolating every point. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void skippingQuietStretchesChangesNothing(int channels) {
        Random random = new Random(11 + channels);
        for (int round = 0; round < 30; round++) {
            int frames = 2_000 + random.nextInt(20_000);
            float[] hit = new float[frames * channels];
            double decayPerFrame = Math.exp(-1.0 / (100 + random.nextInt(5_000)));
            double level = 0.2 + random.nextDouble() * 0.7;
            // A late, louder second burst: the peak found so far must not hide it.
            int secondBurst = random.nextInt(frames);
            for (int f = 0; f < frames; f++) {
                if (f == secondBurst) {
                    level = 0.95;
                }
                for (int c = 0; c < channels; c++) {
                    hit[f * channels + c] = (float) (level * Math.sin(0.9 * f + c) * (random.nextBoolean() ? 1 : -1));
                }
                level *= decayPerFrame;
            }
            assertEquals(everyPointInterpolated(hit, channels), truePeak(hit, channels, frames), "round " + round);
        }
    }

    @Test
    void loudPointsAtTheEdgesAreMeasuredAgainstSilenceOutside() {
        float[] signal = new float[40];
        signal[0] = 0.9f;
        signal[1] = -0.9f;
        signal[38] = 0.8f;
        signal[39] = -0.8f;
        double whole = truePeak(signal, 1, signal.length);
        for (int maxPart = 1; maxPart <= 40; maxPart++) {
            assertEquals(whole, truePeakInRandomParts(signal, 1, maxPart, new Random(maxPart)));
        }
    }

    @Test
    void findsThePeakBetweenSamples() {
        // A quarter of the sample rate, sampled 45 degrees off its crests: samples at 0.707, true peak 1.
        float[] signal = new float[4000];
        for (int i = 0; i < signal.length; i++) {
            signal[i] = (float) Math.sin(Math.PI / 2 * i + Math.PI / 4);
        }
        double peak = truePeak(signal, 1, signal.length);
        assertTrue(peak > 0.98 && peak < 1.02, "true peak " + peak);
    }

    @Test
    void loudnessMeterReadsTheSameInParts() {
        Random random = new Random(3);
        float[] signal = noise(random, 2, 20_000);
        LoudnessMeter whole = new LoudnessMeter(new PcmFormat(48_000, 2));
        whole.accept(signal, 20_000);
        LoudnessMeter.Levels expected = whole.finish();

        LoudnessMeter parts = new LoudnessMeter(new PcmFormat(48_000, 2));
        feedInRandomParts(parts, signal, 2, 700, random);
        assertEquals(expected, parts.finish());
    }

    /** The definition, point by point: the 4x oversampled signal's largest size, zeros outside. */
    private static double everyPointInterpolated(float[] signal, int channels) {
        int frames = signal.length / channels;
        double[][] phases = TruePeakMeter.interpolationFilter();
        double peak = 0;
        for (int c = 0; c < channels; c++) {
            for (int f = 0; f < frames; f++) {
                peak = Math.max(peak, Math.abs(signal[f * channels + c]));
                for (int p = 1; p < 4; p++) {
                    double sum = 0;
                    for (int t = 0; t < 12; t++) {
                        int source = f + 6 - t;
                        sum += phases[p][t] * (source >= 0 && source < frames ? signal[source * channels + c] : 0);
                    }
                    peak = Math.max(peak, Math.abs(sum));
                }
            }
        }
        return peak;
    }

    private static float[] noise(Random random, int channels, int frames) {
        float[] signal = new float[frames * channels];
        for (int i = 0; i < signal.length; i++) {
            signal[i] = (float) (random.nextGaussian() * 0.3);
        }
        return signal;
    }

    private static double truePeak(float[] signal, int channels, int frames) {
        TruePeakMeter meter = new TruePeakMeter(channels);
        meter.accept(signal, frames);
        return meter.finish();
    }

    private static double truePeakInRandomParts(float[] signal, int channels, int maxPart, Random random) {
        TruePeakMeter meter = new TruePeakMeter(channels);
        feedInRandomParts(meter::accept, signal, channels, maxPart, random);
        return meter.finish();
    }

    private static void feedInRandomParts(PcmConsumer meter, float[] signal, int channels, int maxPart, Random random) {
        int frames = signal.length / channels;
        try {
            for (int from = 0; from < frames; ) {
                int part = Math.min(frames - from, random.nextInt(maxPart + 1));
                // Each part comes in a buffer longer than itself: what follows the part must not count.
                float[] buffer = new float[(part + 2) * channels];
                Arrays.fill(buffer, 1e6f);
                System.arraycopy(signal, from * channels, buffer, 0, part * channels);
                meter.accept(buffer, part);
                from += part;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
