package app.littlebit.worker;

import app.littlebit.worker.failure.ErrorCategory;
import app.littlebit.worker.job.Cancellation;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the process does when ECS stops the task (SIGTERM, e.g. a Fargate Spot interruption) while
 * a cloud job runs. Left alone, the JVM would exit at once with 143 and leave the sample in
 * PROCESSING. Instead this shutdown hook cancels the job and interrupts it (which also stops a
 * running FFmpeg), waits for it to write FAILED and print its result, then ends the process with
 * the job's exit code: 75, so the stop is seen as retryable.
 */
final class GracefulShutdown {
    /** ECS kills the task 30 s after SIGTERM unless the task definition sets a longer stopTimeout. */
    static final Duration GRACE = Duration.ofSeconds(25);

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

    private final Cancellation cancellation = new Cancellation();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile int exitCode = ErrorCategory.TEMPORARY.exitCode();
    private volatile boolean exiting;

    private GracefulShutdown() {}

    /** Installs the hook for a job running on {@code job}. */
    static GracefulShutdown install(Thread job) {
        GracefulShutdown shutdown = new GracefulShutdown();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown.onStop(job), "graceful-shutdown"));
        return shutdown;
    }

    Cancellation cancellation() {
        return cancellation;
    }

    /** The job is over and its result printed: exit with its code, whether or not a stop arrives now. */
    void exit(int code) {
        exitCode = code;
        exiting = true;
        finished.countDown();
        System.exit(code);
    }

    private void onStop(Thread job) {
        if (exiting) {
            return; // our own System.exit: nothing to stop
        }
        log.atWarn().log("Stop requested (SIGTERM): cancelling the job");
        cancellation.cancel("SIGTERM received");
        job.interrupt();
        try {
            if (!finished.await(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.atError()
                        .log("The job did not stop within " + GRACE.toSeconds()
                                + " s; exiting without a final status (the task-stopped handler marks it FAILED)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // System.exit from the job thread blocks while hooks run, so the exit code is set here.
        Runtime.getRuntime().halt(exitCode);
    }
}
