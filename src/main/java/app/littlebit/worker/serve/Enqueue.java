package app.littlebit.worker.serve;

import app.littlebit.worker.aws.AwsClients;
import app.littlebit.worker.failure.ErrorCategory;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.job.EnvironmentParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * {@code audio-worker enqueue}: a backfill. Sends one job message per recording under an S3 prefix,
 * or per line of a JSON-lines file, at a bounded rate; the service scales out on the backlog. Every
 * job is checked with the worker's own rules first, exactly as serve mode will read it: an invalid
 * one is reported and not sent. Prints one JSON summary line on stdout; exits 0 when every job was
 * sent, 65 when some were invalid (the valid ones were sent), 75 when SQS refused some, 64 for bad
 * arguments.
 */
public final class Enqueue {
    private static final Logger log = LoggerFactory.getLogger(Enqueue.class);
    static final String USAGE = "usage: audio-worker enqueue [--queue-url <url>] --bucket <bucket> --prefix <prefix> "
            + "[--params '<json>'] [--rate <jobs/s>] [--dry-run]\n"
            + "       audio-worker enqueue [--queue-url <url>] --from <jobs.jsonl> [--rate <jobs/s>] [--dry-run]\n"
            + "  --prefix   every recording under it, e.g. public/unprocessed/ (all users) or public/unprocessed/<user>/;\n"
            + "             the job's USER_ID is the key's user folder; no SAMPLE_ID, so no status item is touched\n"
            + "  --from     one job message per line: {\"S3_BUCKET\":..,\"S3_KEY\":..,\"USER_ID\":..,\"SAMPLE_ID\":..,"
            + "\"PROCESSING_PARAMS\":{..}}\n"
            + "  --rate     at most this many jobs per second (default 20, at most 3000)\n"
            + "  --queue-url defaults to QUEUE_URL; STATUS_TABLE (if set) is used only to check SAMPLE_IDs as serve mode will";
    static final double DEFAULT_RATE = 20;
    private static final int BATCH = 10;

    private Enqueue() {}

    /** Where the jobs come from: a prefix of the bucket, or a file of messages. */
    sealed interface Source {
        record Prefix(String bucket, String prefix, Optional<String> params) implements Source {}

        record JsonLines(Path file) implements Source {}
    }

    record Options(String queueUrl, Source source, double ratePerSecond, boolean dryRun) {}

    /** The command: arguments and environment in, the summary on {@code out}, exit code back. */
    public static int run(String[] args, Map<String, String> env, PrintStream out) {
        if (Arrays.asList(args).contains("--help")) {
            out.println(USAGE);
            return ErrorCategory.EXIT_OK;
        }
        Options options;
        try {
            options = parse(args, env);
        } catch (WorkerException e) {
            log.atError().log(e.getMessage());
            return e.category().exitCode();
        }
        try (AwsClients clients = new AwsClients(env)) {
            Summary summary = new Sender(clients.sqs(), options, env.get(JobMessage.STATUS_TABLE))
                    .send(sink -> jobs(options.source(), clients, sink));
            out.println(summary.json());
            out.flush();
            return summary.exitCode();
        } catch (WorkerException e) {
            log.atError().addKeyValue("category", e.category().name()).log(e.getMessage());
            return e.category().exitCode();
        }
    }

    static Options parse(String[] args, Map<String, String> env) {
        Deque<String> rest = new ArrayDeque<>(Arrays.asList(args));
        String queueUrl = env.get("QUEUE_URL");
        String bucket = null;
        String prefix = null;
        String from = null;
        Optional<String> params = Optional.empty();
        double rate = DEFAULT_RATE;
        boolean dryRun = false;
        while (!rest.isEmpty()) {
            String arg = rest.poll();
            switch (arg) {
                case "--queue-url" -> queueUrl = value(rest, arg);
                case "--bucket" -> bucket = value(rest, arg);
                case "--prefix" -> prefix = value(rest, arg);
                case "--from" -> from = value(rest, arg);
                case "--params" -> params = Optional.of(value(rest, arg));
                case "--rate" -> rate = rate(value(rest, arg));
                case "--dry-run" -> dryRun = true;
                default ->
                    throw WorkerException.of(FailureReason.BAD_REQUEST, "Unexpected argument '" + arg + "'. " + USAGE);
            }
        }
        if (queueUrl == null || queueUrl.isBlank()) {
            throw WorkerException.of(FailureReason.BAD_REQUEST, "--queue-url (or QUEUE_URL) is required. " + USAGE);
        }
        if ((from == null) == (bucket == null || prefix == null)
                || (from != null && (bucket != null || prefix != null))) {
            throw WorkerException.of(
                    FailureReason.BAD_REQUEST, "Give either --bucket and --prefix, or --from. " + USAGE);
        }
        if (from != null && params.isPresent()) {
            throw WorkerException.of(
                    FailureReason.BAD_REQUEST,
                    "--params goes with --prefix; with --from each line has its own. " + USAGE);
        }
        Source source = from != null ? new Source.JsonLines(Path.of(from)) : new Source.Prefix(bucket, prefix, params);
        return new Options(queueUrl.strip(), source, rate, dryRun);
    }

    private static double rate(String text) {
        try {
            double rate = Double.parseDouble(text);
            if (rate > 0 && rate <= 3000) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw WorkerException.of(
                FailureReason.BAD_REQUEST,
                "--rate must be a number of jobs per second above 0 and at most 3000, got '" + text + "'");
    }

    private static String value(Deque<String> rest, String option) {
        String value = rest.poll();
        if (value == null) {
            throw WorkerException.of(FailureReason.BAD_REQUEST, option + " needs a value. " + USAGE);
        }
        return value;
    }

    /** Hands every job's message body to {@code sink}, in order, as they are listed or read. */
    private static void jobs(Source source, AwsClients clients, Consumer<String> sink) {
        if (source instanceof Source.Prefix prefix) {
            list(clients.s3(), prefix, sink);
        } else if (source instanceof Source.JsonLines file) {
            read(file.file(), sink);
        }
    }

    private static void list(S3Client s3, Source.Prefix source, Consumer<String> sink) {
        try {
            s3.listObjectsV2Paginator(r -> r.bucket(source.bucket()).prefix(source.prefix())).contents().stream()
                    .map(S3Object::key)
                    .filter(key -> !key.endsWith("/")) // folder markers are not recordings
                    .forEach(key -> sink.accept(messageFor(source, key)));
        } catch (SdkException e) {
            throw WorkerException.of(
                    FailureReason.UNAVAILABLE,
                    "Listing s3://" + source.bucket() + "/" + source.prefix() + " failed: " + e.getMessage(),
                    e);
        }
    }

    /** A recording's job: its user is the key's user folder, public/unprocessed/<user>/<name>. */
    static String messageFor(Source.Prefix source, String key) {
        ObjectNode message = JobMessage.JSON.createObjectNode();
        message.put("S3_BUCKET", source.bucket());
        message.put("S3_KEY", key);
        String[] parts = key.split("/", 4);
        if (parts.length == 4) {
            message.put("USER_ID", parts[2]);
        }
        source.params().ifPresent(params -> message.put("PROCESSING_PARAMS", params));
        try {
            return JobMessage.JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A job message could not be written as JSON", e);
        }
    }

    private static void read(Path file, Consumer<String> sink) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            lines.filter(line -> !line.isBlank()).forEach(sink);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw WorkerException.of(FailureReason.BAD_REQUEST, "Cannot read " + file + ": " + e.getMessage());
        }
    }

    /** What was sent. */
    record Summary(long read, long sent, long invalid, long failed, double seconds, boolean dryRun) {
        String json() {
            ObjectNode line = JobMessage.JSON.createObjectNode();
            line.put("read", read)
                    .put("sent", sent)
                    .put("invalid", invalid)
                    .put("failed", failed)
                    .put("seconds", Math.round(seconds * 10) / 10.0)
                    .put("dryRun", dryRun);
            return line.toString();
        }

        int exitCode() {
            if (failed > 0) {
                return ErrorCategory.TEMPORARY.exitCode();
            }
            return invalid > 0 ? ErrorCategory.BAD_DATA.exitCode() : ErrorCategory.EXIT_OK;
        }
    }

    /** Checks each job as serve mode will read it, and sends the valid ones in batches at the rate. */
    private static final class Sender {
        private final SqsClient sqs;
        private final Options options;
        private final Map<String, String> service;
        private final List<String> batch = new ArrayList<>();
        private final long startNanos = System.nanoTime();
        private long read;
        private long sent;
        private long invalid;
        private long failed;

        Sender(SqsClient sqs, Options options, String statusTable) {
            this.sqs = sqs;
            this.options = options;
            // SAMPLE_IDs are checked against serve mode's table; any valid name does if none is set here.
            this.service = Map.of(
                    JobMessage.STATUS_TABLE,
                    statusTable == null || statusTable.isBlank() ? "status-table" : statusTable);
        }

        Summary send(Consumer<Consumer<String>> jobs) {
            jobs.accept(this::offer);
            flush();
            return new Summary(read, sent, invalid, failed, (System.nanoTime() - startNanos) / 1e9, options.dryRun());
        }

        private void offer(String body) {
            read++;
            Optional<String> problem = problem(body);
            if (problem.isPresent()) {
                invalid++;
                log.atWarn().addKeyValue("line", read).log("Job not sent: " + problem.get());
                return;
            }
            batch.add(body);
            if (batch.size() == BATCH) {
                flush();
            }
        }

        private Optional<String> problem(String body) {
            JobMessage parsed = JobMessage.parse(body, service);
            if (parsed instanceof JobMessage.Unreadable unreadable) {
                return Optional.of(unreadable.problem());
            }
            try {
                EnvironmentParser.parse(((JobMessage.Job) parsed).environment());
                return Optional.empty();
            } catch (WorkerException e) {
                return Optional.of(e.getMessage());
            }
        }

        private void flush() {
            if (batch.isEmpty()) {
                return;
            }
            pace(sent + batch.size());
            if (options.dryRun()) {
                sent += batch.size();
            } else {
                sendBatch();
            }
            batch.clear();
            if (sent % 1000 < BATCH) {
                log.atInfo().addKeyValue("sent", sent).log("Jobs sent");
            }
        }

        /** One SendMessageBatch; entries SQS refused are sent once more after a pause, then counted failed. */
        private void sendBatch() {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .messageBody(batch.get(i))
                        .build());
            }
            for (int attempt = 1; attempt <= 2 && !entries.isEmpty(); attempt++) {
                List<SendMessageBatchRequestEntry> toSend = entries;
                SendMessageBatchResponse response;
                try {
                    response = sqs.sendMessageBatch(
                            r -> r.queueUrl(options.queueUrl()).entries(toSend));
                } catch (SdkException e) {
                    log.atWarn().log("Sending a batch failed: " + e.getMessage());
                    pause();
                    continue;
                }
                sent += response.successful().size();
                List<String> refused =
                        response.failed().stream().map(f -> f.id()).toList();
                response.failed().forEach(f -> log.atWarn().log("SQS refused a job: " + f.code() + " " + f.message()));
                entries = toSend.stream().filter(e -> refused.contains(e.id())).toList();
                if (!entries.isEmpty()) {
                    pause();
                }
            }
            failed += entries.size();
        }

        /** Waits until sending {@code total} jobs keeps within the rate since the start. */
        private void pace(long total) {
            long due = startNanos + (long) ((total - BATCH) / options.ratePerSecond() * 1e9);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw WorkerException.of(FailureReason.UNAVAILABLE, "Interrupted while sending jobs", e);
                }
            }
        }

        private static void pause() {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
