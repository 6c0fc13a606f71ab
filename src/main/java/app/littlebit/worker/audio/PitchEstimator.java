package app.littlebit.worker.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the pitch of a one-shot with YIN (de Cheveigné and Kawahara, 2002) over its sustain: the
 * attack's first {@link #ATTACK_SKIP_SECONDS} are skipped (a strike's noise has no pitch), then
 * frames every {@link #HOP_SECONDS} over the next {@link #SUSTAIN_SECONDS} each give a fundamental
 * and how aperiodic the frame is. The one-shot is pitched when most of the sustain's energy lies in
 * periodic frames that agree on one note; a swept kick, a snare's rattle or a hat's hiss do not.
 *
 * <p>YIN finds the period at which the whole waveform repeats best, which weighs each partial by
 * its power times its frequency squared: on a piano, whose upper partials are sharp (inharmonicity),
 * it reads up to 30 cents sharp (measured on FluidR3's piano, C4 to C6). A keyboard is tuned by the
 * fundamental, so where the fundamental carries a fair share of the power its own frequency is
 * then found in the spectrum of the sustain, within a semitone of YIN's answer.
 *
 * <p>Receives the shaped one-shot in parts, as {@link LoudnessNormalizer#measure} reads it; keeps
 * only the mono sustain, at most about 0.6 s, and analyses it at about 16 kHz (low-passed, then
 * every second or third sample kept): YIN's cost grows with the square of the rate, and nothing
 * above the top fundamental, 2 kHz, and its first few partials is needed.
 */
public final class PitchEstimator implements PcmConsumer {
    /** Lowest fundamental looked for: a bass guitar's low E is 41.2 Hz. */
    static final double MIN_HERTZ = 40;
    /** Highest: the top of a piccolo or a whistle, about B6. */
    static final double MAX_HERTZ = 2000;
    /**
     * A strike's noise is over by then: with it, the FluidSynth piano, guitar and marimba notes of
     * the tests and the demo's pluck read in tune at confidence 0.93 or more.
     */
    static final double ATTACK_SKIP_SECONDS = 0.04;
    /** Long enough to hear a kick's sweep fall, short enough to stay in a plucked note's ring. */
    static final double SUSTAIN_SECONDS = 0.5;
    /** 17 frames over the sustain: enough to tell a steady note from a sweep. */
    static final double HOP_SECONDS = 0.03;
    /** The rate the sustain is analysed at, or just above (recordings below it: their own rate). */
    static final int ANALYSIS_RATE = 16_000;
    /** YIN's absolute threshold on the normalized difference; the paper's range is 0.10 … 0.15. */
    static final double YIN_THRESHOLD = 0.15;
    /** Frames this far under the loudest are decay and noise floor, not sustain. */
    static final double FRAME_RANGE_DB = 30;
    /** Frames within this of the pitch found agree on it: a quarter tone either way. */
    static final double AGREEMENT_CENTS = 50;
    /**
     * Below this the one-shot is unpitched. Measured on notes rendered by FluidSynth (FluidR3 and
     * TimGM6mb SoundFonts: piano, guitar, bass, strings, trumpet, flute, marimba): 0.93 … 1.0, and
     * on synthesized plucks and tones 1.0; on drums, the most was TimGM6mb's snare, a short looped
     * sample that truly repeats, at 0.57, then swept kicks at 0.05 … 0.13; snares, hats, claps
     * and cymbals mostly have no periodic frame at all.
     */
    static final double MIN_CONFIDENCE = 0.75;
    /** How far from YIN's answer the fundamental is looked for, and in what steps. */
    private static final int REFINE_RANGE_CENTS = 100;
    /**
     * The least share of the sustain's power the fundamental needs for its own frequency to be
     * trusted: a piano's is most of it, a note with a weak fundamental's a few percent (the test
     * tone with its fundamental 10 dB under the second harmonic: 6 %); where it is missing, YIN's
     * answer stands.
     */
    private static final double MIN_FUNDAMENTAL_SHARE = 0.02;

    private final int sampleRate;
    private final int channels;
    /** Every {@code step}-th sample of the low-passed sustain is analysed, at {@code rate}. */
    private final int step;

    private final int rate;
    private final int shortestLag;
    private final int longestLag;
    private final long skipFrames;
    private final float[] sustain;
    private long seen;
    private int kept;

    /**
     * @param format      the one-shot's layout
     * @param onsetFrames frames from the one-shot's first frame to its onset (the pre-roll)
     */
    public PitchEstimator(PcmFormat format, long onsetFrames) {
        this.sampleRate = format.sampleRate();
        this.channels = format.channels();
        this.step = Math.max(1, sampleRate / ANALYSIS_RATE);
        this.rate = sampleRate / step;
        this.shortestLag = (int) Math.floor(rate / MAX_HERTZ);
        this.longestLag = (int) Math.ceil(rate / MIN_HERTZ);
        this.skipFrames = onsetFrames + Math.round(ATTACK_SKIP_SECONDS * sampleRate);
        this.sustain = new float[((int) Math.round(SUSTAIN_SECONDS * rate) + 2 * longestLag) * step];
    }

    @Override
    public void accept(float[] interleaved, int frames) {
        for (int f = 0; f < frames && kept < sustain.length; f++, seen++) {
            if (seen < skipFrames) {
                continue;
            }
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += interleaved[f * channels + c];
            }
            sustain[kept++] = (float) (sum / channels);
        }
    }

    /** One analysis frame: its fundamental (0 if aperiodic), aperiodicity and energy. */
    private record Frame(double hertz, double aperiodicity, double energy) {}

    /** The pitch of what was received. */
    public Pitch finish() {
        double[] signal = analysed();
        int window = longestLag;
        int hop = (int) Math.round(HOP_SECONDS * rate);
        List<Frame> frames = new ArrayList<>();
        for (int start = 0; start + window + longestLag <= signal.length; start += hop) {
            frames.add(analyse(signal, start, window));
        }
        double loudest = frames.stream().mapToDouble(Frame::energy).max().orElse(0);
        if (loudest <= 0) {
            return new Pitch.Unpitched();
        }
        double floor = loudest * Math.pow(10, -FRAME_RANGE_DB / 10);
        List<Frame> sounding = frames.stream().filter(f -> f.energy >= floor).toList();
        List<Frame> periodic = sounding.stream()
                .filter(f -> f.hertz > 0)
                .sorted(Comparator.comparingDouble(Frame::hertz))
                .toList();
        if (periodic.isEmpty()) {
            return new Pitch.Unpitched();
        }
        double median = periodic.get(periodic.size() / 2).hertz;
        List<Frame> agreeing = periodic.stream()
                .filter(f -> Math.abs(cents(f.hertz / median)) <= AGREEMENT_CENTS)
                .toList();
        double totalEnergy = sounding.stream().mapToDouble(Frame::energy).sum();
        double agreeingEnergy = agreeing.stream().mapToDouble(Frame::energy).sum();
        double logHertz =
                agreeing.stream().mapToDouble(f -> f.energy * Math.log(f.hertz)).sum() / agreeingEnergy;
        double[] aperiodicities =
                agreeing.stream().mapToDouble(Frame::aperiodicity).sorted().toArray();
        double confidence = agreeingEnergy / totalEnergy * (1 - aperiodicities[aperiodicities.length / 2]);
        return confidence >= MIN_CONFIDENCE
                ? Pitch.Pitched.of(fundamentalNear(signal, Math.exp(logHertz)), confidence)
                : new Pitch.Unpitched();
    }

    /**
     * The sustain at the analysis rate: low-passed (fourth-order Butterworth at 40 % of the new
     * rate, so what would fold back is 20 dB or more down) and thinned out.
     */
    private double[] analysed() {
        double[] mono = new double[kept];
        for (int i = 0; i < kept; i++) {
            mono[i] = sustain[i];
        }
        if (step > 1) {
            for (int pass = 0; pass < 2; pass++) {
                Biquad.lowPass(sampleRate, 0.4 * rate).filter(mono, mono, kept);
            }
        }
        double[] out = new double[kept / step];
        for (int i = 0; i < out.length; i++) {
            out[i] = mono[i * step];
        }
        return out;
    }

    /**
     * The frequency of the strongest peak of the sustain's (Hann-windowed) spectrum within
     * {@link #REFINE_RANGE_CENTS} of {@code hertz}, found a cent at a time by the Goertzel
     * algorithm and refined between cents by a parabola; {@code hertz} itself if that peak is too
     * weak to be the fundamental.
     */
    private double fundamentalNear(double[] signal, double hertz) {
        int length = signal.length;
        double[] windowed = new double[length];
        double power = 0;
        for (int i = 0; i < length; i++) {
            double hann = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / length);
            windowed[i] = signal[i] * hann;
            power += signal[i] * signal[i];
        }
        power /= length;
        double[] magnitudes = new double[2 * REFINE_RANGE_CENTS + 1];
        int best = 0;
        for (int c = 0; c < magnitudes.length; c++) {
            magnitudes[c] = magnitude(windowed, hertz * Math.pow(2, (c - REFINE_RANGE_CENTS) / 1200.0));
            best = magnitudes[c] > magnitudes[best] ? c : best;
        }
        // A sinusoid of amplitude A under a Hann window of N samples peaks at A N / 4; its power is A^2 / 2.
        double amplitude = 4 * magnitudes[best] / length;
        if (best == 0 || best == magnitudes.length - 1 || amplitude * amplitude / 2 < MIN_FUNDAMENTAL_SHARE * power) {
            return hertz;
        }
        double offset = vertexOffset(magnitudes[best - 1], magnitudes[best], magnitudes[best + 1]);
        return hertz * Math.pow(2, (best + offset - REFINE_RANGE_CENTS) / 1200.0);
    }

    private double magnitude(double[] samples, double hertz) {
        double coefficient = 2 * Math.cos(2 * Math.PI * hertz / rate);
        double s1 = 0;
        double s2 = 0;
        for (double sample : samples) {
            double s0 = sample + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - coefficient * s1 * s2));
    }

    /**
     * YIN on one frame: the difference function, normalized by its running mean, then the first
     * dip under the threshold (the shortest period, so no octave-down error), refined between lags
     * by a parabola.
     */
    private Frame analyse(double[] signal, int start, int window) {
        double[] normalized = new double[longestLag + 1];
        normalized[0] = 1;
        double running = 0;
        for (int lag = 1; lag <= longestLag; lag++) {
            double difference = 0;
            for (int j = start; j < start + window; j++) {
                double delta = signal[j] - signal[j + lag];
                difference += delta * delta;
            }
            running += difference;
            normalized[lag] = running == 0 ? 1 : difference * lag / running;
        }
        double energy = 0;
        for (int j = start; j < start + window; j++) {
            energy += signal[j] * signal[j];
        }
        int chosen = -1;
        for (int lag = Math.max(2, shortestLag); lag < longestLag; lag++) {
            if (normalized[lag] < YIN_THRESHOLD) {
                while (lag + 1 < longestLag && normalized[lag + 1] < normalized[lag]) {
                    lag++;
                }
                chosen = lag;
                break;
            }
        }
        if (chosen < 0) {
            double lowest = Arrays.stream(normalized, Math.max(2, shortestLag), longestLag)
                    .min()
                    .orElse(1);
            return new Frame(0, lowest, energy);
        }
        double offset = vertexOffset(normalized[chosen - 1], normalized[chosen], normalized[chosen + 1]);
        return new Frame(rate / (chosen + offset), Math.max(0, normalized[chosen]), energy);
    }

    /** Where, between -1 and 1, the parabola through three equally spaced points has its vertex. */
    private static double vertexOffset(double before, double at, double after) {
        double curve = before - 2 * at + after;
        return curve == 0 ? 0 : 0.5 * (before - after) / curve;
    }

    private static double cents(double ratio) {
        return 1200 * Math.log(ratio) / Math.log(2);
    }
}
