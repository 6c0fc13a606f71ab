package app.littlebit.worker.reliability;

import static app.littlebit.worker.reliability.Harness.KEY;
import static app.littlebit.worker.reliability.Harness.OUTPUTS;
import static app.littlebit.worker.reliability.Harness.SAMPLE;
import static app.littlebit.worker.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.QueueJobRunner;
import app.littlebit.worker.serve.QueueWorker;
import app.littlebit.worker.serve.ServeSettings;
import app.littlebit.worker.support.LocalSqs;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Serve mode with the real job, end to end: ElasticMQ for the queue (with a dead-letter queue by
 * its redrive policy), S3Proxy behind a fault proxy, DynamoDB Local, the real SDK clients. Each
 * message is one job with RunTask mode's validation, pipeline, S3 layout, status item and result
 * line; the message is settled after the status is written.
 */
class ServeIT {
    private static final int MAX_RECEIVES = 3;
    private static final AtomicInteger QUEUES = new AtomicInteger();
    private static final Duration WAIT = Duration.ofMinutes(2);

    @RegisterExtension
    static final Scene scene = Scene.withS3Proxy();

    @RegisterExtension
    static final LocalSqs local = LocalSqs.forTestClass();

    private static LocalSqs.Queues queues() {
        return local.createQueues("serve-" + QUEUES.incrementAndGet(), MAX_RECEIVES);
    }

    /** The service's environment: the task's AWS settings and STATUS_TABLE, the queue, quick retries. */
    private static Map<String, String> service(String queueUrl, Map<String, String> extra) throws IOException {
        Map<String, String> env = new HashMap<>(scene.env());
        env.putAll(local.awsEnvironment());
        env.put("QUEUE_URL", queueUrl);
        env.put("SERVE_WAIT_SECONDS", "1");
        env.put("SERVE_RETRY_DELAY_SECONDS", "0");
        env.put("SERVE_DRAIN_SECONDS", "60");
        env.put("TMPDIR", Harness.scratch("serve-tmp").toString());
        env.putAll(extra);
        return env;
    }

    static String message(String sample, String key, String user) {
        return "{\"S3_BUCKET\":\"" + Harness.BUCKET + "\",\"S3_KEY\":\"" + key + "\",\"USER_ID\":\"" + user
                + "\",\"SAMPLE_ID\":\"" + sample + "\",\"PROCESSING_PARAMS\":{\"outputFormat\":\"wav\"}}";
    }

    private static void send(String queueUrl, String body) {
        local.sqs().sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }

    /** An in-process service: the real job runner, its result lines captured. */
    private static final class Service {
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final QueueWorker worker;
        final CompletableFuture<Void> done;

        Service(Map<String, String> env) {
            PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
            worker = new QueueWorker(
                    local.sqs(), ServeSettings.fromEnvironment(env, 1), env, QueueJobRunner.forService(env, out));
            done = CompletableFuture.runAsync(worker::run);
        }

        List<JsonNode> results() throws IOException {
            List<JsonNode> results = new ArrayList<>();
            for (String line : stdout.toString(StandardCharsets.UTF_8).lines().toList()) {
                results.add(Harness.json(line));
            }
            return results;
        }

        List<JsonNode> stop() throws Exception {
            worker.stop();
            done.get(120, TimeUnit.SECONDS);
            return results();
        }
    }

    private static String status(String sample) {
        return Harness.status(sample);
    }

    @Test
    void goodNotAudioAndAnotherUsersKeyEndCompletedFailedFailedAndTheQueueEmpty() throws Exception {
        LocalSqs.Queues queues = queues();
        Harness.putRecording(
                "public/unprocessed/user123/noise.m4a", "this is not audio".getBytes(StandardCharsets.UTF_8));
        Harness.putSample("s-not-audio");
        Harness.putSample("s-other-user");
        send(queues.url(), message(SAMPLE, KEY, Harness.USER));
        send(queues.url(), message("s-not-audio", "public/unprocessed/user123/noise.m4a", Harness.USER));
        send(queues.url(), message("s-other-user", "public/unprocessed/someone-else/kick.m4a", Harness.USER));
        Service service = new Service(service(queues.url(), Map.of()));

        await("the queue is empty", WAIT, () -> local.messagesOn(queues.url()) == 0);
        List<JsonNode> results = service.stop();

        assertEquals("COMPLETED", status(SAMPLE));
        assertEquals("FAILED", status("s-not-audio"));
        assertEquals(
                "BAD_DATA",
                Harness.sample("s-not-audio").get("processing_error_category").s());
        assertEquals(
                "not-audio",
                Harness.sample("s-not-audio").get("processing_error_reason").s());
        assertEquals("FAILED", status("s-other-user"));
        assertEquals(
                "BAD_INPUT",
                Harness.sample("s-other-user").get("processing_error_category").s());
        assertTrue(
                Harness.sample("s-other-user").get("processing_error").s().contains("belongs to user 'someone-else'"),
                Harness.sample("s-other-user").get("processing_error").s());
        assertEquals(Harness.CLEAN_RUN_OUTPUTS, Harness.keys(OUTPUTS), "only the good recording's one-shots");
        assertEquals(List.of(), Harness.keys("public/processed/someone-else/"));
        assertEquals(3, results.size(), "one result line per job");
        assertEquals(
                List.of("COMPLETED", "FAILED", "FAILED"),
                results.stream()
                        .map(result -> result.get("status").asText())
                        .sorted()
                        .toList());
        assertEquals(0, local.messagesOn(queues.deadLetterUrl()));
    }

    @Test
    void aTemporaryS3FaultLeavesTheMessageWhichIsReceivedAgainAndCompletes() throws Exception {
        LocalSqs.Queues queues = queues();
        // More 503s than the SDK's 4 attempts: the first job fails TEMPORARY.
        scene.s3().inject(r -> r.isS3("HEAD", KEY), FaultProxy.s3Error(503, "SlowDown"), 4);
        send(queues.url(), message(SAMPLE, KEY, Harness.USER));
        Service service = new Service(service(queues.url(), Map.of()));

        await("the sample is COMPLETED", WAIT, () -> "COMPLETED".equals(status(SAMPLE)));
        await("the queue is empty", WAIT, () -> local.messagesOn(queues.url()) == 0);
        List<JsonNode> results = service.stop();

        assertEquals(2, results.size(), results.toString());
        assertEquals("TEMPORARY", results.get(0).at("/error/category").asText());
        assertEquals("COMPLETED", results.get(1).get("status").asText());
        assertEquals(Harness.CLEAN_RUN_OUTPUTS, Harness.keys(OUTPUTS));
        assertEquals(0, local.messagesOn(queues.deadLetterUrl()));
    }

    @Test
    void aMessageThatKeepsFailingTemporarilyLandsInTheDeadLetterQueueAfterMaxReceiveCount() throws Exception {
        LocalSqs.Queues queues = queues();
        scene.s3().inject(r -> r.isS3("HEAD", KEY), FaultProxy.s3Error(503, "SlowDown"), Integer.MAX_VALUE);
        String body = message(SAMPLE, KEY, Harness.USER);
        send(queues.url(), body);
        Service service = new Service(service(queues.url(), Map.of()));

        await("the message is in the dead-letter queue", WAIT, () -> local.messagesOn(queues.deadLetterUrl()) == 1);
        List<JsonNode> results = service.stop();

        assertEquals(0, local.messagesOn(queues.url()));
        assertEquals(MAX_RECEIVES, results.size(), "one job per receive, maxReceiveCount of them");
        results.forEach(
                result -> assertEquals("TEMPORARY", result.at("/error/category").asText()));
        assertEquals("FAILED", status(SAMPLE));
        assertEquals(
                "TEMPORARY",
                Harness.sample(SAMPLE).get("processing_error_category").s());
        assertEquals(
                body,
                local.sqs()
                        .receiveMessage(r -> r.queueUrl(queues.deadLetterUrl()))
                        .messages()
                        .get(0)
                        .body());
    }

    @Test
    void aJobLongerThanTheVisibilityTimeoutIsNotReceivedTwice() throws Exception {
        LocalSqs.Queues queues = queues();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        scene.s3().inject(r -> r.isS3("GET", KEY), new FaultProxy.Hold(held, release), 1);
        send(queues.url(), message(SAMPLE, KEY, Harness.USER));
        // Two job slots: had the message come back, this same service would have taken it again.
        Service service =
                new Service(service(queues.url(), Map.of("SERVE_VISIBILITY_SECONDS", "3", "SERVE_CONCURRENCY", "2")));
        assertTrue(held.await(60, TimeUnit.SECONDS), "the job never downloaded");

        Thread.sleep(10_000); // three visibility timeouts and more
        assertEquals(0, local.visibleOn(queues.url()), "the heartbeat kept the message hidden");
        assertEquals(1, scene.s3().count(r -> r.isS3("HEAD", KEY)), "only one job started");
        release.countDown();
        await("the queue is empty", WAIT, () -> local.messagesOn(queues.url()) == 0);
        List<JsonNode> results = service.stop();

        assertEquals(1, results.size());
        assertEquals("COMPLETED", results.get(0).get("status").asText());
        assertEquals("COMPLETED", status(SAMPLE));
    }

    @Test
    void aDuplicateOfACompletedJobWritesNothingAndIsDeleted() throws Exception {
        LocalSqs.Queues queues = queues();
        String body = message(SAMPLE, KEY, Harness.USER);
        send(queues.url(), body);
        Service service = new Service(service(queues.url(), Map.of()));
        await("the sample is COMPLETED", WAIT, () -> "COMPLETED".equals(status(SAMPLE)));
        await("the queue is empty", WAIT, () -> local.messagesOn(queues.url()) == 0);
        Map<String, AttributeValue> completed = Harness.sample(SAMPLE);
        Map<String, String> objects = Harness.etags(OUTPUTS);
        scene.s3().reset();

        send(queues.url(), body); // SQS delivers at least once: the same job again
        await(
                "the duplicate was settled",
                WAIT,
                () -> local.messagesOn(queues.url()) == 0
                        && service.stdout.size() > 0
                        && service.stdout
                                        .toString(StandardCharsets.UTF_8)
                                        .lines()
                                        .count()
                                == 2);
        List<JsonNode> results = service.stop();

        assertEquals(completed, Harness.sample(SAMPLE), "the status item is untouched");
        assertEquals(List.of(), scene.s3().requests(), "nothing read or written in S3");
        assertEquals(objects, Harness.etags(OUTPUTS));
        assertEquals(
                completed.get("processing_run_id").s(),
                results.get(1).get("alreadyCompletedBy").asText());
    }

    @Test
    void sigtermMidJobAbandonsItFailedTemporaryMakesTheMessageVisibleAndExitsZero() throws Exception {
        LocalSqs.Queues queues = queues();
        ServeChild serve = ServeChild.holdingTheDownload(
                queues, Map.of("SERVE_DRAIN_SECONDS", "1", "SERVE_VISIBILITY_SECONDS", "600"));
        try {
            serve.process.destroy(); // SIGTERM, as ECS stops a task
            serve.awaitLog("abandoning them");
            // A download in progress is not interrupted; it ends, and the job then sees the stop.
            serve.release.countDown();
            serve.awaitExit();
        } finally {
            serve.close();
        }

        JsonNode result = serve.onlyResult();
        assertEquals("FAILED", result.get("status").asText());
        assertEquals("TEMPORARY", result.at("/error/category").asText());
        assertEquals("stopped", result.at("/error/reason").asText());
        assertEquals("FAILED", status(SAMPLE));
        assertEquals(
                "TEMPORARY",
                Harness.sample(SAMPLE).get("processing_error_category").s());
        assertEquals(1, local.visibleOn(queues.url()), "visible again at once for another task, not in 600 s");
        assertFalse(Harness.sample(SAMPLE).containsKey("processing_outputs"));
    }

    @Test
    void sigtermLetsAJobThatFinishesWithinTheDrainTimeCompleteThenExitsZero() throws Exception {
        LocalSqs.Queues queues = queues();
        ServeChild serve = ServeChild.holdingTheDownload(queues, Map.of("SERVE_DRAIN_SECONDS", "60"));
        try {
            serve.process.destroy();
            serve.awaitLog("Stop requested");
            send(queues.url(), message("after-stop", KEY, Harness.USER)); // must not be taken
            serve.release.countDown();
            serve.awaitExit();
        } finally {
            serve.close();
        }

        assertEquals("COMPLETED", serve.onlyResult().get("status").asText());
        assertTrue(
                serve.stderr()
                        .lines()
                        .anyMatch(line -> line.contains("\"Namespace\":\"LittleBit/AudioWorker\"")
                                && line.contains("\"Mode\":\"cloud\"")
                                && line.contains("\"Outcome\":\"COMPLETED\"")),
                "the job's metrics line, as in task mode");
        assertEquals("COMPLETED", status(SAMPLE));
        assertEquals(1, local.messagesOn(queues.url()), "only the message sent after the stop is left");
    }

    /**
     * {@code java app.littlebit.worker.Main serve} in a JVM of its own, as the service's container
     * runs it, whose one job (on {@link Harness#KEY}) is held in its download until released.
     */
    private static final class ServeChild implements AutoCloseable {
        final Process process;
        final Path dir;
        final CountDownLatch release;

        private ServeChild(Process process, Path dir, CountDownLatch release) {
            this.process = process;
            this.dir = dir;
            this.release = release;
        }

        static ServeChild holdingTheDownload(LocalSqs.Queues queues, Map<String, String> settings) throws Exception {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            scene.s3().inject(r -> r.isS3("GET", KEY), new FaultProxy.Hold(held, release), 1);
            send(queues.url(), message(SAMPLE, KEY, Harness.USER));
            Path dir = Harness.scratch("serve-child");
            ServeChild child = new ServeChild(startServe(dir, service(queues.url(), settings)), dir, release);
            if (!held.await(60, TimeUnit.SECONDS)) {
                child.close();
                throw new AssertionError("the job never downloaded: " + child.stderr());
            }
            return child;
        }

        void awaitLog(String text) throws Exception {
            await("the log says " + text, WAIT, () -> {
                try {
                    return stderr().contains(text);
                } catch (IOException e) {
                    return false;
                }
            });
        }

        void awaitExit() throws Exception {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "serve did not exit");
            assertEquals(0, process.exitValue(), stderr());
        }

        /** The one result line serve printed. */
        JsonNode onlyResult() throws IOException {
            List<String> lines = Files.readAllLines(dir.resolve("stdout"));
            assertEquals(1, lines.size(), "one result line: " + lines + stderr());
            return Harness.json(lines.get(0));
        }

        String stderr() throws IOException {
            return Files.readString(dir.resolve("stderr"));
        }

        @Override
        public void close() {
            release.countDown();
            process.destroyForcibly();
        }
    }

    /** {@code java app.littlebit.worker.Main serve} in a JVM of its own, as the service's container runs it. */
    private static Process startServe(Path dir, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "app.littlebit.worker.Main",
                        "serve")
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(env);
        return builder.start();
    }
}
