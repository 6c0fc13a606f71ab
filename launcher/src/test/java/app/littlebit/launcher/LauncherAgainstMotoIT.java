package app.littlebit.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The launcher with the real SDK against moto_server: the queue message in service mode, the
 * Lambda handler on a direct request and on S3 ObjectCreated events (the sample id read from the
 * recording's metadata in S3), and refusals that start nothing. Task mode's RunTask is tested
 * against a stubbed ECS endpoint (EcsTaskTargetTest): moto 5 fails RunTask for awsvpc tasks
 * (AttributeError: 'NetworkInterface' object has no attribute 'private_dns_name').
 */
class LauncherAgainstMotoIT {
    private static final String BUCKET = "little-bit-storage";
    private static final String USER = "eu-west-1:6f1c2b9e-4d7a-4a51-9a8e-0c3b2d1e5f60";
    private static final String KEY = "public/unprocessed/" + USER + "/snare take 3.m4a";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static MotoServer moto;
    private static SqsClient sqs;
    private static S3Client s3;
    private static String queueUrl;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start(dir.resolve("moto.log"));
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        sqs = SqsClient.builder()
                .endpointOverride(moto.endpoint())
                .region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials)
                .build();
        s3 = S3Client.builder()
                .endpointOverride(moto.endpoint())
                .forcePathStyle(true)
                .region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials)
                .build();
        queueUrl = sqs.createQueue(r -> r.queueName("little-bit-audio-jobs")).queueUrl();
        s3.createBucket(r -> r.bucket(BUCKET));
    }

    @AfterAll
    static void stop() {
        // Null when start() skipped the class (no moto_server on this machine).
        if (sqs != null) {
            sqs.close();
            s3.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private static Map<String, String> env(String mode) {
        Map<String, String> env = new HashMap<>(Map.of(
                "LAUNCH_MODE",
                mode,
                "STATUS_TABLE",
                "Sample-prod",
                "S3_BUCKET",
                BUCKET,
                "AWS_REGION",
                MotoServer.REGION,
                "AWS_ACCESS_KEY_ID",
                "test",
                "AWS_SECRET_ACCESS_KEY",
                "test",
                "AWS_ENDPOINT_URL",
                moto.endpoint().toString()));
        env.put("QUEUE_URL", queueUrl);
        return env;
    }

    private static SampleJob sample(String id) {
        return new SampleJob(id, BUCKET, KEY, USER, Optional.of("{\"outputFormat\":\"wav\"}"));
    }

    private static List<Message> takeAll() {
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10))
                .messages();
        messages.forEach(m -> sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
        return messages;
    }

    private static JsonNode invoke(Map<String, String> env, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LaunchHandler(env)
                .handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void queueModeSendsOneMessageWithTheSameVariables() throws Exception {
        takeAll();
        Launched launched =
                LauncherConfig.fromEnvironment(env("queue")).launcher().launch(sample("sample-queue-1"));

        List<Message> messages = takeAll();
        assertEquals(1, messages.size());
        assertEquals(launched.id(), messages.get(0).messageId());
        JsonNode body = JSON.readTree(messages.get(0).body());
        assertEquals(KEY, body.get("S3_KEY").asText());
        assertEquals(USER, body.get("USER_ID").asText());
        assertEquals("sample-queue-1", body.get("SAMPLE_ID").asText());
        assertEquals("{\"outputFormat\":\"wav\"}", body.get("PROCESSING_PARAMS").asText());
        assertEquals(5, body.size());
    }

    @Test
    void aRequestTheWorkerWouldRefuseStartsNothing() {
        takeAll();
        JobLauncher launcher = LauncherConfig.fromEnvironment(env("queue")).launcher();
        LaunchRefused refused = assertThrows(
                LaunchRefused.class,
                () -> launcher.launch(new SampleJob(
                        "s-1", BUCKET, "public/unprocessed/someone-else/kick.m4a", USER, Optional.empty())));
        assertTrue(refused.getMessage().contains("S3_KEY belongs to user 'someone-else'"), refused.getMessage());
        assertThrows(
                LaunchRefused.class,
                () -> launcher.launch(new SampleJob("s-1", BUCKET, KEY, USER, Optional.of("{\"targetDbfs\":-99}"))));
        assertEquals(List.of(), takeAll());
    }

    @Test
    void theLambdaLaunchesADirectRequestWithParamsAsAnObject() throws Exception {
        takeAll();
        JsonNode answer = invoke(
                env("queue"),
                "{\"sampleId\":\"direct-1\",\"key\":\"" + KEY + "\",\"userId\":\"" + USER
                        + "\",\"params\":{\"outputFormat\":\"flac\"}}");

        assertEquals("direct-1", answer.at("/launched/0/sampleId").asText(), answer.toString());
        assertEquals(0, answer.get("refused").size());
        JsonNode body = JSON.readTree(takeAll().get(0).body());
        assertEquals(BUCKET, body.get("S3_BUCKET").asText(), "the configured bucket");
        assertEquals(
                "{\"outputFormat\":\"flac\"}", body.get("PROCESSING_PARAMS").asText());
    }

    @Test
    void theLambdaOnS3ObjectCreatedReadsTheSampleFromTheRecordingsMetadataAndRefusesOneWithout() throws Exception {
        takeAll();
        s3.putObject(
                r -> r.bucket(BUCKET).key(KEY).metadata(Map.of("sample-id", "from-s3-1")),
                RequestBody.fromString("audio"));
        String untagged = "public/unprocessed/" + USER + "/untagged.m4a";
        s3.putObject(r -> r.bucket(BUCKET).key(untagged), RequestBody.fromString("audio"));
        // As S3 sends them: keys URL-encoded, a space as '+'.
        String event = "{\"Records\":[" + s3Record(KEY.replace(":", "%3A").replace(" ", "+")) + ","
                + s3Record(untagged.replace(":", "%3A")) + "]}";

        JsonNode answer = invoke(env("queue"), event);

        assertEquals(1, answer.get("launched").size(), answer.toString());
        assertEquals("from-s3-1", answer.at("/launched/0/sampleId").asText());
        assertEquals(untagged, answer.at("/refused/0/key").asText());
        assertTrue(answer.at("/refused/0/reason").asText().contains("sample-id"), answer.toString());
        List<Message> messages = takeAll();
        assertEquals(1, messages.size());
        JsonNode body = JSON.readTree(messages.get(0).body());
        assertEquals(KEY, body.get("S3_KEY").asText(), "the key decoded as S3 stores it");
        assertEquals(USER, body.get("USER_ID").asText(), "the user is the key's folder");
        assertEquals("from-s3-1", body.get("SAMPLE_ID").asText());
    }

    private static String s3Record(String encodedKey) {
        return "{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\""
                + BUCKET + "\"},\"object\":{\"key\":\"" + encodedKey + "\",\"size\":5}}}";
    }
}
