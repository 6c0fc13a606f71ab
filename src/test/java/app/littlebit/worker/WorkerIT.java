package app.littlebit.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.demo.SynthesizedTake;
import app.littlebit.worker.support.LocalAwsServers;
import app.littlebit.worker.support.TestAudio;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The worker end to end against real S3 and DynamoDB APIs on loopback: a recording uploaded the
 * way the app does it, the real entry point run with a task's environment, and then everything a
 * user would check — the objects, their metadata and audio, the status item, stdout and exit code.
 */
class WorkerIT {
    private static final String BUCKET = "little-bit-storage";
    private static final String TABLE = "Sample-dev";
    private static final String USER = "user123";
    private static final String KEY = "public/unprocessed/" + USER + "/kick.m4a";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalAwsServers servers;
    private static S3Client s3;
    private static DynamoDbClient dynamoDb;
    private static SynthesizedTake take;
    private static Path recording;

    @TempDir
    static Path tempDir;

    @BeforeAll
    static void startServers() throws Exception {
        servers = LocalAwsServers.start();
        s3 = servers.s3();
        dynamoDb = servers.dynamoDb();
        LocalAwsServers.createAppStorage(s3, dynamoDb, BUCKET, TABLE);
        take = TestAudio.take(new PcmFormat(44_100, 2), -60, 2.0, -6, -12, -20, -9);
        recording = TestAudio.write(take, AudioFileType.M4A, tempDir.resolve("kick.m4a"));
    }

    @AfterAll
    static void stopServers() throws Exception {
        servers.close();
    }

    @BeforeEach
    void cleanBucket() {
        for (S3Object object : s3.listObjectsV2(r -> r.bucket(BUCKET)).contents()) {
            s3.deleteObject(r -> r.bucket(BUCKET).key(object.key()));
        }
    }

    @Test
    void recordingInS3BecomesOneShotsInS3WithCompletedStatus() throws Exception {
        s3.putObject(r -> r.bucket(BUCKET).key(KEY).contentType("audio/mp4"), RequestBody.fromFile(recording));
        String originalEtag = s3.headObject(r -> r.bucket(BUCKET).key(KEY)).eTag();
        putSample("sample-1");

        Run run = runWorker(jobEnv(
                "sample-1",
                Map.of("PROCESSING_PARAMS", "{\"createOneShot\":true,\"keepSilence\":50,\"uiVersion\":\"2.3.0\"}")));

        assertEquals(0, run.exitCode, run.stdout);
        JsonNode result = run.result;
        assertEquals("COMPLETED", result.get("status").asText());
        assertEquals("sample-1", result.get("sampleId").asText());
        assertEquals("2.3.0", result.at("/params/uiVersion").asText());
        assertEquals("onsets", result.at("/params/splitMode").asText(), "defaults are echoed too");
        assertEquals(2, result.at("/source/channels").asInt());
        assertEquals(44_100, result.at("/source/sampleRate").asInt());
        JsonNode oneShots = result.get("oneShots");
        assertEquals(take.hits().size(), oneShots.size());

        List<String> keys = listKeys("public/processed/" + USER + "/");
        assertEquals(
                List.of(
                        "public/processed/user123/kick-1.m4a",
                        "public/processed/user123/kick-1.waveform.json",
                        "public/processed/user123/kick-2.m4a",
                        "public/processed/user123/kick-2.waveform.json",
                        "public/processed/user123/kick-3.m4a",
                        "public/processed/user123/kick-3.waveform.json",
                        "public/processed/user123/kick-4.m4a",
                        "public/processed/user123/kick-4.waveform.json",
                        "public/processed/user123/kick-original.m4a",
                        "public/processed/user123/kick-recording.waveform.json"),
                keys);
        assertEquals(
                "public/processed/user123/kick-recording.waveform.json",
                result.at("/recordingWaveform/key").asText());
        JsonNode recordingWaveform = JSON.readTree(
                s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("public/processed/user123/kick-recording.waveform.json"))
                        .asByteArray());
        assertEquals(2, recordingWaveform.get("version").asInt());
        assertEquals(take.hits().size(), recordingWaveform.get("cuts").size());
        for (int i = 0; i < oneShots.size(); i++) {
            JsonNode oneShot = oneShots.get(i);
            SynthesizedTake.Hit hit = take.hits().get(i);
            double onsetMs = hit.onsetFrame() * 1000.0 / take.format().sampleRate();
            double startMs = oneShot.get("sourceStartMs").asDouble();
            assertTrue(
                    startMs <= onsetMs + 1 && startMs >= onsetMs - 30,
                    "one-shot " + i + " starts at " + startMs + " ms, sound at " + onsetMs + " ms");
            String key = oneShot.get("key").asText();
            HeadObjectResponse head = s3.headObject(r -> r.bucket(BUCKET).key(key));
            assertEquals("audio/mp4", head.contentType());
            assertEquals("sample-1", head.metadata().get("sample-id"));
            assertEquals(USER, head.metadata().get("user-id"));
            assertEquals(KEY, head.metadata().get("source-key"));
            assertEquals(Integer.toString(i + 1), head.metadata().get("index"));
            assertTrue(head.metadata().containsKey("peak-dbfs"));
            assertTrue(head.metadata().containsKey("worker-version"));
            assertTrue(oneShot.has("loudnessLufs") && oneShot.has("pitch"), oneShot.toString());
            String waveformKey = oneShot.get("waveformKey").asText();
            assertEquals(key.replace(".m4a", ".waveform.json"), waveformKey);
            HeadObjectResponse waveformHead =
                    s3.headObject(r -> r.bucket(BUCKET).key(waveformKey));
            assertEquals("application/json", waveformHead.contentType());
            assertEquals(Integer.toString(i + 1), waveformHead.metadata().get("index"));
            JsonNode waveform = JSON.readTree(
                    s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(waveformKey)).asByteArray());
            assertEquals(2, waveform.get("version").asInt());
            assertEquals(44_100, waveform.get("sample_rate").asInt());
            assertTrue(waveform.get("length").asInt() > 0);
            Path downloaded = tempDir.resolve("out-" + i + ".m4a");
            Files.deleteIfExists(downloaded);
            s3.getObject(r -> r.bucket(BUCKET).key(key), downloaded);
            RecordingInfo info = TestAudio.probe(downloaded);
            assertEquals(2, info.channels());
            float[] audio = TestAudio.decode(downloaded);
            assertTrue(audio.length > 0);
            assertTrue(TestAudio.peakDbfs(audio) <= -0.99, "decoded one-shot peaks at " + TestAudio.peakDbfs(audio));
            assertEquals(oneShot.get("peakDbfs").asDouble(), TestAudio.peakDbfs(audio), 0.05);
        }
        // The original is untouched and a copy sits beside the one-shots.
        assertEquals(originalEtag, s3.headObject(r -> r.bucket(BUCKET).key(KEY)).eTag());
        assertEquals(Files.size(recording), result.at("/original/bytes").asLong());

        Map<String, AttributeValue> item = getSample("sample-1");
        assertEquals("COMPLETED", item.get("processing_status").s());
        assertEquals("kick", item.get("name").s(), "attributes the app owns stay untouched");
        Instant.parse(item.get("processing_started_at").s());
        Instant.parse(item.get("processing_completed_at").s());
        List<AttributeValue> outputs = item.get("processing_outputs").l();
        assertEquals(4, outputs.size());
        assertEquals(
                "public/processed/user123/kick-1.m4a",
                outputs.get(0).m().get("key").s());
        assertTrue(outputs.get(0).m().containsKey("peakDbfs"));
        assertTrue(outputs.get(0).m().containsKey("loudnessLufs"));
        assertEquals(
                "public/processed/user123/kick-1.waveform.json",
                outputs.get(0).m().get("waveformKey").s());
        assertEquals(
                "public/processed/user123/kick-recording.waveform.json",
                item.get("processing_waveform_key").s());
        assertFalse(item.containsKey("processing_error"));
    }

    @Test
    void missingObjectFailsAsBadInputAndMarksSampleFailed() throws Exception {
        putSample("sample-missing");
        Run run = runWorker(jobEnv("sample-missing", Map.of()));

        assertEquals(64, run.exitCode);
        assertEquals("BAD_INPUT", run.result.at("/error/category").asText());
        assertFalse(run.result.at("/error/retryable").asBoolean());
        assertTrue(run.result.at("/error/message").asText().contains("does not exist"));
        Map<String, AttributeValue> item = getSample("sample-missing");
        assertEquals("FAILED", item.get("processing_status").s());
        assertEquals("BAD_INPUT", item.get("processing_error_category").s());
        assertTrue(listKeys("public/processed/").isEmpty());
    }

    @Test
    void missingBucketFailsAsBadInput() throws Exception {
        Map<String, String> env = jobEnv(null, Map.of());
        env.put("S3_BUCKET", "no-such-bucket-here");
        Run run = runWorker(env);

        assertEquals(64, run.exitCode);
        assertTrue(run.result.at("/error/message").asText().contains("no-such-bucket-here"));
    }

    @Test
    void missingStatusTableFailsBeforeAnythingIsDownloadedOrWritten() throws Exception {
        s3.putObject(r -> r.bucket(BUCKET).key(KEY), RequestBody.fromFile(recording));
        Map<String, String> env = jobEnv("sample-1", Map.of());
        env.put("STATUS_TABLE", "NoSuchTable");
        Run run = runWorker(env);

        assertEquals(64, run.exitCode);
        assertTrue(run.result.at("/error/message").asText().contains("NoSuchTable"));
        assertTrue(listKeys("public/processed/").isEmpty());
    }

    @Test
    void textFileWithAudioExtensionFailsAsBadDataWithNoOutputs() throws Exception {
        s3.putObject(r -> r.bucket(BUCKET).key(KEY), RequestBody.fromString("this is not audio, it is a note"));
        putSample("sample-text");
        Run run = runWorker(jobEnv("sample-text", Map.of()));

        assertEquals(65, run.exitCode);
        assertEquals("BAD_DATA", run.result.at("/error/category").asText());
        Map<String, AttributeValue> item = getSample("sample-text");
        assertEquals("FAILED", item.get("processing_status").s());
        assertEquals("BAD_DATA", item.get("processing_error_category").s());
        assertTrue(item.get("processing_error").s().contains("not a readable audio file"));
        assertTrue(listKeys("public/processed/").isEmpty());
        assertEquals(List.of(KEY), listKeys("public/unprocessed/"));
    }

    @Test
    void silentRecordingFailsWithNoSoundFoundAndNoJunkFile() throws Exception {
        float[] silence = new float[44_100 * 3];
        Path file =
                TestAudio.write(silence, new PcmFormat(44_100, 1), AudioFileType.M4A, tempDir.resolve("silence.m4a"));
        s3.putObject(r -> r.bucket(BUCKET).key(KEY), RequestBody.fromFile(file));
        putSample("sample-silent");
        Run run = runWorker(jobEnv("sample-silent", Map.of()));

        assertEquals(65, run.exitCode);
        assertTrue(run.result.at("/error/message").asText().startsWith("No sound found"));
        assertEquals(
                "FAILED", getSample("sample-silent").get("processing_status").s());
        assertTrue(listKeys("public/processed/").isEmpty());
    }

    @Test
    void invalidParamsAreRejectedBeforeAnyReadButStillMarkTheSampleFailed() throws Exception {
        s3.putObject(r -> r.bucket(BUCKET).key(KEY), RequestBody.fromFile(recording));
        putSample("sample-params");
        Run run = runWorker(jobEnv("sample-params", Map.of("PROCESSING_PARAMS", "{\"targetDbfs\": 3}")));

        assertEquals(64, run.exitCode);
        assertTrue(run.result.at("/error/message").asText().contains("targetDbfs"));
        Map<String, AttributeValue> item = getSample("sample-params");
        assertEquals("FAILED", item.get("processing_status").s());
        assertTrue(listKeys("public/processed/").isEmpty());
    }

    private static Map<String, String> jobEnv(String sampleId, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(servers.awsEnvironment());
        env.put("S3_BUCKET", BUCKET);
        env.put("S3_KEY", KEY);
        env.put("USER_ID", USER);
        if (sampleId != null) {
            env.put("SAMPLE_ID", sampleId);
            env.put("STATUS_TABLE", TABLE);
        }
        env.putAll(extra);
        return env;
    }

    private static void putSample(String id) {
        LocalAwsServers.putSample(dynamoDb, TABLE, id, USER);
    }

    private static Map<String, AttributeValue> getSample(String id) {
        return dynamoDb.getItem(r -> r.tableName(TABLE)
                        .key(Map.of("id", AttributeValue.fromS(id)))
                        .consistentRead(true))
                .item();
    }

    private static List<String> listKeys(String prefix) {
        return s3.listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .sorted()
                .toList();
    }

    private record Run(int exitCode, String stdout, JsonNode result) {}

    private static Run runWorker(Map<String, String> env) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Main.run(new String[0], env, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String stdout = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, stdout.lines().count(), "stdout must be exactly one JSON line: " + stdout);
        return new Run(code, stdout, JSON.readTree(stdout));
    }
}
