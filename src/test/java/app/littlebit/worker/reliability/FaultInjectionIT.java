package app.littlebit.worker.reliability;

import static app.littlebit.worker.reliability.Harness.KEY;
import static app.littlebit.worker.reliability.Harness.OUTPUTS;
import static app.littlebit.worker.reliability.Harness.SAMPLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.littlebit.worker.reliability.FaultProxy.Request;
import app.littlebit.worker.reliability.Harness.Run;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Faults injected for real on the wire, between the worker and S3Proxy / DynamoDB Local, with
 * {@link FaultProxy}: every transient fault is retried by the SDK's standard strategy (configured
 * in AwsClients, 4 attempts) and the job completes; a fault that outlasts the retries ends as a
 * retryable FAILED (exit 75) with nothing marked complete, and running the job again completes it
 * with the same objects. Plus FFmpeg killed mid-decode and a full disk.
 */
class FaultInjectionIT {
    private static final List<String> EXPECTED = Harness.CLEAN_RUN_OUTPUTS;
    private static final int SDK_ATTEMPTS = 4;

    @RegisterExtension
    static final Scene scene = Scene.withS3AndDynamoDbProxies();
    /** Key to ETag of a clean run's outputs: what every recovered run must reproduce byte for byte. */
    private static Map<String, String> cleanOutputs;

    @BeforeAll
    static void recordACleanRun() throws Exception {
        Run clean = Harness.run(scene.env());
        assertEquals(0, clean.exitCode(), clean.stdout());
        cleanOutputs = Harness.etags(OUTPUTS);
        assertEquals(EXPECTED, cleanOutputs.keySet().stream().sorted().toList());
    }

    // ---- S3 faults -------------------------------------------------------------------------------

    @Test
    void getSlowDownOnceIsRetried() throws Exception {
        scene.s3().inject(get(), FaultProxy.s3Error(503, "SlowDown"), 1);
        assertCompletedAsCleanRun(Harness.run(scene.env()));
        assertEquals(2, scene.s3().count(get()));
    }

    @Test
    void getConnectionResetOnceIsRetried() throws Exception {
        scene.s3().inject(get(), FaultProxy.RESET, 1);
        assertCompletedAsCleanRun(Harness.run(scene.env()));
        assertEquals(2, scene.s3().count(get()));
    }

    @Test
    void downloadCutHalfwayIsRetriedAndTheOutputsAreIdentical() throws Exception {
        scene.s3().inject(get(), FaultProxy.CUT_RESPONSE, 1);
        assertCompletedAsCleanRun(Harness.run(scene.env()));
        assertEquals(2, scene.s3().count(get()));
    }

    @Test
    void headServerErrorOnceIsRetried() throws Exception {
        scene.s3().inject(head(), FaultProxy.s3Error(500, "InternalError"), 1);
        assertCompletedAsCleanRun(Harness.run(scene.env()));
        assertEquals(2, scene.s3().count(head()), "the fault was met and the HEAD sent again");
    }

    @Test
    void getServerErrorOnEveryAttemptFailsRetryablyWithNothingWritten() throws Exception {
        scene.s3().always(get(), FaultProxy.s3Error(500, "InternalError"));
        Run run = Harness.run(scene.env());
        assertFailedRetryably(run);
        assertEquals(SDK_ATTEMPTS, scene.s3().count(get()));
        assertTrue(run.message().contains("InternalError"), run.message());
        assertEquals(List.of(), Harness.keys(OUTPUTS));
        assertRerunCompletes();
    }

    @Test
    void downloadCutOnEveryAttemptFailsRetryablyWithNothingWritten() throws Exception {
        scene.s3().always(get(), FaultProxy.CUT_RESPONSE);
        assertFailedRetryably(Harness.run(scene.env()));
        assertEquals(SDK_ATTEMPTS, scene.s3().count(get()));
        assertEquals(List.of(), Harness.keys(OUTPUTS));
    }

    @Test
    void putSlowDownOnceIsRetried() throws Exception {
        scene.s3().inject(put("kick-1.wav"), FaultProxy.s3Error(503, "SlowDown"), 1);
        assertCompletedAsCleanRun(Harness.run(scene.env()));
        assertEquals(2, scene.s3().count(put("kick-1.wav")));
    }

    @Test
    void putConnectionResetOnceIsRetried() throws Exception {
        scene.s3().inject(put("kick-2.wav"), FaultProxy.RESET, 1);
        assertCompletedAsCleanRun(Harness.run(scene.env()));
        assertEquals(2, scene.s3().count(put("kick-2.wav")));
    }

    @Test
    void putFailingOnEveryAttemptFailsRetryablyAndTheRerunCompletesWithTheSameObjects() throws Exception {
        scene.s3().always(put("kick-2.wav"), FaultProxy.s3Error(503, "SlowDown"));
        Run run = Harness.run(scene.env());
        assertFailedRetryably(run);
        assertEquals(SDK_ATTEMPTS, scene.s3().count(put("kick-2.wav")));
        assertFalse(Harness.sample(SAMPLE).containsKey("processing_outputs"), "no outputs recorded");
        assertRerunCompletes();
    }

    @Test
    void copyOfTheOriginalFailingOnEveryAttemptFailsRetryably() throws Exception {
        scene.s3()
                .always(
                        r -> r.method().equals("PUT") && r.headers().containsKey("x-amz-copy-source"),
                        FaultProxy.s3Error(500, "InternalError"));
        assertFailedRetryably(Harness.run(scene.env()));
        assertRerunCompletes();
    }

    @Test
    void recordingReplacedBetweenHeadAndGetFailsRetryably() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        scene.s3().inject(get(), new FaultProxy.Hold(held, release), 1);
        CompletableFuture<Run> running = Harness.runInBackground(scene.env());
        assertTrue(held.await(30, TimeUnit.SECONDS));
        // The app re-uploads the recording while the worker is between HEAD and GET.
        Harness.s3().putObject(r -> r.bucket(Harness.BUCKET).key(KEY), RequestBody.fromString("a new take"));
        release.countDown();
        Run run = running.get(60, TimeUnit.SECONDS);
        assertFailedRetryably(run);
        assertTrue(run.message().contains("was replaced while it was being read"), run.message());
        assertEquals(List.of(), Harness.keys(OUTPUTS));
    }

    // ---- DynamoDB faults -------------------------------------------------------------------------

    @Test
    void throttledStatusWriteOnceIsRetried() throws Exception {
        scene.dynamo().inject(processingWrite(), FaultProxy.dynamoError(400, "ThrottlingException"), 1);
        assertCompletedAsCleanRun(Harness.run(scene.env()));
        assertEquals(2, scene.dynamo().count(processingWrite()));
    }

    @Test
    void dynamoServerErrorOnTheFinalWriteOnceIsRetried() throws Exception {
        scene.dynamo().inject(completedWrite(), FaultProxy.dynamoError(500, "InternalServerError"), 1);
        assertCompletedAsCleanRun(Harness.run(scene.env()));
        assertEquals(2, scene.dynamo().count(completedWrite()));
    }

    @Test
    void throttledOnEveryAttemptFailsRetryablyBeforeReadingAnything() throws Exception {
        scene.dynamo().always(r -> true, FaultProxy.dynamoError(400, "ProvisionedThroughputExceededException"));
        Run run = Harness.run(scene.env());
        assertFailedRetryably(run);
        assertEquals(0, scene.s3().requests().size(), "nothing is read before the sample is claimed");
        assertNull(Harness.status(SAMPLE), "the worker could not write; the task-stopped handler will (exit 75)");
    }

    @Test
    void dynamoUnreachableFailsRetryablyBeforeReadingAnything() throws Exception {
        Map<String, String> env = scene.env();
        env.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + closedPort());
        assertFailedRetryably(Harness.run(env));
        assertEquals(0, scene.s3().requests().size());
    }

    @Test
    void dynamoDownAtTheFinalWriteLeavesCompleteObjectsAndTheRerunCompletes() throws Exception {
        scene.dynamo().always(r -> !r.bodyContains("processing_started_at"), FaultProxy.RESET);
        Run run = Harness.run(scene.env());
        assertFailedRetryably(run);
        assertEquals("PROCESSING", Harness.status(SAMPLE), "left for the task-stopped handler (exit 75)");
        assertEquals(cleanOutputs, Harness.etags(OUTPUTS), "every object written is whole");
        scene.dynamo().reset();
        assertRerunCompletes();
    }

    // ---- the task itself -------------------------------------------------------------------------

    @Test
    void ffmpegKilledMidDecodeFailsWithNothingWritten() throws Exception {
        Map<String, String> env = scene.env();
        env.put(
                "FFMPEG_BIN_DIR",
                FfmpegWrappers.realTime(Harness.scratch("ffmpeg").resolve("bin"))
                        .toString());
        CompletableFuture<Run> running = Harness.runInBackground(env);
        ProcessHandle decoder = Harness.awaitProcess(ProcessHandle.current(), "f32le");
        decoder.destroyForcibly();
        Run run = running.get(60, TimeUnit.SECONDS);

        assertEquals("FAILED", run.result().get("status").asText());
        assertEquals("FAILED", Harness.status(SAMPLE));
        assertEquals(List.of(), Harness.keys(OUTPUTS));
        // Not the recording's fault: a killed FFmpeg says nothing, a bad file gets a reason (BadInputIT).
        assertEquals(70, run.exitCode(), run.stdout());
        assertTrue(run.message().startsWith("FFmpeg stopped without an error of its own"), run.message());
    }

    @Test
    void recordingLargerThanTheFreeDiskIsRefusedBeforeDownload() throws Exception {
        try (TinyDisk disk = TinyDisk.mount("16k")) {
            Map<String, String> env = scene.env();
            env.put("TMPDIR", disk.path().toString());
            Run run = Harness.run(env);
            assertEquals(70, run.exitCode(), run.stdout());
            assertTrue(run.message().startsWith("Not enough disk space for the recording"), run.message());
            assertEquals(0, scene.s3().count(get()), "not a byte downloaded");
            assertEquals("FAILED", Harness.status(SAMPLE));
            assertEquals(List.of(), Harness.keys(OUTPUTS));
        }
    }

    @Test
    void diskFillingUpWhileDecodingFailsWithNothingWritten() throws Exception {
        try (TinyDisk disk = TinyDisk.mount("256k")) {
            Map<String, String> env = scene.env();
            env.put("TMPDIR", disk.path().toString());
            Run run = Harness.run(env);
            assertEquals(70, run.exitCode(), run.stdout());
            assertTrue(run.message().contains("No space left on device"), run.message());
            assertEquals("FAILED", Harness.status(SAMPLE));
            assertEquals(List.of(), Harness.keys(OUTPUTS));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static void assertCompletedAsCleanRun(Run run) {
        assertEquals(0, run.exitCode(), run.stdout());
        assertEquals("COMPLETED", Harness.status(SAMPLE));
        assertEquals(cleanOutputs, Harness.etags(OUTPUTS), "same keys, same bytes as a run without faults");
        assertEquals(2, Harness.sample(SAMPLE).get("processing_outputs").l().size());
    }

    private static void assertFailedRetryably(Run run) {
        assertEquals(75, run.exitCode(), run.stdout());
        assertEquals("TEMPORARY", run.category());
        assertTrue(run.retryable());
        assertFalse("COMPLETED".equals(Harness.status(SAMPLE)));
    }

    /** The fault is gone; running the same job again gives exactly a clean run's objects. */
    private static void assertRerunCompletes() throws IOException {
        scene.s3().reset();
        scene.dynamo().reset();
        assertCompletedAsCleanRun(Harness.run(scene.env()));
    }

    @SuppressWarnings("UnnecessaryLambda") // a named request matcher, passed to the proxy's rules
    private static Predicate<Request> get() {
        return r -> r.isS3("GET", KEY);
    }

    @SuppressWarnings("UnnecessaryLambda") // a named request matcher, passed to the proxy's rules
    private static Predicate<Request> head() {
        return r -> r.isS3("HEAD", KEY);
    }

    private static Predicate<Request> put(String name) {
        return r -> r.isS3("PUT", OUTPUTS + name);
    }

    @SuppressWarnings("UnnecessaryLambda") // a named request matcher, passed to the proxy's rules
    private static Predicate<Request> processingWrite() {
        return r -> r.operation().equals("UpdateItem") && r.bodyContains("processing_started_at");
    }

    @SuppressWarnings("UnnecessaryLambda") // a named request matcher, passed to the proxy's rules
    private static Predicate<Request> completedWrite() {
        return r -> r.operation().equals("UpdateItem") && r.bodyContains("processing_outputs");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A tmpfs of a few KB: a real full disk. Mounting needs root; elsewhere the test is skipped. */
    record TinyDisk(Path path) implements AutoCloseable {
        static TinyDisk mount(String size) throws Exception {
            Path dir = Harness.scratch("disk");
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here (needs root): " + output);
            return new TinyDisk(dir);
        }

        @Override
        public void close() throws Exception {
            new ProcessBuilder("umount", path.toString()).inheritIO().start().waitFor();
            Files.deleteIfExists(path);
        }
    }
}
