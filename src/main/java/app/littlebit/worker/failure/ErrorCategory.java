package app.littlebit.worker.failure;

/**
 * Why a job failed, and what the caller should do about it. The exit code of the process is
 * decided here and nowhere else.
 */
public enum ErrorCategory {
    /** The environment or PROCESSING_PARAMS are wrong: fix the request, a retry cannot help. */
    BAD_INPUT(64, false),
    /** The recording itself is unusable (not audio, too large, no sound): a retry cannot help. */
    BAD_DATA(65, false),
    /**
     * Another run owns the sample and records its outcome (the sample was taken over): this run's
     * outcome is not recorded. Not the request's fault, and a retry is not needed: the sample gets
     * the other run's outcome. 73 is sysexits' EX_CANTCREAT: the outcome could not be written.
     */
    CONFLICT(73, false),
    /** S3 or DynamoDB failed after the SDK's own retries, or the task was stopped: retry later. */
    TEMPORARY(75, true),
    /** A bug or an unexpected environment problem. */
    INTERNAL(70, false);

    /** Exit code of a job that finished without error. */
    public static final int EXIT_OK = 0;

    private final int exitCode;
    private final boolean retryable;

    ErrorCategory(int exitCode, boolean retryable) {
        this.exitCode = exitCode;
        this.retryable = retryable;
    }

    public int exitCode() {
        return exitCode;
    }

    public boolean retryable() {
        return retryable;
    }
}
