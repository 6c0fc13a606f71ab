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
 * <p>Receives the shaped one-shot in parts, as {@link LoudnessNormalizer#measure} reads it; keeps
 * only the mono sustain, at most about 0.6 s.
 */
public final class PitchEstimator implements PcmConsumer {
    /** Lowest fundamental looked for: a bass guitar's low E is 41.2 Hz. */
    static final double MIN_HERTZ = 40;
    /** Highest: the top of a piccolo or a whistle, about B6. */
    static final double MAX_HERTZ = 2000;
    /** Struck and plucked sounds settle within this; measured on the demo take's pluck and piano notes. */
    static final double ATTACK_SKIP_SECONDS = 0.04;
    static final double SUSTAIN_SECONDS = 0.5;
    static final double HOP_SECONDS = 0.02;
    /** YIN's absolute threshold on the normalized difference; the paper's range is 0.10 … 0.15. */
    static final double YIN_THRESHOLD = 0.15;
    /** Frames this far under the loudest are decay and noise floor, not sustain. */
    static final double FRAME_RANGE_DB = 30;
    /** Frames within this of the pitch found agree on it: a quarter tone either way. */
    static final double AGREEMENT_CENTS = 50;
    /**
     * Below this the one-shot is unpitched. Measured: harmonic tones, plucks and piano notes read
     * 0.8 … 1; the synthesized kick (a falling sweep) about 0.1, snares, claps and hats 0 … 0.2.
     */
    static final double MIN_CONFIDENCE = 0.5;

    private final int sampleRate;
    private final int channels;
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
        this.shortestLag = (int) Math.floor(sampleRate / MAX_HERTZ);
        this.longestLag = (int) Math.ceil(sampleRate / MIN_HERTZ);
        this.skipFrames = onsetFrames + Math.round(ATTACK_SKIP_SECONDS * sampleRate);
        this.sustain = new float[(int) Math.round(SUSTAIN_SECONDS * sampleRate) + 2 * longestLag];
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
    private record Frame(double hertz, double aperiodicity, double energy) {
    }

    /** The pitch of what was received. */
    public Pitch finish() {
        int window = longestLag;
        int hop = (int) Math.round(HOP_SECONDS * sampleRate);
        List<Frame> frames = new ArrayList<>();
        for (int start = 0; start + window + longestLag <= kept; start += hop) {
            frames.add(analyse(start, window));
        }
        double loudest = frames.stream().mapToDouble(Frame::energy).max().orElse(0);
        if (loudest <= 0) {
            return new Pitch.Unpitched();
        }
        double floor = loudest * Math.pow(10, -FRAME_RANGE_DB / 10);
        List<Frame> sounding = frames.stream().filter(f -> f.energy >= floor).toList();
        List<Frame> periodic = sounding.stream().filter(f -> f.hertz > 0)
                .sorted(Comparator.comparingDouble(Frame::hertz)).toList();
        if (periodic.isEmpty()) {
            return new Pitch.Unpitched();
        }
        double median = periodic.get(periodic.size() / 2).hertz;
        List<Frame> agreeing = periodic.stream()
                .filter(f -> Math.abs(cents(f.hertz / median)) <= AGREEMENT_CENTS).toList();
        double totalEnergy = sounding.stream().mapToDouble(Frame::energy).sum();
        double agreeingEnergy = agreeing.stream().mapToDouble(Frame::energy).sum();
        double logHertz = agreeing.stream().mapToDouble(f -> f.energy * Math.log(f.hertz)).sum() / agreeingEnergy;
        double[] aperiodicities = agreeing.stream().mapToDouble(Frame::aperiodicity).sorted().toArray();
        double confidence = agreeingEnergy / totalEnergy * (1 - aperiodicities[aperiodicities.length / 2]);
        return confidence >= MIN_CONFIDENCE ? Pitch.Pitched.of(Math.exp(logHertz), confidence)
                : new Pitch.Unpitched();
    }

    /**
     * YIN on one frame: the difference function, normalized by its running mean, then the first
     * dip under the threshold (the shortest period, so no octave-down error), refined between lags
     * by a parabola.
     */
    private Frame analyse(int start, int window) {
        double[] normalized = new double[longestLag + 1];
        normalized[0] = 1;
        double running = 0;
        for (int lag = 1; lag <= longestLag; lag++) {
            double difference = 0;
            for (int j = start; j < start + window; j++) {
                double delta = sustain[j] - sustain[j + lag];
                difference += delta * delta;
            }
            running += difference;
            normalized[lag] = running == 0 ? 1 : difference * lag / running;
        }
        double energy = 0;
        for (int j = start; j < start + window; j++) {
            energy += (double) sustain[j] * sustain[j];
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
            double lowest = Arrays.stream(normalized, Math.max(2, shortestLag), longestLag).min().orElse(1);
            return new Frame(0, lowest, energy);
        }
        double before = normalized[chosen - 1];
        double at = normalized[chosen];
        double after = normalized[chosen + 1];
        double curve = before - 2 * at + after;
        double offset = curve > 0 ? 0.5 * (before - after) / curve : 0;
        return new Frame(sampleRate / (chosen + offset), Math.max(0, at), energy);
    }

    private static double cents(double ratio) {
        return 1200 * Math.log(ratio) / Math.log(2);
    }
}
