package app.littlebit.worker.demo;

import app.littlebit.worker.audio.PcmFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Takes with hits where the caller puts them: the lab's kit ({@link SynthKit}) played into a
 * {@link Room} by {@link TakeBuilder}, with the same ground truth as the lab's takes. Notes play at
 * fixed pitches (pluck A3, tone A4), so what the demo's pitch reads is known. Used for the demo
 * command and as test material; seeded, so the same settings give the same audio.
 */
public final class TakeSynthesizer {
    /** The kinds the demo plays, in turn. */
    public static final List<String> KINDS = List.of("kick", "snare", "closed-hat", "clap", "pluck", "tone");
    /** Pluck at A3 and tone at A4. */
    static final Map<String, Double> NOTE_PITCHES_HZ = Map.of("pluck", 220.0, "tone", 440.0);

    private final SynthKit kit = new SynthKit(KINDS, NOTE_PITCHES_HZ);
    private final int sampleRate;
    private final Random random;
    private final TakeBuilder builder;

    /**
     * @param room where the take is recorded: its format and background
     * @param seed random seed for the sounds' variation and the background
     */
    public TakeSynthesizer(Room room, long seed) {
        this.sampleRate = room.format().sampleRate();
        this.random = new Random(seed);
        this.builder = new TakeBuilder(room, kit, random.nextLong());
    }

    /** A sound to place in the take: one of {@link #KINDS}. */
    public record Placement(String kind, double onsetSeconds, double peakDbfs) {}

    /** The room's background for the given length with the sounds mixed in. */
    public SynthesizedTake take(double seconds, List<Placement> placements) {
        return builder.play(
                seconds,
                placements.stream()
                        .map(placement -> new TakeBuilder.Placement(
                                kit.sound(placement.kind(), random, sampleRate),
                                placement.onsetSeconds(),
                                placement.peakDbfs()))
                        .toList());
    }

    /** The demo: eight hits of every kind, 1.2-2.4 s apart, loud and soft, over phone-like room noise. */
    public static SynthesizedTake demo() {
        TakeSynthesizer synth = new TakeSynthesizer(new Room(new PcmFormat(44_100, 1), -58, 0, 50, 0), 7);
        List<Placement> placements = new ArrayList<>();
        double[] peaks = {-6, -12, -4, -18, -9, -24, -8, -14};
        double time = 0.6;
        for (int i = 0; i < peaks.length; i++) {
            placements.add(new Placement(KINDS.get(i % KINDS.size()), time, peaks[i]));
            time += 1.2 + (i % 3) * 0.6;
        }
        return synth.take(time + 0.8, placements);
    }
}
