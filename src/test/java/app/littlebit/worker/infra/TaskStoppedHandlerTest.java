package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the task-stopped Lambda's inline Python (infra/task-stopped.yaml) against ECS events built
 * from infra/examples/run-task.json, with a stub boto3 that records the DynamoDB calls. Skipped
 * where python3 is not installed.
 */
class TaskStoppedHandlerTest {
    private static final String STUB_BOTO3 = """
            import json, os
            CALLS = []
            class _DynamoDb:
                def update_item(self, **request):
                    CALLS.append(request)
                    error = os.environ.get("STUB_ERROR")
                    if error:
                        from botocore.exceptions import ClientError
                        raise ClientError({"Error": {"Code": error}}, "UpdateItem")
            def client(name):
                assert name == "dynamodb", name
                return _DynamoDb()
            """;
    private static final String STUB_BOTOCORE = """
            class ClientError(Exception):
                def __init__(self, response, operation):
                    super().__init__(response["Error"]["Code"])
                    self.response = response
            """;
    private static final String DRIVER = """
            import json, sys
            import boto3, index
            event = json.load(open(sys.argv[1]))
            try:
                result = index.handler(event, None)
            except Exception as e:
                result = {"raised": type(e).__name__}
            print(json.dumps({"result": result, "calls": boto3.CALLS}))
            """;

    @TempDir
    static Path dir;

    /** The handler's inline code as {@code index.py} in {@code dir}. */
    static void writeHandler(Path dir) throws IOException {
        String code = Repo.template("infra/task-stopped.yaml")
                .path("Resources")
                .path("MarkFailedFunction")
                .path("Properties")
                .path("Code")
                .path("ZipFile")
                .asText();
        Files.writeString(dir.resolve("index.py"), code);
    }

    @BeforeAll
    static void writeHandlerAndStubs() throws IOException {
        writeHandler(dir);
        Files.createDirectories(dir.resolve("boto3"));
        Files.writeString(dir.resolve("boto3/__init__.py"), STUB_BOTO3);
        Files.createDirectories(dir.resolve("botocore"));
        Files.writeString(dir.resolve("botocore/__init__.py"), "");
        Files.writeString(dir.resolve("botocore/exceptions.py"), STUB_BOTOCORE);
        Files.writeString(dir.resolve("driver.py"), DRIVER);
    }

    /** An "ECS Task State Change" event for a task started with the example RunTask request. */
    static ObjectNode stoppedEvent(String stopCode, Integer exitCode, String containerReason) {
        JsonNode runTask = Repo.json("infra/examples/run-task.json");
        ObjectNode event = Repo.JSON.createObjectNode();
        event.put("source", "aws.ecs").put("detail-type", "ECS Task State Change");
        ObjectNode detail = event.putObject("detail");
        detail.put("lastStatus", "STOPPED")
                .put("stopCode", stopCode)
                .put("stoppedReason", "Essential container in task exited")
                .put("taskArn", "arn:aws:ecs:eu-west-1:123456789012:task/cluster/0123456789abcdef");
        detail.set("overrides", runTask.path("overrides").deepCopy());
        ArrayNode containers = detail.putArray("containers");
        ObjectNode container = containers.addObject().put("name", "audio-worker");
        if (exitCode != null) {
            container.put("exitCode", exitCode);
        }
        if (containerReason != null) {
            container.put("reason", containerReason);
        }
        return event;
    }

    private static JsonNode handle(ObjectNode event, String dynamoError) throws Exception {
        assumeTrue(Repo.onPath("python3"), "python3 is not installed");
        Path file = Files.createTempFile(dir, "event", ".json");
        Files.writeString(file, event.toString());
        ProcessBuilder builder = new ProcessBuilder("python3", "driver.py", file.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().put("STATUS_TABLE", "Sample-test");
        builder.environment().put("CONTAINER_NAME", "audio-worker");
        builder.environment().put("PYTHONPATH", dir.toString());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        if (dynamoError != null) {
            builder.environment().put("STUB_ERROR", dynamoError);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        List<String> lines = output.strip().lines().toList();
        ObjectNode result = (ObjectNode) Repo.JSON.readTree(lines.get(lines.size() - 1));
        // Earlier lines: the handler's own log, its EMF metrics line first.
        result.set("metrics", Repo.JSON.readTree(lines.get(0)));
        return result;
    }

    /** The SAMPLE_ID the example RunTask request passes. */
    static String sampleId() {
        for (JsonNode env : Repo.json("infra/examples/run-task.json")
                .path("overrides")
                .path("containerOverrides")
                .get(0)
                .path("environment")) {
            if (env.path("name").asText().equals("SAMPLE_ID")) {
                return env.path("value").asText();
            }
        }
        throw new AssertionError("example has no SAMPLE_ID");
    }

    @Test
    void outOfMemoryMarksTheSampleFailedInternalOnlyIfStillProcessing() throws Exception {
        JsonNode out = handle(
                stoppedEvent("EssentialContainerExited", 137, "OutOfMemoryError: Container killed due to memory usage"),
                null);
        assertTrue(out.path("result").path("updated").asBoolean(), out.toString());
        JsonNode call = out.path("calls").get(0);
        assertEquals("Sample-test", call.path("TableName").asText());
        assertEquals(sampleId(), call.path("Key").path("id").path("S").asText());
        JsonNode values = call.path("ExpressionAttributeValues");
        assertEquals("FAILED", values.path(":failed").path("S").asText());
        assertEquals("INTERNAL", values.path(":category").path("S").asText());
        assertTrue(values.path(":error").path("S").asText().contains("OutOfMemoryError"));
        assertTrue(
                values.path(":now").path("S").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        String condition = call.path("ConditionExpression").asText();
        assertTrue(condition.contains("attribute_exists(#id)"), "must never create an item: " + condition);
        // What the condition does against DynamoDB itself (PENDING, PROCESSING, COMPLETED...): TaskStoppedHandlerIT.
        assertTrue(condition.contains("NOT processing_status IN (:completed, :failed)"), condition);
    }

    @Test
    void anImageThatCannotBePulledIsADeploymentFaultNotBadLuck() throws Exception {
        // Fails the same way on every retry: INTERNAL, so nobody waits for a retry to fix it.
        JsonNode out = handle(
                stoppedEvent(
                        "TaskFailedToStart",
                        null,
                        "CannotPullContainerError: pull image manifest has been retried 5 time(s): not found"),
                null);
        assertEquals("INTERNAL", out.path("result").path("category").asText(), out.toString());
        JsonNode capacity = handle(
                stoppedEvent(
                        "TaskFailedToStart",
                        null,
                        "ResourceInitializationError: unable to pull secrets or registry auth: ... timeout"),
                null);
        assertEquals("TEMPORARY", capacity.path("result").path("category").asText(), capacity.toString());
    }

    @Test
    void everyStoppedTaskIsCountedByStopCodeInEmbeddedMetricFormat() throws Exception {
        JsonNode metrics = handle(stoppedEvent("TaskFailedToStart", null, "CannotPullContainerError: x"), null)
                .path("metrics");
        JsonNode directive = metrics.path("_aws").path("CloudWatchMetrics").get(0);
        assertTrue(metrics.path("_aws").path("Timestamp").isIntegralNumber());
        assertEquals("LittleBit/AudioWorker", directive.path("Namespace").asText());
        assertEquals("[[\"StopCode\"]]", directive.path("Dimensions").toString());
        assertEquals(
                "TasksStopped", directive.path("Metrics").get(0).path("Name").asText());
        assertEquals("TaskFailedToStart", metrics.path("StopCode").asText());
        assertEquals(1, metrics.path("TasksStopped").asInt());
    }

    @Test
    void spotInterruptionAndTheWorkersOwnTemporaryExitAreTemporary() throws Exception {
        JsonNode spot = handle(stoppedEvent("SpotInterruption", null, null), null);
        assertEquals("TEMPORARY", spot.path("result").path("category").asText(), spot.toString());
        JsonNode exit75 = handle(stoppedEvent("EssentialContainerExited", 75, null), null);
        assertEquals("TEMPORARY", exit75.path("result").path("category").asText(), exit75.toString());
    }

    @Test
    void statusTheWorkerAlreadyWroteIsLeftAlone() throws Exception {
        JsonNode out = handle(stoppedEvent("EssentialContainerExited", 0, null), "ConditionalCheckFailedException");
        assertFalse(out.path("result").path("updated").asBoolean(), out.toString());
        assertEquals(1, out.path("calls").size());
    }

    @Test
    void aRunTakenOverLeavesTheSampleToTheNewerRun() throws Exception {
        // Exit 73 (CONFLICT): the newer run is still working or has written the outcome; a FAILED
        // from here would overwrite a PROCESSING that is about to become COMPLETED.
        JsonNode out = handle(stoppedEvent("EssentialContainerExited", 73, null), null);
        assertFalse(out.path("result").path("updated").asBoolean(), out.toString());
        assertEquals(sampleId(), out.path("result").path("sampleId").asText(), out.toString());
        assertEquals(0, out.path("calls").size(), out.toString());
        // Still counted: every stopped task is.
        assertEquals(1, out.path("metrics").path("TasksStopped").asInt(), out.toString());
    }

    @Test
    void otherDynamoDbErrorsAreRaisedSoTheInvocationIsRetried() throws Exception {
        JsonNode out =
                handle(stoppedEvent("EssentialContainerExited", 137, null), "ProvisionedThroughputExceededException");
        assertEquals("ClientError", out.path("result").path("raised").asText(), out.toString());
    }

    @Test
    void taskWithoutSampleIdIsIgnored() throws Exception {
        ObjectNode event = stoppedEvent("EssentialContainerExited", 70, null);
        ((ObjectNode) event.path("detail")).putObject("overrides").putArray("containerOverrides");
        JsonNode out = handle(event, null);
        assertFalse(out.path("result").path("updated").asBoolean());
        assertEquals(0, out.path("calls").size());
    }
}
