package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.littlebit.worker.support.LocalAwsServers;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The task-stopped Lambda's code with the real boto3 against DynamoDB Local: what its conditional
 * update does to a sample in each status. A sample the app created as PENDING, whose task never
 * started, stayed PENDING for ever before. Skipped where python3 or boto3 is missing.
 */
class TaskStoppedHandlerIT {
    private static final String TABLE = "Sample-handler-test";

    @TempDir
    static Path dir;

    private static LocalAwsServers servers;
    private static DynamoDbClient dynamoDb;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Repo.onPath("python3"), "python3 is not installed");
        assumeTrue(Repo.run(List.of("python3", "-c", "import boto3")).exitCode() == 0, "boto3 is not installed");
        servers = LocalAwsServers.start();
        dynamoDb = servers.dynamoDb();
        dynamoDb.createTable(r -> r.tableName(TABLE)
                .billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("id").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("id").attributeType("S")));
        TaskStoppedHandlerTest.writeHandler(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    private static String sampleId() {
        return TaskStoppedHandlerTest.sampleId();
    }

    private static void putSample(String status) {
        dynamoDb.deleteItem(r -> r.tableName(TABLE).key(Map.of("id", AttributeValue.fromS(sampleId()))));
        if (status != null) {
            dynamoDb.putItem(r -> r.tableName(TABLE)
                    .item(Map.of(
                            "id",
                            AttributeValue.fromS(sampleId()),
                            "processing_status",
                            AttributeValue.fromS(status),
                            "name",
                            AttributeValue.fromS("snare"))));
        }
    }

    private static Map<String, AttributeValue> sample() {
        return dynamoDb.getItem(r -> r.tableName(TABLE).key(Map.of("id", AttributeValue.fromS(sampleId()))))
                .item();
    }

    /** Runs the handler on an out-of-memory stop of the example's task; its return value. */
    private static JsonNode handleOutOfMemory() throws Exception {
        Path event = Files.writeString(
                Files.createTempFile(dir, "event", ".json"),
                TaskStoppedHandlerTest.stoppedEvent(
                                "EssentialContainerExited", 137, "OutOfMemoryError: Container killed")
                        .toString());
        ProcessBuilder builder = new ProcessBuilder(
                        "python3",
                        "-c",
                        "import json, sys, index; print(json.dumps(index.handler(json.load(open(sys.argv[1])), None)))",
                        event.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        env.putAll(servers.awsEnvironment());
        env.put("AWS_DEFAULT_REGION", LocalAwsServers.REGION);
        env.put("STATUS_TABLE", TABLE);
        env.put("CONTAINER_NAME", "audio-worker");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        List<String> lines = output.strip().lines().toList();
        return Repo.JSON.readTree(lines.get(lines.size() - 1));
    }

    @Test
    void samplesStillWaitingForAnOutcomeAreMarkedFailed() throws Exception {
        for (String waiting : new String[] {"PENDING", "PROCESSING", "UPLOADED"}) {
            putSample(waiting);
            assertTrue(handleOutOfMemory().path("updated").asBoolean(), waiting);
            assertEquals("FAILED", sample().get("processing_status").s(), waiting);
            assertEquals("INTERNAL", sample().get("processing_error_category").s());
            assertEquals("snare", sample().get("name").s(), "the rest of the item is left alone");
        }
        putSample(null);
        dynamoDb.putItem(r -> r.tableName(TABLE).item(Map.of("id", AttributeValue.fromS(sampleId()))));
        assertTrue(handleOutOfMemory().path("updated").asBoolean(), "no status yet: the task never started");
    }

    @Test
    void anOutcomeTheWorkerWroteIsNeverOverwritten() throws Exception {
        for (String outcome : new String[] {"COMPLETED", "FAILED"}) {
            putSample(outcome);
            JsonNode result = handleOutOfMemory();
            assertFalse(result.path("updated").asBoolean(), outcome);
            assertEquals(outcome, sample().get("processing_status").s());
            assertFalse(sample().containsKey("processing_error"), outcome);
        }
    }

    @Test
    void aSampleThatDoesNotExistIsNotCreated() throws Exception {
        putSample(null);
        assertFalse(handleOutOfMemory().path("updated").asBoolean());
        assertTrue(sample().isEmpty());
    }
}
