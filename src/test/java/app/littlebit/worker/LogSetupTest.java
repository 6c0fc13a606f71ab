package app.littlebit.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The log lines as an operator reads them in CloudWatch Logs: one flat JSON object per event, the
 * key-values of a log call as top-level fields, an ISO-8601 UTC timestamp, a cause as one
 * {@code stack_trace} string. Encoded by the encoder {@link LogSetup} put on stderr.
 */
class LogSetupTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void capture() {
        events.setContext(root.getLoggerContext());
        events.start();
        root.addAppender(events);
    }

    @AfterEach
    void release() {
        root.detachAppender(events);
    }

    @Test
    void keyValuesAreTopLevelFieldsNextToAnIsoTimestamp() throws IOException {
        Instant before = Instant.now().minusMillis(1);
        LoggerFactory.getLogger(LogSetupTest.class)
                .atInfo()
                .addKeyValue("runId", "r-1")
                .addKeyValue("bytes", 48_000L)
                .log("Recording downloaded");

        JsonNode line = onlyLine();
        assertEquals("Recording downloaded", line.get("message").asText());
        assertEquals("INFO", line.get("level").asText());
        assertEquals(LogSetupTest.class.getName(), line.get("logger").asText());
        assertEquals("r-1", line.get("runId").asText());
        assertTrue(line.get("bytes").isIntegralNumber(), line.toString());
        assertEquals(48_000L, line.get("bytes").asLong());
        assertFalse(line.has("kvpList"), "no array of one-key objects: " + line);

        String timestamp = line.get("timestamp").asText();
        assertTrue(timestamp.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), timestamp);
        Instant at = Instant.parse(timestamp);
        assertFalse(at.isBefore(before) || at.isAfter(Instant.now()), timestamp);
        for (String field : List.of("@timestamp", "@version", "level_value", "thread_name", "logger_name")) {
            assertFalse(line.has(field), field + " in " + line);
        }
    }

    @Test
    void aCauseIsOneStackTraceFieldOnTheSameLine() throws IOException {
        IllegalStateException cause = new IllegalStateException("socket closed");
        LoggerFactory.getLogger(Main.class)
                .atError()
                .addKeyValue("category", "INTERNAL")
                .setCause(new RuntimeException("upload failed", cause))
                .log("Job failed");

        String text = onlyText();
        assertEquals(1, text.strip().lines().count(), "one line per event: " + text);
        JsonNode line = JSON.readTree(text);
        assertEquals("Job failed", line.get("message").asText());
        assertEquals("INTERNAL", line.get("category").asText());
        String stackTrace = line.get("stack_trace").asText();
        assertTrue(stackTrace.startsWith("java.lang.RuntimeException: upload failed"), stackTrace);
        assertTrue(stackTrace.contains("Caused by: java.lang.IllegalStateException: socket closed"), stackTrace);
        assertTrue(stackTrace.contains("at app.littlebit.worker.LogSetupTest."), stackTrace);
    }

    @Test
    void aLineWithoutCauseHasNoStackTrace() throws IOException {
        LoggerFactory.getLogger(Main.class).atWarn().log("Stop requested");
        assertFalse(onlyLine().has("stack_trace"));
    }

    @Test
    void eachLineIsAtMostAFewKilobytesEvenForADeepStackTrace() throws IOException {
        LoggerFactory.getLogger(Main.class).atError().setCause(deep(3000)).log("Unexpected failure");
        String text = onlyText();
        assertTrue(text.length() < 20 * 1024, "a line of " + text.length() + " characters");
        assertTrue(JSON.readTree(text).get("stack_trace").asText().contains("RuntimeException: depth 0"));
    }

    private static RuntimeException deep(int depth) {
        return depth == 0 ? new RuntimeException("depth 0") : deep(depth - 1);
    }

    private JsonNode onlyLine() throws IOException {
        return JSON.readTree(onlyText());
    }

    private String onlyText() {
        List<ILoggingEvent> logged = events.list.stream()
                .filter(event -> event.getLoggerName().startsWith("app.littlebit."))
                .toList();
        assertEquals(1, logged.size(), logged.toString());
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> stderr =
                (OutputStreamAppender<ILoggingEvent>) root.getAppender(LogSetup.APPENDER);
        return new String(stderr.getEncoder().encode(logged.get(0)), StandardCharsets.UTF_8);
    }
}
