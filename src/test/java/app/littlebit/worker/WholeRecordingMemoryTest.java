package app.littlebit.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.WavWriter;
import app.littlebit.worker.support.TestAudio;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code createOneShot: false} the whole recording becomes one file, handled a chunk at a
 * time: a 6-minute stereo take, 140 MB as floats, goes through a worker whose heap is 64 MB.
 */
class WholeRecordingMemoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PcmFormat FORMAT = new PcmFormat(48_000, 2);
    private static final long FRAMES = 6 * 60 * 48_000L;
    /** Far less than the take as floats, so a one-shot held whole cannot fit. */
    private static final String HEAP = "-Xmx64m";

    @TempDir
    Path dir;

    @Test
    void aLongTakeBecomesOneFileInASmallHeap() throws Exception {
        Path recording = writeTake(dir.resolve("long.wav"));
        Path out = dir.resolve("out");

        Worker worker =
                run(recording, out, "{\"createOneShot\":false,\"outputFormat\":\"wav\",\"preserveOriginal\":false}");

        assertEquals(0, worker.exitCode, worker.stdout + worker.stderr);
        JsonNode oneShots = JSON.readTree(worker.stdout).get("oneShots");
        assertEquals(1, oneShots.size(), worker.stdout);
        Path file = Path.of(oneShots.get(0).get("path").asText());
        try (var files = Files.list(out)) {
            // The one-shot, its waveform and the recording's: one audio file.
            assertEquals(
                    List.of(file),
                    files.filter(f -> f.toString().endsWith(".wav")).toList());
        }
        JsonNode waveform = JSON.readTree(
                Path.of(oneShots.get(0).get("waveformPath").asText()).toFile());
        assertTrue(waveform.get("length").asInt() <= 4096, "a 6-minute one-shot is drawn in at most 4096 pixels");
        long[] frames = {0};
        double[] peak = {0};
        TestAudio.decoder().decode(file, FORMAT, (samples, count) -> {
            frames[0] += count;
            for (int i = 0; i < count * FORMAT.channels(); i++) {
                peak[0] = Math.max(peak[0], Math.abs(samples[i]));
            }
        });
        assertEquals(FRAMES, frames[0], "as long as the recording");
        double peakDbfs = 20 * Math.log10(peak[0]);
        assertTrue(peakDbfs <= -0.99, "peaks at " + peakDbfs + " dBFS");
    }

    /** Hits every two seconds over quiet noise, written a chunk at a time. */
    private static Path writeTake(Path file) throws Exception {
        Random random = new Random(1);
        int chunkFrames = 48_000;
        float[] chunk = new float[chunkFrames * FORMAT.channels()];
        try (WavWriter wav = WavWriter.create(file, FORMAT, FRAMES)) {
            for (long first = 0; first < FRAMES; first += chunkFrames) {
                int count = (int) Math.min(chunkFrames, FRAMES - first);
                for (int f = 0; f < count; f++) {
                    double t = (first + f) / (double) FORMAT.sampleRate();
                    double sinceHit = t % 2.0;
                    double hit = 0.5 * Math.exp(-8 * sinceHit) * Math.sin(2 * Math.PI * 200 * sinceHit);
                    for (int c = 0; c < FORMAT.channels(); c++) {
                        chunk[f * FORMAT.channels() + c] = (float) (hit + 0.003 * random.nextGaussian());
                    }
                }
                wav.write(chunk, count * FORMAT.channels());
            }
        }
        return file;
    }

    private record Worker(int exitCode, String stdout, String stderr) {}

    /** The local command in a JVM of its own, with a small heap. */
    private Worker run(Path recording, Path out, String params) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "process",
                recording.toString(),
                "--out",
                out.toString(),
                "--params",
                params);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().put("TMPDIR", tmp.toString());
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the worker did not finish in 5 minutes");
        }
        return new Worker(
                process.exitValue(),
                Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8));
    }
}
