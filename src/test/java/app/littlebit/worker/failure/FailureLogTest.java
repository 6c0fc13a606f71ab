package app.littlebit.worker.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An expected failure is one line for the operator; only a bug or an unknown failure brings its stack trace. */
class FailureLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(FailureLog.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    @Test
    void aMissingRecordingIsOneWarningWithoutTheSdksStackTrace() {
        FailureLog.log(WorkerException.of(
                FailureReason.NOT_FOUND,
                "The recording s3://b/k does not exist or may not be read (no such bucket or key)",
                new IllegalStateException("NoSuchKeyException from the SDK, with its own long stack")));

        ILoggingEvent event = appender.list.get(0);
        assertEquals(Level.WARN, event.getLevel());
        assertNull(event.getThrowableProxy(), "an expected failure logs no stack trace");
        assertEquals(
                "not-found",
                event.getKeyValuePairs().stream()
                        .filter(kv -> kv.key.equals("reason"))
                        .findFirst()
                        .orElseThrow()
                        .value);
    }

    @Test
    void anUnexpectedFailureIsAnErrorWithItsStackTrace() {
        FailureLog.log(WorkerException.of(
                FailureReason.UNEXPECTED,
                "Unexpected error: java.lang.NullPointerException",
                new NullPointerException()));

        ILoggingEvent event = appender.list.get(0);
        assertEquals(Level.ERROR, event.getLevel());
        assertNotNull(event.getThrowableProxy(), "a bug needs its stack trace");
    }
}
