package app.littlebit.worker.audio;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * Finds a sound's onset to the sample with Page's CUSUM test: a running sum of (power - reference)
 * that restarts from zero whenever it would go negative. Over background it keeps restarting; the
 * first time it climbs by a few ms' worth of the reference, a sound has begun, and it began where
 * the sum last restarted (unless the sum drained away again well before the attack, or drained
 * away having stayed far under it: then that was a bump of the background; or it stayed as quiet
 * as the take's background gets between its sounds: then talk or music ran on into it). Unlike a
 * threshold crossing, which fires only once the attack is loud, this lands where the sound first
 * rises out of the background, so a soft or slow attack is not entered late; and it takes the
 * first burst of a sound (a clap's first slap), not its loudest.
 *
 * <p>The test runs on the full band and above {@link RecordingAnalyzer#HIGH_BAND_HERTZ}: hum and
 * rumble hide the first click of a hi-hat or clap in the full band but not above it, while a kick
 * or an 808 may have nothing above it. The earlier onset of the bands where the attack stands out
 * clearly wins; a band where it barely does is trusted only if no band shows it clearly, since
 * there a bump of the noise can pass for the start. A sound with nothing of its own under the hum
 * (a closed hat) is read above it only: the full band's earlier rise was the room's rumble.
 */
final class OnsetLocator {
    /**
     * The first stretch of the search window is background: it sets the reference. A whole period
     * of 50 Hz hum and more than one of 60 Hz, so hum's ripple averages out.
     */
    static final double BACKGROUND_MILLIS = 20;
    /**
     * The reference sits this far above the background's mean, and more when the recording's noise
     * fluctuates in the band searched ({@link #REFERENCE_ABOVE_BACKGROUND_SPREADS} times that band's
     * spread), so the background alone, rumble and hum included, keeps the sum falling. Over an
     * earlier sound's ring ({@link #RING_ABOVE_FLOOR_DB}) it sits this far above the ring's mean
     * and no lower than the ring's loudest {@link #RING_SWING_WINDOW_MILLIS} ms.
     */
    static final double REFERENCE_ABOVE_BACKGROUND_DB = 2;

    static final double REFERENCE_ABOVE_BACKGROUND_SPREADS = 3;
    /** A background this far over the recording's noise floor is an earlier sound's ring, not the room. */
    static final double RING_ABOVE_FLOOR_DB = 10;
    /** A ring's swing is read on windows this long: a few cycles of a low note's beating. */
    static final double RING_SWING_WINDOW_MILLIS = 5;
    /**
     * The reference never sits further than this below the attack's loudest millisecond: a lossy
     * codec's pre-echo, some 30 to 40 dB under the attack, is not taken for its start.
     */
    static final double MAX_REFERENCE_BELOW_PEAK_DB = 30;

    static final double PEAK_WINDOW_MILLIS = 1;
    /** A sound has begun once the sum holds this many ms' worth of the reference: more than noise's bumps gather. */
    static final double ALARM_MILLIS = 3;
    /** An attack whose loudest ms is this far above what precedes it stands out clearly. */
    static final double CLEAR_CONTRAST_DB = 12;
    /**
     * A run of the sum that raised the alarm, then drained away this long before the next run that
     * raised it began, was a faint bump of the background (a soft note of music), not the start of
     * the sound the window ends in: that sound begins where the later run does. A louder tick
     * leaves so much in the sum that it drains only some 200 ms later, and still counts. A shorter
     * gap stays one sound: at 20 ms a spoken "pa" of the tuning half, whose burst drained away
     * before its vowel, lost its burst; 30 and 50 ms gave the same results there (a bump 65 ms
     * before a Tux Paint sound over faint music no longer opens its one-shot), and 50 leaves room
     * for a stop's burst that comes further ahead of its vowel.
     */
    static final double DRAINED_GAP_MILLIS = 50;
    /**
     * When everything from where the sound seemed to begin up to the next run of the sum that
     * raised the alarm stayed this far under the attack's loudest ms, it was background hovering
     * at the reference (distant talk before a syllable, a note of music), however short the gap:
     * the sound begins where the later run does. Measured on the tuning half: at 20 dB, 4
     * pre-rolls over 20 ms gone (a "yeah" over talk 61 → 4 ms, a Wesnoth knife, two Tux Paint
     * sounds over music) and one tail cut fewer, nothing else moved; 25 dB fixed one of them; 15
     * and 12 dB fixed 1 and 3 more, but cut a spoken "pa" 35 ms into its vowel (its burst was
     * taken for talk).
     */
    static final double FAINT_RUN_BELOW_PEAK_DB = 20;
    /**
     * A stretch from where the sound seemed to begin up to where the band first rose over the take's
     * background ceiling ({@link Detection#backgroundCeilingDbfs()}) that stayed under that ceiling
     * this long was background running on into the sound (distant talk up to a syllable, music up
     * to a drum): the sound begins where it rose over. Not tuned: a lead-in shorter than this, with
     * the safety margin, leaves a pre-roll well under 20 ms. On the tuning half this took 12 of its
     * 42 pre-rolls over 20 ms away (a "bo" over talk 47 ms early, a bell in a brown room 35 ms) and
     * moved nothing else (see {@link BackgroundCeiling#PERCENTILE}). Not taken: the ceiling raised
     * in stereo by how much higher this search's power (each frame's loudest channel) reads the
     * background than a block level does, some 2 dB: 4 more gone, but a "ho" and a "tok" lost their
     * first 3 to 11 ms.
     */
    static final double MIN_BACKGROUND_LEAD_IN_MILLIS = 10;
    /** Audio filtered before the search window, so the filter has settled when the window starts. */
    static final double WARM_UP_MILLIS = 10;
    /**
     * The change point is moved this much earlier: noise can shift it by a fraction of a ms, and an
     * onset placed after the attack is the worst cut there is. Early costs only a little pre-roll.
     * An attack that barely stands out from the noise is placed less surely and gets more.
     */
    static final double SAFETY_MILLIS = 2;

    static final double FAINT_SAFETY_MILLIS = 4.5;
    /**
     * Over room noise (not an earlier sound's ring), new content the spectral flux finds before
     * the change point moves the onset only if the full band's level over that stretch stands this
     * far over the background. A lossy codec smears a transient's noise over the frame before it
     * (pre-echo, up to 21 ms at 48 kHz), new to the spectrum but under a rumbling room's level; a
     * real first ms raises the level. Measured on the tuning half: over 8 of the 10 stretches where
     * the flux was 15 to 28 ms early the level rose at most 1.4 dB, over the 9 where it was right
     * (over room noise) at least 2.9 dB. 1 dB kept one 24 ms early entry; 2 and 3 dB gave the same
     * problem lists. The trade-off: an "h" drowned in rumble, heard by the flux above the hum only,
     * now starts at the change point, a few ms later (no such case in either half); reading the
     * band above the hum too would let most pre-echo back in.
     */
    static final double NEW_CONTENT_OVER_BACKGROUND_DB = 2;
    /** How far back from the change point the start of its rise is looked for. */
    static final double MAX_RISE_MILLIS = 30;
    /**
     * A sound whose part under {@link RecordingAnalyzer#HIGH_BAND_HERTZ} never gets louder than
     * this over the loudest that part reached in the background before it has nothing of its
     * own under the hum (a closed hat, a shaker): an earlier rise of the full band was the room's
     * rumble, not its start. Measured on the tuning half: a closed hat in a rumbling room, 29 ms
     * early behind a bump of rumble, came right, nothing else moved; on validation (scored once) a
     * shaker in a brown room's reverb, 31 ms early, the same. A doubling, and the only value tried.
     */
    static final double OWN_LOW_RISE_DB = 3;

    private final RecordingAnalysis analysis;
    private final PcmSource pcm;
    private final double noiseFloorDbfs;
    private final double fullReferencePowerRatio;
    private final double highReferencePowerRatio;
    private final double fullBackgroundCeilingPower;
    private final double highBackgroundCeilingPower;
    private final SpectralFluxOnset spectralFlux;

    /**
     * @param detection what the detector measured of the recording's background: its floor, how
     *                  much each band swings, and how loud it gets between the sounds
     */
    OnsetLocator(RecordingAnalysis analysis, PcmSource pcm, Detection detection) {
        this.analysis = analysis;
        this.pcm = pcm;
        this.noiseFloorDbfs = detection.noiseFloorDbfs();
        this.fullReferencePowerRatio = referencePowerRatio(detection.noiseSpreadDb());
        this.highReferencePowerRatio = referencePowerRatio(detection.highNoiseSpreadDb());
        this.fullBackgroundCeilingPower = ceilingPower(detection.backgroundCeilingDbfs());
        this.highBackgroundCeilingPower = ceilingPower(detection.highBackgroundCeilingDbfs());
        this.spectralFlux = new SpectralFluxOnset(analysis.format());
    }

    /**
     * The onset frame within [from, to), which must start with background and end inside the
     * attack; {@code heardFrom} is where the detector found the sound (its first loud window, or
     * its attack in an earlier sound's decay).
     */
    long locate(long from, long heardFrom, long to) throws IOException {
        PcmFormat format = analysis.format();
        int channels = format.channels();
        int warmUp = (int) Math.min(from, format.framesFor(WARM_UP_MILLIS));
        float[] samples = pcm.read(from - warmUp, (int) (to - from + warmUp));
        float[] high = Biquad.highPassed(samples, channels, format.sampleRate(), RecordingAnalyzer.HIGH_BAND_HERTZ);
        double[] fullPower = power(samples, channels, analysis.dcOffsets(), warmUp);
        // Over the room's noise the reference clears the noise's swings; over an earlier sound's
        // ring it clears the ring's own loudest 5 ms in the background stretch instead. A cymbal's
        // ring swings far less than the room (with the room's margin over it, a hit 12 dB over the
        // ring was entered at its second burst, 17 ms late); a low note's beating swings more.
        boolean overRing = BlockLevels.toDb(mean(fullPower, 0, backgroundFrames(fullPower)))
                > noiseFloorDbfs + RING_ABOVE_FLOOR_DB;
        List<BandPower> bands = List.of(
                measure(fullPower, overRing, fullReferencePowerRatio, fullBackgroundCeilingPower),
                measure(
                        power(high, channels, new double[channels], warmUp),
                        overRing,
                        highReferencePowerRatio,
                        highBackgroundCeilingPower));
        BandPower clearest = bands.stream()
                .max(Comparator.comparingDouble(BandPower::contrastDb))
                .orElseThrow();
        // The bands the onset is read in: the clearest, and any that rose clearly (each once: its
        // change point is two passes of the test over its power).
        List<BandPower> trusted = Stream.concat(
                        Stream.of(clearest), bands.stream().filter(band -> band.contrastDb() >= CLEAR_CONTRAST_DB))
                .distinct()
                .toList();
        List<OptionalInt> changes = bands.stream().map(this::changePoint).toList();
        if (bands.stream().allMatch(band -> band.contrastDb() >= CLEAR_CONTRAST_DB)
                && nothingUnderTheHum(samples, high, channels, warmUp, changes.get(0), changes.get(1))) {
            trusted = List.of(bands.get(1));
        }
        OptionalInt earliestChange = trusted.stream()
                .map(band -> changes.get(bands.indexOf(band)))
                .flatMapToInt(OptionalInt::stream)
                .min();
        boolean clear = earliestChange.isPresent() && clearest.contrastDb() >= CLEAR_CONTRAST_DB;
        int changePoint;
        if (earliestChange.isEmpty()) {
            // Nothing rose clearly enough to place the onset: start where the detector heard the
            // sound, walked back over its soft start. Not where the search did: that lies up to
            // 100 ms back, over talk or music that ran on into the sound (a spoken "go" over faint
            // talk in the tuning half's loud pink room started 102 ms early). A swell longer than
            // the walk's 30 ms loses its beginning, as a faint change point's does; neither half has one.
            changePoint = riseStart(bands.get(0), (int) Math.min(clearest.power().length, heardFrom - from));
        } else if (!clear) {
            // A faint attack, or one in an earlier sound's ring, is detected late: find where it began.
            changePoint = riseStart(bands.get(0), earliestChange.getAsInt());
        } else {
            changePoint = earliestChange.getAsInt();
        }
        int onset = newContentBefore(samples, channels, warmUp, changePoint, bands.get(0), overRing);
        if (clear) {
            // A clear attack passes a reference that may sit far over the background (30 dB under a
            // loud peak, for the codec's pre-echo): a slow swell (a sword's swish) passes it some ms
            // after it began. It began down its rise, as far as that stands over what the
            // background alone reaches.
            int clearChange = changePoint;
            int earliest = earliestRiseStart(clearChange);
            onset = trusted.stream()
                    .mapToInt(band -> downTheRise(band.power(), clearChange, earliest, band.overBackground()))
                    .reduce(onset, Math::min);
        }
        double safety = clearest.contrastDb() >= CLEAR_CONTRAST_DB ? SAFETY_MILLIS : FAINT_SAFETY_MILLIS;
        return Math.max(from, from + onset - format.framesFor(safety));
    }

    /**
     * Whether the full band rose before the band above the hum, and the part under the hum got no
     * louder, from the rise above the hum on, than it had been before the full band rose, by more
     * than {@link #OWN_LOW_RISE_DB}: the sound has nothing of its own under the hum, so the full
     * band's earlier rise was the room's. The part under the hum is the full band less the band
     * above it: a gentler split than a low-pass, through which a loud hat's hiss may pass for a
     * part of its own, and the full band then keeps its say, as before this rule.
     */
    private boolean nothingUnderTheHum(
            float[] samples, float[] high, int channels, int warmUp, OptionalInt fullChange, OptionalInt highChange) {
        if (fullChange.isEmpty() || highChange.isEmpty() || fullChange.getAsInt() >= highChange.getAsInt()) {
            return false;
        }
        float[] low = new float[samples.length];
        for (int i = 0; i < low.length; i++) {
            low[i] = samples[i] - high[i];
        }
        double[] lowPower = power(low, channels, analysis.dcOffsets(), warmUp);
        double before = peakPower(lowPower, 0, fullChange.getAsInt(), peakWindowFrames());
        double after = peakPower(lowPower, highChange.getAsInt(), lowPower.length, peakWindowFrames());
        return after <= before * Math.pow(10, OWN_LOW_RISE_DB / 10);
    }

    /**
     * One band's power over the search window.
     *
     * @param peak           the attack's loudest millisecond
     * @param background     the mean over the background stretch before it
     * @param reference      what the power must stay over for a sound to have begun
     * @param overBackground what the background alone stays under: the reference before a loud
     *                       peak lifts it
     * @param backgroundCeiling what the take's background stays under between its sounds over
     *                       5 ms; none (0) when not known, or over an earlier sound's ring
     */
    // Private and read once: never compared or hashed.
    @SuppressWarnings("ArrayRecordComponent")
    private record BandPower(
            double[] power,
            double peak,
            double background,
            double reference,
            double overBackground,
            double backgroundCeiling) {
        double contrastDb() {
            return 10 * Math.log10(peak / Math.max(background, Double.MIN_NORMAL));
        }
    }

    /**
     * @param overRing            whether the background stretch is an earlier sound's ring
     * @param referencePowerRatio over room noise, how far over the background the reference sits
     *                            (a power ratio), for this band's swings
     * @param ceilingPower        the band's background ceiling, as power (0: none)
     */
    private BandPower measure(double[] power, boolean overRing, double referencePowerRatio, double ceilingPower) {
        PcmFormat format = analysis.format();
        int backgroundFrames = backgroundFrames(power);
        double peak = peakPower(power, 0, power.length, peakWindowFrames());
        double background = mean(power, 0, backgroundFrames);
        double overBackground = overRing
                ? Math.max(
                        background * Math.pow(10, REFERENCE_ABOVE_BACKGROUND_DB / 10),
                        peakPower(power, 0, backgroundFrames, (int)
                                Math.max(1, format.framesFor(RING_SWING_WINDOW_MILLIS))))
                : background * referencePowerRatio;
        double reference = Math.max(overBackground, peak * Math.pow(10, -MAX_REFERENCE_BELOW_PEAK_DB / 10));
        return new BandPower(power, peak, background, reference, overBackground, overRing ? 0 : ceilingPower);
    }

    private int backgroundFrames(double[] power) {
        return (int) Math.min(power.length, analysis.format().framesFor(BACKGROUND_MILLIS));
    }

    /** A background ceiling as power; none (0) when it is not known. */
    private static double ceilingPower(double ceilingDbfs) {
        return ceilingDbfs <= BlockLevels.SILENCE_DB ? 0 : Math.pow(10, ceilingDbfs / 10);
    }

    private static double referencePowerRatio(double noiseSpreadDb) {
        double aboveDb = Math.max(REFERENCE_ABOVE_BACKGROUND_DB, REFERENCE_ABOVE_BACKGROUND_SPREADS * noiseSpreadDb);
        return Math.pow(10, aboveDb / 10);
    }

    /**
     * Where the sound begins in the band's power, if it begins in it ({@link #changePoint(BandPower,
     * double) the same test over its reference}), or where that test places it over the take's
     * background ceiling instead, when everything from the first to the second stayed under the
     * ceiling in 5 ms windows for {@link #MIN_BACKGROUND_LEAD_IN_MILLIS} or more: the background
     * ran on into the sound.
     */
    private OptionalInt changePoint(BandPower band) {
        OptionalInt onset = changePoint(band, band.reference());
        if (onset.isEmpty() || band.backgroundCeiling() <= band.reference()) {
            return onset;
        }
        OptionalInt overCeiling = changePoint(band, band.backgroundCeiling());
        if (overCeiling.isEmpty()) {
            return onset;
        }
        PcmFormat format = analysis.format();
        int from = onset.getAsInt();
        int to = overCeiling.getAsInt();
        boolean backgroundRanOn = to - from >= format.framesFor(MIN_BACKGROUND_LEAD_IN_MILLIS)
                && peakPower(band.power(), from, to, analysis.blockFrames()) <= band.backgroundCeiling();
        return backgroundRanOn ? overCeiling : onset;
    }

    /**
     * Where the sound begins in the band's power over {@code reference}, if it begins in it: where
     * the first run of the sum that raised the alarm restarted. A later alarmed run takes over when
     * the gap before it (from the alarmed run before draining away to its restart) is {@link
     * #DRAINED_GAP_MILLIS} or more, or when everything from the onset so far up to its restart
     * stayed {@link #FAINT_RUN_BELOW_PEAK_DB} under the band's loudest ms.
     */
    private OptionalInt changePoint(BandPower band, double reference) {
        PcmFormat format = analysis.format();
        double alarm = reference * format.framesFor(ALARM_MILLIS);
        long drainedGap = format.framesFor(DRAINED_GAP_MILLIS);
        double faintPower = band.peak() * Math.pow(10, -FAINT_RUN_BELOW_PEAK_DB / 10);
        double[] power = band.power();
        double sum = 0;
        int restart = 0;
        OptionalInt onset = OptionalInt.empty();
        boolean alarmed = false;
        int drainedAt = 0;
        for (int f = 0; f < power.length; f++) {
            sum += power[f] - reference;
            if (sum <= 0) {
                if (alarmed) {
                    alarmed = false;
                    drainedAt = f;
                }
                sum = 0;
                restart = f + 1;
            } else if (sum > alarm && !alarmed) {
                alarmed = true;
                if (onset.isEmpty()
                        || restart - drainedAt >= drainedGap
                        || peakPower(power, onset.getAsInt(), restart, peakWindowFrames()) <= faintPower) {
                    onset = OptionalInt.of(restart);
                }
            }
        }
        return onset;
    }

    /**
     * Where the rise seen at frame {@code changePoint} (a change point, or where the detector heard
     * the sound) begins: walking back while the full band's millisecond power is still over the
     * loudest millisecond of the background (a voiced consonant's murmur, a soft mallet's first
     * contact), then {@link #downTheRise down what is still the rise} (a hit in an earlier sound's
     * decay rises out of the lowest point of that decay, not out of the decay's average). At most
     * {@link #MAX_RISE_MILLIS} back: a swell is not followed to its very beginning.
     */
    private int riseStart(BandPower full, int changePoint) {
        int window = peakWindowFrames();
        double[] power = full.power();
        int backgroundFrames = backgroundFrames(power);
        // The loudest millisecond of the background: hum's crest and noise's bumps reach it, a rise must pass it.
        double background = peakPower(power, 0, backgroundFrames, window);
        int earliest = earliestRiseStart(changePoint);
        int f = changePoint;
        double level = meanBefore(power, f, window);
        while (f > earliest && level > background) {
            f--;
            level = meanBefore(power, f, window);
        }
        // Power is never negative: no floor.
        return Math.min(downTheRise(power, f, earliest, 0), changePoint);
    }

    /** The earliest frame where a rise seen at {@code changePoint} may begin: {@link #MAX_RISE_MILLIS} back. */
    private int earliestRiseStart(int changePoint) {
        PcmFormat format = analysis.format();
        return (int) Math.max(peakWindowFrames(), changePoint - format.framesFor(MAX_RISE_MILLIS));
    }

    /**
     * Walks back from frame {@code from} down what is still the rise, over 2 ms windows (long enough
     * to ride over a ringing tone's cycles) in half-ms steps, no further than {@code earliest} and
     * while the window stays over {@code floor}.
     */
    private int downTheRise(double[] power, int from, int earliest, double floor) {
        int window = peakWindowFrames();
        int smooth = 2 * window;
        int f = from;
        double level = meanBefore(power, f, smooth);
        while (f - window / 2 > earliest) {
            double before = meanBefore(power, f - window / 2, smooth);
            if (before >= level || before < floor) {
                break;
            }
            f -= window / 2;
            level = before;
        }
        return f;
    }

    /**
     * A note struck in an earlier one's ring, or a soft attack, may rise in level only after its
     * first few ms: where its new partials enter, if that is earlier (by at most {@link
     * #MAX_RISE_MILLIS}) and, out of room noise, the level rose there ({@link
     * #NEW_CONTENT_OVER_BACKGROUND_DB}). In a ring the level need not: the new note hides in it.
     */
    private int newContentBefore(
            float[] samples, int channels, int skip, int changePoint, BandPower full, boolean overRing) {
        PcmFormat format = analysis.format();
        int backgroundFrames = (int) format.framesFor(BACKGROUND_MILLIS);
        int earliest = (int) (changePoint - format.framesFor(MAX_RISE_MILLIS));
        OptionalInt entered = spectralFlux.firstNewContent(
                samples, channels, analysis.dcOffsets(), skip, backgroundFrames, changePoint);
        if (entered.isEmpty() || entered.getAsInt() < earliest || entered.getAsInt() >= changePoint) {
            return changePoint;
        }
        int entry = entered.getAsInt();
        boolean levelRose = overRing
                || mean(full.power(), entry, Math.min(changePoint, full.power().length))
                        >= full.background() * Math.pow(10, NEW_CONTENT_OVER_BACKGROUND_DB / 10);
        return levelRose ? entry : changePoint;
    }

    /** The mean power of the window ending at frame f. */
    private static double meanBefore(double[] power, int f, int window) {
        return mean(power, Math.max(0, f - window), Math.max(1, f));
    }

    /**
     * Power of each frame from {@code skip} on, DC removed, on its loudest channel: the onset is
     * where either side first hears the sound.
     */
    private static double[] power(float[] samples, int channels, double[] dc, int skip) {
        double[] power = new double[Math.max(0, samples.length / channels - skip)];
        for (int f = 0; f < power.length; f++) {
            for (int c = 0; c < channels; c++) {
                double x = samples[(f + skip) * channels + c] - dc[c];
                power[f] = Math.max(power[f], x * x);
            }
        }
        return power;
    }

    /** The highest mean power of any window of the given length within frames [from, to). */
    private static double peakPower(double[] power, int from, int to, int window) {
        double sum = 0;
        double peak = 0;
        for (int f = from; f < to; f++) {
            sum += power[f] - (f - from >= window ? power[f - window] : 0);
            peak = Math.max(peak, sum / window);
        }
        return peak;
    }

    private int peakWindowFrames() {
        return (int) Math.max(1, analysis.format().framesFor(PEAK_WINDOW_MILLIS));
    }

    private static double mean(double[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return to > from ? sum / (to - from) : 0;
    }
}
