package app.littlebit.worker.reliability;

import static app.littlebit.worker.reliability.Harness.KEY;
import static app.littlebit.worker.reliability.Harness.OUTPUTS;
import static app.littlebit.worker.reliability.Harness.SAMPLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.reliability.Harness.Run;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reruns and races. Output keys are deterministic and the encoders bit-exact, so running a job
 * again writes the same objects, never more; the status item's outputs list is the truth. Status
 * writes are conditional: COMPLETED is final (a rerun reports the earlier completion and does no
 * work), and of two runs on one sample only the one that claimed it last records an outcome.
 */
class RerunIT {
    private static final List<String> EXPECTED = Harness.CLEAN_RUN_OUTPUTS;

    @RegisterExtension
    static final Scene scene = Scene.withS3Proxy();

    @Test
    void rerunOfACompletedSampleDoesNoWorkAndReportsTheEarlierCompletion() throws Exception {
        Run first = Harness.run(scene.env());
        assertEquals(0, first.exitCode(), first.stdout());
        Map<String, AttributeValue> completed = Harness.sample(SAMPLE);
        Map<String, String> objects = Harness.etags(OUTPUTS);
        scene.s3().reset();

        Run again = Harness.run(scene.env());

        assertEquals(0, again.exitCode(), again.stdout());
        assertEquals("COMPLETED", again.result().get("status").asText());
        assertEquals(
                completed.get("processing_run_id").s(),
                again.result().get("alreadyCompletedBy").asText());
        assertEquals(first.result().get("oneShots"), again.result().get("oneShots"), "the same one-shots, as recorded");
        assertEquals(List.of(), scene.s3().requests(), "nothing read or written in S3");
        assertEquals(completed, Harness.sample(SAMPLE), "the status item is untouched");
        assertEquals(objects, Harness.etags(OUTPUTS));
    }

    @Test
    void rerunWithoutAStatusTargetWritesTheSameObjectsAndNoMore() throws Exception {
        Map<String, String> env = scene.env();
        env.remove("SAMPLE_ID");
        env.remove("STATUS_TABLE");
        Run first = Harness.run(env);
        Map<String, String> objects = Harness.etags(OUTPUTS);
        Run second = Harness.run(env);

        assertEquals(0, first.exitCode(), first.stdout());
        assertEquals(0, second.exitCode(), second.stdout());
        assertEquals(EXPECTED, Harness.keys(OUTPUTS));
        assertEquals(objects, Harness.etags(OUTPUTS), "same bytes under the same keys");
        assertEquals(first.result().get("oneShots"), second.result().get("oneShots"));
    }

    @Test
    void uploadsRunInParallelYetTheResultKeepsRecordingOrder() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        scene.s3().inject(r -> r.isS3("PUT", OUTPUTS + "kick-1.wav"), new FaultProxy.Hold(held, release), 1);
        CompletableFuture<Run> running = Harness.runInBackground(scene.env());
        assertTrue(held.await(30, TimeUnit.SECONDS));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (scene.s3().count(r -> r.isS3("PUT", OUTPUTS + "kick-2.wav")) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(
                1,
                scene.s3().count(r -> r.isS3("PUT", OUTPUTS + "kick-2.wav")),
                "kick-2 is uploaded while kick-1 waits");
        release.countDown();
        Run run = running.get(60, TimeUnit.SECONDS);

        assertEquals(0, run.exitCode(), run.stdout());
        assertEquals(OUTPUTS + "kick-1.wav", run.result().at("/oneShots/0/key").asText());
        assertEquals(OUTPUTS + "kick-2.wav", run.result().at("/oneShots/1/key").asText());
        List<AttributeValue> recorded =
                Harness.sample(SAMPLE).get("processing_outputs").l();
        assertEquals(OUTPUTS + "kick-1.wav", recorded.get(0).m().get("key").s());
        assertEquals(OUTPUTS + "kick-2.wav", recorded.get(1).m().get("key").s());
    }

    @Test
    void aSampleLeftInProcessingByADeadTaskIsTakenOverAndCompleted() throws Exception {
        Harness.putSample(Map.of(
                "id",
                AttributeValue.fromS(SAMPLE),
                "processing_status",
                AttributeValue.fromS("PROCESSING"),
                "processing_run_id",
                AttributeValue.fromS("run-of-a-task-that-was-killed")));
        Run run = Harness.run(scene.env());
        assertEquals(0, run.exitCode(), run.stdout());
        assertEquals("COMPLETED", Harness.status(SAMPLE));
        assertEquals(EXPECTED, Harness.keys(OUTPUTS));
    }

    @Test
    void aSampleThatFailedBeforeIsProcessedAgain() throws Exception {
        Harness.putSample(Map.of(
                "id",
                AttributeValue.fromS(SAMPLE),
                "processing_status",
                AttributeValue.fromS("FAILED"),
                "processing_error",
                AttributeValue.fromS("S3 was down"),
                "processing_run_id",
                AttributeValue.fromS("an-earlier-run")));
        Run run = Harness.run(scene.env());
        assertEquals(0, run.exitCode(), run.stdout());
        Map<String, AttributeValue> item = Harness.sample(SAMPLE);
        assertEquals("COMPLETED", item.get("processing_status").s());
        assertFalse(item.containsKey("processing_error"), "the old error is cleared");
    }

    @Test
    void anInvalidRequestNeverTurnsACompletedSampleIntoFailed() throws Exception {
        assertEquals(0, Harness.run(scene.env()).exitCode());
        Map<String, AttributeValue> completed = Harness.sample(SAMPLE);
        Map<String, String> env = scene.env();
        env.put("PROCESSING_PARAMS", "{\"targetDbfs\":3}");

        Run run = Harness.run(env);

        assertEquals(64, run.exitCode());
        assertEquals(completed, Harness.sample(SAMPLE));
    }

    @Test
    void ofTwoRunsTheOneThatFinishesSecondReportsTheFirstsCompletionAndWritesNoStatus() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        scene.s3().inject(r -> r.isS3("GET", KEY), new FaultProxy.Hold(held, release), 1);
        CompletableFuture<Run> slow = Harness.runInBackground(scene.env());
        assertTrue(held.await(30, TimeUnit.SECONDS));

        Run fast = Harness.run(scene.env());
        Map<String, AttributeValue> completedByFast = Harness.sample(SAMPLE);
        Map<String, String> objects = Harness.etags(OUTPUTS);
        release.countDown();
        Run late = slow.get(60, TimeUnit.SECONDS);

        assertEquals(0, fast.exitCode(), fast.stdout());
        assertEquals(0, late.exitCode(), late.stdout());
        assertEquals(
                completedByFast.get("processing_run_id").s(),
                late.result().get("alreadyCompletedBy").asText());
        assertEquals(completedByFast, Harness.sample(SAMPLE), "only the first to finish wrote the status");
        assertEquals(objects, Harness.etags(OUTPUTS), "the late run rewrote identical objects, added none");
        assertEquals(EXPECTED, Harness.keys(OUTPUTS));
    }

    @Test
    void aRunOvertakenByANewerRunRecordsNothingAndTheNewerRunCompletes() throws Exception {
        CountDownLatch olderHeld = new CountDownLatch(1);
        CountDownLatch olderRelease = new CountDownLatch(1);
        CountDownLatch newerHeld = new CountDownLatch(1);
        CountDownLatch newerRelease = new CountDownLatch(1);
        scene.s3().inject(r -> r.isS3("GET", KEY), new FaultProxy.Hold(olderHeld, olderRelease), 1);
        CompletableFuture<Run> older = Harness.runInBackground(scene.env());
        assertTrue(olderHeld.await(30, TimeUnit.SECONDS));
        scene.s3().inject(r -> r.isS3("GET", KEY), new FaultProxy.Hold(newerHeld, newerRelease), 1);
        CompletableFuture<Run> newer = Harness.runInBackground(scene.env());
        assertTrue(newerHeld.await(30, TimeUnit.SECONDS));
        String newerRunId = Harness.sample(SAMPLE).get("processing_run_id").s();

        olderRelease.countDown();
        Run overtaken = older.get(60, TimeUnit.SECONDS);
        // Not the request's fault (64): another run owns the sample and records its outcome.
        assertEquals(73, overtaken.exitCode(), overtaken.stdout());
        assertEquals("CONFLICT", overtaken.result().at("/error/category").asText(), overtaken.stdout());
        assertEquals("taken-over", overtaken.result().at("/error/reason").asText(), overtaken.stdout());
        assertTrue(
                overtaken.message().contains("was taken over by another run (" + newerRunId + ")"),
                overtaken.message());
        assertEquals("PROCESSING", Harness.status(SAMPLE), "the overtaken run wrote neither COMPLETED nor FAILED");
        assertEquals(newerRunId, Harness.sample(SAMPLE).get("processing_run_id").s());

        newerRelease.countDown();
        Run completed = newer.get(60, TimeUnit.SECONDS);
        assertEquals(0, completed.exitCode(), completed.stdout());
        assertEquals("COMPLETED", Harness.status(SAMPLE));
        assertEquals(EXPECTED, Harness.keys(OUTPUTS));
    }
}
