package app.littlebit.worker.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.support.LocalAwsServers;
import app.littlebit.worker.support.LocalSqs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;

/** {@code audio-worker enqueue} against S3Proxy and ElasticMQ with the real SDK clients. */
class EnqueueIT {
    private static final String BUCKET = "little-bit-storage";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalAwsServers aws;

    @RegisterExtension
    static final LocalSqs local = LocalSqs.forTestClass();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        aws = LocalAwsServers.start();
        aws.s3().createBucket(r -> r.bucket(BUCKET));
        for (String key : List.of(
                "public/unprocessed/u-1/kick.m4a",
                "public/unprocessed/u-1/snare.wav",
                "public/unprocessed/u-2/Caja española.m4a",
                "public/unprocessed/u-2/notes.txt",
                "public/processed/u-1/kick-1.m4a")) {
            aws.s3().putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString("x"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        aws.close();
    }

    private record Outcome(int exitCode, JsonNode summary) {}

    private Outcome enqueue(String queueUrl, String... args) throws Exception {
        Map<String, String> env = new HashMap<>(aws.awsEnvironment());
        env.putAll(local.awsEnvironment());
        env.put("QUEUE_URL", queueUrl);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Enqueue.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Outcome(code, JSON.readTree(out.toString(StandardCharsets.UTF_8)));
    }

    private static List<JsonNode> drain(String queueUrl) throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        while (true) {
            List<Message> messages = local.sqs()
                    .receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10))
                    .messages();
            if (messages.isEmpty()) {
                return bodies;
            }
            for (Message message : messages) {
                bodies.add(JSON.readTree(message.body()));
                local.sqs().deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
    }

    @Test
    void everyRecordingUnderThePrefixIsSentOnceAndWhatIsNoRecordingIsReported() throws Exception {
        String queue = local.createQueues("enqueue-prefix", 3).url();
        Outcome outcome = enqueue(
                queue,
                "--bucket",
                BUCKET,
                "--prefix",
                "public/unprocessed/",
                "--params",
                "{\"outputFormat\":\"wav\"}",
                "--rate",
                "50");

        assertEquals(65, outcome.exitCode(), "one listed object was no recording: " + outcome.summary());
        assertEquals(4, outcome.summary().get("read").asInt());
        assertEquals(3, outcome.summary().get("sent").asInt());
        assertEquals(1, outcome.summary().get("invalid").asInt());
        List<JsonNode> messages = drain(queue);
        TreeSet<String> keys = new TreeSet<>();
        for (JsonNode message : messages) {
            keys.add(message.get("S3_KEY").asText());
            assertEquals(BUCKET, message.get("S3_BUCKET").asText());
            assertTrue(message.get("S3_KEY")
                    .asText()
                    .startsWith("public/unprocessed/" + message.get("USER_ID").asText() + "/"));
            assertEquals(
                    "{\"outputFormat\":\"wav\"}",
                    message.get("PROCESSING_PARAMS").asText());
        }
        assertEquals(
                new TreeSet<>(List.of(
                        "public/unprocessed/u-1/kick.m4a",
                        "public/unprocessed/u-1/snare.wav",
                        "public/unprocessed/u-2/Caja española.m4a")),
                keys);
    }

    @Test
    void aJsonLinesFileIsSentLineByLineSkippingInvalidJobs() throws Exception {
        String queue = local.createQueues("enqueue-file", 3).url();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            lines.add("{\"S3_BUCKET\":\"" + BUCKET + "\",\"S3_KEY\":\"public/unprocessed/u-1/take-" + i + ".m4a\","
                    + "\"USER_ID\":\"u-1\",\"SAMPLE_ID\":\"s-" + i + "\"}");
        }
        lines.add("{\"S3_BUCKET\":\"" + BUCKET + "\",\"S3_KEY\":\"public/unprocessed/u-2/x.m4a\",\"USER_ID\":\"u-1\"}");
        lines.add("not json");
        Path file = Files.write(dir.resolve("jobs.jsonl"), lines);

        Outcome outcome = enqueue(queue, "--from", file.toString());

        assertEquals(65, outcome.exitCode());
        assertEquals(23, outcome.summary().get("sent").asInt());
        assertEquals(2, outcome.summary().get("invalid").asInt());
        List<JsonNode> messages = drain(queue);
        assertEquals(23, messages.size());
        assertEquals(
                23,
                messages.stream()
                        .map(m -> m.get("SAMPLE_ID").asText())
                        .distinct()
                        .count());
    }

    @Test
    void aDryRunChecksEverythingAndSendsNothing() throws Exception {
        String queue = local.createQueues("enqueue-dry", 3).url();
        Outcome outcome = enqueue(queue, "--bucket", BUCKET, "--prefix", "public/unprocessed/u-1/", "--dry-run");
        assertEquals(0, outcome.exitCode(), outcome.summary().toString());
        assertEquals(2, outcome.summary().get("sent").asInt());
        assertEquals(0, local.messagesOn(queue));
    }
}
