package app.littlebit.worker.failure;

import java.util.Objects;

/**
 * A failure the worker understands: its message is meant for the musician's app and the operator,
 * so it says what was wrong and what is allowed, never a stack trace. Its {@link FailureReason}
 * decides the category, so the two cannot disagree.
 */
public final class WorkerException extends RuntimeException {
    private final FailureReason reason;

    private WorkerException(FailureReason reason, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** A failure found by the worker's own checks: nothing underneath to report. */
    public static WorkerException of(FailureReason reason, String message) {
        return new WorkerException(reason, message, null);
    }

    /** A failure caused by an exception underneath (an SDK error, an I/O error), kept for the log. */
    public static WorkerException of(FailureReason reason, String message, Throwable cause) {
        return new WorkerException(reason, message, Objects.requireNonNull(cause, "cause"));
    }

    public FailureReason reason() {
        return reason;
    }

    public ErrorCategory category() {
        return reason.category();
    }

    public boolean retryable() {
        return category().retryable();
    }
}
