package app.littlebit.worker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.ffmpeg.FfmpegTools;
import app.littlebit.worker.pipeline.OneShotPipeline;
import app.littlebit.worker.pipeline.ProcessingParams;
import app.littlebit.worker.support.Eventually;
import app.littlebit.worker.support.TestAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * Two jobs in one JVM, as a queue worker runs them, sharing one pipeline: when one runs past its
 * time limit, its own hung FFmpeg is killed and the other job's FFmpeg, busy at that very moment,
 * runs on and completes its sample.
 */
class ConcurrentDeadlinesTest {
    private static final String BUCKET = "little-bit-storage";
    private static final String USER = "user-1";
    /** What the hung decoder runs: a child that holds FFmpeg's pipe open, as a wedged one would. */
    private static final String HANG = "sleep 611";

    @TempDir
    Path dir;

    @Test
    void oneJobsTimeLimitStopsItsOwnFfmpegAndNotTheOtherJobs() throws Exception {
        Path go = dir.resolve("go");
        Path waiting = dir.resolve("waiting");
        // Decoding in the "hung" job's folder hangs; in the "busy" job's folder FFmpeg waits for
        // the test's go-ahead, so it is running when the other job's limit passes.
        Path bin = wrapper(
                dir.resolve("bin"),
                "case \" $* \" in *' f32le '*)\n"
                        + "  case \"$*\" in\n"
                        + "    */hung/*) " + HANG + "; exit 1;;\n"
                        + "    */busy/*) touch '" + waiting + "'; while [ ! -e '" + go + "' ]; do sleep 0.05; done;;\n"
                        + "  esac;;\n"
                        + "esac\n"
                        + "exec '" + TestAudio.ffmpeg().binDirectory().resolve("ffmpeg") + "' \"$@\"");
        FfmpegTools tools = FfmpegTools.locate(Map.of("FFMPEG_BIN_DIR", bin.toString()));
        OneShotPipeline pipeline = new OneShotPipeline(tools);

        InMemoryObjectStore objects = new InMemoryObjectStore();
        InMemoryStatusStore statuses = new InMemoryStatusStore();
        byte[] recording = Files.readAllBytes(TestAudio.write(
                TestAudio.take(new PcmFormat(44_100, 1), -60, 0.6, -12, -9),
                AudioFileType.WAV,
                dir.resolve("take.wav")));
        for (String name : List.of("hung", "busy")) {
            objects.put(BUCKET, key(name), recording);
            statuses.create(name);
        }
        CloudJob hungJob = new CloudJob(
                pipeline, objects, statuses, Clock.systemUTC(), Files.createDirectories(dir.resolve("hung")));
        CloudJob busyJob = new CloudJob(
                pipeline, objects, statuses, Clock.systemUTC(), Files.createDirectories(dir.resolve("busy")));

        CompletableFuture<JobResult> busy = CompletableFuture.supplyAsync(
                () -> busyJob.run(request("busy", Duration.ofMinutes(5)), new Cancellation()));
        Eventually.await("the busy job's FFmpeg starts decoding", Duration.ofMinutes(1), () -> Files.exists(waiting));
        JobResult.Failed hung = assertInstanceOf(
                JobResult.Failed.class,
                CompletableFuture.supplyAsync(
                                () -> hungJob.run(request("hung", Duration.ofSeconds(1)), new Cancellation()))
                        .get(60, TimeUnit.SECONDS));

        assertEquals(
                FailureReason.TIME_LIMIT, hung.error().reason(), hung.error().message());
        assertEquals(List.of(), running(HANG), "the hung job's FFmpeg was left running");
        assertTrue(
                ProcessHandle.current()
                        .descendants()
                        .anyMatch(p ->
                                p.isAlive() && p.info().commandLine().orElse("").contains(bin.toString())),
                "the busy job's FFmpeg was killed");

        Files.createFile(go);
        JobResult done = busy.get(60, TimeUnit.SECONDS);
        assertEquals(ProcessingStatus.COMPLETED, done.status(), done.toJson());
        assertEquals(2, done.oneShots().size());
        assertEquals(ProcessingStatus.COMPLETED, statuses.item("busy").status());
        assertEquals(ProcessingStatus.FAILED, statuses.item("hung").status());
    }

    private static String key(String name) {
        return "public/unprocessed/" + USER + "/" + name + ".wav";
    }

    private static JobRequest request(String name, Duration maxRun) {
        return new JobRequest(
                BUCKET,
                key(name),
                USER,
                ProcessingParams.defaults(),
                Optional.of(new StatusTarget("Sample-test", name)),
                10_000_000,
                Optional.of(maxRun),
                Level.INFO);
    }

    private static List<String> running(String command) {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains(command))
                .toList();
    }

    /** Waits for the busy job's FFmpeg to start (a safety net of a minute, not a timing check). */
    private static Path wrapper(Path bin, String ffmpegBody) throws Exception {
        Files.createDirectories(bin);
        write(bin.resolve("ffmpeg"), ffmpegBody);
        write(
                bin.resolve("ffprobe"),
                "exec '" + TestAudio.ffmpeg().binDirectory().resolve("ffprobe") + "' \"$@\"");
        return bin;
    }

    private static void write(Path script, String body) throws Exception {
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }
}
