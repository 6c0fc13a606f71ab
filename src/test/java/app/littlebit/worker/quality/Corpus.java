package app.littlebit.worker.quality;

import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.demo.Room;
import app.littlebit.worker.demo.SoundSource;
import app.littlebit.worker.demo.SynthKit;
import app.littlebit.worker.demo.TakeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Seeded sets of takes with ground truth. The same arguments always give the same audio, so a
 * score can be reproduced and compared across changes.
 */
public final class Corpus {
    public static final double QUIETEST_FLOOR_DBFS = -70;
    public static final double NOISIEST_FLOOR_DBFS = -45;
    public static final int HITS_PER_TAKE = 8;

    private Corpus() {}

    /**
     * Phone takes of sounds from the source: 44.1 or 48 kHz, mono or stereo, floors from -70 to
     * -45 dBFS, a third with mains hum, a quarter with a small DC offset.
     */
    public static List<CorpusTake> phoneTakes(String prefix, SoundSource source, int takes, long seed) {
        Random random = new Random(seed);
        List<CorpusTake> corpus = new ArrayList<>();
        for (int i = 0; i < takes; i++) {
            Room room = randomRoom(random);
            TakeBuilder builder = new TakeBuilder(room, source, random.nextLong());
            corpus.add(new CorpusTake(prefix + "-" + (i + 1), room, builder.record(HITS_PER_TAKE)));
        }
        return corpus;
    }

    /** Rooms with nothing played in them: hiss, hum and both, quiet and noisy. */
    public static List<CorpusTake> backgroundsOnly(long seed) {
        Random random = new Random(seed);
        List<CorpusTake> corpus = new ArrayList<>();
        double[] humShares = {0, 1, 0.7};
        String[] names = {"hiss", "hum", "hum-and-hiss"};
        for (int i = 0; i < humShares.length; i++) {
            for (double floor : new double[] {QUIETEST_FLOOR_DBFS, NOISIEST_FLOOR_DBFS}) {
                Room room = new Room(
                        new PcmFormat(i % 2 == 0 ? 44_100 : 48_000, 1 + i % 2),
                        floor,
                        humShares[i],
                        i == 1 ? 60 : 50,
                        0.001);
                corpus.add(new CorpusTake(
                        names[i] + (int) floor,
                        room,
                        new TakeBuilder(room, null, random.nextLong()).backgroundOnly(8)));
            }
        }
        return corpus;
    }

    /**
     * Takes as a musician records them in an ordinary room: a take's hits around one level (a
     * soft take or a loud one, each hit up to 12 dB softer or 3 dB louder than the take's level),
     * rooms of every noise colour from -70 to -45 dBFS, a third with hum, laid out and
     * accompanied as asked.
     */
    public static List<CorpusTake> roomTakes(
            String prefix,
            SoundSource source,
            int takes,
            long seed,
            TakeBuilder.Layout layout,
            Optional<TakeBuilder.Bed> bed) {
        Random random = new Random(seed);
        List<CorpusTake> corpus = new ArrayList<>();
        Room.NoiseColor[] colors = Room.NoiseColor.values();
        for (int i = 0; i < takes; i++) {
            Room plain = randomRoom(random);
            Room room = new Room(
                    plain.format(),
                    plain.floorDbfs(),
                    plain.humShare(),
                    plain.humHertz(),
                    plain.dcOffset(),
                    colors[random.nextInt(colors.length)]);
            double takeLevel = SynthKit.between(random, Math.max(room.floorDbfs() + 32, -30), -6);
            TakeBuilder builder = new TakeBuilder(
                    room,
                    source,
                    random.nextLong(),
                    takeLevel - 12,
                    Math.min(takeLevel + 3, TakeBuilder.MAX_PEAK_DBFS),
                    layout,
                    bed);
            corpus.add(new CorpusTake(prefix + "-" + (i + 1), room, builder.record(HITS_PER_TAKE)));
        }
        return corpus;
    }

    /** Rooms of every colour at three levels with nothing played in them. */
    public static List<CorpusTake> colouredBackgrounds(String prefix, long seed) {
        Random random = new Random(seed);
        List<CorpusTake> corpus = new ArrayList<>();
        for (Room.NoiseColor color : Room.NoiseColor.values()) {
            for (double floor : new double[] {QUIETEST_FLOOR_DBFS, -58, NOISIEST_FLOOR_DBFS}) {
                Room room = new Room(
                        new PcmFormat(random.nextBoolean() ? 44_100 : 48_000, 1 + random.nextInt(2)),
                        floor,
                        random.nextInt(3) == 0 ? 0.5 : 0,
                        50,
                        0,
                        color);
                corpus.add(new CorpusTake(
                        prefix + "-" + color.name().toLowerCase(java.util.Locale.ROOT) + (int) floor,
                        room,
                        new TakeBuilder(room, null, random.nextLong()).backgroundOnly(10)));
            }
        }
        return corpus;
    }

    private static Room randomRoom(Random random) {
        PcmFormat format = new PcmFormat(random.nextBoolean() ? 44_100 : 48_000, random.nextBoolean() ? 2 : 1);
        double floor = SynthKit.between(random, QUIETEST_FLOOR_DBFS, NOISIEST_FLOOR_DBFS);
        double humShare = random.nextInt(3) == 0 ? SynthKit.between(random, 0.3, 0.9) : 0;
        // Phones high-pass their input; only a small offset survives into an AAC file.
        double dc =
                random.nextInt(4) == 0 ? (random.nextBoolean() ? 1 : -1) * SynthKit.between(random, 0.0005, 0.002) : 0;
        return new Room(format, floor, humShare, random.nextBoolean() ? 50 : 60, dc);
    }
}
