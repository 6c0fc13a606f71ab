package app.littlebit.worker.reliability;

import static app.littlebit.worker.reliability.Harness.KEY;
import static app.littlebit.worker.reliability.Harness.OUTPUTS;
import static app.littlebit.worker.reliability.Harness.SAMPLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.support.TestAudio;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The built image, run as the task definition (infra/worker.yaml) runs it: 1 vCPU, 2 GiB, read-only
 * root filesystem with {@code /tmp} the only writable path (the image's VOLUME, as Fargate mounts
 * it), uid 10001, an init process, no capabilities, the task's environment; against S3Proxy and
 * DynamoDB Local on this machine's loopback (host network). Run by {@code scripts/container-test.sh},
 * which builds the image and names it in {@code -Dcontainer.image}; skipped without it.
 */
@EnabledIfSystemProperty(named = "container.image", matches = ".+")
class ContainerImageIT {
    private static final String IMAGE = System.getProperty("container.image");
    /** How to call the engine, e.g. "podman --runtime runc --cgroup-manager=cgroupfs". */
    private static final List<String> ENGINE =
            List.of(System.getProperty("container.engine", "podman").split(" "));

    private static final int STOP_TIMEOUT_SECONDS = taskDefinitionStopTimeout();

    @RegisterExtension
    static final Scene scene = Scene.withS3Proxy();

    @Test
    void aRecordingBecomesOneShotsInTheProcessedFolderAndTheSampleIsCompleted() throws Exception {
        // No locale in the image: a name with an "ñ" must still work (it once failed as INTERNAL).
        String key = "public/unprocessed/" + Harness.USER + "/Caja española.m4a";
        Harness.putRecording(key, Harness.twoHitRecording());
        Map<String, String> env = taskEnvironment();
        env.put("S3_KEY", key);

        Container run = Container.start(env, List.of(), Harness.scratch("image-ok"));
        assertEquals(0, run.awaitExit(), run.stderr());

        JsonNode result = run.result();
        assertEquals("COMPLETED", result.get("status").asText());
        List<String> oneShots = StreamSupport.stream(result.get("oneShots").spliterator(), false)
                .map(o -> o.get("key").asText())
                .toList();
        assertEquals(List.of(OUTPUTS + "Caja española-1.m4a", OUTPUTS + "Caja española-2.m4a"), oneShots);
        // Each one-shot and its waveform, the original's copy, the recording's waveform.
        List<String> expected = List.of(
                OUTPUTS + "Caja española-1.m4a",
                OUTPUTS + "Caja española-1.waveform.json",
                OUTPUTS + "Caja española-2.m4a",
                OUTPUTS + "Caja española-2.waveform.json",
                OUTPUTS + "Caja española-original.m4a",
                OUTPUTS + "Caja española-recording.waveform.json");
        assertEquals(expected, Harness.keys(OUTPUTS));
        assertEquals("COMPLETED", Harness.status(SAMPLE));
        assertEquals(2, Harness.sample(SAMPLE).get("processing_outputs").l().size());
        assertFalse(run.stderr().contains("InvalidPathException"), run.stderr());
        // What the app will play: AAC one-shots, as long as the result says.
        for (JsonNode oneShot : result.get("oneShots")) {
            Path file = Harness.scratch("image-ok-download").resolve("one-shot.m4a");
            Harness.s3()
                    .getObject(
                            r -> r.bucket(Harness.BUCKET).key(oneShot.get("key").asText()), file);
            RecordingInfo decoded = TestAudio.probe(file);
            assertEquals("aac", decoded.codec());
            assertEquals(oneShot.get("durationMs").asDouble(), (double) decoded.durationMs(), 50, oneShot.toString());
        }
    }

    @Test
    void aRecordingThatIsNotAudioExits65AndTheSampleIsFailed() throws Exception {
        Harness.putRecording(
                KEY, "this is not audio, just text named .m4a\n".repeat(100).getBytes(StandardCharsets.UTF_8));

        Container run = Container.start(taskEnvironment(), List.of(), Harness.scratch("image-bad"));

        assertEquals(65, run.awaitExit(), run.stderr());
        JsonNode result = run.result();
        assertEquals("FAILED", result.get("status").asText());
        assertEquals("BAD_DATA", result.at("/error/category").asText());
        assertEquals("FAILED", Harness.status(SAMPLE));
        assertEquals(
                "BAD_DATA",
                Harness.sample(SAMPLE).get("processing_error_category").s());
        assertEquals(List.of(), Harness.keys(OUTPUTS));
    }

    /** ECS stops a task (scale-in, Spot) with SIGTERM, then SIGKILL after the task's stopTimeout. */
    @Test
    void stoppedMidJobItExits75WithinTheStopTimeoutAndTheSampleIsFailedAsTemporary() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Held at the second one-shot's upload: the recording is decoded, cut and encoded by then.
        scene.s3().inject(r -> r.isS3("PUT", OUTPUTS + "kick-2.m4a"), new FaultProxy.Hold(held, release), 1);
        Container run = Container.start(
                Harness.via(taskEnvironment(), scene.s3(), null), List.of(), Harness.scratch("image-stop"));
        if (!held.await(120, TimeUnit.SECONDS)) {
            fail("the worker never uploaded the second one-shot: " + run.stderr());
        }

        long stopped = System.nanoTime();
        Process stop = new ProcessBuilder(engine("stop", "--time", Integer.toString(STOP_TIMEOUT_SECONDS), run.name))
                .redirectErrorStream(true)
                .start();
        run.awaitStopRequested();
        release.countDown();

        assertEquals(75, run.awaitExit(), run.stderr());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
        assertTrue(millis < STOP_TIMEOUT_SECONDS * 1000L, "took " + millis + " ms, past the task's stopTimeout");
        System.out.println("podman stop: the container exited 75 after " + millis + " ms (stopTimeout "
                + STOP_TIMEOUT_SECONDS + " s)");
        assertTrue(stop.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        JsonNode result = run.result();
        assertEquals("FAILED", result.get("status").asText());
        assertEquals("TEMPORARY", result.at("/error/category").asText());
        assertEquals("FAILED", Harness.status(SAMPLE));
        assertEquals(
                "TEMPORARY",
                Harness.sample(SAMPLE).get("processing_error_category").s());
        assertFalse(Harness.sample(SAMPLE).containsKey("processing_outputs"));
    }

    /** The image's AppCDS archive (trained at build time) is what the worker's classes load from. */
    @Test
    void theWorkersClassesLoadFromTheAppCdsArchive() throws Exception {
        Path data = Harness.scratch("image-cds");
        Files.copy(Harness.twoHitRecording(), data.resolve("take.m4a"));
        data.toFile().setReadable(true, false);
        data.resolve("take.m4a").toFile().setReadable(true, false);
        data.toFile().setExecutable(true, false);

        Container run = Container.start(
                Map.of("JAVA_OPTS", "-Xlog:class+load=info:stderr"),
                List.of("-v", data + ":/data:ro", IMAGE, "process", "/data/take.m4a", "--out", "/tmp/out"),
                Harness.scratch("image-cds-run"));

        assertEquals(0, run.awaitExit(), run.stderr());
        assertEquals("COMPLETED", run.result().get("status").asText());
        for (String type : List.of(
                "app.littlebit.worker.Main",
                "app.littlebit.worker.pipeline.OneShotPipeline",
                "com.fasterxml.jackson.databind.ObjectMapper")) {
            assertTrue(
                    run.stderr().contains(type + " source: shared objects file (top)"),
                    type + " was not loaded from the AppCDS archive");
        }
    }

    /** The task definition's environment (S3_BUCKET, STATUS_TABLE, LOG_LEVEL) plus RunTask's overrides. */
    private static Map<String, String> taskEnvironment() {
        Map<String, String> env = Harness.env();
        env.remove("PROCESSING_PARAMS"); // the app's defaults: one-shots in the recording's format
        env.put("LOG_LEVEL", "INFO");
        return env;
    }

    private static List<String> engine(String... args) {
        List<String> command = new ArrayList<>(ENGINE);
        command.addAll(List.of(args));
        return command;
    }

    private static int taskDefinitionStopTimeout() {
        try {
            String template = Files.readString(Path.of(System.getProperty("basedir", "."), "infra", "worker.yaml"));
            Matcher stopTimeout = Pattern.compile("StopTimeout: (\\d+)").matcher(template);
            return stopTimeout.find() ? Integer.parseInt(stopTimeout.group(1)) : 30; // ECS's default
        } catch (IOException e) {
            throw new IllegalStateException("infra/worker.yaml could not be read", e);
        }
    }

    /** One {@code podman run} of the image, its stdout and stderr in files. */
    private static final class Container {
        private static int runs;
        private final String name;
        private final Process process;
        private final Path stdout;
        private final Path stderr;

        private Container(String name, Process process, Path stdout, Path stderr) {
            this.name = name;
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /**
         * @param env       passed by name only ({@code -e NAME}): values never go through a command line
         * @param imageArgs the image and its arguments; empty for the image's default (the ECS job)
         */
        static Container start(Map<String, String> env, List<String> imageArgs, Path dir) throws IOException {
            String name = "audio-worker-it-" + ProcessHandle.current().pid() + "-" + ++runs;
            List<String> command = engine(
                    "run",
                    "--rm",
                    "--name",
                    name,
                    "--network",
                    "host",
                    "--cpus",
                    "1",
                    "--memory",
                    "2g",
                    "--memory-swap",
                    "2g",
                    // Read-only root; /tmp is the image's VOLUME, an anonymous volume here, a bind
                    // mount of the task's storage on Fargate: either way with the image's owner and mode.
                    "--read-only",
                    "--read-only-tmpfs=false",
                    "--user",
                    "10001:10001",
                    "--init",
                    "--cap-drop",
                    "ALL",
                    "--stop-timeout",
                    Integer.toString(STOP_TIMEOUT_SECONDS));
            for (String variable : new TreeMap<>(env).keySet()) {
                command.addAll(List.of("-e", variable));
            }
            command.addAll(imageArgs.isEmpty() ? List.of(IMAGE) : imageArgs);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(dir.resolve("stdout").toFile())
                    .redirectError(dir.resolve("stderr").toFile());
            builder.environment().putAll(env);
            return new Container(name, builder.start(), dir.resolve("stdout"), dir.resolve("stderr"));
        }

        int awaitExit() throws IOException, InterruptedException {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                new ProcessBuilder(engine("kill", name)).inheritIO().start().waitFor();
                process.destroyForcibly();
                throw new AssertionError("the container did not exit");
            }
            return process.exitValue();
        }

        void awaitStopRequested() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_SECONDS);
            while (!stderr().contains("Stop requested") && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        /** Exactly one JSON line on stdout, whatever the outcome. */
        JsonNode result() throws IOException {
            List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
            assertEquals(1, lines.size(), "stdout must be exactly one JSON line: " + lines + "\n" + stderr());
            return Harness.json(lines.get(0));
        }

        String stderr() throws IOException {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        }
    }
}
