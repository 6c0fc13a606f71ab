package app.littlebit.worker.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BS.1770-4's own reference points, its gates, and the rule for sounds shorter than one block. */
class IntegratedLoudnessMeterTest {
    @Test
    void theStandardsFilterCoefficientsAt48Kilohertz() {
        // ITU-R BS.1770-4, tables 1 and 2.
        IntegratedLoudnessMeter.KWeighting k = new IntegratedLoudnessMeter.KWeighting(48_000);
        assertArrayEquals(new double[] {1.53512485958697, -2.69169618940638, 1.19839281085285}, k.shelfB, 1e-7);
        assertArrayEquals(new double[] {1, -1.69065929318241, 0.73248077421585}, k.shelfA, 1e-7);
        assertArrayEquals(new double[] {1, -2, 1}, k.highPassB, 0);
        assertArrayEquals(new double[] {1, -1.99004745483398, 0.99007225036621}, k.highPassA, 1e-7);
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void aFullScale997HertzSineOnOneChannelReadsMinus3Point01Lufs(int sampleRate) {
        // BS.1770-4, 2.1: "a 0 dB FS 1 kHz sine wave input to the left, centre or right channel only
        // will produce -3.01 LKFS"; 997 Hz is the EBU test-tone frequency.
        // The standard's filter is given at 48 kHz; at other rates the same analogue filter reads within 0.02 LU.
        assertEquals(-3.01, loudness(new PcmFormat(sampleRate, 1), sine(sampleRate, 1, 997, 0, 5)), 0.02);
    }

    @Test
    void theSameSineOnBothChannelsReads3DecibelsLouder() {
        assertEquals(0.0, loudness(new PcmFormat(48_000, 2), sine(48_000, 2, 997, 0, 5)), 0.01);
    }

    @Test
    void levelsScaleDecibelForDecibel() {
        assertEquals(-23.01, loudness(new PcmFormat(48_000, 1), sine(48_000, 1, 997, -20, 5)), 0.01);
    }

    /*
     * Blocks are 400 ms every 100 ms. Where a 4 s tone (37 blocks wholly inside it) meets silence,
     * three blocks hold 3/4, 1/2 and 1/4 of it: they pass the gates and count, at those fractions of
     * its power. Blocks of silence, or of a tone under -70 LUFS, do not count, however many.
     */
    @Test
    void silenceAndQuietPartsBelowTheAbsoluteGateDoNotCount() {
        PcmFormat format = new PcmFormat(48_000, 1);
        float[] tone = sine(48_000, 1, 997, -20, 4);
        double edges = 10 * Math.log10((37 + 0.75 + 0.5 + 0.25) / 40.0);
        assertEquals(-23.01 + edges, loudness(format, concat(tone, new float[48_000 * 2])), 0.01);
        assertEquals(
                -23.01 + edges,
                loudness(format, concat(tone, new float[48_000 * 8], sine(48_000, 1, 997, -75, 4))),
                0.01);
        assertEquals(Double.NEGATIVE_INFINITY, loudness(format, new float[48_000 * 3]));
        assertEquals(Double.NEGATIVE_INFINITY, loudness(format, sine(48_000, 1, 997, -75, 3)));
    }

    @Test
    void partsMoreThan10LuUnderTheRestAreGatedOut() {
        PcmFormat format = new PcmFormat(48_000, 1);
        float[] loud = sine(48_000, 1, 997, -20, 10);
        // A 4 s part 15 dB down: the ungated mean is -24.4 LUFS, so the relative gate is at -34.4
        // and the part, at -38, is dropped; of the blocks where the two meet, none is.
        double quiet = Math.pow(10, -1.5);
        double edges = 0.75 + 0.25 * quiet + 0.5 + 0.5 * quiet + 0.25 + 0.75 * quiet;
        assertEquals(
                -23.01 + 10 * Math.log10((97 + edges) / 100),
                loudness(format, concat(loud, sine(48_000, 1, 997, -35, 4))),
                0.01);
        // 5 dB down is above the gate and pulls the reading down: every block counts.
        double counted = Math.pow(10, -0.5);
        double blocks = 97 + 0.75 + 0.25 * counted + 0.5 + 0.5 * counted + 0.25 + 0.75 * counted + 37 * counted;
        assertEquals(
                -23.01 + 10 * Math.log10(blocks / 137),
                loudness(format, concat(loud, sine(48_000, 1, 997, -25, 4))),
                0.01);
    }

    @Test
    void aSoundShorterThanOneBlockReadsAsTheSameSoundHeldLonger() {
        PcmFormat format = new PcmFormat(48_000, 1);
        double held = loudness(format, sine(48_000, 1, 440, -12, 3));
        for (double seconds : new double[] {0.05, 0.1, 0.25, 0.39}) {
            assertEquals(held, loudness(format, sine(48_000, 1, 440, -12, seconds)), 0.05, seconds + " s");
        }
    }

    @Test
    void measuringInPartsReadsExactlyAsTheWholeSignal() {
        Random random = new Random(5);
        PcmFormat format = new PcmFormat(44_100, 2);
        for (double seconds : new double[] {0.2, 1.3, 4.1}) {
            float[] signal = new float[((int) (seconds * 44_100)) * 2];
            for (int i = 0; i < signal.length; i++) {
                signal[i] = (float) (random.nextGaussian() * 0.1 * Math.exp(-i / 40_000.0));
            }
            double whole = loudness(format, signal);
            IntegratedLoudnessMeter parts = new IntegratedLoudnessMeter(format);
            for (int frame = 0; frame < signal.length / 2; ) {
                int count = Math.min(signal.length / 2 - frame, 1 + random.nextInt(9000));
                float[] part = new float[count * 2];
                System.arraycopy(signal, frame * 2, part, 0, count * 2);
                parts.accept(part, count);
                frame += count;
            }
            assertEquals(whole, parts.finish(), 1e-9, seconds + " s");
        }
    }

    static double loudness(PcmFormat format, float[] signal) {
        IntegratedLoudnessMeter meter = new IntegratedLoudnessMeter(format);
        meter.accept(signal, signal.length / format.channels());
        return meter.finish();
    }

    /** A sine with its peak at {@code peakDbfs}, the same on every channel. */
    static float[] sine(int sampleRate, int channels, double hertz, double peakDbfs, double seconds) {
        int frames = (int) Math.round(seconds * sampleRate);
        double amplitude = Math.pow(10, peakDbfs / 20);
        float[] out = new float[frames * channels];
        for (int f = 0; f < frames; f++) {
            float sample = (float) (amplitude * Math.sin(2 * Math.PI * hertz * f / sampleRate));
            for (int c = 0; c < channels; c++) {
                out[f * channels + c] = sample;
            }
        }
        return out;
    }

    private static float[] concat(float[]... parts) {
        int length = 0;
        for (float[] part : parts) {
            length += part.length;
        }
        float[] out = new float[length];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
