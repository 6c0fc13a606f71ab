package app.littlebit.worker.reliability;

import static app.littlebit.worker.reliability.Harness.KEY;
import static app.littlebit.worker.reliability.Harness.SAMPLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.support.TestAudio;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code processing_progress} on the status item, as the app reads it while a job runs: 0 with
 * PROCESSING, rising values while a long job works, 100 with COMPLETED; a short job adds no write.
 */
class ProgressIT {
    @RegisterExtension
    static final Scene scene = Scene.withS3AndDynamoDbProxies();

    @Test
    void aLongJobShowsRisingProgressWhileProcessingAndAHundredWhenCompleted() throws Exception {
        // Two hits 6 s apart, decoded at playback speed: a job of some 10 s.
        Path take = TestAudio.write(
                TestAudio.take(new PcmFormat(44_100, 1), -60, 6, -6, -12),
                AudioFileType.M4A,
                Harness.scratch("progress").resolve("long.m4a"));
        Harness.putRecording(KEY, take);
        Map<String, String> env = scene.env();
        env.put(
                "FFMPEG_BIN_DIR",
                FfmpegWrappers.realTime(Harness.scratch("slow").resolve("bin")).toString());

        CompletableFuture<Harness.Run> job = Harness.runInBackground(env);
        List<Integer> seen = new ArrayList<>();
        while (!job.isDone()) {
            Map<String, AttributeValue> item = Harness.sample(SAMPLE);
            AttributeValue progress = item.get("processing_progress");
            if (progress != null && "PROCESSING".equals(Harness.status(SAMPLE))) {
                int percent = Integer.parseInt(progress.n());
                if (seen.isEmpty() || seen.get(seen.size() - 1) != percent) {
                    seen.add(percent);
                }
            }
            Thread.sleep(100);
        }
        Harness.Run run = job.get(60, TimeUnit.SECONDS);

        assertEquals(0, run.exitCode(), run.stdout());
        assertEquals(0, seen.get(0), "PROCESSING starts at 0: " + seen);
        List<Integer> working = seen.subList(1, seen.size());
        assertTrue(working.size() >= 2, "a long job shows progress while it works: " + seen);
        for (int i = 0; i < working.size(); i++) {
            assertTrue(working.get(i) > 0 && working.get(i) < 100, seen.toString());
            assertTrue(i == 0 || working.get(i) > working.get(i - 1), "only rising: " + seen);
        }
        assertEquals("COMPLETED", Harness.status(SAMPLE));
        assertEquals("100", Harness.sample(SAMPLE).get("processing_progress").n());
    }

    @Test
    void aShortJobWritesOnlyItsTwoStatusesWithZeroAndAHundred() throws Exception {
        Harness.Run run = Harness.run(scene.env());

        assertEquals(0, run.exitCode(), run.stdout());
        assertEquals(2, scene.dynamo().count(r -> r.operation().equals("UpdateItem")), "PROCESSING and COMPLETED only");
        assertEquals("100", Harness.sample(SAMPLE).get("processing_progress").n());
    }
}
