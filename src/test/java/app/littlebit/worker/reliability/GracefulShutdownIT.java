package app.littlebit.worker.reliability;

import static app.littlebit.worker.reliability.Harness.KEY;
import static app.littlebit.worker.reliability.Harness.OUTPUTS;
import static app.littlebit.worker.reliability.Harness.SAMPLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.support.LocalAwsServers;
import app.littlebit.worker.support.TestAudio;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker as ECS runs it, in a JVM of its own, stopped with SIGTERM ({@code Process.destroy()})
 * as ECS stops a task on scale-in or a Fargate Spot interruption: it must stop within the grace
 * period, mark the sample FAILED as retryable, print its one result line, exit 75, leave no work
 * files, and leave nothing that claims to be complete. A rerun then completes the sample.
 */
class GracefulShutdownIT {
    @RegisterExtension
    static final Scene scene = Scene.withS3Proxy();

    private static Map<String, String> cleanOutputs;

    @BeforeAll
    static void recordACleanRun() throws Exception {
        assertEquals(0, Harness.run(Harness.env()).exitCode());
        cleanOutputs = Harness.etags(OUTPUTS);
    }

    @Test
    void withoutAStopTheProcessExitsWithTheJobsOwnCode() throws Exception {
        Worker worker = Worker.start(Harness.scratch("child"));
        assertEquals(0, worker.awaitExit(), worker.stdout() + worker.stderr());
        assertEquals("COMPLETED", worker.result().get("status").asText());
        assertEquals(cleanOutputs, Harness.etags(OUTPUTS));
    }

    @Test
    void sigtermDuringTheDownloadStopsBeforeAnythingIsWritten() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        scene.s3().inject(r -> r.isS3("GET", KEY), new FaultProxy.Hold(held, release), 1);
        Worker worker = Worker.start(Harness.scratch("child"));
        assertTrue(held.await(60, TimeUnit.SECONDS), "the worker never asked for the recording");

        worker.sigterm();
        release.countDown();

        assertStoppedRetryably(worker);
        assertEquals(List.of(), Harness.keys(OUTPUTS));
    }

    @Test
    void sigtermWhileFfmpegDecodesStopsFfmpegAtOnce() throws Exception {
        Path take = TestAudio.write(
                TestAudio.take(new PcmFormat(44_100, 1), -60, 15, -6, -12),
                AudioFileType.M4A,
                Harness.scratch("long").resolve("long.m4a"));
        Harness.putRecording(KEY, take);
        Path dir = Harness.scratch("child");
        Path slowFfmpeg = FfmpegWrappers.realTime(dir.resolve("bin"));
        Worker worker = Worker.start(dir, Map.of("FFMPEG_BIN_DIR", slowFfmpeg.toString()));
        ProcessHandle decoder = Harness.awaitProcess(worker.process.toHandle(), "f32le");

        long stop = System.nanoTime();
        worker.sigterm();

        assertStoppedRetryably(worker);
        assertTrue(
                System.nanoTime() - stop < TimeUnit.SECONDS.toNanos(10),
                "the 30 s decode must be cut short, not waited for");
        // FFmpeg gets SIGTERM from the worker and quits within moments (in ECS the task ends anyway).
        decoder.onExit().get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), Harness.keys(OUTPUTS));
    }

    @Test
    void sigtermDuringTheUploadsLeavesOnlyWholeObjectsThatNothingClaimsAndTheRerunCompletes() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        scene.s3().inject(r -> r.isS3("PUT", OUTPUTS + "kick-2.wav"), new FaultProxy.Hold(held, release), 1);
        Worker worker = Worker.start(Harness.scratch("child"));
        assertTrue(held.await(60, TimeUnit.SECONDS), "the worker never uploaded");

        worker.sigterm();
        release.countDown();

        assertStoppedRetryably(worker);
        assertFalse(Harness.sample(SAMPLE).containsKey("processing_outputs"));
        Harness.etags(OUTPUTS)
                .forEach((key, etag) ->
                        assertEquals(cleanOutputs.get(key), etag, key + " is not a whole, correct object"));

        scene.s3().reset();
        Harness.Run rerun = Harness.run(Harness.env());
        assertEquals(0, rerun.exitCode(), rerun.stdout());
        assertEquals(cleanOutputs, Harness.etags(OUTPUTS));
    }

    private static void assertStoppedRetryably(Worker worker) throws Exception {
        assertEquals(75, worker.awaitExit(), worker.stderr());
        assertTrue(
                System.nanoTime() - worker.sigtermAt < TimeUnit.SECONDS.toNanos(20),
                "must stop well within ECS's 30 s of the SIGTERM");
        JsonNode result = worker.result();
        assertEquals("FAILED", result.get("status").asText());
        assertEquals("TEMPORARY", result.at("/error/category").asText());
        assertTrue(result.at("/error/retryable").asBoolean());
        assertTrue(result.at("/error/message").asText().startsWith("The task was stopped"), result.toString());
        assertEquals("FAILED", Harness.status(SAMPLE));
        assertEquals(
                "TEMPORARY",
                Harness.sample(SAMPLE).get("processing_error_category").s());
        assertEquals(List.of(), Harness.leftovers(worker.tmp), "work files left behind");
        assertFalse((worker.stdout() + worker.stderr()).contains(LocalAwsServers.SECRET_KEY), "secret in the output");
    }

    /** {@code java app.littlebit.worker.Main} in a child JVM with a task's environment, as the container runs it. */
    private static final class Worker {
        private final Process process;
        private final Path tmp;
        private final Path stdout;
        private final Path stderr;
        /** When SIGTERM was sent (System.nanoTime), or 0 before. */
        private long sigtermAt;

        private Worker(Process process, Path tmp, Path stdout, Path stderr) {
            this.process = process;
            this.tmp = tmp;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        static Worker start(Path dir) throws IOException {
            return start(dir, Map.of());
        }

        static Worker start(Path dir, Map<String, String> extraEnv) throws IOException {
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "app.littlebit.worker.Main"));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(dir.resolve("stdout").toFile())
                    .redirectError(dir.resolve("stderr").toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
            builder.environment().putAll(scene.env());
            builder.environment().put("TMPDIR", tmp.toString());
            builder.environment().putAll(extraEnv);
            return new Worker(builder.start(), tmp, dir.resolve("stdout"), dir.resolve("stderr"));
        }

        /** SIGTERM, then wait until the worker has logged that it is stopping. */
        void sigterm() throws Exception {
            sigtermAt = System.nanoTime();
            process.destroy();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!stderr().contains("Stop requested") && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        int awaitExit() throws InterruptedException {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the worker did not exit");
            }
            return process.exitValue();
        }

        JsonNode result() throws IOException {
            List<String> lines = stdout().lines().toList();
            assertEquals(1, lines.size(), "stdout must be exactly one JSON line: " + stdout());
            return Harness.json(lines.get(0));
        }

        String stdout() throws IOException {
            return Files.readString(stdout, StandardCharsets.UTF_8);
        }

        String stderr() throws IOException {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        }
    }
}
