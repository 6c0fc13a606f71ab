package app.littlebit.worker.audio;

import java.util.Arrays;

/**
 * Builds a {@link Waveform} from audio that arrives in parts, at {@link #SAMPLES_PER_PIXEL} frames
 * per pixel, then, for a long recording, fewer and wider pixels, so the file stays small whatever
 * the length. Channels are averaged first, as audiowaveform does without {@code --split-channels}.
 */
public final class WaveformBuilder implements PcmConsumer {
    /** audiowaveform's default zoom: about 5 ms a pixel at 48 kHz, a 1.5 s hit about 280 pixels wide. */
    static final int SAMPLES_PER_PIXEL = 256;
    /**
     * Most pixels a waveform has: a 10 s one-shot or a 20 s take at 48 kHz fits at full detail; an
     * hour-long take is drawn with wider pixels, about 40 KB of JSON.
     */
    public static final int MAX_PIXELS = 4096;

    private final PcmFormat format;
    private float[] minMax = new float[256];
    private int pixels;
    private float low = Float.POSITIVE_INFINITY;
    private float high = Float.NEGATIVE_INFINITY;
    private int inPixel;

    public WaveformBuilder(PcmFormat format) {
        this.format = format;
    }

    @Override
    public void accept(float[] interleaved, int frames) {
        int channels = format.channels();
        for (int f = 0; f < frames; f++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += interleaved[f * channels + c];
            }
            float sample = sum / channels;
            low = Math.min(low, sample);
            high = Math.max(high, sample);
            if (++inPixel == SAMPLES_PER_PIXEL) {
                endPixel();
            }
        }
    }

    private void endPixel() {
        if (2 * pixels + 2 > minMax.length) {
            minMax = Arrays.copyOf(minMax, minMax.length * 2);
        }
        minMax[2 * pixels] = low;
        minMax[2 * pixels + 1] = high;
        pixels++;
        low = Float.POSITIVE_INFINITY;
        high = Float.NEGATIVE_INFINITY;
        inPixel = 0;
    }

    /** The waveform of everything received, the last pixel possibly partial, as audiowaveform writes it. */
    public Waveform finish() {
        if (inPixel > 0) {
            endPixel();
        }
        int merge = Math.max(1, (pixels + MAX_PIXELS - 1) / MAX_PIXELS);
        int length = (pixels + merge - 1) / merge;
        int[] data = new int[2 * length];
        for (int p = 0; p < length; p++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int q = p * merge; q < Math.min(pixels, (p + 1) * merge); q++) {
                min = Math.min(min, minMax[2 * q]);
                max = Math.max(max, minMax[2 * q + 1]);
            }
            data[2 * p] = eightBits(min);
            data[2 * p + 1] = eightBits(max);
        }
        return new Waveform(format.sampleRate(), SAMPLES_PER_PIXEL * merge, data);
    }

    private static int eightBits(float sample) {
        return (int) Math.max(-128, Math.min(127, Math.floor(sample * 128)));
    }
}
