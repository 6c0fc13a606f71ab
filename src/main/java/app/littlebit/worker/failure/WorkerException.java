package app.littlebit.worker.failure;

import java.util.Objects;
import java.util.Optional;

/**
 * A failure the worker understands: its message is meant for the musician's app and the operator,
 * so it says what was wrong and what is allowed, never a stack trace.
 */
public class WorkerException extends RuntimeException {
    private final ErrorCategory category;
    private final String reason;

    public WorkerException(ErrorCategory category, String message) {
        this(category, message, null);
    }

    public WorkerException(ErrorCategory category, String message, Throwable cause) {
        this(category, null, message, cause);
    }

    private WorkerException(ErrorCategory category, String reason, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.category = Objects.requireNonNull(category, "category");
        this.reason = reason;
    }

    /** The job was stopped from outside its work (a stop request, its time limit): retryable. */
    public static WorkerException cancelled(String reason, String message) {
        return new WorkerException(ErrorCategory.TEMPORARY, reason, message, null);
    }

    public static WorkerException badInput(String message) {
        return new WorkerException(ErrorCategory.BAD_INPUT, message);
    }

    public static WorkerException badData(String message) {
        return new WorkerException(ErrorCategory.BAD_DATA, message);
    }

    public static WorkerException badData(String message, Throwable cause) {
        return new WorkerException(ErrorCategory.BAD_DATA, message, cause);
    }

    public static WorkerException temporary(String message, Throwable cause) {
        return new WorkerException(ErrorCategory.TEMPORARY, message, cause);
    }

    public static WorkerException internal(String message, Throwable cause) {
        return new WorkerException(ErrorCategory.INTERNAL, message, cause);
    }

    public ErrorCategory category() {
        return category;
    }

    /** Why the job was cancelled ({@link Cancellation}); empty for a failure of the work itself. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    public boolean retryable() {
        return category.retryable();
    }
}
