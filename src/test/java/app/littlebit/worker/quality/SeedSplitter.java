package app.littlebit.worker.quality;

import app.littlebit.worker.audio.PcmFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed worker's algorithm, re-implemented faithfully so it can be scored on the same corpus:
 * PyDub 0.25's {@code split_on_silence(min_silence_len=750, silence_thresh=-30, keep_silence=50,
 * seek_step=75)} on 16-bit samples, then each chunk padded with 25 ms of silence in front and
 * 75 ms behind and given the gain that brings its RMS to -20 dBFS, saturating at full scale as
 * {@code audioop.mul} does.
 *
 * <p>PyDub works in milliseconds: positions are whole ms, a slice {@code [a, b)} holds frames
 * {@code int(a * rate / 1000)} up to {@code int(b * rate / 1000)}, and a window is silent when
 * the RMS of all its interleaved samples is at most the threshold times 32768.
 */
public final class SeedSplitter {
    static final int MIN_SILENCE_MS = 750;
    static final double SILENCE_THRESH_DBFS = -30;
    static final int KEEP_SILENCE_MS = 50;
    static final int SEEK_STEP_MS = 75;
    static final int PAD_BEFORE_MS = 25;
    static final int PAD_AFTER_MS = 75;
    static final double TARGET_DBFS = -20;
    private static final int MAX_POSITIVE = 32767;
    private static final int FULL_SCALE = 32768;

    private final PcmFormat format;
    private final short[] samples;
    private final long lengthMs;

    /** @param interleaved the decoded recording, as PyDub would receive it from FFmpeg */
    public SeedSplitter(float[] interleaved, PcmFormat format) {
        this.format = format;
        this.samples = new short[interleaved.length];
        for (int i = 0; i < interleaved.length; i++) {
            samples[i] = (short) Math.max(-FULL_SCALE, Math.min(MAX_POSITIVE, Math.round(interleaved[i] * FULL_SCALE)));
        }
        this.lengthMs = Math.round(1000.0 * frames() / format.sampleRate());
    }

    /** The one-shots the seed would have written. */
    public List<Slice> split() {
        List<Slice> slices = new ArrayList<>();
        for (long[] range : splitOnSilence()) {
            slices.add(padAndNormalize(range[0], range[1]));
        }
        return slices;
    }

    /** {@code split_on_silence}: non-silent ranges widened by keep_silence, overlaps split halfway. */
    List<long[]> splitOnSilence() {
        List<long[]> ranges = new ArrayList<>();
        for (long[] nonSilent : detectNonSilent()) {
            ranges.add(new long[] {nonSilent[0] - KEEP_SILENCE_MS, nonSilent[1] + KEEP_SILENCE_MS});
        }
        for (int i = 0; i + 1 < ranges.size(); i++) {
            long lastEnd = ranges.get(i)[1];
            long nextStart = ranges.get(i + 1)[0];
            if (nextStart < lastEnd) {
                ranges.get(i)[1] = Math.floorDiv(lastEnd + nextStart, 2);
                ranges.get(i + 1)[0] = ranges.get(i)[1];
            }
        }
        for (long[] range : ranges) {
            range[0] = Math.max(range[0], 0);
            range[1] = Math.min(range[1], lengthMs);
        }
        return ranges;
    }

    /** {@code detect_nonsilent}: the gaps between silent ranges. */
    List<long[]> detectNonSilent() {
        List<long[]> silent = detectSilence();
        List<long[]> nonSilent = new ArrayList<>();
        if (silent.isEmpty()) {
            nonSilent.add(new long[] {0, lengthMs});
            return nonSilent;
        }
        if (silent.get(0)[0] == 0 && silent.get(0)[1] == lengthMs) {
            return nonSilent;
        }
        long previousEnd = 0;
        for (long[] range : silent) {
            nonSilent.add(new long[] {previousEnd, range[0]});
            previousEnd = range[1];
        }
        if (previousEnd != lengthMs) {
            nonSilent.add(new long[] {previousEnd, lengthMs});
        }
        if (nonSilent.get(0)[0] == 0 && nonSilent.get(0)[1] == 0) {
            nonSilent.remove(0);
        }
        return nonSilent;
    }

    /** {@code detect_silence}: windows of min_silence_len every seek_step ms, joined into ranges. */
    List<long[]> detectSilence() {
        List<long[]> ranges = new ArrayList<>();
        if (lengthMs < MIN_SILENCE_MS) {
            return ranges;
        }
        double threshold = Math.pow(10, SILENCE_THRESH_DBFS / 20) * FULL_SCALE;
        long lastSliceStart = lengthMs - MIN_SILENCE_MS;
        List<Long> starts = new ArrayList<>();
        for (long i = 0; i <= lastSliceStart; i += SEEK_STEP_MS) {
            starts.add(i);
        }
        if (lastSliceStart % SEEK_STEP_MS != 0) {
            starts.add(lastSliceStart);
        }
        List<Long> silenceStarts = new ArrayList<>();
        for (long i : starts) {
            if (rms(i, i + MIN_SILENCE_MS) <= threshold) {
                silenceStarts.add(i);
            }
        }
        if (silenceStarts.isEmpty()) {
            return ranges;
        }
        long previous = silenceStarts.get(0);
        long rangeStart = previous;
        for (long start : silenceStarts.subList(1, silenceStarts.size())) {
            boolean continuous = start == previous + SEEK_STEP_MS;
            boolean hasGap = start > previous + MIN_SILENCE_MS;
            if (!continuous && hasGap) {
                ranges.add(new long[] {rangeStart, previous + MIN_SILENCE_MS});
                rangeStart = start;
            }
            previous = start;
        }
        ranges.add(new long[] {rangeStart, previous + MIN_SILENCE_MS});
        return ranges;
    }

    /** {@code audioop.rms} of the slice {@code [fromMs, toMs)}: integer square root of the mean square. */
    private double rms(long fromMs, long toMs) {
        int channels = format.channels();
        long from = frameAt(fromMs) * channels;
        long to = frameAt(toMs) * channels;
        double sum = 0;
        for (long i = from; i < to; i++) {
            sum += (double) samples[(int) i] * samples[(int) i];
        }
        return to > from ? Math.floor(Math.sqrt(sum / (to - from))) : 0;
    }

    private Slice padAndNormalize(long fromMs, long toMs) {
        int channels = format.channels();
        long from = frameAt(fromMs);
        long to = frameAt(toMs);
        long padding = frameAt(PAD_BEFORE_MS) + frameAt(PAD_AFTER_MS);
        double sum = 0;
        for (long i = from * channels; i < to * channels; i++) {
            sum += (double) samples[(int) i] * samples[(int) i];
        }
        double rms = Math.floor(Math.sqrt(sum / ((to - from + padding) * channels)));
        double gain = Math.pow(10, (TARGET_DBFS - 20 * Math.log10(rms / FULL_SCALE)) / 20);
        double peak = 0;
        boolean clipped = false;
        for (long i = from * channels; i < to * channels; i++) {
            double value = samples[(int) i] * gain;
            clipped |= value > MAX_POSITIVE || value < -FULL_SCALE;
            peak = Math.max(peak, Math.abs(Math.max(-FULL_SCALE, Math.min(MAX_POSITIVE, value))));
        }
        return new Slice(from, from, to, 0, PAD_BEFORE_MS, 20 * Math.log10(peak / FULL_SCALE), clipped);
    }

    /** PyDub's position of a millisecond, never past the last frame (its byte slices stop there). */
    private long frameAt(long millis) {
        return Math.min(frames(), (long) (millis * (format.sampleRate() / 1000.0)));
    }

    private long frames() {
        return samples.length / format.channels();
    }
}
