package app.littlebit.worker.serve;

import app.littlebit.worker.support.LocalAwsServers;
import app.littlebit.worker.support.LocalSqs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Serve mode's benchmark (bench/serve.sh runs it; not a test): the worker's jar as the service's
 * container runs it ({@code java @jvm.options -jar audio-worker.jar serve}, optionally pinned to
 * one CPU), against S3Proxy, DynamoDB Local and ElasticMQ in this JVM.
 * <ol>
 *   <li>latency: one message at a time, each sent once the previous sample is COMPLETED; per job,
 *       message received (the worker's "Job received" log line) to COMPLETED (the status item's
 *       {@code processing_completed_at}), both on the worker's clock; warm-up jobs left out;</li>
 *   <li>throughput: a batch sent at once; jobs per minute from the first receive to the last
 *       completion;</li>
 *   <li>the anchor: the same take run in task mode (a JVM per job, as RunTask starts it), process
 *       start to exit, so the ratio holds on a machine whose load varies.</li>
 * </ol>
 * Prints one JSON object on stdout.
 *
 * <p>Arguments: take.m4a jar jvm.options workDir cpuList warmup measured batch taskRuns [extra JVM flag...]
 */
public final class ServeBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "little-bit-storage";
    private static final String TABLE = "Sample-bench";
    private static final String USER = "bench-user";

    private ServeBench() {}

    public static void main(String[] args) throws Exception {
        Path take = Path.of(args[0]);
        Path jar = Path.of(args[1]);
        Path options = Path.of(args[2]);
        Path work = Files.createDirectories(Path.of(args[3]));
        String cpus = args[4];
        int warmup = Integer.parseInt(args[5]);
        int measured = Integer.parseInt(args[6]);
        int batch = Integer.parseInt(args[7]);
        int taskRuns = Integer.parseInt(args[8]);
        List<String> extraFlags = Arrays.asList(args).subList(9, args.length);
        try (LocalAwsServers aws = LocalAwsServers.start();
                LocalSqs sqs = LocalSqs.start()) {
            LocalAwsServers.createAppStorage(aws.s3(), aws.dynamoDb(), BUCKET, TABLE);
            DynamoDbClient dynamo = aws.dynamoDb();
            String queue = sqs.createQueues("bench", 5).url();
            int jobs = warmup + measured + batch;
            for (int i = 0; i < jobs; i++) {
                String key = key(i);
                aws.s3().putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromFile(take));
                putSample(dynamo, sample(i));
            }
            Map<String, String> env = new HashMap<>(aws.awsEnvironment());
            env.putAll(sqs.awsEnvironment());
            env.put("QUEUE_URL", queue);
            env.put("STATUS_TABLE", TABLE);
            env.put("SERVE_CONCURRENCY", Integer.toString(cpus.split(",").length));
            env.put("TMPDIR", Files.createDirectories(work.resolve("tmp")).toString());

            Path serveLog = work.resolve("serve.stderr");
            ObjectNodeBuilder out = new ObjectNodeBuilder();
            Process serve = start(
                    command(jar, options, work, cpus, extraFlags, List.of("serve")),
                    env,
                    serveLog,
                    work.resolve("serve.stdout"));
            try {
                // 1. Latency, one job at a time.
                List<Double> sentToCompleted = new ArrayList<>();
                for (int i = 0; i < warmup + measured; i++) {
                    long sent = System.currentTimeMillis();
                    String body = message(i);
                    sqs.sqs().sendMessage(r -> r.queueUrl(queue).messageBody(body));
                    awaitCompleted(dynamo, sample(i), serve);
                    if (i >= warmup) {
                        sentToCompleted.add((double) (completedAt(dynamo, sample(i)) - sent));
                    }
                }
                Map<String, Long> received = receivedAt(serveLog);
                List<Double> latency = new ArrayList<>();
                for (int i = warmup; i < warmup + measured; i++) {
                    latency.add((double) (completedAt(dynamo, sample(i)) - received.get(sample(i))));
                }
                out.stats("receivedToCompletedMs", latency).stats("sentToCompletedMs", sentToCompleted);

                // 2. Throughput: a batch at once.
                for (int i = warmup + measured; i < jobs; i++) {
                    String body = message(i);
                    sqs.sqs().sendMessage(r -> r.queueUrl(queue).messageBody(body));
                }
                for (int i = warmup + measured; i < jobs; i++) {
                    awaitCompleted(dynamo, sample(i), serve);
                }
                received = receivedAt(serveLog);
                long first = Long.MAX_VALUE;
                long last = 0;
                for (int i = warmup + measured; i < jobs; i++) {
                    first = Math.min(first, received.get(sample(i)));
                    last = Math.max(last, completedAt(dynamo, sample(i)));
                }
                double minutes = (last - first) / 60_000.0;
                out.number("batchJobs", batch)
                        .number("batchSeconds", (last - first) / 1000.0)
                        .number("jobsPerMinute", batch / minutes)
                        .number("jobsPerMinutePerCpu", batch / minutes / cpus.split(",").length);
            } finally {
                serve.destroy();
                serve.waitFor(150, TimeUnit.SECONDS);
            }
            out.number("serveExit", serve.exitValue());

            // 3. The anchor: task mode, a JVM per job, process start to exit.
            List<Double> taskWall = new ArrayList<>();
            for (int run = 0; run < taskRuns; run++) {
                String id = "task-" + run;
                putSample(dynamo, id);
                Map<String, String> taskEnv = new HashMap<>(env);
                taskEnv.remove("QUEUE_URL");
                taskEnv.putAll(Map.of("S3_BUCKET", BUCKET, "S3_KEY", key(0), "USER_ID", USER, "SAMPLE_ID", id));
                long started = System.nanoTime();
                Process task = start(
                        command(jar, options, work, cpus, extraFlags, List.of()),
                        taskEnv,
                        work.resolve("task.stderr"),
                        work.resolve("task.stdout"));
                if (task.waitFor() != 0) {
                    throw new IllegalStateException(
                            "task mode run failed: " + Files.readString(work.resolve("task.stderr")));
                }
                taskWall.add((System.nanoTime() - started) / 1e6);
            }
            out.stats("taskModeProcessMs", taskWall);
            System.out.println(out.json());
        }
        System.exit(0); // the local servers leave non-daemon threads behind
    }

    /** Polls the status item (consistent reads) until COMPLETED; fails if the service died or a job FAILED. */
    private static void awaitCompleted(DynamoDbClient dynamo, String id, Process serve) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (true) {
            Map<String, AttributeValue> item = item(dynamo, id);
            AttributeValue status = item.get("processing_status");
            if (status != null && status.s().equals("COMPLETED")) {
                return;
            }
            if (status != null && status.s().equals("FAILED")) {
                throw new IllegalStateException(id + " FAILED: " + item.get("processing_error"));
            }
            if (!serve.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("serve died or timed out waiting for " + id);
            }
            Thread.sleep(5);
        }
    }

    private static Map<String, AttributeValue> item(DynamoDbClient dynamo, String id) {
        return dynamo.getItem(r -> r.tableName(TABLE)
                        .key(Map.of("id", AttributeValue.fromS(id)))
                        .consistentRead(true))
                .item();
    }

    private static long completedAt(DynamoDbClient dynamo, String id) {
        return Instant.parse(item(dynamo, id).get("processing_completed_at").s())
                .toEpochMilli();
    }

    /** Sample id to when the worker logged receiving its message (its own clock, ms). */
    private static Map<String, Long> receivedAt(Path serveLog) throws IOException {
        Map<String, Long> received = new HashMap<>();
        for (String line : Files.readAllLines(serveLog)) {
            if (!line.startsWith("{") || !line.contains("Job received from the queue")) {
                continue;
            }
            // One flat JSON object per line (LogSetup): the key-values at the top, an ISO-8601 timestamp.
            JsonNode event = JSON.readTree(line);
            received.put(
                    event.get("sampleId").asText(),
                    Instant.parse(event.get("timestamp").asText()).toEpochMilli());
        }
        return received;
    }

    /** The result: numbers and, for series, their median, min, max and count. */
    private static final class ObjectNodeBuilder {
        private final com.fasterxml.jackson.databind.node.ObjectNode node = JSON.createObjectNode();

        ObjectNodeBuilder number(String name, double value) {
            node.put(name, Math.round(value * 100) / 100.0);
            return this;
        }

        ObjectNodeBuilder stats(String name, List<Double> values) {
            List<Double> sorted = values.stream().sorted().toList();
            var series = node.putObject(name);
            series.put("n", sorted.size());
            series.put(
                    "p50",
                    sorted.size() % 2 == 1
                            ? sorted.get(sorted.size() / 2)
                            : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2);
            series.put("p90", sorted.get((int) Math.ceil(0.9 * sorted.size()) - 1));
            series.put("min", sorted.get(0));
            series.put("max", sorted.get(sorted.size() - 1));
            return this;
        }

        String json() {
            return node.toString();
        }
    }

    static String key(int i) {
        return "public/unprocessed/" + USER + "/take-" + i + ".m4a";
    }

    static String sample(int i) {
        return "bench-" + i;
    }

    static String message(int i) {
        return "{\"S3_BUCKET\":\"" + BUCKET + "\",\"S3_KEY\":\"" + key(i) + "\",\"USER_ID\":\"" + USER
                + "\",\"SAMPLE_ID\":\"" + sample(i) + "\"}";
    }

    private static void putSample(DynamoDbClient dynamo, String id) {
        dynamo.putItem(r -> r.tableName(TABLE).item(Map.of("id", AttributeValue.fromS(id))));
    }

    private static List<String> command(
            Path jar, Path options, Path work, String cpus, List<String> extraFlags, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(
                "taskset",
                "-c",
                cpus,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + options));
        command.add("-Djava.io.tmpdir=" + work.resolve("tmp"));
        command.add("-Dorg.bytedeco.javacpp.cachedir=" + work.resolve("javacpp"));
        command.addAll(extraFlags);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments);
        return command;
    }

    private static Process start(List<String> command, Map<String, String> env, Path stderr, Path stdout)
            throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectError(stderr.toFile()).redirectOutput(stdout.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(env);
        return builder.start();
    }
}
