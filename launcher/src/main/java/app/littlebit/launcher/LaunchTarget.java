package app.littlebit.launcher;

/** Where a job goes: an ECS task of its own, or the service's queue. */
public interface LaunchTarget {
    /**
     * Starts the job; the same {@code idempotencyToken} for the same request never starts it twice
     * where the service supports it (RunTask's clientToken).
     */
    Launched launch(JobVariables job, String idempotencyToken);
}
