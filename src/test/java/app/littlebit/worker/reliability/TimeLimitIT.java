package app.littlebit.worker.reliability;

import static app.littlebit.worker.reliability.Harness.OUTPUTS;
import static app.littlebit.worker.reliability.Harness.SAMPLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RunTask has no timeout: without the worker's own limit, a hung FFmpeg would keep the task, and
 * its bill, running forever. With {@code MAX_RUN_SECONDS} the job ends at the limit as FAILED,
 * retryable, with the reason on the sample, and takes its hung FFmpeg down with it.
 */
class TimeLimitIT {
    @RegisterExtension
    static final Scene scene = Scene.withS3Proxy();

    @Test
    void aHungFfmpegEndsTheJobAtItsTimeLimitAsFailedAndRetryable() throws Exception {
        Path bin = FfmpegWrappers.hangingDecoder(Harness.scratch("hung").resolve("bin"));
        Map<String, String> env = Harness.env();
        env.put("FFMPEG_BIN_DIR", bin.toString());
        env.put("MAX_RUN_SECONDS", "3");

        long start = System.nanoTime();
        Harness.Run run = Harness.run(env);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        assertEquals(75, run.exitCode(), run.stdout());
        assertEquals("FAILED", run.result().get("status").asText());
        assertEquals("TEMPORARY", run.category());
        assertTrue(run.retryable());
        assertEquals("time-limit", run.result().at("/error/reason").asText(), run.stdout());
        assertTrue(
                run.message().startsWith("The job ran longer than its time limit of 3 s (MAX_RUN_SECONDS)"),
                run.message());
        assertTrue(seconds >= 3 && seconds < 20, "ended after " + seconds + " s, not at its 3 s limit");
        assertEquals("FAILED", Harness.status(SAMPLE));
        assertEquals(
                "TEMPORARY",
                Harness.sample(SAMPLE).get("processing_error_category").s());
        assertTrue(Harness.sample(SAMPLE).get("processing_error").s().contains("time limit"));
        assertEquals(List.of(), Harness.keys(OUTPUTS));
        assertEquals(
                List.of(),
                ProcessHandle.current()
                        .descendants()
                        .filter(ProcessHandle::isAlive)
                        .map(p -> p.info().commandLine().orElse("?"))
                        .filter(c -> c.contains("sleep 600"))
                        .toList(),
                "the hung FFmpeg was left running");
    }
}
