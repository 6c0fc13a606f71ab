package app.littlebit.worker.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * How well a set of one-shots matches the truth. Sums over takes with {@link #plus}.
 *
 * @param sounds         true sounds in the recordings
 * @param found          true sounds that got a one-shot of their own (not merged with another)
 * @param oneShots       one-shots written
 * @param merged         one-shots holding the onsets of two or more true sounds
 * @param falseOneShots  one-shots holding no true sound's onset (noise, or a piece of a sound)
 * @param attacksCut     found sounds whose first audible sample is missing or faded
 * @param attacksCutMasked of those, the ones whose cut part was quieter than the background it came in over
 * @param tailsCut       found sounds whose decay was cut or faded before it sank into the floor
 * @param preRollsMillis per found, uncut sound: time from the file's start to the onset
 * @param peaksDbfs      per one-shot: sample peak of the file
 * @param clipped        one-shots with samples cut off at full scale
 */
public record Score(
        int sounds,
        int found,
        int oneShots,
        int merged,
        int falseOneShots,
        int attacksCut,
        int attacksCutMasked,
        int tailsCut,
        List<Double> preRollsMillis,
        List<Double> peaksDbfs,
        int clipped) {
    public Score {
        preRollsMillis = List.copyOf(preRollsMillis);
        peaksDbfs = List.copyOf(peaksDbfs);
    }

    public static Score empty() {
        return new Score(0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(), 0);
    }

    public Score plus(Score other) {
        return new Score(
                sounds + other.sounds,
                found + other.found,
                oneShots + other.oneShots,
                merged + other.merged,
                falseOneShots + other.falseOneShots,
                attacksCut + other.attacksCut,
                attacksCutMasked + other.attacksCutMasked,
                tailsCut + other.tailsCut,
                concat(preRollsMillis, other.preRollsMillis),
                concat(peaksDbfs, other.peaksDbfs),
                clipped + other.clipped);
    }

    /** Share of true sounds that got a clean one-shot of their own. */
    public double recall() {
        return sounds == 0 ? 1 : (double) found / sounds;
    }

    /**
     * Share of one-shots written that are clean: each holds exactly one sound, neither a piece of
     * one or nothing (false) nor two (merged). 1 when nothing was written.
     */
    public double precision() {
        return oneShots == 0 ? 1 : (double) (oneShots - falseOneShots - merged) / oneShots;
    }

    /** Share of found sounds whose tail was cut. */
    public double tailCutRate() {
        return found == 0 ? 0 : (double) tailsCut / found;
    }

    public double medianPreRollMillis() {
        return quantile(preRollsMillis, 0.5);
    }

    public double maxPreRollMillis() {
        return quantile(preRollsMillis, 1);
    }

    public double medianPeakDbfs() {
        return quantile(peaksDbfs, 0.5);
    }

    public double maxPeakDbfs() {
        return quantile(peaksDbfs, 1);
    }

    private static double quantile(List<Double> values, double fraction) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.round(fraction * (sorted.size() - 1)));
    }

    private static List<Double> concat(List<Double> a, List<Double> b) {
        List<Double> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
