package app.littlebit.worker.demo;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;

/**
 * Drum-machine and instrument one-shots with natural, exponential decays, each varied a little
 * (pitch, decay time, noise colour) so no two are alike. Every sound is rendered until its
 * envelope is 80 dB down, so the ground truth sees its whole decay. Tuned kinds can be held at a
 * fixed pitch (the demo's notes are an A3 pluck and an A4 tone); everything else still varies.
 */
public final class SynthKit implements SoundSource {
    public static final List<String> KINDS =
            List.of("kick", "snare", "closed-hat", "open-hat", "clap", "tom", "rim", "pluck", "tone", "crash");
    /** The kinds whose sound is built on one pitch, which {@link #SynthKit(List, Map)} can fix. */
    public static final Set<String> TUNED_KINDS = Set.of("snare", "tom", "rim", "pluck", "tone");
    /** Envelope decays to -80 dB after this many time constants. */
    private static final double RENDER_TIME_CONSTANTS = 9.3;

    private final List<String> kinds;
    private final Map<String, Double> fixedPitchesHz;

    /** Sounds of every kind. */
    public SynthKit() {
        this(KINDS);
    }

    /** Sounds of the given kinds only. */
    public SynthKit(List<String> kinds) {
        this(kinds, Map.of());
    }

    /**
     * Sounds of the given kinds, the tuned kinds named in {@code fixedPitchesHz} always at that
     * pitch. The same random numbers are drawn either way, so fixing a pitch changes nothing else.
     */
    public SynthKit(List<String> kinds, Map<String, Double> fixedPitchesHz) {
        if (!TUNED_KINDS.containsAll(fixedPitchesHz.keySet())) {
            throw new IllegalArgumentException(
                    "only " + TUNED_KINDS + " have a pitch to fix, not " + fixedPitchesHz.keySet());
        }
        this.kinds = List.copyOf(kinds);
        this.fixedPitchesHz = Map.copyOf(fixedPitchesHz);
    }

    @Override
    public Sound next(Random random, int sampleRate) {
        return sound(kinds.get(random.nextInt(kinds.size())), random, sampleRate);
    }

    /** One sound of the given kind, mono. */
    public Sound sound(String kind, Random random, int sampleRate) {
        OptionalDouble pitch =
                fixedPitchesHz.containsKey(kind) ? OptionalDouble.of(fixedPitchesHz.get(kind)) : OptionalDouble.empty();
        return new Sound(kind, new float[][] {render(kind, new Voice(random, sampleRate, pitch))});
    }

    private static float[] render(String kind, Voice voice) {
        Random random = voice.random;
        return switch (kind) {
            case "kick" -> voice.kick();
            case "snare" -> voice.snare();
            case "closed-hat" -> voice.hat(between(random, 0.015, 0.04));
            case "open-hat" -> voice.hat(between(random, 0.15, 0.35));
            case "clap" -> voice.clap();
            case "tom" -> voice.tom();
            case "rim" -> voice.rim();
            case "pluck" -> voice.pluck();
            case "tone" -> voice.tone();
            case "crash" -> voice.crash();
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
    }

    /** A number drawn evenly from [low, high). */
    public static double between(Random random, double low, double high) {
        return low + (high - low) * random.nextDouble();
    }

    /** The sound generators, sharing a random source, a sample rate and perhaps a fixed pitch. */
    private static final class Voice {
        private final Random random;
        private final int rate;
        private final OptionalDouble fixedPitchHz;

        Voice(Random random, int rate, OptionalDouble fixedPitchHz) {
            this.random = random;
            this.rate = rate;
            this.fixedPitchHz = fixedPitchHz;
        }

        /** A pitch drawn from the range, unless the pitch is fixed (drawn anyway, so the rest stays the same). */
        private double pitch(double low, double high) {
            double drawn = between(random, low, high);
            return fixedPitchHz.orElse(drawn);
        }

        /** A sine sweeping down from a thump to its fundamental, with a short beater click. */
        float[] kick() {
            double low = between(random, 45, 60);
            double high = between(random, 120, 180);
            double sweep = between(random, 0.03, 0.05);
            double decay = between(random, 0.1, 0.25);
            float[] out = new float[frames(decay)];
            double phase = 0;
            for (int i = 0; i < out.length; i++) {
                double t = (double) i / rate;
                phase += 2 * Math.PI * (low + (high - low) * Math.exp(-t / sweep)) / rate;
                double click = 0.3 * random.nextGaussian() * Math.exp(-t / 0.0015);
                out[i] = (float) ((Math.sin(phase) + click) * Math.exp(-t / decay));
            }
            return out;
        }

        /** A drum head's tone under the rattle of the snares. */
        float[] snare() {
            double pitch = pitch(170, 230);
            double body = between(random, 0.04, 0.06);
            double rattle = between(random, 0.06, 0.15);
            double mix = between(random, 0.6, 1);
            float[] out = new float[frames(rattle)];
            for (int i = 0; i < out.length; i++) {
                double t = (double) i / rate;
                out[i] = (float) (Math.sin(2 * Math.PI * pitch * t) * Math.exp(-t / body)
                        + mix * random.nextGaussian() * Math.exp(-t / rattle));
            }
            return out;
        }

        /**
         * Hiss tilted up by a first difference and rolled off above 10 kHz: like a real cymbal, most
         * of its energy lies between a few kHz and the top of a phone codec's band.
         */
        float[] hat(double decay) {
            float[] out = new float[frames(decay)];
            double previous = 0;
            double smoothed = 0;
            double coefficient = 1 - Math.exp(-2 * Math.PI * 10_000 / rate);
            for (int i = 0; i < out.length; i++) {
                double noise = random.nextGaussian();
                smoothed += coefficient * (noise - previous - smoothed);
                out[i] = (float) (smoothed * Math.exp(-(double) i / rate / decay));
                previous = noise;
            }
            return out;
        }

        /** Three or four hand claps a few ms apart, the last one ringing in the room. */
        float[] clap() {
            int bursts = 3 + random.nextInt(2);
            double spacing = between(random, 0.007, 0.013);
            double room = between(random, 0.04, 0.1);
            float[] out = new float[frames(room) + (int) (bursts * spacing * rate)];
            for (int i = 0; i < out.length; i++) {
                double t = (double) i / rate;
                double envelope = 0;
                for (int b = 0; b < bursts; b++) {
                    double local = t - b * spacing;
                    if (local >= 0) {
                        envelope = Math.max(envelope, Math.exp(-local / (b == bursts - 1 ? room : 0.004)));
                    }
                }
                out[i] = (float) (random.nextGaussian() * envelope);
            }
            return out;
        }

        /** A tuned drum: a low sine whose pitch drops a little as the head relaxes. */
        float[] tom() {
            double pitch = pitch(80, 220);
            double decay = between(random, 0.15, 0.35);
            float[] out = new float[frames(decay)];
            double phase = 0;
            for (int i = 0; i < out.length; i++) {
                double t = (double) i / rate;
                phase += 2 * Math.PI * pitch * (1 + 0.3 * Math.exp(-t / 0.05)) / rate;
                out[i] = (float) (Math.sin(phase) * Math.exp(-t / decay));
            }
            return out;
        }

        /** A rim shot or wood block: a short, high resonance. */
        float[] rim() {
            double pitch = pitch(1500, 2500);
            double decay = between(random, 0.008, 0.015);
            float[] out = new float[frames(decay)];
            for (int i = 0; i < out.length; i++) {
                double t = (double) i / rate;
                out[i] = (float)
                        ((Math.sin(2 * Math.PI * pitch * t) + 0.3 * random.nextGaussian()) * Math.exp(-t / decay));
            }
            return out;
        }

        /** A plucked string: harmonics that die away faster the higher they are. */
        float[] pluck() {
            double pitch = pitch(110, 440);
            double decay = between(random, 0.2, 0.5);
            float[] out = new float[frames(decay)];
            for (int i = 0; i < out.length; i++) {
                double t = (double) i / rate;
                double sum = 0;
                for (int h = 1; h <= 4; h++) {
                    sum += Math.sin(2 * Math.PI * pitch * h * t) * Math.exp(-t * h / decay) / h;
                }
                out[i] = (float) (Math.min(1, t / 0.002) * sum);
            }
            return out;
        }

        /** A synth note: soft attack, held, then released. */
        float[] tone() {
            double pitch = pitch(220, 880);
            double attack = between(random, 0.005, 0.02);
            double hold = between(random, 0.2, 0.5);
            double release = between(random, 0.08, 0.15);
            float[] out = new float[(int) (hold * rate) + frames(release)];
            for (int i = 0; i < out.length; i++) {
                double t = (double) i / rate;
                double envelope = Math.min(1, t / attack) * (t < hold ? 1 : Math.exp(-(t - hold) / release));
                out[i] = (float) (envelope * Math.sin(2 * Math.PI * pitch * t));
            }
            return out;
        }

        /** A short crash: bright noise that rings for a second or more. */
        float[] crash() {
            return hat(between(random, 0.3, 0.6));
        }

        private int frames(double decaySeconds) {
            return (int) (RENDER_TIME_CONSTANTS * decaySeconds * rate);
        }
    }
}
