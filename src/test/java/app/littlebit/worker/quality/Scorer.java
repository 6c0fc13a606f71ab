package app.littlebit.worker.quality;

import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.demo.SynthesizedTake;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores one-shots against the truth of a take, the way a musician would judge them.
 *
 * <p>A one-shot belongs to every true sound whose onset lies inside it; a one-shot that starts a
 * little after an onset no other one-shot holds (up to {@link #LATE_START_MILLIS}) belongs to that
 * sound too, with its attack cut. A sound is found when exactly its own one-shot belongs to it
 * alone. The attack is cut when the sound's first audible sample is not at full gain; the tail is
 * cut when the fade-out starts before the decay has sunk into the floor, or, when the next sound
 * or the recording's end comes first, more than {@link #OVERLAP_ALLOWANCE_MILLIS} before it (room
 * for the next one-shot's pre-roll and this one's fade-out).
 */
public final class Scorer {
    static final double LATE_START_MILLIS = 50;
    static final double OVERLAP_ALLOWANCE_MILLIS = 25;
    /** Issue 10's goal for the longest pre-roll: more than this is listed as a problem. */
    static final double LONG_PRE_ROLL_MILLIS = 20;

    private Scorer() {}

    public static Score score(SynthesizedTake take, List<Slice> slices) {
        PcmFormat format = take.format();
        List<SynthesizedTake.Hit> hits = take.hits();
        List<List<Integer>> owners = new ArrayList<>();
        for (int s = 0; s < slices.size(); s++) {
            owners.add(new ArrayList<>());
        }
        int[] sliceOf = new int[hits.size()];
        for (int h = 0; h < hits.size(); h++) {
            sliceOf[h] = owningSlice(hits.get(h).onsetFrame(), slices, format);
            if (sliceOf[h] >= 0) {
                owners.get(sliceOf[h]).add(h);
            }
        }
        int merged = 0;
        int falseOneShots = 0;
        List<Double> peaks = new ArrayList<>();
        int clipped = 0;
        for (int s = 0; s < slices.size(); s++) {
            merged += owners.get(s).size() >= 2 ? 1 : 0;
            falseOneShots += owners.get(s).isEmpty() ? 1 : 0;
            peaks.add(slices.get(s).peakDbfs());
            clipped += slices.get(s).clipped() ? 1 : 0;
        }
        int found = 0;
        int attacksCut = 0;
        int tailsCut = 0;
        List<Double> preRolls = new ArrayList<>();
        for (int h = 0; h < hits.size(); h++) {
            if (sliceOf[h] < 0 || owners.get(sliceOf[h]).size() != 1) {
                continue;
            }
            found++;
            SynthesizedTake.Hit hit = hits.get(h);
            Slice slice = slices.get(sliceOf[h]);
            if (slice.fullGainFrame() > hit.onsetFrame()) {
                attacksCut++;
            } else {
                preRolls.add(preRollMillis(hit, slice, format));
            }
            long needed = tailNeededUntil(take, h);
            if (slice.endFrame() - slice.fadeOutFrames() < needed) {
                tailsCut++;
            }
        }
        return new Score(
                hits.size(),
                found,
                slices.size(),
                merged,
                falseOneShots,
                attacksCut,
                tailsCut,
                preRolls,
                peaks,
                clipped);
    }

    /** What a musician would complain about in these one-shots, one line each, for looking into a take. */
    public static List<String> problems(SynthesizedTake take, List<Slice> slices) {
        PcmFormat format = take.format();
        List<SynthesizedTake.Hit> hits = take.hits();
        List<String> problems = new ArrayList<>();
        for (int s = 0; s < slices.size(); s++) {
            Slice slice = slices.get(s);
            List<String> owned = new ArrayList<>();
            for (SynthesizedTake.Hit hit : hits) {
                if (owningSlice(hit.onsetFrame(), slices, format) == s) {
                    owned.add(hit.kind() + "@" + seconds(hit.onsetFrame(), format));
                }
            }
            if (owned.size() != 1) {
                problems.add((owned.isEmpty() ? "false " : "merged ") + seconds(slice.startFrame(), format) + "-"
                        + seconds(slice.endFrame(), format) + " s " + owned);
            }
        }
        for (int h = 0; h < hits.size(); h++) {
            SynthesizedTake.Hit hit = hits.get(h);
            int owner = owningSlice(hit.onsetFrame(), slices, format);
            if (owner < 0
                    || hits.stream()
                                    .filter(other -> owningSlice(other.onsetFrame(), slices, format) == owner)
                                    .count()
                            != 1) {
                continue;
            }
            Slice slice = slices.get(owner);
            if (slice.fullGainFrame() > hit.onsetFrame()) {
                problems.add("attack cut " + hit.kind() + "@" + seconds(hit.onsetFrame(), format) + ": full gain from "
                        + seconds(slice.fullGainFrame(), format) + " s");
            } else {
                double preRollMillis = preRollMillis(hit, slice, format);
                if (preRollMillis > LONG_PRE_ROLL_MILLIS) {
                    problems.add(String.format(
                            java.util.Locale.ROOT,
                            "pre-roll %.1f ms %s@%s",
                            preRollMillis,
                            hit.kind(),
                            seconds(hit.onsetFrame(), format)));
                }
            }
            long needed = tailNeededUntil(take, h);
            if (slice.endFrame() - slice.fadeOutFrames() < needed) {
                problems.add("tail cut " + hit.kind() + "@" + seconds(hit.onsetFrame(), format) + ": fades out at "
                        + seconds(slice.endFrame() - slice.fadeOutFrames(), format) + " s, decays until "
                        + seconds(needed, format) + " s");
            }
        }
        for (SynthesizedTake.Hit hit : hits) {
            if (owningSlice(hit.onsetFrame(), slices, format) < 0) {
                problems.add("missed " + hit.kind() + "@" + seconds(hit.onsetFrame(), format)
                        + String.format(java.util.Locale.ROOT, " peak %.0f dBFS", hit.peakDbfs()));
            }
        }
        return problems;
    }

    /** From the one-shot's first sample (its padding included) to the sound's onset. */
    private static double preRollMillis(SynthesizedTake.Hit hit, Slice slice, PcmFormat format) {
        return format.millisFor(hit.onsetFrame() - slice.startFrame()) + slice.paddingMillis();
    }

    private static String seconds(long frame, PcmFormat format) {
        return String.format(java.util.Locale.ROOT, "%.3f", frame / (double) format.sampleRate());
    }

    /**
     * Where hit h's fade-out may start at the earliest: its decay end, or a little before the next
     * hit or the recording's end when that comes first.
     */
    private static long tailNeededUntil(SynthesizedTake take, int h) {
        List<SynthesizedTake.Hit> hits = take.hits();
        PcmFormat format = take.format();
        long cutOffBy = h + 1 < hits.size() ? hits.get(h + 1).onsetFrame() : take.samples().length / format.channels();
        return Math.min(hits.get(h).decayEndFrame(), cutOffBy - format.framesFor(OVERLAP_ALLOWANCE_MILLIS));
    }

    /** The slice holding the onset, else one starting just after it, else -1. */
    private static int owningSlice(long onset, List<Slice> slices, PcmFormat format) {
        for (int s = 0; s < slices.size(); s++) {
            if (slices.get(s).startFrame() <= onset && onset < slices.get(s).endFrame()) {
                return s;
            }
        }
        long late = format.framesFor(LATE_START_MILLIS);
        for (int s = 0; s < slices.size(); s++) {
            long start = slices.get(s).startFrame();
            if (start > onset && start <= onset + late) {
                return s;
            }
        }
        return -1;
    }
}
