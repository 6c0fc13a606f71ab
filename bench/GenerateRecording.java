import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.demo.Room;
import app.littlebit.worker.demo.SynthesizedTake;
import app.littlebit.worker.demo.TakeSynthesizer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a benchmark recording to stdout as raw f32le, to be piped into FFmpeg's AAC encoder:
 * hits of every kind the worker's own TakeSynthesizer makes, 1 to 2.5 s apart, peaking at -24 to
 * -3 dBFS (a phone's level control keeps takes fairly hot), over -58 dBFS room noise without hum.
 * It is rendered a minute at a time, so an hour of stereo needs no more memory than a minute. The number of hits goes to stderr.
 *
 * Run: java -cp audio-worker.jar bench/GenerateRecording.java SECONDS SAMPLE_RATE CHANNELS SEED
 */
public final class GenerateRecording {
    private static final double CHUNK_SECONDS = 60;
    /** The longest sound TakeSynthesizer renders (a pluck): a hit must fit in its chunk. */
    private static final double LONGEST_SOUND_SECONDS = 1.6;

    public static void main(String[] args) throws IOException {
        double seconds = Double.parseDouble(args[0]);
        PcmFormat format = new PcmFormat(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        long seed = Long.parseLong(args[3]);
        Random random = new Random(seed);
        OutputStream out = new BufferedOutputStream(System.out, 1 << 20);
        double nextHit = 0.5;
        int hits = 0;
        for (int chunk = 0; chunk * CHUNK_SECONDS < seconds; chunk++) {
            double start = chunk * CHUNK_SECONDS;
            double length = Math.min(CHUNK_SECONDS, seconds - start);
            List<TakeSynthesizer.Placement> placements = new ArrayList<>();
            while (nextHit + LONGEST_SOUND_SECONDS < start + length) {
                String kind = TakeSynthesizer.KINDS.get(random.nextInt(TakeSynthesizer.KINDS.size()));
                placements.add(new TakeSynthesizer.Placement(kind, nextHit - start, -24 + 21 * random.nextDouble()));
                nextHit += 1 + 1.5 * random.nextDouble();
            }
            // A hit that would straddle the chunk's end moves to the start of the next one.
            nextHit = Math.max(nextHit, start + length);
            hits += placements.size();
            SynthesizedTake take = new TakeSynthesizer(new Room(format, -58, 0, 50, 0), seed * 1000 + chunk)
                    .take(length, placements);
            write(take.samples(), out);
        }
        out.flush();
        System.err.println(hits);
    }

    private static void write(float[] samples, OutputStream out) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(samples.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(samples);
        out.write(bytes.array());
    }
}
