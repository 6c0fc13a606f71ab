package app.littlebit.worker.failure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How every mode logs a failed or refused job, so the level means the same in all of them. */
public final class FailureLog {
    private static final Logger log = LoggerFactory.getLogger(FailureLog.class);

    private FailureLog() {}

    /**
     * An expected failure (a missing recording, a file that is not audio, bad params, a stop) is
     * told in one line at WARN: its message says it all. A stack trace is logged only for an
     * INTERNAL failure, a bug or a deployment problem, where whoever reads the log needs to see
     * where it came from.
     */
    public static void log(WorkerException failure) {
        boolean internal = failure.category() == ErrorCategory.INTERNAL;
        (internal ? log.atError().setCause(failure.getCause()) : log.atWarn())
                .addKeyValue("category", failure.category().name())
                .addKeyValue("reason", failure.reason().code())
                .log("Job failed: " + failure.getMessage());
    }
}
