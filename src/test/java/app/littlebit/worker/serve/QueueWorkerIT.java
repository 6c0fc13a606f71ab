package app.littlebit.worker.serve;

import static app.littlebit.worker.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.support.LocalSqs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Serve mode's loop against ElasticMQ, a real SQS-compatible server, with the real SDK client: what
 * happens to a message for each outcome of its job, the dead-letter queue by the queue's own
 * redrive policy, the heartbeat, concurrency and stopping. The job here is a scripted
 * {@link JobRunner} that returns the exit codes the real job would; ServeIT runs the real job.
 */
class QueueWorkerIT {
    private static final int MAX_RECEIVES = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final LocalSqs local = LocalSqs.forTestClass();

    /** The service's environment: its STATUS_TABLE and other settings, and variables a message must not replace. */
    private static Map<String, String> service(String queueUrl, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "QUEUE_URL",
                queueUrl,
                "STATUS_TABLE",
                "Sample",
                "S3_KEY",
                "public/unprocessed/service/default.m4a",
                "MAX_RUN_SECONDS",
                "300",
                "SERVE_WAIT_SECONDS",
                "1",
                "SERVE_RETRY_DELAY_SECONDS",
                "0",
                "SERVE_VISIBILITY_SECONDS",
                "30",
                "SERVE_DRAIN_SECONDS",
                "5"));
        env.putAll(extra);
        return env;
    }

    private static String job(String sample, String key) {
        return "{\"S3_BUCKET\":\"little-bit-storage\",\"S3_KEY\":\"" + key + "\",\"USER_ID\":\"user123\","
                + "\"SAMPLE_ID\":\"" + sample + "\",\"PROCESSING_PARAMS\":{\"outputFormat\":\"wav\"}}";
    }

    /** A worker on its own thread, and the environments its jobs were run with. */
    private static final class Running {
        final QueueWorker worker;
        final CompletableFuture<Void> done;

        Running(QueueWorker worker) {
            this.worker = worker;
            this.done = CompletableFuture.runAsync(worker::run);
        }

        void stopAndWait() throws Exception {
            worker.stop();
            done.get(60, TimeUnit.SECONDS);
        }
    }

    private static Running serve(Map<String, String> env, JobRunner runner) {
        ServeSettings settings = ServeSettings.fromEnvironment(env, 1);
        return new Running(new QueueWorker(local.sqs(), settings, env, runner));
    }

    private static LocalSqs.Queues queues(TestInfo test) {
        String name = test.getTestMethod().orElseThrow().getName();
        return local.createQueues(name.substring(0, Math.min(name.length(), 60)), MAX_RECEIVES);
    }

    @Test
    void everyOutcomeButTemporaryDeletesTheMessageAndEachJobGetsItsMessagesVariables(TestInfo test) throws Exception {
        LocalSqs.Queues queues = queues(test);
        Map<String, Integer> exitBySample = Map.of("done", 0, "bad-input", 64, "bad-data", 65, "internal", 70);
        exitBySample
                .keySet()
                .forEach(sample -> local.sqs()
                        .sendMessage(r -> r.queueUrl(queues.url())
                                .messageBody(job(sample, "public/unprocessed/user123/" + sample + ".m4a"))));
        List<Map<String, String>> seen = Collections.synchronizedList(new ArrayList<>());
        Running running = serve(service(queues.url(), Map.of()), (env, stop) -> {
            seen.add(env);
            return exitBySample.get(env.get("SAMPLE_ID"));
        });

        await("all four jobs ran", WAIT, () -> seen.size() == 4);
        await("the queue is empty", WAIT, () -> local.messagesOn(queues.url()) == 0);
        running.stopAndWait();

        assertEquals(0, local.messagesOn(queues.deadLetterUrl()));
        for (Map<String, String> env : seen) {
            String sample = env.get("SAMPLE_ID");
            assertEquals("public/unprocessed/user123/" + sample + ".m4a", env.get("S3_KEY"), "the message's key");
            assertEquals("{\"outputFormat\":\"wav\"}", env.get("PROCESSING_PARAMS"), "params object as JSON text");
            assertEquals("Sample", env.get("STATUS_TABLE"), "the service's table");
            assertEquals("300", env.get("MAX_RUN_SECONDS"), "the service's settings reach the job");
        }
    }

    @Test
    void aMessageWithoutSampleIdRunsUntrackedAndUnknownFieldsNeverReachTheJob(TestInfo test) throws Exception {
        LocalSqs.Queues queues = queues(test);
        local.sqs()
                .sendMessage(r -> r.queueUrl(queues.url())
                        .messageBody("{\"S3_BUCKET\":\"b-1\","
                                + "\"S3_KEY\":\"public/unprocessed/u/a.wav\",\"USER_ID\":\"u\",\"AWS_ENDPOINT_URL\":\"http://evil\","
                                + "\"STATUS_TABLE\":\"Other\"}"));
        List<Map<String, String>> seen = Collections.synchronizedList(new ArrayList<>());
        Running running = serve(service(queues.url(), Map.of()), (env, stop) -> {
            seen.add(env);
            return 0;
        });
        await("the job ran", WAIT, () -> seen.size() == 1);
        running.stopAndWait();

        Map<String, String> env = seen.get(0);
        assertFalse(env.containsKey("SAMPLE_ID"));
        assertFalse(env.containsKey("STATUS_TABLE"), "no sample: no status table, as a task without SAMPLE_ID");
        assertFalse(env.containsKey("AWS_ENDPOINT_URL"), "a message sets job variables only");
        assertFalse(env.containsKey("PROCESSING_PARAMS"));
    }

    @Test
    void aTemporaryFailureIsReceivedAgainAndThenCompletes(TestInfo test) throws Exception {
        LocalSqs.Queues queues = queues(test);
        local.sqs()
                .sendMessage(r -> r.queueUrl(queues.url()).messageBody(job("s-1", "public/unprocessed/user123/a.m4a")));
        AtomicInteger runs = new AtomicInteger();
        Running running = serve(service(queues.url(), Map.of()), (env, stop) -> runs.incrementAndGet() == 1 ? 75 : 0);

        await("the job ran twice", WAIT, () -> runs.get() == 2);
        await("the queue is empty", WAIT, () -> local.messagesOn(queues.url()) == 0);
        running.stopAndWait();
        assertEquals(2, runs.get());
        assertEquals(0, local.messagesOn(queues.deadLetterUrl()));
    }

    @Test
    void aMessageThatAlwaysFailsTemporarilyEndsInTheDeadLetterQueueAfterMaxReceiveCount(TestInfo test)
            throws Exception {
        LocalSqs.Queues queues = queues(test);
        local.sqs()
                .sendMessage(
                        r -> r.queueUrl(queues.url()).messageBody(job("poison", "public/unprocessed/user123/p.m4a")));
        AtomicInteger runs = new AtomicInteger();
        Running running = serve(service(queues.url(), Map.of()), (env, stop) -> {
            runs.incrementAndGet();
            return 75;
        });

        await("the message is in the dead-letter queue", WAIT, () -> local.messagesOn(queues.deadLetterUrl()) == 1);
        running.stopAndWait();
        assertEquals(MAX_RECEIVES, runs.get(), "received maxReceiveCount times, then moved by SQS");
        assertEquals(0, local.messagesOn(queues.url()));
        String body = local.sqs()
                .receiveMessage(r -> r.queueUrl(queues.deadLetterUrl()))
                .messages()
                .get(0)
                .body();
        assertTrue(body.contains("poison"), body);
    }

    @Test
    void aBodyThatIsNoJobIsDeletedWithoutRunningAnythingAndDoesNotHoldUpTheNext(TestInfo test) throws Exception {
        LocalSqs.Queues queues = queues(test);
        local.sqs().sendMessage(r -> r.queueUrl(queues.url()).messageBody("not json at all"));
        local.sqs().sendMessage(r -> r.queueUrl(queues.url()).messageBody("[\"an\",\"array\"]"));
        local.sqs()
                .sendMessage(
                        r -> r.queueUrl(queues.url()).messageBody(job("after", "public/unprocessed/user123/b.m4a")));
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        Running running = serve(service(queues.url(), Map.of()), (env, stop) -> {
            ran.add(env.get("SAMPLE_ID"));
            return 0;
        });

        await("the queue is empty", WAIT, () -> local.messagesOn(queues.url()) == 0);
        running.stopAndWait();
        assertEquals(List.of("after"), ran);
        assertEquals(0, local.messagesOn(queues.deadLetterUrl()));
    }

    @Test
    void aJobLongerThanTheVisibilityTimeoutKeepsItsMessageFromASecondTask(TestInfo test) throws Exception {
        LocalSqs.Queues queues = queues(test);
        local.sqs()
                .sendMessage(
                        r -> r.queueUrl(queues.url()).messageBody(job("long", "public/unprocessed/user123/l.m4a")));
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch finish = new CountDownLatch(1);
        JobRunner slow = (env, stop) -> {
            runs.incrementAndGet();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        };
        // 5 s, renewed every 1.7 s: at 3 s a loaded CI machine once delayed a renewal past the
        // timeout, and the message came back while its job ran.
        Map<String, String> env = service(queues.url(), Map.of("SERVE_VISIBILITY_SECONDS", "5"));
        Running first = serve(env, slow);
        await("the job started", WAIT, () -> runs.get() == 1);
        Running second = serve(env, slow);

        // Four visibility timeouts: without the heartbeat the second task would have received it.
        Thread.sleep(20_000);
        assertEquals(1, runs.get(), "the message was received again while its job ran");
        assertEquals(0, local.visibleOn(queues.url()));
        finish.countDown();
        await("the queue is empty", WAIT, () -> local.messagesOn(queues.url()) == 0);
        first.stopAndWait();
        second.stopAndWait();
        assertEquals(1, runs.get());
    }

    @Test
    void jobsRunConcurrentlyUpToTheConfiguredNumber(TestInfo test) throws Exception {
        LocalSqs.Queues queues = queues(test);
        for (int i = 0; i < 3; i++) {
            String sample = "c-" + i;
            local.sqs()
                    .sendMessage(
                            r -> r.queueUrl(queues.url()).messageBody(job(sample, "public/unprocessed/user123/c.m4a")));
        }
        CyclicBarrier together = new CyclicBarrier(3);
        AtomicInteger met = new AtomicInteger();
        Running running = serve(service(queues.url(), Map.of("SERVE_CONCURRENCY", "3")), (env, stop) -> {
            try {
                together.await(30, TimeUnit.SECONDS); // only passes if three jobs run at once
                met.incrementAndGet();
            } catch (Exception e) {
                return 75;
            }
            return 0;
        });
        await("the queue is empty", WAIT, () -> local.messagesOn(queues.url()) == 0);
        running.stopAndWait();
        assertEquals(3, met.get());
    }

    @Test
    void stoppingLetsARunningJobFinishWithinTheDrainTimeAndDeletesItsMessage(TestInfo test) throws Exception {
        LocalSqs.Queues queues = queues(test);
        local.sqs()
                .sendMessage(
                        r -> r.queueUrl(queues.url()).messageBody(job("drained", "public/unprocessed/user123/d.m4a")));
        CountDownLatch started = new CountDownLatch(1);
        Running running = serve(service(queues.url(), Map.of("SERVE_DRAIN_SECONDS", "60")), (env, stop) -> {
            started.countDown();
            sleep(1500);
            return 0;
        });
        assertTrue(started.await(60, TimeUnit.SECONDS));
        running.stopAndWait();
        assertEquals(0, local.messagesOn(queues.url()), "the job finished during the drain and its message went");
    }

    @Test
    void stoppingAbandonsAJobPastTheDrainTimeAndItsMessageIsVisibleAtOnce(TestInfo test) throws Exception {
        LocalSqs.Queues queues = queues(test);
        local.sqs()
                .sendMessage(r ->
                        r.queueUrl(queues.url()).messageBody(job("abandoned", "public/unprocessed/user123/x.m4a")));
        CountDownLatch started = new CountDownLatch(1);
        List<String> stopReasons = Collections.synchronizedList(new ArrayList<>());
        Running running = serve(service(queues.url(), Map.of("SERVE_DRAIN_SECONDS", "1")), (env, stop) -> {
            CountDownLatch stopped = new CountDownLatch(1);
            stop.onRequest(why -> {
                stopReasons.add(why);
                stopped.countDown();
            });
            started.countDown();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 75; // as the real job reports a stop: FAILED/TEMPORARY
        });
        assertTrue(started.await(60, TimeUnit.SECONDS));
        running.stopAndWait();

        assertEquals(1, stopReasons.size());
        assertEquals(1, local.visibleOn(queues.url()), "visible again at once, not after the visibility timeout");
        assertEquals(
                "abandoned",
                local.sqs()
                        .receiveMessage(r -> r.queueUrl(queues.url()))
                        .messages()
                        .get(0)
                        .body()
                        .replaceAll(".*\"SAMPLE_ID\":\"([^\"]+)\".*", "$1"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
