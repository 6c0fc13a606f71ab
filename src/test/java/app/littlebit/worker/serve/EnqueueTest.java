package app.littlebit.worker.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.failure.WorkerException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnqueueTest {
    @Test
    void aRecordingUnderThePrefixBecomesAMessageOfItsUsersFolder() {
        Enqueue.Source.Prefix prefix = new Enqueue.Source.Prefix(
                "little-bit-storage", "public/unprocessed/", Optional.of("{\"outputFormat\":\"wav\"}"));
        assertEquals(
                "{\"S3_BUCKET\":\"little-bit-storage\",\"S3_KEY\":\"public/unprocessed/u-7/Caja española.m4a\","
                        + "\"USER_ID\":\"u-7\",\"PROCESSING_PARAMS\":\"{\\\"outputFormat\\\":\\\"wav\\\"}\"}",
                Enqueue.messageFor(prefix, "public/unprocessed/u-7/Caja española.m4a"));
    }

    @Test
    void helpPrintsTheUsageAndSendsNothing() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertEquals(
                0,
                Enqueue.run(
                        new String[] {"--help"},
                        Map.of(),
                        new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8)));
        String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("usage: audio-worker enqueue"), printed);
    }

    @Test
    void argumentsNeedAQueueAndExactlyOneSource() {
        Enqueue.Options options = Enqueue.parse(
                new String[] {"--bucket", "b-1", "--prefix", "public/unprocessed/", "--rate", "5", "--dry-run"},
                Map.of("QUEUE_URL", "http://127.0.0.1:9324/000000000000/jobs"));
        assertEquals(5, options.ratePerSecond());
        assertTrue(options.dryRun());
        for (String[] bad : new String[][] {
            {"--bucket", "b-1", "--prefix", "p/"},
            {"--queue-url", "q"},
            {"--queue-url", "q", "--from", "f", "--bucket", "b", "--prefix", "p"},
            {"--queue-url", "q", "--from", "f", "--params", "{}"},
            {"--queue-url", "q", "--from", "f", "--rate", "0"}
        }) {
            assertThrows(WorkerException.class, () -> Enqueue.parse(bad, Map.of()), String.join(" ", bad));
        }
    }
}
