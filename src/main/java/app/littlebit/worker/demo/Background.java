package app.littlebit.worker.demo;

import java.util.Random;

/**
 * A room's background as a phone hears it: noise of the room's colour, optional mains hum with its
 * first harmonics, and for pink and brown rooms a slow drift in level (a fan, passing traffic),
 * scaled so its RMS is exactly the room's floor. The channels of a stereo phone share the hum and
 * part of the noise.
 */
final class Background {
    /** Low-pass corner of the rumble (traffic, ventilation). */
    private static final double RUMBLE_HERTZ = 150;

    private static final double CHANNEL_CORRELATION = 0.3;
    /** A phone's microphone path cuts below about this; brown noise is shaped down to it. */
    private static final double PHONE_LOW_CUT_HERTZ = 20;
    /** How far a coloured room's level wanders, either way, and how fast (a random walk, smoothed). */
    private static final double DRIFT_DB = 3;

    private static final double DRIFT_SECONDS = 2;

    private Background() {}

    /** Interleaved background of the given length. */
    static float[] render(Room room, int frames, Random random) {
        int channels = room.format().channels();
        int rate = room.format().sampleRate();
        double rumbleShare = 0.7 * random.nextDouble();
        double[] shared = noise(room.noise(), frames, rumbleShare, rate, random);
        double[][] noise = new double[channels][];
        for (int c = 0; c < channels; c++) {
            double[] own = noise(room.noise(), frames, rumbleShare, rate, random);
            noise[c] = new double[frames];
            for (int f = 0; f < frames; f++) {
                noise[c][f] = Math.sqrt(CHANNEL_CORRELATION) * shared[f] + Math.sqrt(1 - CHANNEL_CORRELATION) * own[f];
            }
        }
        double floor = room.floorRms();
        double noiseRms = floor * Math.sqrt(1 - room.humShare());
        double humRms = floor * Math.sqrt(room.humShare());
        // Fundamental, 2nd and 3rd harmonic at 1, 1/2, 1/3 amplitude: a transformer's buzz.
        double humAmplitude = humRms * Math.sqrt(2) / Math.sqrt(1 + 0.25 + 1.0 / 9);
        double phase = 2 * Math.PI * random.nextDouble();
        double[] drift = room.noise() == Room.NoiseColor.HISS_AND_RUMBLE ? null : drift(frames, rate, random);
        float[] out = new float[frames * channels];
        for (int c = 0; c < channels; c++) {
            if (drift != null) {
                for (int f = 0; f < frames; f++) {
                    noise[c][f] *= drift[f];
                }
            }
            double scale = noiseRms / rms(noise[c]);
            for (int f = 0; f < frames; f++) {
                double angle = 2 * Math.PI * room.humHertz() * f / rate + phase;
                double hum = humAmplitude * (Math.sin(angle) + Math.sin(2 * angle) / 2 + Math.sin(3 * angle) / 3);
                out[f * channels + c] = (float) (noise[c][f] * scale + hum + room.dcOffset());
            }
        }
        return out;
    }

    private static double[] noise(Room.NoiseColor color, int frames, double rumbleShare, int rate, Random random) {
        return switch (color) {
            case HISS_AND_RUMBLE -> hissAndRumble(frames, rumbleShare, rate, random);
            case PINK -> pink(frames, random);
            case BROWN -> brown(frames, rate, random);
        };
    }

    /** Pink noise by Paul Kellet's economy filter (within 0.5 dB of -3 dB per octave above 40 Hz). */
    private static double[] pink(int frames, Random random) {
        double[] out = new double[frames];
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        for (int f = 0; f < frames; f++) {
            double white = random.nextGaussian();
            b0 = 0.99765 * b0 + white * 0.0990460;
            b1 = 0.96300 * b1 + white * 0.2965164;
            b2 = 0.57000 * b2 + white * 1.0526913;
            out[f] = b0 + b1 + b2 + white * 0.1848;
        }
        return out;
    }

    /** Integrated white noise, high-passed where a phone's input stops. */
    private static double[] brown(int frames, int rate, Random random) {
        double[] out = new double[frames];
        double pole = Math.exp(-2 * Math.PI * PHONE_LOW_CUT_HERTZ / rate);
        double integral = 0;
        double previous = 0;
        double highPassed = 0;
        for (int f = 0; f < frames; f++) {
            integral = integral * 0.9999 + random.nextGaussian();
            highPassed = pole * (highPassed + integral - previous);
            previous = integral;
            out[f] = highPassed;
        }
        return out;
    }

    /** A gain that wanders smoothly within {@link #DRIFT_DB} either way. */
    private static double[] drift(int frames, int rate, Random random) {
        double[] gain = new double[frames];
        int step = Math.max(1, (int) (DRIFT_SECONDS * rate));
        double from = SynthKit.between(random, -DRIFT_DB, DRIFT_DB);
        for (int start = 0; start < frames; start += step) {
            double to = SynthKit.between(random, -DRIFT_DB, DRIFT_DB);
            for (int f = start; f < Math.min(frames, start + step); f++) {
                double x = (double) (f - start) / step;
                double db = from + (to - from) * (1 - Math.cos(Math.PI * x)) / 2;
                gain[f] = Math.pow(10, db / 20);
            }
            from = to;
        }
        return gain;
    }

    /** Unit-power mix of white noise and low-passed rumble. */
    private static double[] hissAndRumble(int frames, double rumbleShare, int rate, Random random) {
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
