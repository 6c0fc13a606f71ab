package app.littlebit.worker.reliability;

import app.littlebit.worker.LogSetup;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects what the worker logs while a test runs, encoded by the very encoder {@link LogSetup} gave
 * its stderr appender, so a test sees the lines an operator would. Only the
 * worker's side is kept: S3Proxy and DynamoDB Local run in the same JVM and log through the same
 * logback, but are not part of the worker; they are held at INFO meanwhile, so a job run with
 * LOG_LEVEL=TRACE (which sets the root level) does not make them trace every request.
 */
final class LogCapture implements AutoCloseable {
    private static final List<String> WORKER_SIDE = List.of(
            "app.littlebit.", "software.amazon.awssdk.", "org.apache.http.", "com.github.kokorin.", "org.bytedeco.");
    private static final List<String> SERVER_SIDE =
            List.of("org.eclipse.jetty", "org.gaul", "org.jclouds", "com.amazonaws");

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level rootLevel = root.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Encoder<ILoggingEvent> encoder;

    LogCapture() {
        if (!(root.getAppender(LogSetup.APPENDER) instanceof OutputStreamAppender<ILoggingEvent> stderr)) {
            throw new IllegalStateException(
                    "logback was not configured by LogSetup: no " + LogSetup.APPENDER + " appender on the root logger");
        }
        encoder = stderr.getEncoder();
        SERVER_SIDE.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.INFO));
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
    }

    /** One encoded log line per event, in order. */
    List<String> lines() {
        synchronized (appender) { // AppenderBase appends under this lock
            return appender.list.stream()
                    .filter(event -> WORKER_SIDE.stream().anyMatch(event.getLoggerName()::startsWith))
                    .map(event -> new String(encoder.encode(event), StandardCharsets.UTF_8))
                    .toList();
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        root.setLevel(rootLevel);
        SERVER_SIDE.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).setLevel(null));
    }
}
