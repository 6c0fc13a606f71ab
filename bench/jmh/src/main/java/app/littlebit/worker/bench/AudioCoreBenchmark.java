package app.littlebit.worker.bench;

import app.littlebit.worker.audio.LoudnessNormalizer;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.PcmSpool;
import app.littlebit.worker.audio.RecordingAnalyzer;
import app.littlebit.worker.audio.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-sample work of a job, each step alone, in samples (not frames) per microsecond:
 * the streaming analysis every decoded sample goes through, and what every one-shot sample goes
 * through on its way out (spool read, normalization with its true-peak meter, WAV writing).
 * Run on both JIT settings by bench/jmh/run.sh, which is how the C1-only flag was judged.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AudioCoreBenchmark {
    /** As the decoder hands them over. */
    private static final int FRAMES_PER_BUFFER = 16_384;
    /** A typical hit. */
    private static final int ONE_SHOT_FRAMES = 48_000;
    private static final int SPOOL_FRAMES = 48_000 * 60;

    @Param({"1", "2"})
    public int channels;

    private PcmFormat format;
    private RecordingAnalyzer analyzer;
    private float[] buffer;
    private float[] oneShot;
    private float[] work;
    private LoudnessNormalizer normalizer;
    private Path wav;
    private Path spoolDir;
    private PcmSpool spool;
    private final Random random = new Random(1);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        format = new PcmFormat(48_000, channels);
        analyzer = new RecordingAnalyzer(format);
        buffer = noise(FRAMES_PER_BUFFER * channels, 0.01);
        oneShot = noise(ONE_SHOT_FRAMES * channels, 0.3);
        work = new float[oneShot.length];
        normalizer = new LoudnessNormalizer(-20, true);
        wav = Files.createTempFile("jmh-", ".wav");
        spoolDir = Files.createTempDirectory("jmh-spool-");
        spool = new PcmSpool(format, spoolDir);
        for (int written = 0; written < SPOOL_FRAMES; written += FRAMES_PER_BUFFER) {
            spool.accept(buffer, FRAMES_PER_BUFFER);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        spool.close();
        Files.deleteIfExists(wav);
        Files.deleteIfExists(spoolDir);
    }

    /** Every decoded sample: DC tracking, DC blocker, block energy. */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(FRAMES_PER_BUFFER)
    public void analyzeFrames() {
        analyzer.accept(buffer, FRAMES_PER_BUFFER);
    }

    /** RMS, sample peak, 4x true peak and the gain, on a one-second one-shot. */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(ONE_SHOT_FRAMES)
    public Object normalizeFrames() {
        System.arraycopy(oneShot, 0, work, 0, oneShot.length);
        return normalizer.normalize(work, channels, true);
    }

    /** 24-bit WAV writing of a one-second one-shot. */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(ONE_SHOT_FRAMES)
    public void writeWavFrames() throws IOException {
        WavWriter.write(oneShot, format, wav);
    }

    /** Reading a one-second one-shot back from the decoded recording. */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(ONE_SHOT_FRAMES)
    public float[] readSpoolFrames() throws IOException {
        return spool.read(random.nextInt(SPOOL_FRAMES - ONE_SHOT_FRAMES), ONE_SHOT_FRAMES);
    }

    private float[] noise(int samples, double level) {
        float[] out = new float[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (float) (level * random.nextGaussian());
        }
        return out;
    }
}
