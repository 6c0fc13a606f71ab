package app.littlebit.worker.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.failure.WorkerException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServeSettingsTest {
    private static final String QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/little-bit-jobs";

    @Test
    void defaultsAreOneJobPerVcpuAndAMinuteOfVisibilityRenewedEveryTwentySeconds() {
        ServeSettings settings = ServeSettings.fromEnvironment(Map.of("QUEUE_URL", QUEUE), 4);
        assertEquals(4, settings.concurrency());
        assertEquals(Duration.ofSeconds(60), settings.visibility());
        assertEquals(Duration.ofSeconds(20), settings.heartbeat());
        assertEquals(Duration.ofSeconds(20), settings.longPoll());
        assertEquals(Duration.ofSeconds(80), settings.drain());
    }

    @Test
    void everyProblemIsReportedAtOnceNamingTheVariable() {
        WorkerException e = assertThrows(
                WorkerException.class,
                () -> ServeSettings.fromEnvironment(
                        Map.of("SERVE_CONCURRENCY", "0", "SERVE_WAIT_SECONDS", "25", "SERVE_VISIBILITY_SECONDS", "x"),
                        2));
        for (String name :
                new String[] {"QUEUE_URL", "SERVE_CONCURRENCY", "SERVE_WAIT_SECONDS", "SERVE_VISIBILITY_SECONDS"}) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertThrows(
                WorkerException.class, () -> ServeSettings.fromEnvironment(Map.of("QUEUE_URL", "little-bit-jobs"), 2));
    }
}
