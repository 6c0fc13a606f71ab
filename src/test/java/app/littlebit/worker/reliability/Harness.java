package app.littlebit.worker.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.littlebit.worker.Main;
import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.support.LocalAwsServers;
import app.littlebit.worker.support.TestAudio;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The world the reliability tests run the worker in: one S3Proxy and one DynamoDB Local for the
 * whole test JVM (started on first use), the app's bucket and Sample table in them, and the worker
 * started through its real entry point with a task's environment. The names are those of
 * {@code EnvironmentParserTest}'s valid environment, so its bad cases can be replayed end to end.
 * Every run gets a TMPDIR of its own, and every run is checked to leave it empty.
 */
final class Harness {
    static final String BUCKET = "little-bit-storage";
    static final String TABLE = "Sample-abc123-dev";
    static final String USER = "user123";
    static final String SAMPLE = "3f1c2a9e-0b7d-4e8f-9a61-5d2c7e4b8a10";
    static final String KEY = "public/unprocessed/user123/kick.m4a";
    static final String OUTPUTS = "public/processed/" + USER + "/";
    /**
     * What a run on the two-hit take writes, in key order: each one-shot and its waveform, the
     * original's copy, the recording's waveform.
     */
    static final List<String> CLEAN_RUN_OUTPUTS = List.of(
            OUTPUTS + "kick-1.wav",
            OUTPUTS + "kick-1.waveform.json",
            OUTPUTS + "kick-2.wav",
            OUTPUTS + "kick-2.waveform.json",
            OUTPUTS + "kick-original.m4a",
            OUTPUTS + "kick-recording.waveform.json");
    /** WAV one-shots: no lossy re-encode loop, so each run is quick and bit-exact. */
    static final String WAV_PARAMS = "{\"outputFormat\":\"wav\"}";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExecutorService BACKGROUND = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "background-worker-run");
        thread.setDaemon(true);
        return thread;
    });
    private static LocalAwsServers servers;
    private static S3Client s3;
    private static DynamoDbClient dynamoDb;
    private static Path scratch;
    private static Path twoHits;

    private Harness() {}

    /** Starts the servers on first use; they stop when the test JVM exits. */
    static synchronized void start() throws Exception {
        if (servers != null) {
            return;
        }
        servers = LocalAwsServers.start();
        s3 = servers.s3();
        dynamoDb = servers.dynamoDb();
        LocalAwsServers.createAppStorage(s3, dynamoDb, BUCKET, TABLE);
        scratch = Files.createTempDirectory("reliability-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                servers.close();
            } catch (Exception e) {
                // the JVM is going away anyway
            }
            deleteTree(scratch);
        }));
    }

    static S3Client s3() {
        return s3;
    }

    static URI s3Endpoint() {
        return URI.create(servers.awsEnvironment().get("AWS_ENDPOINT_URL_S3"));
    }

    static URI dynamoDbEndpoint() {
        return URI.create(servers.awsEnvironment().get("AWS_ENDPOINT_URL_DYNAMODB"));
    }

    /** A folder for a test's own files, removed when the JVM exits. */
    static Path scratch(String name) throws IOException {
        return Files.createTempDirectory(scratch, name + "-");
    }

    /** An empty bucket and no sample items. */
    static void clear() {
        for (S3Object object : s3.listObjectsV2(r -> r.bucket(BUCKET)).contents()) {
            s3.deleteObject(r -> r.bucket(BUCKET).key(object.key()));
        }
        dynamoDb.scan(r -> r.tableName(TABLE))
                .items()
                .forEach(item -> dynamoDb.deleteItem(r -> r.tableName(TABLE).key(Map.of("id", item.get("id")))));
    }

    /** A task's environment for {@link #KEY} and {@link #SAMPLE}, WAV output. */
    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(servers.awsEnvironment());
        env.put("S3_BUCKET", BUCKET);
        env.put("S3_KEY", KEY);
        env.put("USER_ID", USER);
        env.put("SAMPLE_ID", SAMPLE);
        env.put("STATUS_TABLE", TABLE);
        env.put("PROCESSING_PARAMS", WAV_PARAMS);
        return env;
    }

    /** The same environment with S3 and DynamoDB reached through fault proxies (either may be null). */
    static Map<String, String> via(Map<String, String> env, FaultProxy s3Proxy, FaultProxy dynamoProxy) {
        if (s3Proxy != null) {
            env.put("AWS_ENDPOINT_URL_S3", s3Proxy.endpoint().toString());
        }
        if (dynamoProxy != null) {
            env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoProxy.endpoint().toString());
        }
        return env;
    }

    /** Two hits over room noise, 44.1 kHz mono AAC: a small real recording (made once). */
    static synchronized Path twoHitRecording() throws IOException {
        if (twoHits == null) {
            twoHits = TestAudio.write(
                    TestAudio.take(new PcmFormat(44_100, 1), -60, 1.5, -6, -12),
                    AudioFileType.M4A,
                    scratch("fixtures").resolve("two-hits.m4a"));
        }
        return twoHits;
    }

    static void putRecording(String key, Path file) {
        s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromFile(file));
    }

    static void putRecording(String key, byte[] bytes) {
        s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    }

    /** The app's Sample item, as the app creates it before starting the task. */
    static void putSample(String id) {
        LocalAwsServers.putSample(dynamoDb, TABLE, id, USER);
    }

    static void putSample(Map<String, AttributeValue> item) {
        dynamoDb.putItem(r -> r.tableName(TABLE).item(item));
    }

    static Map<String, AttributeValue> sample(String id) {
        return dynamoDb.getItem(r -> r.tableName(TABLE)
                        .key(Map.of("id", AttributeValue.fromS(id)))
                        .consistentRead(true))
                .item();
    }

    static String status(String id) {
        AttributeValue status = sample(id).get("processing_status");
        return status == null ? null : status.s();
    }

    static List<String> keys(String prefix) {
        return s3.listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .sorted()
                .toList();
    }

    /** Key to ETag (the MD5 of the bytes) of every object under the prefix. */
    static Map<String, String> etags(String prefix) {
        Map<String, String> etags = new HashMap<>();
        s3.listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix)).contents().forEach(o -> etags.put(o.key(), o.eTag()));
        return etags;
    }

    /** One worker run's outcome: exit code, the one stdout line, and that line parsed. */
    record Run(int exitCode, String stdout, JsonNode result) {
        String category() {
            return result.at("/error/category").asText();
        }

        String message() {
            return result.at("/error/message").asText();
        }

        boolean retryable() {
            return result.at("/error/retryable").asBoolean();
        }
    }

    /**
     * Runs {@code Main.run} with the environment (and a TMPDIR of its own unless one is given),
     * checks that stdout is exactly one JSON line and that no work file is left behind.
     */
    static Run run(Map<String, String> env) throws IOException {
        Map<String, String> taskEnv = new HashMap<>(env);
        Path tmp = taskEnv.containsKey("TMPDIR") ? Path.of(taskEnv.get("TMPDIR")) : scratch("tmp");
        taskEnv.putIfAbsent("TMPDIR", tmp.toString());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = Main.run(new String[0], taskEnv, out);
        String stdout = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, stdout.lines().count(), "stdout must be exactly one JSON line: " + stdout);
        assertEquals(List.of(), leftovers(tmp), "work files left behind in " + tmp);
        return new Run(code, stdout, JSON.readTree(stdout));
    }

    /** Runs the worker on a thread of its own (not the common pool: a test may hold several runs at once). */
    static CompletableFuture<Run> runInBackground(Map<String, String> env) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return run(env);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                BACKGROUND);
    }

    /** Waits for a descendant process whose command line contains {@code argument}. */
    static ProcessHandle awaitProcess(ProcessHandle parent, String argument) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var found = parent.descendants()
                    .filter(p -> p.info()
                            .arguments()
                            .map(args -> List.of(args).contains(argument))
                            .orElse(false))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no process with argument " + argument + " appeared");
    }

    static List<Path> leftovers(Path tmp) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.toList();
        }
    }

    static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
