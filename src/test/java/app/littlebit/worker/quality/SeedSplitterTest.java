package app.littlebit.worker.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.PcmFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The re-implementation of the seed's PyDub split checked against positions worked out by hand
 * from PyDub's rules: 750 ms windows every 75 ms, silent when their RMS is at most -30 dBFS.
 */
class SeedSplitterTest {
    private static final PcmFormat FORMAT = new PcmFormat(44_100, 1);

    /** Quiet noise with a -10 dBFS tone burst (RMS -13 dBFS) from 1000 to 1200 ms and a soft one at 3000 ms. */
    private static float[] recording() {
        float[] samples = new float[5 * 44_100];
        Random random = new Random(1);
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (0.001 * random.nextGaussian());
        }
        burst(samples, 1_000, 200, -10);
        burst(samples, 3_000, 200, -40);
        return samples;
    }

    private static void burst(float[] samples, int startMs, int lengthMs, double peakDbfs) {
        double amplitude = Math.pow(10, peakDbfs / 20);
        for (int i = startMs * 441 / 10; i < (startMs + lengthMs) * 441 / 10; i++) {
            samples[i] += (float) (amplitude * Math.sin(2 * Math.PI * 440 * i / 44_100.0));
        }
    }

    @Test
    void findsTheLoudBurstOnPyDubsGridAndMissesTheSoftOne() {
        // A window is loud once it overlaps the burst by more than 750 ms * 10^(-17/10) = 15 ms: the
        // last silent window before it starts at 225 ms (ends 975), the first after it at 1200 ms.
        List<long[]> ranges = new SeedSplitter(recording(), FORMAT).splitOnSilence();
        assertEquals(1, ranges.size());
        assertEquals(975 - SeedSplitter.KEEP_SILENCE_MS, ranges.get(0)[0]);
        assertEquals(1200 + SeedSplitter.KEEP_SILENCE_MS, ranges.get(0)[1]);
    }

    @Test
    void padsAndNormalizesToMinus20DbfsRms() {
        Slice slice = new SeedSplitter(recording(), FORMAT).split().get(0);
        assertEquals(925 * 441 / 10, slice.startFrame());
        assertEquals(SeedSplitter.PAD_BEFORE_MS, slice.paddingMillis());
        // 200 ms of a -13 dBFS RMS tone in 425 ms (325 ms cut + 100 ms padding): RMS -16.3 dBFS,
        // so 3.7 dB of cut, putting the -10 dBFS peak at -13.7 dBFS.
        assertEquals(-13.7, slice.peakDbfs(), 0.2);
        assertFalse(slice.clipped());
    }

    @Test
    void aShortLoudNoiseBurstIsPushedIntoClipping() {
        float[] samples = new float[3 * 44_100];
        Random random = new Random(2);
        for (int i = 44_100; i < 44_100 + 882; i++) {
            samples[i] = (float) Math.max(-0.9, Math.min(0.9, 0.3 * random.nextGaussian()));
        }
        Slice slice = new SeedSplitter(samples, FORMAT).split().get(0);
        assertTrue(slice.clipped());
        assertEquals(0, slice.peakDbfs(), 0.01);
    }
}
