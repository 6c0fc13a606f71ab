package app.littlebit.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.demo.SynthesizedTake;
import app.littlebit.worker.support.LocalAwsServers;
import app.littlebit.worker.support.TestAudio;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole job against LocalStack, the way a developer runs it with docker: only the SDK's own
 * AWS_ENDPOINT_URL points the worker at it. Needs Docker, so it runs in GitHub Actions and is
 * skipped where there is no Docker engine (this project's build machines).
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackSmokeIT {
    @Container
    private static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer("localstack/localstack:4.4.0").withServices("s3", "dynamodb");

    @TempDir
    Path dir;

    @Test
    void recordingInLocalStackBecomesOneShotsAndACompletedSample() throws Exception {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
        Region region = Region.of(LOCALSTACK.getRegion());
        try (S3Client s3 = S3Client.builder()
                        .endpointOverride(LOCALSTACK.getEndpoint())
                        .forcePathStyle(true)
                        .region(region)
                        .credentialsProvider(credentials)
                        .build();
                DynamoDbClient dynamoDb = DynamoDbClient.builder()
                        .endpointOverride(LOCALSTACK.getEndpoint())
                        .region(region)
                        .credentialsProvider(credentials)
                        .build()) {
            LocalAwsServers.createAppStorage(s3, dynamoDb, "little-bit-storage", "Sample");
            dynamoDb.putItem(r -> r.tableName("Sample").item(Map.of("id", AttributeValue.fromS("s-1"))));
            SynthesizedTake take = TestAudio.take(new PcmFormat(44_100, 1), -60, 2.0, -6, -14, -10);
            Path recording = TestAudio.write(take, AudioFileType.M4A, dir.resolve("take.m4a"));
            s3.putObject(
                    r -> r.bucket("little-bit-storage").key("public/unprocessed/u1/take.m4a"),
                    RequestBody.fromFile(recording));

            Map<String, String> env = Map.of(
                    "AWS_ENDPOINT_URL", LOCALSTACK.getEndpoint().toString(),
                    "AWS_REGION", LOCALSTACK.getRegion(),
                    "AWS_ACCESS_KEY_ID", LOCALSTACK.getAccessKey(),
                    "AWS_SECRET_ACCESS_KEY", LOCALSTACK.getSecretKey(),
                    "S3_BUCKET", "little-bit-storage",
                    "S3_KEY", "public/unprocessed/u1/take.m4a",
                    "USER_ID", "u1",
                    "SAMPLE_ID", "s-1",
                    "STATUS_TABLE", "Sample");
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            int exitCode = Main.run(new String[0], env, new PrintStream(stdout, true, StandardCharsets.UTF_8));

            JsonNode result = new ObjectMapper().readTree(stdout.toString(StandardCharsets.UTF_8));
            assertEquals(0, exitCode, result.toString());
            assertEquals(take.hits().size(), result.get("oneShots").size());
            // Each one-shot and its waveform, the original's copy and the recording's waveform.
            assertEquals(
                    2 * take.hits().size() + 2,
                    s3.listObjectsV2(r -> r.bucket("little-bit-storage").prefix("public/processed/u1/"))
                            .keyCount());
            assertEquals(
                    "COMPLETED",
                    dynamoDb.getItem(r -> r.tableName("Sample").key(Map.of("id", AttributeValue.fromS("s-1"))))
                            .item()
                            .get("processing_status")
                            .s());
        }
    }
}
