package app.littlebit.worker.demo;

import app.littlebit.worker.audio.PcmFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * Makes drum-machine-like takes with known ground truth: kicks, snares, hats, claps, plucks and
 * tones with natural exponential decays, placed over room noise (optionally with mains hum). Used
 * for the demo command and as test material; seeded, so the same settings give the same audio.
 */
public final class TakeSynthesizer {
    public static final List<String> KINDS = List.of("kick", "snare", "hat", "clap", "pluck", "tone");

    private final PcmFormat format;
    private final double noiseFloorDbfs;
    private final double humDbfs;
    private final Random random;

    /**
     * @param format         output sample rate and channels
     * @param noiseFloorDbfs RMS level of the background noise
     * @param humDbfs        RMS level of 50 Hz hum, or negative infinity for none
     * @param seed           random seed for noise and variation
     */
    public TakeSynthesizer(PcmFormat format, double noiseFloorDbfs, double humDbfs, long seed) {
        this.format = format;
        this.noiseFloorDbfs = noiseFloorDbfs;
        this.humDbfs = humDbfs;
        this.random = new Random(seed);
    }

    /** A sound to place in the take. */
    public record Placement(String kind, double onsetSeconds, double peakDbfs) {}

    /** Background noise of the given length with the sounds mixed in. */
    public SynthesizedTake take(double seconds, List<Placement> placements) {
        int channels = format.channels();
        int frames = (int) format.framesFor(seconds * 1000);
        float[] samples = new float[frames * channels];
        double noiseRms = Math.pow(10, noiseFloorDbfs / 20);
        double humAmplitude = Math.pow(10, humDbfs / 20) * Math.sqrt(2);
        for (int f = 0; f < frames; f++) {
            double hum = humAmplitude * Math.sin(2 * Math.PI * 50 * f / format.sampleRate());
            for (int c = 0; c < channels; c++) {
                samples[f * channels + c] = (float) (noiseRms * random.nextGaussian() + hum);
            }
        }
        List<SynthesizedTake.Hit> hits = new ArrayList<>();
        for (Placement placement : placements) {
            float[] sound = sound(placement.kind());
            scaleToPeak(sound, placement.peakDbfs());
            long onset = format.framesFor(placement.onsetSeconds() * 1000);
            double audible = Math.max(noiseRms, Math.pow(10, (placement.peakDbfs() - 60) / 20));
            long decayEnd = onset;
            for (int i = 0; i < sound.length && onset + i < frames; i++) {
                // Channels differ slightly in level, as two phone mics would.
                for (int c = 0; c < channels; c++) {
                    double pan = 1 - 0.1 * c;
                    samples[(int) ((onset + i) * channels + c)] += (float) (sound[i] * pan);
                }
                if (Math.abs(sound[i]) > audible) {
                    decayEnd = onset + i;
                }
            }
            hits.add(new SynthesizedTake.Hit(placement.kind(), onset, decayEnd, placement.peakDbfs()));
        }
        hits.sort((a, b) -> Long.compare(a.onsetFrame(), b.onsetFrame()));
        return new SynthesizedTake(format, samples, hits);
    }

    /** The demo: eight hits of every kind, 1.2-2.4 s apart, loud and soft, over phone-like room noise. */
    public static SynthesizedTake demo() {
        TakeSynthesizer synth = new TakeSynthesizer(new PcmFormat(44_100, 1), -58, Double.NEGATIVE_INFINITY, 7);
        List<Placement> placements = new ArrayList<>();
        double[] peaks = {-6, -12, -4, -18, -9, -24, -8, -14};
        double time = 0.6;
        for (int i = 0; i < peaks.length; i++) {
            placements.add(new Placement(KINDS.get(i % KINDS.size()), time, peaks[i]));
            time += 1.2 + (i % 3) * 0.6;
        }
        return synth.take(time + 0.8, placements);
    }

    private float[] sound(String kind) {
        return switch (kind) {
            case "kick" ->
                render(
                        0.6,
                        t -> Math.sin(2 * Math.PI * (50 * t + 100 * 0.04 * (1 - Math.exp(-t / 0.04))))
                                * Math.exp(-t / 0.12));
            case "snare" ->
                render(
                        0.5,
                        t -> (0.6 * random.nextGaussian() * Math.exp(-t / 0.07)
                                + Math.sin(2 * Math.PI * 185 * t) * Math.exp(-t / 0.05)));
            case "hat" -> highPassed(render(0.25, t -> random.nextGaussian() * Math.exp(-t / 0.025)));
            case "clap" -> render(0.5, t -> random.nextGaussian() * clapEnvelope(t));
            case "pluck" ->
                render(
                        1.6,
                        t -> attack(t, 0.002)
                                * Math.exp(-t / 0.25)
                                * (Math.sin(2 * Math.PI * 220 * t)
                                        + 0.5 * Math.sin(2 * Math.PI * 440 * t)
                                        + 0.25 * Math.sin(2 * Math.PI * 660 * t)));
            case "tone" ->
                render(
                        1.4,
                        t -> attack(t, 0.01)
                                * (t < 0.4 ? 1 : Math.exp(-(t - 0.4) / 0.12))
                                * Math.sin(2 * Math.PI * 440 * t));
            default -> throw new IllegalArgumentException("unknown sound kind " + kind);
        };
    }

    private float[] render(double seconds, DoubleUnaryOperator shape) {
        float[] out = new float[(int) (seconds * format.sampleRate())];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) shape.applyAsDouble((double) i / format.sampleRate());
        }
        return out;
    }

    private static double attack(double t, double seconds) {
        return t >= seconds ? 1 : t / seconds;
    }

    private static double clapEnvelope(double t) {
        double envelope = 0;
        for (int burst = 0; burst < 3; burst++) {
            double local = t - burst * 0.011;
            if (local >= 0) {
                envelope = Math.max(envelope, Math.exp(-local / (burst == 2 ? 0.06 : 0.004)));
            }
        }
        return envelope;
    }

    /** Hats are mostly hiss above a few kHz: a first-difference filter tilts the noise up. */
    private static float[] highPassed(float[] in) {
        float[] out = new float[in.length];
        for (int i = 1; i < in.length; i++) {
            out[i] = in[i] - in[i - 1];
        }
        return out;
    }

    private static void scaleToPeak(float[] sound, double peakDbfs) {
        double peak = 0;
        for (float s : sound) {
            peak = Math.max(peak, Math.abs(s));
        }
        double gain = Math.pow(10, peakDbfs / 20) / peak;
        for (int i = 0; i < sound.length; i++) {
            sound[i] *= (float) gain;
        }
    }
}
