package app.littlebit.worker.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Records a take the way a musician does on a phone: one hit every 1 to 2.5 s, soft and loud,
 * over the room's background, and writes down the truth about every hit.
 *
 * <p>The truth is taken from each hit's clean signal, by the rule the worker promises: a sound
 * lasts from where it rises above the room's noise floor (or to within 60 dB of its own peak)
 * until its decay has sunk back under it.
 *
 * <p>Two rules keep every hit a fair one-shot to ask for: its peak is at least {@link #MIN_SNR_DB}
 * above the floor's RMS, and when it lands in the audible ring of earlier hits its loudest 10 ms
 * stand at least {@link #MIN_RISE_DB} above ring and floor together (a hit buried under a cymbal's
 * ring is not one a musician could cut out cleanly).
 */
public final class TakeBuilder {
    public static final double MIN_PEAK_DBFS = -35;
    public static final double MAX_PEAK_DBFS = -3;
    public static final double MIN_SNR_DB = 20;
    public static final double MIN_RISE_DB = 12;
    public static final double MIN_SPACING_SECONDS = 1.0;
    public static final double MAX_SPACING_SECONDS = 2.5;
    static final double AUDIBLE_RANGE_DB = 60;
    private static final double RMS_WINDOW_SECONDS = 0.010;
    private static final double ONSET_WINDOW_SECONDS = 0.001;
    private static final double RINGING_WINDOW_SECONDS = 0.025;
    /** Every kind's loudest 10 ms lie within this long of its start. */
    private static final double ATTACK_SECONDS = 0.2;

    private static final double MAX_CHANNEL_DELAY_SECONDS = 0.0003;
    /** Sounds drawn before giving up on a hit that stands out where it is placed. */
    private static final int ATTEMPTS = 200;
    /**
     * Fewer for a quick follow-up, which then moves to an ordinary gap: in a long ring few sounds
     * stand out, and each one drawn from a soundfont is a fluidsynth run.
     */
    private static final int QUICK_ATTEMPTS = 25;

    private final Room room;
    private final SoundSource source;
    private final Random random;
    private final double lowestPeakDbfs;
    private final double highestPeakDbfs;
    private final Layout layout;
    private final Optional<Bed> bed;

    /** Hits from {@link #MIN_PEAK_DBFS} (or {@link #MIN_SNR_DB} over the floor) to {@link #MAX_PEAK_DBFS}. */
    public TakeBuilder(Room room, SoundSource source, long seed) {
        this(room, source, seed, MIN_PEAK_DBFS, MAX_PEAK_DBFS);
    }

    /** Hits with peaks in the given range, but never less than {@link #MIN_SNR_DB} over the floor. */
    public TakeBuilder(Room room, SoundSource source, long seed, double lowestPeakDbfs, double highestPeakDbfs) {
        this(room, source, seed, lowestPeakDbfs, highestPeakDbfs, Layout.SPACED, Optional.empty());
    }

    /**
     * Hits with peaks in the given range, placed as the layout says, optionally over a faint bed of
     * something that is not a one-shot (speech, music) somewhere else in the room.
     */
    public TakeBuilder(
            Room room,
            SoundSource source,
            long seed,
            double lowestPeakDbfs,
            double highestPeakDbfs,
            Layout layout,
            Optional<Bed> bed) {
        this.room = room;
        this.source = source;
        this.random = new Random(seed);
        this.lowestPeakDbfs = Math.max(lowestPeakDbfs, room.floorDbfs() + MIN_SNR_DB);
        this.highestPeakDbfs = Math.max(this.lowestPeakDbfs, highestPeakDbfs);
        this.layout = layout;
        this.bed = bed;
    }

    /**
     * How far apart hits are played.
     *
     * @param minSpacingSeconds shortest ordinary gap between two onsets
     * @param maxSpacingSeconds longest ordinary gap
     * @param fastShare         share of gaps that are a quick follow-up instead (a fill, a flam's neighbour)
     */
    public record Layout(double minSpacingSeconds, double maxSpacingSeconds, double fastShare) {
        /** One hit every 1 to 2.5 s: the lab's first layout. */
        public static final Layout SPACED = new Layout(MIN_SPACING_SECONDS, MAX_SPACING_SECONDS, 0);
        /** Quick follow-ups are 120 to 300 ms after the hit before them. */
        static final double FAST_MIN_SECONDS = 0.12;

        static final double FAST_MAX_SECONDS = 0.30;

        double gap(Random random) {
            return random.nextDouble() < fastShare
                    ? SynthKit.between(random, FAST_MIN_SECONDS, FAST_MAX_SECONDS)
                    : SynthKit.between(random, minSpacingSeconds, maxSpacingSeconds);
        }
    }

    /**
     * Something heard faintly all through the take that is not a one-shot: its sounds follow one
     * another with short pauses, and its loudest sample sits well under the take's typical hit.
     *
     * @param source        what is heard (phrases of speech, notes of music)
     * @param minBelowHitsDb the bed's peak is at least this far under the median hit's peak
     * @param maxBelowHitsDb and at most this far
     */
    public record Bed(SoundSource source, double minBelowHitsDb, double maxBelowHitsDb) {}

    /** A take of the given number of hits, with its ground truth. */
    public SynthesizedTake record(int hitCount) {
        int rate = room.format().sampleRate();
        int channels = room.format().channels();
        // Room for every gap to be retried once at full length, and for the last sound to ring out.
        int capacity =
                (int) ((1 + 2 * hitCount * Math.max(MAX_SPACING_SECONDS, layout.maxSpacingSeconds()) + 10) * rate);
        float[][] clean = new float[channels][capacity];
        List<Sound> placed = new ArrayList<>();
        List<Long> placedAt = new ArrayList<>();
        long onset = seconds(SynthKit.between(random, 0.4, 0.8));
        int attempts = ATTEMPTS;
        for (int i = 0; i < hitCount; i++) {
            Optional<Sound> hit = nextSeparableHit(clean, onset, attempts);
            while (hit.isEmpty()) {
                // Nothing stands out this soon after what still rings: wait an ordinary gap.
                onset += seconds(SynthKit.between(random, layout.minSpacingSeconds(), layout.maxSpacingSeconds()));
                hit = nextSeparableHit(clean, onset, ATTEMPTS);
            }
            mixInto(clean, hit.get().channels(), onset);
            placed.add(hit.get());
            placedAt.add(onset);
            if (i + 1 < hitCount) {
                double gap = layout.gap(random);
                onset += seconds(gap);
                attempts = gap < layout.minSpacingSeconds() ? QUICK_ATTEMPTS : ATTEMPTS;
            }
        }
        int frames = (int) Math.min(capacity, onset + seconds(SynthKit.between(random, 1.5, 2.5)));
        return inRoom(clean, frames, placed, placedAt);
    }

    /**
     * A sound the caller places: where it starts and how loud its peak is.
     *
     * @param sound        the clean sound (panned onto the take's channels here)
     * @param onsetSeconds where it is placed in the take
     * @param peakDbfs     its peak level
     */
    public record Placement(Sound sound, double onsetSeconds, double peakDbfs) {}

    /**
     * A take of the given length with sounds where the caller places them, over the room's
     * background, with the same ground truth as {@link #record}; the hits in time order. Nothing
     * checks that they stand out: the caller chose them.
     */
    public SynthesizedTake play(double seconds, List<Placement> placements) {
        int frames = (int) seconds(seconds);
        float[][] clean = new float[room.format().channels()][frames];
        List<Sound> placed = new ArrayList<>();
        List<Long> placedAt = new ArrayList<>();
        for (Placement placement : placements) {
            Sound sound =
                    new Sound(placement.sound().kind(), levelled(spread(placement.sound()), placement.peakDbfs()));
            long onset = seconds(placement.onsetSeconds());
            mixInto(clean, sound.channels(), onset);
            placed.add(sound);
            placedAt.add(onset);
        }
        return inRoom(clean, frames, placed, placedAt);
    }

    /** The clean hits over the room's background (and the bed, if any), with the truth about each hit. */
    private SynthesizedTake inRoom(float[][] clean, int frames, List<Sound> placed, List<Long> placedAt) {
        int channels = room.format().channels();
        float[] samples = Background.render(room, frames, random);
        for (int c = 0; c < channels; c++) {
            for (int f = 0; f < frames; f++) {
                samples[f * channels + c] += clean[c][f];
            }
        }
        if (bed.isPresent()) {
            mixBed(samples, frames, placed);
        }
        List<SynthesizedTake.Hit> hits = new ArrayList<>();
        for (int i = 0; i < placed.size(); i++) {
            hits.add(truth(placed.get(i), placedAt.get(i), frames));
        }
        hits.sort(Comparator.comparingLong(SynthesizedTake.Hit::onsetFrame));
        return new SynthesizedTake(room.format(), samples, hits);
    }

    /** The room's background alone: nothing in it should ever become a one-shot. */
    public SynthesizedTake backgroundOnly(double seconds) {
        int frames = (int) seconds(seconds);
        return new SynthesizedTake(room.format(), Background.render(room, frames, random), List.of());
    }

    /** The bed under the whole take, its peak the bed's distance under the median hit's. */
    private void mixBed(float[] samples, int frames, List<Sound> hits) {
        int channels = room.format().channels();
        float[] stream = new float[frames];
        long at = seconds(SynthKit.between(random, 0, 0.5));
        while (at < frames) {
            float[][] sound =
                    bed.get().source().next(random, room.format().sampleRate()).channels();
            for (int f = 0; f < sound[0].length && at + f < frames; f++) {
                stream[(int) (at + f)] += sound[0][f];
            }
            at += sound[0].length + seconds(SynthKit.between(random, 0.2, 1.0));
        }
        double[] hitPeaks = hits.stream()
                .mapToDouble(h -> 20 * Math.log10(peak(h.channels())))
                .sorted()
                .toArray();
        double bedPeakDbfs = hitPeaks[hitPeaks.length / 2]
                - SynthKit.between(random, bed.get().minBelowHitsDb(), bed.get().maxBelowHitsDb());
        double gain = Math.pow(10, bedPeakDbfs / 20) / Math.max(peak(new float[][] {stream}), 1e-9);
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                samples[f * channels + c] += (float) (stream[f] * gain);
            }
        }
    }

    private static double peak(float[][] channels) {
        double peak = 0;
        for (float[] channel : channels) {
            for (float s : channel) {
                peak = Math.max(peak, Math.abs(s));
            }
        }
        return peak;
    }

    /** A sound, panned and levelled, that stands out from the floor and from what still rings, if one can. */
    private Optional<Sound> nextSeparableHit(float[][] clean, long onset, int attempts) {
        double ringing = rmsDb(clean, onset - seconds(RINGING_WINDOW_SECONDS), onset);
        // Over a quiet floor a hit only needs to clear the floor; in a ring it must clear ring and floor.
        double mustClear = ringing > room.floorDbfs()
                ? 10 * Math.log10(Math.pow(10, ringing / 10) + Math.pow(10, room.floorDbfs() / 10)) + MIN_RISE_DB
                : Double.NEGATIVE_INFINITY;
        for (int attempt = 0; attempt < attempts; attempt++) {
            Sound sound = source.next(random, room.format().sampleRate());
            double peakDbfs = SynthKit.between(random, lowestPeakDbfs, highestPeakDbfs);
            float[][] hit = levelled(spread(sound), peakDbfs);
            if (maxRmsDb(hit) >= mustClear) {
                return Optional.of(new Sound(sound.kind(), hit));
            }
        }
        return Optional.empty();
    }

    /** The sound on the take's channels: a mono sound panned, with a small delay between two mics. */
    private float[][] spread(Sound sound) {
        int channels = room.format().channels();
        float[][] out = new float[channels][];
        if (channels == 1) {
            out[0] = new float[sound.frames()];
            for (float[] channel : sound.channels()) {
                for (int f = 0; f < channel.length; f++) {
                    out[0][f] += channel[f] / sound.channels().length;
                }
            }
            return out;
        }
        if (sound.channels().length == channels) {
            return new float[][] {sound.channels()[0].clone(), sound.channels()[1].clone()};
        }
        double pan = SynthKit.between(random, -0.5, 0.5);
        int delay = (int)
                (random.nextDouble() * MAX_CHANNEL_DELAY_SECONDS * room.format().sampleRate());
        float[] mono = sound.channels()[0];
        for (int c = 0; c < channels; c++) {
            double gain = c == 0 ? Math.cos((pan + 1) * Math.PI / 4) : Math.sin((pan + 1) * Math.PI / 4);
            int shift = c == (pan < 0 ? 1 : 0) ? delay : 0;
            out[c] = new float[mono.length + delay];
            for (int f = 0; f < mono.length; f++) {
                out[c][f + shift] = (float) (mono[f] * gain);
            }
        }
        return out;
    }

    private static float[][] levelled(float[][] hit, double peakDbfs) {
        double peak = 0;
        for (float[] channel : hit) {
            for (float s : channel) {
                peak = Math.max(peak, Math.abs(s));
            }
        }
        double gain = Math.pow(10, peakDbfs / 20) / peak;
        float[][] out = new float[hit.length][];
        for (int c = 0; c < hit.length; c++) {
            out[c] = new float[hit[c].length];
            for (int f = 0; f < hit[c].length; f++) {
                out[c][f] = (float) (hit[c][f] * gain);
            }
        }
        return out;
    }

    private static void mixInto(float[][] clean, float[][] hit, long onset) {
        for (int c = 0; c < clean.length; c++) {
            int length = (int) Math.min(hit[c].length, clean[c].length - onset);
            for (int f = 0; f < length; f++) {
                clean[c][(int) onset + f] += hit[c][f];
            }
        }
    }

    /**
     * Where the hit becomes audible over the floor and where its decay sinks back into it: the
     * first sample at which its RMS over the millisecond up to it exceeds the floor's RMS, and the
     * last 10 ms whose RMS still does (on either channel; never below 60 dB under its own peak).
     * An RMS, not a single sample's size, because noise's own samples exceed its RMS all the time.
     */
    private SynthesizedTake.Hit truth(Sound sound, long placedAt, long takeFrames) {
        float[][] hit = sound.channels();
        double peak = 0;
        for (float[] channel : hit) {
            for (float s : channel) {
                peak = Math.max(peak, Math.abs(s));
            }
        }
        double[][] attack = new double[hit.length][];
        double[][] decay = new double[hit.length][];
        double attackPeak = 0;
        double decayPeak = 0;
        for (int c = 0; c < hit.length; c++) {
            attack[c] = movingRms(hit[c], (int) seconds(ONSET_WINDOW_SECONDS), 0);
            decay[c] = movingRms(hit[c], (int) seconds(RMS_WINDOW_SECONDS), (int) seconds(RMS_WINDOW_SECONDS) / 2);
            attackPeak = Math.max(attackPeak, Arrays.stream(attack[c]).max().orElse(0));
            decayPeak = Math.max(decayPeak, Arrays.stream(decay[c]).max().orElse(0));
        }
        int first = Integer.MAX_VALUE;
        for (double[] channel : attack) {
            first = Math.min(first, firstAbove(channel, audible(attackPeak)));
        }
        int last = first;
        for (double[] channel : decay) {
            last = Math.max(last, lastAbove(channel, audible(decayPeak)));
        }
        long decayEnd = Math.min(placedAt + last, takeFrames - 1);
        return new SynthesizedTake.Hit(sound.kind(), placedAt + first, decayEnd, 20 * Math.log10(peak));
    }

    /** The level a sound of the given peak RMS is audible above. */
    private double audible(double peakRms) {
        return Math.max(room.floorRms(), peakRms * Math.pow(10, -AUDIBLE_RANGE_DB / 20));
    }

    private static int firstAbove(double[] values, double level) {
        for (int f = 0; f < values.length; f++) {
            if (values[f] > level) {
                return f;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static int lastAbove(double[] values, double level) {
        for (int f = values.length - 1; f >= 0; f--) {
            if (values[f] > level) {
                return f;
            }
        }
        return 0;
    }

    /** RMS over a window reaching {@code ahead} frames past each frame (0: the window ends at it). */
    private static double[] movingRms(float[] signal, int window, int ahead) {
        double[] out = new double[signal.length];
        double sum = 0;
        for (int f = -ahead; f < signal.length; f++) {
            int entering = f + ahead;
            int leaving = entering - window;
            if (entering < signal.length) {
                sum += (double) signal[entering] * signal[entering];
            }
            if (leaving >= 0) {
                sum -= (double) signal[leaving] * signal[leaving];
            }
            if (f >= 0) {
                out[f] = Math.sqrt(Math.max(0, sum) / window);
            }
        }
        return out;
    }

    /** Level of [from, to), power averaged over channels. */
    private static double rmsDb(float[][] clean, long from, long to) {
        double sum = 0;
        for (float[] channel : clean) {
            for (long f = Math.max(0, from); f < to; f++) {
                sum += (double) channel[(int) f] * channel[(int) f];
            }
        }
        return 10 * Math.log10(Math.max(sum / Math.max(1, (to - from) * clean.length), 1e-20));
    }

    /** The loudest 10 ms of the hit, power averaged over channels as the worker hears it. */
    private double maxRmsDb(float[][] hit) {
        int length = (int) Math.min(hit[0].length, seconds(ATTACK_SECONDS));
        int window = (int) seconds(RMS_WINDOW_SECONDS);
        double max = 0;
        double sum = 0;
        for (int f = 0; f < length; f++) {
            for (float[] channel : hit) {
                sum += (double) channel[f] * channel[f]
                        - (f >= window ? (double) channel[f - window] * channel[f - window] : 0);
            }
            max = Math.max(max, sum / (window * hit.length));
        }
        return 10 * Math.log10(Math.max(max, 1e-20));
    }

    private long seconds(double seconds) {
        return Math.round(seconds * room.format().sampleRate());
    }
}
