package app.littlebit.worker.job;

import app.littlebit.worker.ffmpeg.FfmpegProcesses;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cloud job's time limit. RunTask has none, so a hung FFmpeg or a stalled transfer would keep
 * a task (and its bill) running forever. When the limit passes, the job is cancelled
 * ({@link Cancellation#timeUp}), its thread interrupted and its own FFmpeg processes killed
 * (FFmpeg blocked on a pipe ignores interrupts), so it ends as FAILED, TEMPORARY, exit 75. Only
 * its own: other jobs in the same JVM keep theirs.
 *
 * <p>The limit is {@code MAX_RUN_SECONDS} when set. Otherwise it is sized from the recording:
 * {@link #forRecording} of its length once the probe knows it, and until then the limit for the
 * longest recording the worker accepts.
 */
public final class JobDeadline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobDeadline.class);
    /**
     * Start-up, status writes, download and upload of a short take. Measured (bench/RESULTS.md,
     * 2 shared cores): a 20 s take takes 1.2 s whole-process, S3 transfers of a 200 MiB input a
     * few seconds in-region; 10 minutes leaves room for slow networks and SDK retries.
     */
    static final Duration BASE = Duration.ofMinutes(10);
    /**
     * Seconds of work allowed per second of recording. Measured: 60 min stereo on one CPU took
     * 73.5 s (0.02 s per recording second, bench/RESULTS.md); 0.25 allows a 12x slower machine.
     */
    static final double SECONDS_PER_RECORDING_SECOND = 0.25;
    /** Until the recording's length is known: the limit for the longest one accepted (120 min). */
    static final Duration BEFORE_LENGTH_KNOWN = forRecording(Duration.ofHours(2).toMillis());

    private final Optional<Duration> fixed;
    private final Cancellation cancellation;
    private final Thread job;
    private final FfmpegProcesses ffmpeg;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "job-deadline");
        thread.setDaemon(true);
        return thread;
    });
    private ScheduledFuture<?> expiry;

    /**
     * @param maxRun       MAX_RUN_SECONDS, if set
     * @param cancellation what the job checks between steps
     * @param job          the thread running the job, interrupted when time is up
     * @param ffmpeg       the job's FFmpeg processes, killed when time is up
     */
    public JobDeadline(Optional<Duration> maxRun, Cancellation cancellation, Thread job, FfmpegProcesses ffmpeg) {
        this.fixed = maxRun;
        this.cancellation = cancellation;
        this.job = job;
        this.ffmpeg = ffmpeg;
        schedule(
                maxRun.orElse(BEFORE_LENGTH_KNOWN),
                maxRun.isPresent() ? "MAX_RUN_SECONDS" : "the default for a recording of up to 120 min");
    }

    /** The default limit for a recording of this length: {@link #BASE} plus a share of the length. */
    static Duration forRecording(long recordingMillis) {
        return BASE.plusMillis(Math.round(recordingMillis * SECONDS_PER_RECORDING_SECOND));
    }

    /**
     * The probe found the recording's length: without MAX_RUN_SECONDS, the limit is sized from it.
     * A length the container does not state (0) leaves the limit for the longest recording.
     */
    void recordingLength(long recordingMillis) {
        if (fixed.isEmpty() && recordingMillis > 0) {
            schedule(
                    forRecording(recordingMillis),
                    "the default for a recording of " + Math.round(recordingMillis / 1000.0)
                            + " s; set MAX_RUN_SECONDS to change it");
        }
    }

    private synchronized void schedule(Duration limit, String setting) {
        if (expiry != null) {
            expiry.cancel(false);
        }
        long remainingNanos = limit.toNanos() - (System.nanoTime() - startNanos);
        expiry = timer.schedule(() -> expire(limit, setting), Math.max(0, remainingNanos), TimeUnit.NANOSECONDS);
        log.atDebug().addKeyValue("limitSeconds", limit.toSeconds()).log("Job time limit set: " + setting);
    }

    private void expire(Duration limit, String setting) {
        log.atError()
                .addKeyValue("limitSeconds", limit.toSeconds())
                .log("Job time limit reached (" + setting + "): stopping the job");
        cancellation.timeUp(limit, setting);
        job.interrupt();
        int killed = ffmpeg.stopAll();
        log.atDebug().addKeyValue("processes", killed).log("The job's FFmpeg processes were stopped");
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
