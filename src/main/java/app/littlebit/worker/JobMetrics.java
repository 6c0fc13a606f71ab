package app.littlebit.worker;

import app.littlebit.worker.job.JobResult;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * A job's metrics as one CloudWatch Embedded Metric Format (EMF) line. Printed on stderr with the
 * logs, where the task's awslogs driver sends it to CloudWatch Logs, which turns it into metrics;
 * no SDK call, no extra permission. Dimensions are few fixed words, never ids: {@code Mode}
 * (cloud, local), {@code Outcome} (COMPLETED, FAILED), and for failures {@code Category} and
 * {@code Reason} ({@link JobResult.Failure#reason()}).
 */
final class JobMetrics {
    /** infra/worker.yaml's alarms and dashboard read this namespace. */
    static final String NAMESPACE = "LittleBit/AudioWorker";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JobMetrics() {}

    /**
     * @param mode     {@code cloud} or {@code local}
     * @param duration the whole job, request validation to result
     */
    static ObjectNode emf(JobResult result, String mode, Duration duration, Instant now) {
        ObjectNode line = NODES.objectNode();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", now.toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensions = directive.putArray("Dimensions");
        ArrayNode metrics = directive.putArray("Metrics");

        dimensions.addArray().add("Mode");
        dimensions.addArray().add("Mode").add("Outcome");
        line.put("Mode", mode);
        line.put("Outcome", result.status().name());
        if (result instanceof JobResult.Failed failed) {
            dimensions.addArray().add("Mode").add("Category");
            dimensions.addArray().add("Mode").add("Category").add("Reason");
            line.put("Category", failed.error().category().name());
            line.put("Reason", failed.error().reason().code());
        }

        double seconds = duration.toMillis() / 1000.0;
        count(line, metrics, "Jobs", 1);
        metric(line, metrics, "JobDuration", "Seconds", seconds);
        JobResult.Source source = result.job().source();
        Long inputMillis = source == null ? null : source.durationMs();
        if (inputMillis != null && inputMillis > 0) {
            double inputSeconds = inputMillis / 1000.0;
            metric(line, metrics, "InputSeconds", "Seconds", inputSeconds);
            // Seconds of job per second of recording: below 1 is faster than real time.
            metric(line, metrics, "RealTimeFactor", "None", Math.round(seconds / inputSeconds * 1e4) / 1e4);
        }
        // An earlier run's one-shots, reported again, were not written by this one.
        count(
                line,
                metrics,
                "OneShotsWritten",
                result instanceof JobResult.Completed completed
                        ? completed.oneShots().size()
                        : 0);

        // Searchable in Logs Insights next to the metrics; not dimensions (one value per job).
        line.put("workerVersion", result.job().workerVersion());
        if (result.job().sampleId() != null) {
            line.put("sampleId", result.job().sampleId());
        }
        return line;
    }

    private static void metric(ObjectNode line, ArrayNode metrics, String name, String unit, double value) {
        metrics.addObject().put("Name", name).put("Unit", unit);
        line.put(name, value);
    }

    /** Counts as whole numbers, as a reader of the log line expects. */
    private static void count(ObjectNode line, ArrayNode metrics, String name, int value) {
        metrics.addObject().put("Name", name).put("Unit", "Count");
        line.put(name, value);
    }
}
