package app.littlebit.launcher;

/**
 * ECS or SQS did not start the job, after retries. {@code retryable}: capacity, throttling or a
 * network failure, where the same launch later can succeed (it is idempotent); otherwise a
 * deployment problem (a missing cluster, access denied).
 */
public final class LaunchFailed extends RuntimeException {
    private final boolean retryable;

    public LaunchFailed(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
