package app.littlebit.worker.quality;

import java.util.Random;

/**
 * A room's background as a phone hears it: hiss, low rumble and optional mains hum with its first
 * harmonics, scaled so its RMS is exactly the room's floor. The channels of a stereo phone share
 * the hum and part of the noise.
 */
final class Background {
    /** Low-pass corner of the rumble (traffic, ventilation). */
    private static final double RUMBLE_HERTZ = 150;
    private static final double CHANNEL_CORRELATION = 0.3;

    private Background() {
    }

    /** Interleaved background of the given length. */
    static float[] render(Room room, int frames, Random random) {
        int channels = room.format().channels();
        int rate = room.format().sampleRate();
        double rumbleShare = 0.7 * random.nextDouble();
        double[] shared = noise(frames, rumbleShare, rate, random);
        double[][] noise = new double[channels][];
        for (int c = 0; c < channels; c++) {
            double[] own = noise(frames, rumbleShare, rate, random);
            noise[c] = new double[frames];
            for (int f = 0; f < frames; f++) {
                noise[c][f] = Math.sqrt(CHANNEL_CORRELATION) * shared[f]
                        + Math.sqrt(1 - CHANNEL_CORRELATION) * own[f];
            }
        }
        double floor = room.floorRms();
        double noiseRms = floor * Math.sqrt(1 - room.humShare());
        double humRms = floor * Math.sqrt(room.humShare());
        // Fundamental, 2nd and 3rd harmonic at 1, 1/2, 1/3 amplitude: a transformer's buzz.
        double humAmplitude = humRms * Math.sqrt(2) / Math.sqrt(1 + 0.25 + 1.0 / 9);
        double phase = 2 * Math.PI * random.nextDouble();
        float[] out = new float[frames * channels];
        for (int c = 0; c < channels; c++) {
            double scale = noiseRms / rms(noise[c]);
            for (int f = 0; f < frames; f++) {
                double angle = 2 * Math.PI * room.humHertz() * f / rate + phase;
                double hum = humAmplitude * (Math.sin(angle) + Math.sin(2 * angle) / 2 + Math.sin(3 * angle) / 3);
                out[f * channels + c] = (float) (noise[c][f] * scale + hum + room.dcOffset());
            }
        }
        return out;
    }

    /** Unit-power mix of white noise and low-passed rumble. */
    private static double[] noise(int frames, double rumbleShare, int rate, Random random) {
        double[] white = new double[frames];
        double[] rumble = new double[frames];
        double coefficient = 1 - Math.exp(-2 * Math.PI * RUMBLE_HERTZ / rate);
        double state = 0;
        for (int f = 0; f < frames; f++) {
            white[f] = random.nextGaussian();
            state += coefficient * (random.nextGaussian() - state);
            rumble[f] = state;
        }
        double whiteScale = Math.sqrt(1 - rumbleShare) / rms(white);
        double rumbleScale = Math.sqrt(rumbleShare) / rms(rumble);
        double[] out = new double[frames];
        for (int f = 0; f < frames; f++) {
            out[f] = white[f] * whiteScale + rumble[f] * rumbleScale;
        }
        return out;
    }

    private static double rms(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v * v;
        }
        return Math.sqrt(sum / Math.max(1, values.length));
    }
}
