package app.littlebit.worker;

/**
 * Set when the task is asked to stop (ECS sends SIGTERM, e.g. on a Fargate Spot interruption).
 * The job checks it before each step that starts new work, so it stops between steps rather than
 * in the middle of a write, and reports the stop as a retryable failure.
 */
public final class Cancellation {
    private volatile String reason;

    public void cancel(String why) {
        reason = why;
    }

    public boolean isCancelled() {
        return reason != null;
    }

    /** Called before each step that starts new work. */
    void check() {
        if (isCancelled()) {
            throw failure();
        }
    }

    /** The failure reported for a stopped job: retryable, since nothing was wrong with the request. */
    WorkerException failure() {
        return WorkerException.temporary("The task was stopped before the job finished (" + reason
                + "); nothing was marked complete, so running the job again is safe", null);
    }
}
