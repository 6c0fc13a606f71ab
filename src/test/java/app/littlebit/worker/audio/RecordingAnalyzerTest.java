package app.littlebit.worker.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The analysis of a recording does not depend on how FFmpeg's output is cut into buffers. */
class RecordingAnalyzerTest {
    private static final int FIRST_BUFFER_FRAMES = 4096;

    @Test
    void buffersOfAnySizeGiveExactlyTheAnalysisOfOneBuffer() {
        Random random = new Random(1);
        for (int channels : new int[] {1, 2, 3}) {
            for (int round = 0; round < 10; round++) {
                PcmFormat format = new PcmFormat(random.nextBoolean() ? 44_100 : 48_000, channels);
                float[] samples = noise(random, random.nextInt(60_000) * channels, 0.01);
                RecordingAnalysis whole = analyse(format, samples, new int[] {Integer.MAX_VALUE}, random);
                // Single frames, a block and one more, FFmpeg's usual buffer, and a part-filled array.
                RecordingAnalysis parts = analyse(format, samples, new int[] {1, 7, 220, 221, 4096, 16_384}, random);
                assertEquals(whole.frames(), parts.frames());
                assertArrayEquals(whole.blockMeanSquares(), parts.blockMeanSquares());
                assertArrayEquals(whole.highBlockMeanSquares(), parts.highBlockMeanSquares());
                assertArrayEquals(whole.lowBlockMeanSquares(), parts.lowBlockMeanSquares());
                assertArrayEquals(whole.dcOffsets(), parts.dcOffsets());
            }
        }
    }

    @Test
    void eachBandHearsItsOwnRange() {
        PcmFormat format = new PcmFormat(48_000, 1);
        RecordingAnalysis kick = analyse(format, sine(format, 60), new int[] {4096}, new Random(2));
        RecordingAnalysis hat = analyse(format, sine(format, 6_000), new int[] {4096}, new Random(2));
        int middle = kick.blocks() / 2;
        assertTrue(
                kick.lowBlockMeanSquares()[middle] > 100 * kick.highBlockMeanSquares()[middle], "60 Hz: low, not high");
        assertTrue(
                hat.highBlockMeanSquares()[middle] > 100 * hat.lowBlockMeanSquares()[middle], "6 kHz: high, not low");
    }

    private static RecordingAnalysis analyse(PcmFormat format, float[] samples, int[] sizes, Random random) {
        RecordingAnalyzer analyzer = new RecordingAnalyzer(format);
        int channels = format.channels();
        int frames = samples.length / channels;
        for (int from = 0; from < frames; ) {
            // The DC blocker settles on the first 20 ms, so the first buffer holds at least that.
            int size = from == 0 ? Math.max(FIRST_BUFFER_FRAMES, sizes[0]) : sizes[random.nextInt(sizes.length)];
            int n = Math.min(frames - from, size);
            // FFmpeg's buffers are reused: what lies past the part must not count.
            float[] part = noise(random, n * channels + 5, 1);
            System.arraycopy(samples, from * channels, part, 0, n * channels);
            analyzer.accept(part, n);
            from += n;
        }
        return analyzer.finish();
    }

    private static float[] noise(Random random, int length, double offset) {
        float[] samples = new float[length];
        for (int i = 0; i < length; i++) {
            samples[i] = (float) (random.nextGaussian() * 0.1 + offset);
        }
        return samples;
    }

    private static float[] sine(PcmFormat format, double hertz) {
        float[] samples = new float[format.sampleRate()];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (0.5 * Math.sin(2 * Math.PI * hertz * i / format.sampleRate()));
        }
        return samples;
    }
}
