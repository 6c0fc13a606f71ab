package app.littlebit.worker.serve;

import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serve mode's own settings, from the service's environment (the per-job variables come from each
 * message). Every problem is reported at once, naming the variable and what it allows.
 *
 * @param queueUrl    {@code QUEUE_URL}: the queue to long-poll
 * @param concurrency {@code SERVE_CONCURRENCY}: jobs run at once; default one per vCPU
 * @param visibility  {@code SERVE_VISIBILITY_SECONDS}: how long a received message stays hidden;
 *                    the heartbeat renews it every third of that while its job runs
 * @param longPoll    {@code SERVE_WAIT_SECONDS}: the long poll's wait (SQS allows up to 20 s)
 * @param retryDelay  {@code SERVE_RETRY_DELAY_SECONDS}: when a TEMPORARY failure is received again
 * @param drain       {@code SERVE_DRAIN_SECONDS}: after SIGTERM, how long running jobs may take to
 *                    finish before they are abandoned
 */
public record ServeSettings(
        URI queueUrl, int concurrency, Duration visibility, Duration longPoll, Duration retryDelay, Duration drain) {
    static final int MAX_CONCURRENCY = 64;
    /**
     * ECS gives a stopping task at most 120 s (stopTimeout; Fargate Spot's notice is 2 minutes);
     * an abandoned job then needs up to 25 s to record FAILED. 80 s of drain leaves room for both.
     */
    static final long DEFAULT_DRAIN_SECONDS = 80;

    /** Reads and checks the settings; {@code processors} is the default concurrency. */
    public static ServeSettings fromEnvironment(Map<String, String> env, int processors) {
        List<String> problems = new ArrayList<>();
        URI queueUrl = queueUrl(env.get("QUEUE_URL"), problems);
        int concurrency = (int) number(
                env,
                "SERVE_CONCURRENCY",
                1,
                MAX_CONCURRENCY,
                Math.min(Math.max(processors, 1), MAX_CONCURRENCY),
                problems);
        long visibility = number(env, "SERVE_VISIBILITY_SECONDS", 2, 43_200, 60, problems);
        long wait = number(env, "SERVE_WAIT_SECONDS", 1, 20, 20, problems);
        long retryDelay = number(env, "SERVE_RETRY_DELAY_SECONDS", 0, 43_200, 30, problems);
        long drain = number(env, "SERVE_DRAIN_SECONDS", 0, 3_600, DEFAULT_DRAIN_SECONDS, problems);
        if (!problems.isEmpty()) {
            throw WorkerException.of(
                    FailureReason.BAD_REQUEST, "Invalid serve settings: " + String.join("; ", problems));
        }
        return new ServeSettings(
                queueUrl,
                concurrency,
                Duration.ofSeconds(visibility),
                Duration.ofSeconds(wait),
                Duration.ofSeconds(retryDelay),
                Duration.ofSeconds(drain));
    }

    /** How often the heartbeat renews a running job's message: a third of the visibility timeout. */
    Duration heartbeat() {
        return visibility.dividedBy(3);
    }

    private static URI queueUrl(String text, List<String> problems) {
        if (text == null || text.isBlank()) {
            problems.add("QUEUE_URL is required: the URL of the SQS queue to take jobs from");
            return null;
        }
        try {
            URI uri = URI.create(text.strip());
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add("QUEUE_URL must be a queue URL such as https://sqs.<region>.amazonaws.com/<account>/<name>, got '"
                + text + "'");
        return null;
    }

    private static long number(
            Map<String, String> env, String name, long min, long max, long fallback, List<String> problems) {
        Optional<String> text =
                Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(name + " must be a whole number from " + min + " to " + max + ", got '" + text.get() + "'");
        return fallback;
    }
}
