package app.littlebit.worker.quality;

import app.littlebit.worker.audio.AboveTheHum;
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
    /** What a cut attack is compared with: the take just before the sound's onset. */
    static final double BACKGROUND_MILLIS = 20;
    /**
     * A cut part of an attack that raises the take's power by less than this over the background
     * (a doubling: the sound's own power under the background's), in the full band and above the
     * hum alike, was quieter than what it came in over. Such a cut is counted all the same, and
     * named masked, for it cannot be heard. Both bands, as the detector listens: a rumbling room
     * can drown an "h" in the full band and leave it clear above 400 Hz.
     */
    static final double MASKED_RISE_DB = 3;

    private Scorer() {}

    public static Score score(SynthesizedTake take, List<Slice> slices) {
        Judgement judgement = judge(take, slices);
        List<Double> preRolls = new ArrayList<>();
        int attacksCut = 0;
        int masked = 0;
        int tailsCut = 0;
        for (FoundSound sound : judgement.found()) {
            if (sound.attackCut()) {
                attacksCut++;
                masked += sound.cutMasked() ? 1 : 0;
            } else {
                preRolls.add(sound.preRollMillis());
            }
            tailsCut += sound.tailCut() ? 1 : 0;
        }
        return new Score(
                take.hits().size(),
                judgement.found().size(),
                slices.size(),
                (int) judgement.owned().stream()
                        .filter(hits -> hits.size() >= 2)
                        .count(),
                (int) judgement.owned().stream().filter(List::isEmpty).count(),
                attacksCut,
                masked,
                tailsCut,
                preRolls,
                slices.stream().map(Slice::peakDbfs).toList(),
                (int) slices.stream().filter(Slice::clipped).count());
    }

    /** What a musician would complain about in these one-shots, one line each, for looking into a take. */
    public static List<String> problems(SynthesizedTake take, List<Slice> slices) {
        PcmFormat format = take.format();
        Judgement judgement = judge(take, slices);
        List<String> problems = new ArrayList<>();
        for (int s = 0; s < slices.size(); s++) {
            Slice slice = slices.get(s);
            List<SynthesizedTake.Hit> owned = judgement.owned().get(s);
            if (owned.isEmpty()) {
                problems.add("false " + seconds(slice.startFrame(), format) + "-" + seconds(slice.endFrame(), format)
                        + " s []");
            } else if (owned.size() > 1) {
                problems.add("merged " + seconds(slice.startFrame(), format) + "-" + seconds(slice.endFrame(), format)
                        + " s " + owned.stream().map(hit -> named(hit, format)).toList()
                        + enteredLate(take, judgement, slices, s));
            }
        }
        for (FoundSound sound : judgement.found()) {
            Slice slice = sound.slice();
            if (sound.attackCut()) {
                problems.add("attack cut " + named(sound.hit(), format) + ": full gain from "
                        + seconds(slice.fullGainFrame(), format) + " s" + (sound.cutMasked() ? ", masked" : ""));
            } else if (sound.preRollMillis() > LONG_PRE_ROLL_MILLIS) {
                problems.add(String.format(
                        java.util.Locale.ROOT,
                        "pre-roll %.1f ms %s",
                        sound.preRollMillis(),
                        named(sound.hit(), format)));
            }
            if (sound.tailCut()) {
                problems.add("tail cut " + named(sound.hit(), format) + ": fades out at "
                        + seconds(slice.endFrame() - slice.fadeOutFrames(), format) + " s, decays until "
                        + seconds(sound.tailNeededUntil(), format) + " s");
            }
        }
        for (SynthesizedTake.Hit hit : judgement.missed()) {
            problems.add("missed " + named(hit, format)
                    + String.format(java.util.Locale.ROOT, " peak %.0f dBFS", hit.peakDbfs()));
        }
        return problems;
    }

    /**
     * Which true sounds each one-shot holds, and what became of each.
     *
     * @param owned   per one-shot, the sounds it holds
     * @param missed  sounds no one-shot holds
     * @param found   sounds that got a one-shot of their own
     */
    private record Judgement(
            List<List<SynthesizedTake.Hit>> owned, List<SynthesizedTake.Hit> missed, List<FoundSound> found) {}

    /**
     * A sound with a one-shot of its own. Whether its cut was masked is stored, not derived like
     * the rest: it needs the take's samples.
     *
     * @param cutMasked       whether its attack was cut, and the part cut was quieter than the background
     * @param preRollMillis   from the one-shot's first sample to the onset
     * @param tailNeededUntil where the fade-out may start at the earliest
     */
    private record FoundSound(
            SynthesizedTake.Hit hit, Slice slice, boolean cutMasked, double preRollMillis, long tailNeededUntil) {
        boolean attackCut() {
            return slice.fullGainFrame() > hit.onsetFrame();
        }

        boolean tailCut() {
            return slice.endFrame() - slice.fadeOutFrames() < tailNeededUntil;
        }
    }

    private static Judgement judge(SynthesizedTake take, List<Slice> slices) {
        PcmFormat format = take.format();
        List<SynthesizedTake.Hit> hits = take.hits();
        List<List<SynthesizedTake.Hit>> owned = new ArrayList<>();
        for (int s = 0; s < slices.size(); s++) {
            owned.add(new ArrayList<>());
        }
        List<SynthesizedTake.Hit> missed = new ArrayList<>();
        int[] sliceOf = new int[hits.size()];
        for (int h = 0; h < hits.size(); h++) {
            sliceOf[h] = owningSlice(hits.get(h).onsetFrame(), slices, format);
            if (sliceOf[h] < 0) {
                missed.add(hits.get(h));
            } else {
                owned.get(sliceOf[h]).add(hits.get(h));
            }
        }
        List<FoundSound> found = new ArrayList<>();
        for (int h = 0; h < hits.size(); h++) {
            if (sliceOf[h] < 0 || owned.get(sliceOf[h]).size() != 1) {
                continue;
            }
            SynthesizedTake.Hit hit = hits.get(h);
            Slice slice = slices.get(sliceOf[h]);
            boolean masked = slice.fullGainFrame() > hit.onsetFrame()
                    && underBackground(take, hit.onsetFrame(), slice.fullGainFrame());
            found.add(new FoundSound(hit, slice, masked, preRollMillis(hit, slice, format), tailNeededUntil(take, h)));
        }
        return new Judgement(owned, missed, found);
    }

    /**
     * Whether the take from the onset up to {@code fullGain} rose less than {@link
     * #MASKED_RISE_DB} over the {@link #BACKGROUND_MILLIS} before the onset, in the full band and
     * above the hum alike. The band above the hum is filtered only for the few cuts the full band
     * calls masked.
     */
    private static boolean underBackground(SynthesizedTake take, long onset, long fullGain) {
        PcmFormat format = take.format();
        return underBackground(take.samples(), format, onset, fullGain)
                && underBackground(AboveTheHum.of(take.samples(), format), format, onset, fullGain);
    }

    /** Whether one band of the take rose less than {@link #MASKED_RISE_DB} from the onset up to {@code fullGain}. */
    private static boolean underBackground(float[] band, PcmFormat format, long onset, long fullGain) {
        long from = Math.max(0, onset - format.framesFor(BACKGROUND_MILLIS));
        return onset > from
                && meanPower(band, format, onset, fullGain)
                        < meanPower(band, format, from, onset) * Math.pow(10, MASKED_RISE_DB / 10);
    }

    /**
     * Mean power of frames [from, to), each on its loudest channel, as the detector's onset search
     * hears it: a sound on one side is not halved by silence on the other.
     */
    private static double meanPower(float[] interleaved, PcmFormat format, long from, long to) {
        int channels = format.channels();
        int end = (int) Math.min(to, interleaved.length / channels);
        double sum = 0;
        for (int f = (int) from; f < end; f++) {
            double loudest = 0;
            for (int c = 0; c < channels; c++) {
                double x = interleaved[f * channels + c];
                loudest = Math.max(loudest, x * x);
            }
            sum += loudest;
        }
        return end > from ? sum / (end - from) : 0;
    }

    private static String named(SynthesizedTake.Hit hit, PcmFormat format) {
        return hit.kind() + "@" + seconds(hit.onsetFrame(), format);
    }

    /**
     * For a merged one-shot, whether its last sound was entered late rather than never split off:
     * the next one-shot, holding no sound of its own (counted false), starts a little after that
     * sound's onset (up to {@link #LATE_START_MILLIS}). Says how late, and whether the take rose
     * less than {@link #MASKED_RISE_DB} from the onset to that start (the test a cut attack gets).
     * Only the last sound can be: the one-shots do not overlap, so a later one-shot starts after
     * every onset this one holds.
     */
    private static String enteredLate(SynthesizedTake take, Judgement judgement, List<Slice> slices, int merged) {
        PcmFormat format = take.format();
        List<SynthesizedTake.Hit> owned = judgement.owned().get(merged);
        SynthesizedTake.Hit last = owned.get(owned.size() - 1);
        long onset = last.onsetFrame();
        for (int s = 0; s < slices.size(); s++) {
            long start = slices.get(s).startFrame();
            if (judgement.owned().get(s).isEmpty()
                    && start > onset
                    && start <= onset + format.framesFor(LATE_START_MILLIS)) {
                return String.format(
                        java.util.Locale.ROOT,
                        "; %s entered %.1f ms late%s",
                        named(last, format),
                        format.millisFor(start - onset),
                        underBackground(take, onset, start) ? ", masked" : "");
            }
        }
        return "";
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
