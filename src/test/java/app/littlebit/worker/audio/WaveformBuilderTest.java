package app.littlebit.worker.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.support.TestAudio;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** audiowaveform's min/max pairs: per pixel, channels averaged, 8 bits; wider pixels for long takes. */
class WaveformBuilderTest {
    @Test
    void eachPixelHoldsTheLowestAndHighestSampleOfItsFrames() {
        PcmFormat mono = new PcmFormat(48_000, 1);
        Random random = new Random(2);
        float[] samples = new float[256 * 10 + 100];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (random.nextDouble() * 1.6 - 0.8);
        }
        Waveform waveform = build(mono, samples, 1000);

        assertEquals(48_000, waveform.sampleRate());
        assertEquals(256, waveform.samplesPerPixel());
        assertEquals(11, waveform.length(), "the last, partial pixel is kept, as audiowaveform does");
        assertArrayEquals(TestAudio.waveformMinMax(samples, 256), waveform.minMax());
    }

    @Test
    void channelsAreAveragedAndFullScaleFitsEightBits() {
        PcmFormat stereo = new PcmFormat(44_100, 2);
        // Left full scale up, right silent: the average is half scale. Then both at full scale, both signs.
        float[] samples = {1, 0, -1, 0, 1, 1, -1, -1};
        Waveform waveform = build(stereo, samples, 4);
        assertArrayEquals(new int[] {-128, 127}, waveform.minMax());
        Waveform halves = build(stereo, new float[] {1, 0, -1, 0}, 2);
        assertArrayEquals(new int[] {-64, 64}, halves.minMax());
    }

    @Test
    void aLongTakeIsDrawnWithWiderPixelsThatKeepEveryPeak() {
        PcmFormat mono = new PcmFormat(48_000, 1);
        int frames = 48_000 * 60 * 3;
        float[] samples = new float[frames];
        Random random = new Random(4);
        for (int i = 0; i < frames; i++) {
            samples[i] = (float) (random.nextGaussian() * 0.05);
        }
        samples[frames / 2] = 0.99f;
        Waveform waveform = build(mono, samples, 5000);

        assertTrue(waveform.length() <= WaveformBuilder.MAX_PIXELS, "pixels " + waveform.length());
        assertEquals(0, waveform.samplesPerPixel() % 256);
        assertEquals((frames + waveform.samplesPerPixel() - 1) / waveform.samplesPerPixel(), waveform.length());
        assertArrayEquals(TestAudio.waveformMinMax(samples, waveform.samplesPerPixel()), waveform.minMax());
        int loudest = 0;
        for (int value : waveform.minMax()) {
            loudest = Math.max(loudest, value);
        }
        assertEquals(126, loudest, "a single loud sample survives the merging");
    }

    private static Waveform build(PcmFormat format, float[] samples, int partFrames) {
        WaveformBuilder builder = new WaveformBuilder(format);
        int channels = format.channels();
        for (int frame = 0; frame < samples.length / channels; frame += partFrames) {
            int count = Math.min(partFrames, samples.length / channels - frame);
            float[] part = new float[count * channels];
            System.arraycopy(samples, frame * channels, part, 0, part.length);
            builder.accept(part, count);
        }
        return builder.finish();
    }
}
