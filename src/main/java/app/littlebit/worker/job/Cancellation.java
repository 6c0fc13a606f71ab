package app.littlebit.worker.job;

import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import java.time.Duration;

/**
 * Set when the job must stop early: the task was asked to stop (ECS sends SIGTERM, e.g. on a
 * Fargate Spot interruption) or the job ran past its time limit ({@link JobDeadline}). The job
 * checks it before each step that starts new work, so it stops between steps rather than in the
 * middle of a write, and reports the stop as a retryable failure. The first reason given wins.
 */
public final class Cancellation {
    private volatile WorkerException failure;

    /** The task was asked to stop. */
    public void cancel(String why) {
        set(WorkerException.of(
                FailureReason.STOPPED,
                "The task was stopped before the job finished (" + why
                        + "); nothing was marked complete, so running the job again is safe"));
    }

    /** The job ran past its time limit; {@code setting} says where the limit came from. */
    void timeUp(Duration limit, String setting) {
        set(WorkerException.of(
                FailureReason.TIME_LIMIT,
                "The job ran longer than its time limit of "
                        + limit.toSeconds() + " s (" + setting + ") and was stopped, FFmpeg included; nothing was "
                        + "marked complete, so running the job again is safe"));
    }

    private synchronized void set(WorkerException why) {
        if (failure == null) {
            failure = why;
        }
    }

    public boolean isCancelled() {
        return failure != null;
    }

    /** Called before each step that starts new work. */
    void check() {
        if (isCancelled()) {
            throw failure();
        }
    }

    /** The failure reported for a stopped job: retryable, since nothing was wrong with the request. */
    WorkerException failure() {
        return failure;
    }
}
