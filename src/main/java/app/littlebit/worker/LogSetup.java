package app.littlebit.worker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import net.logstash.logback.stacktrace.ShortenedThrowableConverter;
import org.slf4j.Logger;

/**
 * The logging setup: one flat JSON object per line on stderr, so stdout carries nothing but the one
 * JSON result. Found by logback through {@code META-INF/services}. In code rather than a
 * logback.xml, because parsing XML loads some 300 classes at every start, a large share of a short
 * job's start-up.
 *
 * <p>A line: {@code {"timestamp":"2026-05-04T10:15:30.123Z","level":"INFO","logger":"…",
 * "message":"Job started","runId":"…","key":"…"}}: the key-values a log call adds are fields of
 * their own at the top level, where Logs Insights finds them by name; a failure's cause is one
 * {@code stack_trace} string. Field names carry no {@code @}: Logs Insights renames such fields.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    /** The appender's name; tests take its encoder to see the lines exactly as written here. */
    public static final String APPENDER = "STDERR";
    /** Logback's marker for a field left out. */
    private static final String OMIT = "[ignore]";
    /** Enough for an SDK failure and its causes; keeps a runaway (deep recursion) from making one huge event. */
    private static final int STACK_TRACE_MAX_CHARS = 16 * 1024;

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName(APPENDER);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder(context));
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        // The SDK and its HTTP client log every retry at INFO; their failures reach us as exceptions.
        context.getLogger("software.amazon.awssdk").setLevel(Level.WARN);
        context.getLogger("org.apache.http").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static LogstashEncoder encoder(LoggerContext context) {
        LogstashFieldNames names = new LogstashFieldNames();
        names.setTimestamp("timestamp");
        names.setLogger("logger");
        names.setVersion(OMIT);
        names.setLevelValue(OMIT);
        names.setThread(OMIT);
        ShortenedThrowableConverter stackTraces = new ShortenedThrowableConverter();
        stackTraces.setMaxLength(STACK_TRACE_MAX_CHARS);

        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.setFieldNames(names);
        // Fixed width, always UTC with milliseconds (ISO_INSTANT would drop ".000").
        encoder.setTimestampPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX");
        encoder.setTimeZone("UTC");
        encoder.setIncludeContext(false);
        encoder.setThrowableConverter(stackTraces);
        encoder.start();
        return encoder;
    }
}
