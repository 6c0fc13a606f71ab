package app.littlebit.worker.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.support.InMemoryPcm;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A one-shot longer than a chunk is shaped, measured and gained exactly as if it were handled
 * whole: fades follow the frame's place in the cut, not in the chunk.
 */
class OneShotShaperTest {
    private static final PcmFormat STEREO = new PcmFormat(48_000, 2);
    private static final double[] DC = {0.01, -0.02};
    private static final int FRAMES = OneShotShaper.CHUNK_FRAMES * 5 / 2 + 123;
    /** Fades longer than a chunk, so both cross a chunk boundary. */
    private static final OneShotCut CUT = new OneShotCut(
            1_000, 1_500, 1_000 + FRAMES - 77, OneShotShaper.CHUNK_FRAMES + 10, OneShotShaper.CHUNK_FRAMES + 20);

    private final InMemoryPcm recording = new InMemoryPcm(noise(new Random(11), FRAMES + 1_000), STEREO);
    private final RecordingAnalysis analysis =
            new RecordingAnalysis(STEREO, FRAMES + 1_000, 240, new float[0], new float[0], new float[0], DC);

    @Test
    void chunksAreShapedByTheirPlaceInTheCut() throws IOException {
        float[] shaped = shapeWhole();

        int frames = (int) CUT.frames();
        assertEquals(frames * 2, shaped.length);
        for (int f : new int[] {
            0,
            1,
            CUT.fadeInFrames() - 1,
            CUT.fadeInFrames(),
            frames / 2,
            frames - CUT.fadeOutFrames() - 1,
            frames - CUT.fadeOutFrames(),
            frames - 1
        }) {
            double gain = fade(f, frames, CUT.fadeInFrames(), CUT.fadeOutFrames());
            for (int c = 0; c < 2; c++) {
                float source = recording.samples()[(int) (CUT.startFrame() + f) * 2 + c];
                assertEquals((float) ((source - DC[c]) * gain), shaped[f * 2 + c], "frame " + f + " channel " + c);
            }
        }
    }

    @Test
    void measuringInChunksReadsAsTheWholeOneShot() throws IOException {
        float[] shaped = shapeWhole();
        LoudnessNormalizer normalizer = new LoudnessNormalizer(-20, true, NormalizeTo.RMS);
        for (boolean lossy : new boolean[] {false, true}) {
            LoudnessMeter whole = new LoudnessMeter(STEREO);
            whole.accept(shaped, shaped.length / 2);

            assertEquals(
                    normalizer.choose(whole.finish(), lossy),
                    normalizer.measure(CUT, analysis, recording, lossy, (samples, frames) -> {}));
        }
    }

    @Test
    void theGainIsAppliedToEveryChunk() throws IOException {
        float[] expected = shapeWhole();
        float gain = (float) Math.pow(10, -7.5 / 20);
        for (int i = 0; i < expected.length; i++) {
            expected[i] *= gain;
        }
        Collected out = new Collected();

        LoudnessNormalizer.apply(CUT, analysis, recording, -7.5, out);

        assertArrayEquals(expected, out.samples());
    }

    @Test
    void aCutBeyondTheRecordingIsAnError() {
        OneShotCut tooLong = new OneShotCut(FRAMES, FRAMES, FRAMES + 2_000, 0, 0);
        assertThrows(IOException.class, () -> OneShotShaper.shape(tooLong, analysis, recording, new Collected()));
    }

    private float[] shapeWhole() throws IOException {
        Collected chunks = new Collected();
        OneShotShaper.shape(CUT, analysis, recording, chunks);
        assertTrue(chunks.largest <= OneShotShaper.CHUNK_FRAMES, "chunk of " + chunks.largest + " frames");
        assertTrue(chunks.count > 2, "only " + chunks.count + " chunks");
        return chunks.samples();
    }

    private static double fade(int frame, int frames, int fadeIn, int fadeOut) {
        double gain = 1;
        if (frame < fadeIn) {
            gain *= 0.5 - 0.5 * Math.cos(Math.PI * (frame + 0.5) / fadeIn);
        }
        int fromEnd = frames - 1 - frame;
        if (fromEnd < fadeOut) {
            gain *= 0.5 - 0.5 * Math.cos(Math.PI * (fromEnd + 0.5) / fadeOut);
        }
        return gain;
    }

    private static float[] noise(Random random, int frames) {
        float[] samples = new float[frames * 2];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (random.nextGaussian() * 0.2);
        }
        return samples;
    }

    /** Chunks as they arrive, joined. */
    private static final class Collected implements PcmConsumer {
        private float[] all = new float[0];
        private int used;
        private int count;
        private int largest;

        @Override
        public void accept(float[] interleaved, int frames) {
            int samples = frames * 2;
            all = Arrays.copyOf(all, used + samples);
            System.arraycopy(interleaved, 0, all, used, samples);
            used += samples;
            count++;
            largest = Math.max(largest, frames);
        }

        float[] samples() {
            return Arrays.copyOf(all, used);
        }
    }
}
