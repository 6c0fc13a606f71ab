package app.littlebit.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.job.Cancellation;
import app.littlebit.worker.job.EffectiveParams;
import app.littlebit.worker.job.JobResult;
import app.littlebit.worker.job.Location;
import app.littlebit.worker.pipeline.ProcessingParams;
import app.littlebit.worker.support.EarlierOneShots;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job prints one CloudWatch Embedded Metric Format line with its metrics, checked against the
 * EMF specification (CloudWatch_Embedded_Metric_Format_Specification in the CloudWatch user
 * guide): what CloudWatch Logs would accept and turn into metrics. The one JSON result line on
 * stdout stays alone there.
 */
class EmbeddedMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** CloudWatch's units (MetricDatum.Unit). */
    private static final Set<String> UNITS = Set.of(
            "Seconds",
            "Microseconds",
            "Milliseconds",
            "Bytes",
            "Kilobytes",
            "Megabytes",
            "Gigabytes",
            "Terabytes",
            "Bits",
            "Kilobits",
            "Megabits",
            "Gigabits",
            "Terabits",
            "Percent",
            "Count",
            "Bytes/Second",
            "Kilobytes/Second",
            "Megabytes/Second",
            "Gigabytes/Second",
            "Terabytes/Second",
            "Bits/Second",
            "Kilobits/Second",
            "Megabits/Second",
            "Gigabits/Second",
            "Terabits/Second",
            "Count/Second",
            "None");

    @TempDir
    Path dir;

    private record Run(int exitCode, JsonNode result, List<String> metricLines) {}

    private Run run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream metrics = new ByteArrayOutputStream();
        int code = Main.run(
                args,
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(metrics, true, StandardCharsets.UTF_8),
                new Cancellation());
        List<String> stdout = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, stdout.size(), "stdout must stay one JSON result line: " + stdout);
        assertFalse(stdout.get(0).contains("_aws"), "metrics must not go to stdout");
        return new Run(
                code,
                JSON.readTree(stdout.get(0)),
                metrics.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void aLocalJobPrintsOneEmfLineWithItsDurationLengthSpeedAndOneShots() throws Exception {
        Instant before = Instant.now();
        Run run = run("process", "--demo", "--out", dir.resolve("out").toString());
        assertEquals(0, run.exitCode(), run.result().toString());

        assertEquals(1, run.metricLines().size(), run.metricLines().toString());
        JsonNode emf = assertAcceptedByCloudWatch(run.metricLines().get(0));
        JsonNode directive = emf.at("/_aws/CloudWatchMetrics/0");
        assertEquals("LittleBit/AudioWorker", directive.get("Namespace").asText());
        assertEquals(
                "[[\"Mode\"],[\"Mode\",\"Outcome\"]]",
                directive.get("Dimensions").toString());
        assertEquals("local", emf.get("Mode").asText());
        assertEquals("COMPLETED", emf.get("Outcome").asText());
        assertEquals(1, emf.get("Jobs").asInt());
        assertEquals(
                run.result().get("oneShots").size(), emf.get("OneShotsWritten").asInt());
        assertTrue(emf.get("OneShotsWritten").asInt() > 0);
        double inputSeconds = run.result().at("/source/durationMs").asDouble() / 1000;
        assertEquals(inputSeconds, emf.get("InputSeconds").asDouble(), 1e-9);
        double jobSeconds = emf.get("JobDuration").asDouble();
        assertTrue(
                jobSeconds > 0
                        && jobSeconds <= Duration.between(before, Instant.now()).toMillis() / 1000.0 + 0.01,
                "job duration " + jobSeconds);
        assertEquals(jobSeconds / inputSeconds, emf.get("RealTimeFactor").asDouble(), 1e-3);
        assertEquals(unit(directive, "JobDuration"), "Seconds");
        assertEquals(unit(directive, "OneShotsWritten"), "Count");
    }

    @Test
    void aFailedJobIsCountedByCategoryAndReasonWithoutItsMessage() throws Exception {
        Path notAudio = Files.writeString(dir.resolve("notes.wav"), "not audio at all");
        Run run =
                run("process", notAudio.toString(), "--out", dir.resolve("out").toString());
        assertEquals(65, run.exitCode());

        JsonNode emf = assertAcceptedByCloudWatch(run.metricLines().get(0));
        assertEquals(
                "[[\"Mode\"],[\"Mode\",\"Outcome\"],[\"Mode\",\"Category\"],[\"Mode\",\"Category\",\"Reason\"]]",
                emf.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
        assertEquals("FAILED", emf.get("Outcome").asText());
        assertEquals("BAD_DATA", emf.get("Category").asText());
        assertEquals("not-audio", emf.get("Reason").asText());
        assertEquals(
                run.result().at("/error/reason").asText(), emf.get("Reason").asText());
        assertEquals(0, emf.get("OneShotsWritten").asInt());
        assertFalse(emf.has("InputSeconds"), "no length is known for a file that did not decode");
        assertFalse(
                emf.toString().contains(run.result().at("/error/message").asText()), "free text is not a dimension");
    }

    @Test
    void aRefusedRequestIsStillCounted() throws Exception {
        Run run = run("process", "--out", dir.toString(), "--params", "{\"targetDbfs\":5}", "x.wav");
        assertEquals(64, run.exitCode());
        JsonNode emf = assertAcceptedByCloudWatch(run.metricLines().get(0));
        assertEquals("BAD_INPUT", emf.get("Category").asText());
        assertEquals("bad-params", emf.get("Reason").asText());
    }

    /** A rerun finds the sample completed by another run: it counts as a job, but wrote no one-shot. */
    @Test
    void aRunThatFoundTheSampleAlreadyCompletedWroteNoOneShots() throws Exception {
        JobResult result = new JobResult.AlreadyCompleted(
                new JobResult.Job(
                        "0.1.0",
                        "s-1",
                        "u",
                        JobResult.Source.at(
                                new Location.InBucket("little-bit-storage", "public/unprocessed/u/kick.m4a")),
                        EffectiveParams.of(ProcessingParams.defaults(), AudioFileType.M4A)),
                List.of(EarlierOneShots.kick("little-bit-storage", "public/processed/u/")),
                Map.of("total", 15L),
                "earlier-run");

        JsonNode emf = assertAcceptedByCloudWatch(JobMetrics.emf(result, "cloud", Duration.ofMillis(15), Instant.now())
                .toString());

        assertEquals("COMPLETED", emf.get("Outcome").asText());
        assertEquals(1, emf.get("Jobs").asInt());
        assertEquals(0, emf.get("OneShotsWritten").asInt(), "the earlier run's one-shots are not this run's");
        assertFalse(emf.has("Category"), "not a failure");
    }

    private static String unit(JsonNode directive, String metric) {
        for (JsonNode definition : directive.get("Metrics")) {
            if (definition.get("Name").asText().equals(metric)) {
                return definition.path("Unit").asText();
            }
        }
        throw new AssertionError(metric + " is not declared");
    }

    /** Every MUST of the EMF specification's document structure, on one log event. */
    private static JsonNode assertAcceptedByCloudWatch(String line) throws Exception {
        assertTrue(line.startsWith("{") && line.endsWith("}"), "the log event must be the JSON object alone: " + line);
        assertTrue(line.getBytes(StandardCharsets.UTF_8).length < 256 * 1024, "larger than a log event");
        JsonNode root = JSON.readTree(line);
        JsonNode aws = root.get("_aws");
        assertTrue(aws != null && aws.isObject(), "root member _aws (metadata object) is required");
        JsonNode timestamp = aws.get("Timestamp");
        assertTrue(timestamp != null && timestamp.isIntegralNumber(), "_aws.Timestamp: milliseconds since the epoch");
        long age = System.currentTimeMillis() - timestamp.asLong();
        assertTrue(
                age >= -Duration.ofHours(2).toMillis()
                        && age <= Duration.ofDays(14).toMillis(),
                "CloudWatch drops timestamps over 2 h ahead or 14 days old");
        JsonNode directives = aws.get("CloudWatchMetrics");
        assertTrue(
                directives != null && directives.isArray() && !directives.isEmpty(),
                "_aws.CloudWatchMetrics: an array of MetricDirective");
        for (JsonNode directive : directives) {
            String namespace = directive.path("Namespace").asText("");
            assertTrue(
                    directive.path("Namespace").isTextual() && !namespace.isBlank() && namespace.length() <= 255,
                    "Namespace: 1-255 characters");
            JsonNode dimensionSets = directive.get("Dimensions");
            assertTrue(dimensionSets != null && dimensionSets.isArray(), "Dimensions: an array of DimensionSet");
            for (JsonNode set : dimensionSets) {
                assertTrue(set.isArray() && set.size() <= 30, "a DimensionSet has at most 30 keys");
                for (JsonNode key : set) {
                    assertTrue(key.isTextual(), "dimension keys are strings");
                    JsonNode value = root.get(key.asText());
                    assertTrue(value != null && value.isTextual(), "dimension " + key + " needs a string member");
                    String text = value.asText();
                    assertTrue(
                            !text.isBlank()
                                    && text.length() <= 1024
                                    && text.chars().allMatch(c -> c > 0x1f && c < 0x7f),
                            "dimension values: 1-1024 ASCII characters, no control characters: " + text);
                }
            }
            JsonNode metrics = directive.get("Metrics");
            assertTrue(metrics != null && metrics.isArray() && metrics.size() <= 100, "Metrics: at most 100");
            List<String> names = new ArrayList<>();
            for (JsonNode definition : metrics) {
                String name = definition.path("Name").asText("");
                assertTrue(
                        definition.path("Name").isTextual() && !name.isEmpty() && name.length() <= 255,
                        "MetricDefinition.Name: 1-255 characters");
                assertFalse(names.contains(name), "metric " + name + " declared twice");
                names.add(name);
                if (definition.has("Unit")) {
                    assertTrue(UNITS.contains(definition.get("Unit").asText()), "unknown unit " + definition);
                }
                if (definition.has("StorageResolution")) {
                    assertTrue(Set.of(1, 60)
                            .contains(definition.get("StorageResolution").asInt()));
                }
                JsonNode value = root.get(name);
                assertTrue(
                        value != null
                                && (value.isNumber()
                                        || (value.isArray()
                                                && value.size() <= 100
                                                && value.elements().next().isNumber())),
                        "metric " + name + " needs a numeric member (or an array of up to 100)");
            }
        }
        return root;
    }
}
