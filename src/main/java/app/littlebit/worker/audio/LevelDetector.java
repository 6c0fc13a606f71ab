package app.littlebit.worker.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds sounds where the level rises above a threshold, and follows each one until it has decayed
 * into the noise floor (in {@link SplitMode#ONSETS}) or until a silence of the minimum length (in
 * {@link SplitMode#SILENCE}). In onsets mode a clear new attack in a sound's decay starts a new one.
 *
 * <p>Two bands are read: the full band, and the band above a few hundred Hz where mains hum and
 * room rumble are gone. A sound is found when either band rises above its own threshold, so a soft
 * hi-hat is found in a humming room; a tail rings on while either band is above its own floor.
 * With the user's fixed threshold only the full band finds sounds (the threshold is a broadband
 * level), but tails and cut points are refined the same way.
 */
public final class LevelDetector {
    static final double TAIL_RANGE_DB = 60;
    /**
     * Above the hum, the floor is taken as no lower than this far under the full band's, so a
     * sound there must reach some 15 dB under the room's noise: a soft hi-hat in a room loud with
     * hum is well above that, a codec's hiss in a room of nothing but hum is not.
     */
    static final double HIGH_BAND_FLOOR_RANGE_DB = 21;
    /**
     * An attack seen only under 150 Hz counts if that band is within this of the whole sound: a
     * kick's thump is most of a kick, while white noise keeps under 1 % of its energy there (-20 dB),
     * and the rumble inside a long fizz 6 to 10 dB under it. Measured on the tuning half once
     * Wesnoth's effects had joined: at 10 dB its "magic missile" fizz, whose rumble swells some
     * 10 dB 200 ms in, was cut there in 4 takes (a false one-shot and a tail cut each); 8 dB left 3
     * of them, 6 and 3 dB none, with nothing else changed (no kick in a ring lost).
     */
    static final double LOW_BAND_SHARE_DB = 6;
    /**
     * A tail has ended once it stays in the floor this long: longer than the dips of a low note
     * beating against mains hum of nearly the same pitch.
     */
    static final double TAIL_HOLD_MILLIS = 100;
    /** How far before the first loud window an onset may lie (a slow swell). */
    static final double MAX_ONSET_SEARCH_MILLIS = 100;
    /**
     * A sound out of silence rises at least this much over the level it rose out of ({@link
     * #levelBefore}): a one-shot has an attack. A room whose noise swells (a fan speeding up, brown noise drifting up
     * 6 dB in the tuning half's rooms) rises less, however long it stays over the threshold.
     */
    static final double MIN_PROMINENCE_DB = 5;

    static final int PROMINENCE_LOOKBACK_BLOCKS = (int) (200 / RecordingAnalyzer.BLOCK_MILLIS);
    /**
     * An attack this far over the level where its sound was found is the sound's attack proper, and
     * what came before only led in: talk across the room before a "k" sits 16 to 20 dB under it in
     * the tuning half's voice takes.
     */
    static final double SOFT_LEAD_IN_DB = 12;

    /**
     * A lead-in running on into an attack proper is left out of its sound only from this long on:
     * a shorter one lies within the 20 ms of pre-roll a one-shot may carry. On the tuning half,
     * leaving out the shortest too (15 ms, a Wesnoth effect's own first windows over music) entered
     * two effects 0.2 ms late, for one pre-roll over 20 ms shorter (50 → 40 ms) and one longer
     * (47 → 52 ms).
     */
    static final int MIN_RUN_ON_LEAD_IN_BLOCKS = (int) Math.ceil(25 / RecordingAnalyzer.BLOCK_MILLIS);

    /** Fewer loud windows than this are a tick of the phone or room, not a sound. */
    static final int MIN_LOUD_WINDOWS = 2;
    /**
     * A lossy file's first and last frames ring with the step from digital silence into the room's
     * noise and back (and the record button clicks there); what starts within them is the recording
     * starting or stopping, not a hit.
     */
    static final double EDGE_MILLIS = 50;
    /** Quiet audio kept before an onset search so the planner can measure what precedes the attack. */
    static final int BACKGROUND_BLOCKS = 4;
    /**
     * When the threshold is checked against how high the background swings, a candidate this far
     * over the floor is left out of the background with its tail. The tuning half's soft hits peak
     * 10 to 20 dB over the floor; brown noise's swings up to 14.
     */
    static final double SOUND_ABOVE_FLOOR_DB = 6;
    /**
     * The threshold clears this percentile of the background's windows by {@link
     * #BACKGROUND_MARGIN_DB} plus {@link #BACKGROUND_MARGIN_PER_SWING} of the background's swing
     * (that percentile over the 10th). Measured on the tuning half's empty rooms (-70 to -45 dBFS;
     * pink and brown ones drifting ±3 dB): their loudest 20 ms window sits up to 3 dB over the
     * 90th percentile in hiss (swing 1 dB), 4.8 in pink (swing 4.3), 5.8 in brown noise (swing 6);
     * the margin clears each by 0.7 dB or more. A low percentile, so the soft sounds left in the
     * background, a few % of a take, do not raise it.
     */
    static final double BACKGROUND_PERCENTILE = 0.90;

    static final double BACKGROUND_MARGIN_DB = 3;
    static final double BACKGROUND_MARGIN_PER_SWING = 0.5;
    /**
     * A candidate this far under the take's loudest sound is faint. The tuning half puts faint
     * speech and music 25 to 35 dB under the median hit (by sample peak; a held note of music
     * comes within 21.5 dB of a hit's loudest 25 ms), and a take's hits within 15 dB of each
     * other; the first corpus spreads hits over up to 32 dB, which the isolation rule keeps. At
     * 24 dB two bumps of music and talk were one-shots; at 18 a closed hat and a hand clap among
     * crashes were taken for background.
     */
    static final double FAINT_BELOW_LOUDEST_DB = 20;
    /** A faint candidate with another faint one this close is part of something going on in the background. */
    static final double FAINT_ISOLATION_MILLIS = 1000;
    /**
     * A candidate this far under the take's loudest is very faint: it must stand alone, that close
     * to no other candidate at all. Faint music's other notes mostly stay under the threshold, so a
     * note that passes it has no faint neighbour, yet it lies near the take's hits. Measured on the
     * tuning half: three such notes (Sonic Pi samples over MuseScore music) lay 33 to 43 dB under
     * the loudest and 0.25 to 0.6 s from a hit; the faintest hit within 1 s of another sound lay
     * 22.4 dB under, and the hits 30 to 35 dB under (the first corpus) 1.45 s or more from any
     * other. 26 and 30 dB gave the same results.
     */
    static final double VERY_FAINT_BELOW_LOUDEST_DB = 30;
    /**
     * A faint candidate stands clear when it passes the threshold by the background's swing,
     * counted up to this much: the widest a room's noise swings in the tuning half (brown noise,
     * some 6 dB, see {@link #BACKGROUND_PERCENTILE}). Where the pauses are digital silence (a file
     * made on a computer) the swing spans tens of dB, and a soft sound 25 dB under the others was
     * dropped as background.
     */
    static final double MAX_ROOM_SWING_DB = 6;

    private final Optional<Double> fixedThresholdDbfs;
    private final double minSilenceMillis;
    private final SplitMode splitMode;

    /**
     * @param fixedThresholdDbfs the user's threshold, or empty for an adaptive one
     * @param minSilenceMillis   the shortest gap that separates two sounds
     * @param splitMode          whether a sound ends when it has decayed and at a new attack, or only at a gap
     */
    public LevelDetector(Optional<Double> fixedThresholdDbfs, double minSilenceMillis, SplitMode splitMode) {
        this.fixedThresholdDbfs = fixedThresholdDbfs;
        this.minSilenceMillis = minSilenceMillis;
        this.splitMode = splitMode;
    }

    public Detection detect(RecordingAnalysis analysis) {
        if (analysis.blocks() == 0) {
            return new Detection(
                    BlockLevels.SILENCE_DB, 0, 0, 0, List.of(), BlockLevels.SILENCE_DB, BlockLevels.SILENCE_DB);
        }
        double blockMillis = analysis.format().millisFor(analysis.blockFrames());
        Band full = Band.full(analysis.blockMeanSquares(), fixedThresholdDbfs);
        Band high = fixedThresholdDbfs.isPresent()
                ? Band.highTailsOnly(analysis.highBlockMeanSquares())
                : Band.high(analysis.highBlockMeanSquares(), full.floor() - HIGH_BAND_FLOOR_RANGE_DB);
        Band low = Band.lowAttacksOnly(analysis.lowBlockMeanSquares(), fixedThresholdDbfs.isPresent());
        int holdBlocks = (int) Math.ceil(TAIL_HOLD_MILLIS / blockMillis);
        int spacingBlocks = (int) Math.ceil(AttackFinder.MIN_SPACING_MILLIS / blockMillis);
        int minSilenceBlocks = (int) Math.ceil(minSilenceMillis / blockMillis);
        int steepestBlocks = (int) Math.ceil(AttackFinder.STEEPEST_WITHIN_MILLIS / blockMillis);
        Bands bands = new Bands(full, high, low, holdBlocks, spacingBlocks, steepestBlocks);
        if (fixedThresholdDbfs.isEmpty()) {
            boolean[] background = background(bands, segments(bands, minSilenceBlocks));
            bands = new Bands(
                    full.aboveBackground(
                            background, BACKGROUND_PERCENTILE, BACKGROUND_MARGIN_DB, BACKGROUND_MARGIN_PER_SWING),
                    high.aboveBackground(
                            background, BACKGROUND_PERCENTILE, BACKGROUND_MARGIN_DB, BACKGROUND_MARGIN_PER_SWING),
                    low,
                    holdBlocks,
                    spacingBlocks,
                    steepestBlocks);
            full = bands.full();
        }
        int edgeBlocks = (int) Math.ceil(EDGE_MILLIS / blockMillis);
        List<Segment> candidates = segments(bands, minSilenceBlocks).stream()
                .filter(s -> s.first() >= edgeBlocks && s.first() < analysis.blocks() - edgeBlocks)
                .toList();
        // With the user's threshold nothing is faint: every sound over it is one they asked for.
        double faintDbfs = fixedThresholdDbfs.isPresent()
                ? BlockLevels.SILENCE_DB
                : candidates.stream().mapToDouble(Segment::peak).max().orElse(BlockLevels.SILENCE_DB)
                        - FAINT_BELOW_LOUDEST_DB;
        Set<Segment> faint = faintInBackground(
                candidates,
                faintDbfs,
                faintDbfs - (VERY_FAINT_BELOW_LOUDEST_DB - FAINT_BELOW_LOUDEST_DB),
                bands.threshold() + Math.min(full.backgroundSwingDb(), MAX_ROOM_SWING_DB),
                (int) Math.ceil(FAINT_ISOLATION_MILLIS / blockMillis));
        // How loud the background got where it stood alone: talk running on into a sound is no louder.
        double loudestBackgroundDbfs =
                faint.stream().mapToDouble(Segment::peak).max().orElse(BlockLevels.SILENCE_DB);
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Segment candidate = candidates.get(i);
            if (faint.contains(candidate)) {
                continue;
            }
            // A sound whose attack came in faint background (speech across the room) rises out of
            // that background, not out of a decay: its soft start ('g', 't') may lie well before the
            // attack that ended the background's stretch.
            boolean afterBackground = candidate.afterAttack() && i > 0 && faint.contains(candidates.get(i - 1));
            segments.add(
                    afterBackground
                            ? candidate.outOfBackground()
                            : candidate.withoutFaintLeadIn(bands, faintDbfs, loudestBackgroundDbfs));
        }
        int[] searchFrom = new int[segments.size()];
        int maxSearchBlocks = (int) Math.ceil(MAX_ONSET_SEARCH_MILLIS / blockMillis);
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment.afterAttack()) {
                // The window before the steepest rise is the earlier sound's decay: the attack
                // follows it, or, for a sound that swells in over a few windows (a shaker), the
                // rise began further back.
                int earliest =
                        Math.max(i == 0 ? 0 : segments.get(i - 1).first() + 1, segment.first() - maxSearchBlocks);
                searchFrom[i] = Math.min(
                                segment.first() - AttackFinder.GAP_BLOCKS,
                                levelRiseStart(bands, segment.first(), earliest))
                        - BACKGROUND_BLOCKS;
            } else {
                int earliest = i == 0 ? 0 : segments.get(i - 1).lastLoud() + 1;
                searchFrom[i] =
                        onsetSearchStart(bands, segment.first(), Math.max(earliest, segment.first() - maxSearchBlocks));
            }
        }
        List<DetectedSound> sounds = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            // A tail rings on until it sinks into the floor or the next sound is found; the cut
            // planner ends it just before that sound's onset. Not at the next onset search's start:
            // that search reaches back over a soft start, and with it over the end of this tail.
            int limit = i + 1 < segments.size() ? segments.get(i + 1).first() : analysis.blocks();
            int tailEnd = bands.tailEnd(segment.lastLoud(), segment.peak(), limit);
            sounds.add(new DetectedSound(searchFrom[i], segment.first(), tailEnd, segment.peak()));
        }
        // Above the hum the noise's swing is its own, but never taken as wider than the full band's: a
        // codec's hiss flickering in a room of nothing but hum would otherwise set a margin no attack clears.
        double highSpread = Math.min(bands.high().shortSpread(), full.shortSpread());
        // With the user's threshold, what lies between the sounds may be soft hits they chose to
        // leave out, not background: no block counts as between them, so no ceiling.
        boolean[] between = fixedThresholdDbfs.isEmpty()
                ? BackgroundCeiling.betweenSounds(analysis.blocks(), sounds, edgeBlocks, blockMillis)
                : new boolean[analysis.blocks()];
        return new Detection(
                full.floor(),
                full.shortSpread(),
                highSpread,
                full.threshold(),
                sounds,
                BackgroundCeiling.dbfs(analysis.blockMeanSquares(), between, blockMillis),
                BackgroundCeiling.dbfs(analysis.highBlockMeanSquares(), between, blockMillis));
    }

    /**
     * The candidates that are no one-shot: far under the take's loudest sound (a voice across the
     * room, bleed from another instrument, a breath) and not standing clear on their own, either
     * barely over the threshold or with another faint candidate within the isolation time (any
     * candidate at all, for a very faint one). A soft hit among loud ones is kept: it stands clear
     * and alone. A take of soft hits keeps them all, for none is far under the loudest.
     *
     * @param faintDbfs under this a candidate is faint: {@link #FAINT_BELOW_LOUDEST_DB} under the loudest
     * @param veryFaintDbfs under this a faint candidate must stand alone among all candidates, not
     *                  only among the faint ones ({@link #VERY_FAINT_BELOW_LOUDEST_DB})
     * @param clearDbfs where a faint candidate stands clear of the background: as far over the
     *                  threshold as the background itself swings over its floor
     */
    private static Set<Segment> faintInBackground(
            List<Segment> candidates, double faintDbfs, double veryFaintDbfs, double clearDbfs, int isolationBlocks) {
        List<Segment> faint =
                candidates.stream().filter(s -> s.peak() < faintDbfs).toList();
        Set<Segment> background = new HashSet<>();
        for (Segment segment : faint) {
            boolean clear = segment.peak() >= clearDbfs;
            for (Segment other : segment.peak() < veryFaintDbfs ? candidates : faint) {
                clear &= other.equals(segment) || Math.abs(other.first() - segment.first()) >= isolationBlocks;
            }
            if (!clear) {
                background.add(segment);
            }
        }
        return background;
    }

    /** Whether both bands sink to the room's floor somewhere from block {@code from} to the attack. */
    private static boolean pausedBefore(Bands bands, int from, int attack) {
        for (int b = from; b < attack; b++) {
            if (bands.full().quiet(b) && bands.high().quiet(b)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The blocks that hold no sound: everything but the candidates that stand out of the floor,
     * from a little before each one's attack to the end of its tail.
     */
    private static boolean[] background(Bands bands, List<Segment> segments) {
        boolean[] background = new boolean[bands.blocks()];
        Arrays.fill(background, true);
        for (Segment segment : segments) {
            if (segment.peak() - bands.full().floor() < SOUND_ABOVE_FLOOR_DB) {
                continue;
            }
            int end = bands.tailEnd(segment.lastLoud(), segment.peak(), bands.blocks()) + Band.TAIL_BLOCKS;
            for (int b = Math.max(0, segment.first() - BACKGROUND_BLOCKS);
                    b <= Math.min(bands.blocks() - 1, end);
                    b++) {
                background[b] = false;
            }
        }
        return background;
    }

    /**
     * A stretch of the recording holding one sound.
     *
     * @param first       the block where its attack was found
     * @param lastLoud    its last loud block
     * @param peak        its loudest full-band tail-window level, none reaching into the next sound
     * @param afterAttack whether it starts at a new attack in an earlier sound's decay, not after silence
     * @param attacksProper the attacks within it that rose {@link #SOFT_LEAD_IN_DB} over what led in to them
     */
    private record Segment(int first, int lastLoud, double peak, boolean afterAttack, List<Integer> attacksProper) {
        Segment {
            attacksProper = List.copyOf(attacksProper);
        }

        Segment outOfBackground() {
            return new Segment(first, lastLoud, peak, false, attacksProper);
        }

        /**
         * This sound from its attack proper on, when what led in to that attack was as faint as
         * background ({@code faintDbfs}) and either sank back into the room before it (distant talk
         * that paused just before a syllable, too short a pause to end it as a sound of its own)
         * or, running on into the attack for longer than a one-shot's pre-roll may be, rose no
         * higher than the background rose where it stood alone ({@code loudestBackgroundDbfs}):
         * talk that went on right up to the syllable. A sound's own soft start (a swell, an "h")
         * rises on into its attack without a pause, louder than the take's background.
         */
        Segment withoutFaintLeadIn(Bands bands, double faintDbfs, double loudestBackgroundDbfs) {
            int start = first;
            for (int attack : attacksProper) {
                int leadInEnd = attack - Band.TAIL_BLOCKS / 2 - 1;
                if (leadInEnd < first) {
                    continue;
                }
                double leadInDbfs = LevelDetector.peak(bands, first, leadInEnd);
                boolean backgroundRanOn =
                        attack - first >= MIN_RUN_ON_LEAD_IN_BLOCKS && leadInDbfs <= loudestBackgroundDbfs;
                if (leadInDbfs < faintDbfs && (backgroundRanOn || pausedBefore(bands, first, attack))) {
                    start = attack;
                }
            }
            return start == first ? this : new Segment(start, lastLoud, peak, false, List.of());
        }
    }

    /**
     * The bands read together: sounds are found and followed on the full band and above the hum;
     * a new attack may show in any of the three.
     *
     * @param low           the band under a held note, for attacks only
     * @param holdBlocks    how long a decay must stay in the floor to have ended
     * @param spacingBlocks how close after an attack no new one is taken
     * @param steepestBlocks how far after an attack is first seen its steepest rise may come
     */
    private record Bands(Band full, Band high, Band low, int holdBlocks, int spacingBlocks, int steepestBlocks) {
        int blocks() {
            return full.blocks();
        }

        double threshold() {
            return full.threshold();
        }

        boolean loud(int b) {
            return full.loud(b) || high.loud(b);
        }

        int nextLoud(int from) {
            int b = from;
            while (b < blocks() && !loud(b)) {
                b++;
            }
            return b;
        }

        /** Whether a sound whose loudest full-band level was {@code peak} still rings at block b. */
        boolean ringing(int b, double peak) {
            return full.tailLevel(b) > peak - TAIL_RANGE_DB && (full.ringing(b) || high.ringing(b));
        }

        boolean attackAt(int b) {
            return full.attackAt(b) || high.attackAt(b) || (low.attackAt(b) && lowCarries(b));
        }

        /**
         * Whether the band under 150 Hz holds a fair share of the sound at block b, as a
         * kick's thump does: in a noisy sound (a clap, a snare) it holds a sliver, which flickers.
         */
        private boolean lowCarries(int b) {
            return low.level(b) >= full.level(b) - LOW_BAND_SHARE_DB;
        }

        /**
         * Whether an attack at block b rises so far over the level at block {@code attack}, where
         * its sound was found (or its last attack proper), that what came before only led in. That
         * level is a window looking ahead from a block just before the sound, so a hit out of
         * silence also moves its spacing to its own attack, a block or two on: the spacing then
         * counts from where the hit is, not from up to 20 ms before it. The band above the hum counts
         * too, from the end of the full band's window on (within it, a rise there is the attack the
         * full band already heard, seen later through a shorter window): rumble leading in to a hat
         * or a click can sit within 12 dB of it in the full band alone. A Tux Paint sound 50 ms
         * after a swell of a brown room's rumble (tuning half; 5 ms levels 11 dB over the swell in
         * the full band, 23 dB in the band above the hum) began 60 ms early; counting that band
         * took it, nothing else moved, and on the validation half a "go" lost a false one-shot.
         */
        boolean softLeadIn(int attack, int b) {
            return full.level(b) - full.level(attack) >= SOFT_LEAD_IN_DB
                    || (b - attack >= Band.FULL_BAND_DETECTION_BLOCKS
                            && high.level(b) - high.level(attack) >= SOFT_LEAD_IN_DB);
        }

        /** The steepest rise of a band in which block b is an attack. */
        double attackRiseDb(int b) {
            double rise = Double.NEGATIVE_INFINITY;
            for (Band band : List.of(full, high, low)) {
                if (band.attackAt(b)) {
                    rise = Math.max(rise, band.riseDb(b));
                }
            }
            return rise;
        }

        /**
         * The attack proper, for an attack first seen at block b: the steepest rise shortly after
         * (a codec's pre-echo can clear the minimum a little before the attack).
         */
        int steepestFrom(int b) {
            int steepest = b;
            for (int other = b + 1; other < Math.min(blocks(), b + steepestBlocks); other++) {
                if (attackAt(other) && attackRiseDb(other) > attackRiseDb(steepest)) {
                    steepest = other;
                }
            }
            return steepest;
        }

        /** The last block of the decay, once the sound has stopped ringing for the hold time. */
        int tailEnd(int lastLoud, double peak, int limit) {
            int end = lastLoud;
            for (int b = lastLoud + 1; b < limit && b - end <= holdBlocks; b++) {
                if (ringing(b, peak)) {
                    end = b;
                }
            }
            return end;
        }
    }

    /** The sounds, one after another, each followed from its attack until what ends it. */
    private List<Segment> segments(Bands bands, int minSilenceBlocks) {
        List<Segment> segments = new ArrayList<>();
        int first = bands.nextLoud(0);
        boolean afterAttack = false;
        while (first < bands.blocks()) {
            int lastLoud = first;
            int next = bands.blocks();
            int ownUntil = bands.blocks();
            boolean nextAfterAttack = false;
            int attack = first;
            List<Integer> attacksProper = new ArrayList<>();
            for (int b = first + 1; b < bands.blocks(); b++) {
                boolean attackAt = splitMode == SplitMode.ONSETS && bands.attackAt(b);
                if (attackAt && b - attack < bands.spacingBlocks() && bands.softLeadIn(attack, b)) {
                    // What was found first only led in (talk across the room before a "k"): the
                    // spacing that keeps a syllable's vowel with its burst counts from the burst.
                    attack = b;
                    attacksProper.add(b);
                }
                if (attackAt && b - attack >= bands.spacingBlocks()) {
                    next = bands.steepestFrom(b);
                    ownUntil = b;
                    nextAfterAttack = true;
                    break;
                }
                if (bands.loud(b)) {
                    lastLoud = b;
                }
                // A sound ends once no window has been loud for the hold time; its tail is followed
                // further later (tailEnd). Following it here instead, in pink or brown noise whose
                // swings keep it "ringing", made whatever came next an attack in its decay, and a
                // soft start ('h', 's') before that attack was lost to the earlier one-shot.
                boolean ended = splitMode == SplitMode.ONSETS
                        ? b - lastLoud > bands.holdBlocks()
                        : b - lastLoud >= minSilenceBlocks;
                if (ended) {
                    next = bands.nextLoud(b);
                    break;
                }
            }
            double peak = peak(bands, first, Math.min(lastLoud, ownUntil - Band.TAIL_BLOCKS / 2 - 1));
            if (loudWindows(bands, first, lastLoud) >= MIN_LOUD_WINDOWS
                    && (afterAttack || peak - levelBefore(bands, first, segments) >= MIN_PROMINENCE_DB)) {
                segments.add(new Segment(first, lastLoud, peak, afterAttack, attacksProper));
                afterAttack = nextAfterAttack;
            } else {
                // What was left out was no sound (a tick, the room creeping up): the next rises out of background.
                afterAttack = false;
            }
            first = next;
        }
        return segments;
    }

    /**
     * A sound's loudest full-band tail window among its loud blocks up to {@code to}: windows that
     * reach into the next sound's attack are left out, or faint background speech just before a
     * syllable would take the syllable's level and pass for a sound of its own.
     */
    private static double peak(Bands bands, int first, int to) {
        double peak = bands.full().tailLevel(first);
        for (int b = first + 1; b <= to; b++) {
            if (bands.loud(b)) {
                peak = Math.max(peak, bands.full().tailLevel(b));
            }
        }
        return peak;
    }

    /**
     * What a sound found at block {@code first} rose out of: the level 200 ms before, or, when that
     * still lies in the sound before it (an open hat 220 ms after a closed one), the level just
     * before it was found. Not always the level just before: brown noise creeps up to the
     * threshold, and its swell would then count as a rise.
     */
    private static double levelBefore(Bands bands, int first, List<Segment> earlier) {
        int lookback = Math.max(0, first - PROMINENCE_LOOKBACK_BLOCKS);
        double level = bands.full().tailLevel(lookback);
        boolean inEarlierSound =
                !earlier.isEmpty() && earlier.get(earlier.size() - 1).lastLoud() >= lookback;
        return inEarlierSound
                ? Math.min(level, bands.full().tailLevel(Math.max(0, first - Band.TAIL_BLOCKS / 2 - 1)))
                : level;
    }

    private static int loudWindows(Bands bands, int from, int to) {
        int count = 0;
        for (int b = from; b <= to; b++) {
            count += bands.loud(b) ? 1 : 0;
        }
        return count;
    }

    /**
     * Walks back from the first loud window while the sound is still rising out of the floor in
     * either band, then keeps a little of the floor before it. When nothing before it sinks to the
     * floor (someone talking across the room right up to a syllable), the search starts at the
     * quietest window instead, the pause the sound rose out of: from further back the onset search
     * would measure its reference on the talking, louder than a soft "d" or "h", and enter at the
     * vowel (two syllables of the tuning half's voice takes merged so).
     */
    private static int onsetSearchStart(Bands bands, int firstLoud, int limit) {
        int b = firstLoud;
        while (b > limit && !(bands.full().quiet(b - 1) && bands.high().quiet(b - 1))) {
            b--;
        }
        if (b == limit && b < firstLoud && !bands.full().quiet(b)) {
            return quietest(bands, limit, firstLoud);
        }
        return Math.max(limit, b - BACKGROUND_BLOCKS);
    }

    /** Where the full band's level last started rising before block b, no earlier than the limit. */
    private static int levelRiseStart(Bands bands, int b, int limit) {
        int start = b;
        while (start > limit && bands.full().level(start - 1) < bands.full().level(start)) {
            start--;
        }
        return start;
    }

    /** The block in [from, to) whose full-band window is the quietest. */
    private static int quietest(Bands bands, int from, int to) {
        int quietest = from;
        for (int b = from + 1; b < to; b++) {
            if (bands.full().level(b) < bands.full().level(quietest)) {
                quietest = b;
            }
        }
        return quietest;
    }
}
