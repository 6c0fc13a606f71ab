package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.job.EnvironmentParser;
import app.littlebit.worker.job.JobRequest;
import app.littlebit.worker.job.ProcessingParamsParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** infra/examples/run-task.json, the request the CreateSampleRecord Lambda sends, matches the stack and the worker's env contract. */
class RunTaskExampleTest {
    private static final Set<String> WORKER_ENV = Set.of(
            "S3_BUCKET",
            "S3_KEY",
            "USER_ID",
            "PROCESSING_PARAMS",
            "SAMPLE_ID",
            "STATUS_TABLE",
            "MAX_INPUT_BYTES",
            "MAX_RUN_SECONDS",
            "LOG_LEVEL");
    /** ECS: "A total of 8192 characters are allowed for overrides", JSON punctuation included. */
    private static final int ECS_OVERRIDES_CHARS = 8192;

    private final JsonNode request = Repo.json("infra/examples/run-task.json");
    private final JsonNode worker = Repo.template("infra/worker.yaml");

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        request.path("overrides")
                .path("containerOverrides")
                .get(0)
                .path("environment")
                .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        return env;
    }

    @Test
    void startsTheTaskFamilyNotAPinnedRevision() {
        // A deploy deregisters the previous revision; the family name always means the latest ACTIVE one.
        assertEquals(
                worker.path("Parameters").path("TaskFamily").path("Default").asText(),
                request.path("taskDefinition").asText());
        assertEquals(1, request.path("count").asInt());
    }

    @Test
    void overridesTheWorkerContainerWithTheJobsEnvironment() throws Exception {
        JsonNode override = request.path("overrides").path("containerOverrides").get(0);
        assertEquals(
                worker.path("Outputs").path("ContainerName").path("Value").asText(),
                override.path("name").asText());
        Map<String, String> env = environment();
        assertTrue(WORKER_ENV.containsAll(env.keySet()), "unknown variables: " + env.keySet());
        assertTrue(env.keySet().containsAll(Set.of("S3_BUCKET", "S3_KEY", "USER_ID", "SAMPLE_ID", "STATUS_TABLE")));
        String key = env.get("S3_KEY");
        assertTrue(key.startsWith("public/unprocessed/" + env.get("USER_ID") + "/"), key);
        assertTrue(key.matches(".*\\.(m4a|wav|mp3|aac|flac)"), key);
        Repo.JSON.readTree(env.get("PROCESSING_PARAMS")); // must be JSON
    }

    @Test
    void theWorkerAcceptsTheExamplesEnvironment() {
        // The worker's own validation, as the task would run it with these overrides.
        JobRequest job = EnvironmentParser.parse(environment());
        assertEquals(environment().get("USER_ID"), job.userId());
        assertTrue(job.statusTarget().isPresent());
    }

    @Test
    void overridesAtTheWorkersLargestAllowedValuesStillFitInEcsLimit() {
        assertTrue(request.path("overrides").toString().length() <= ECS_OVERRIDES_CHARS);
        // Every per-job variable at the longest the worker accepts; PROCESSING_PARAMS at its limit
        // (4096 characters once JSON-escaped: here 2048 quotes, each sent as \").
        ObjectNode overrides = request.path("overrides").deepCopy();
        ArrayNode env = ((ObjectNode) overrides.path("containerOverrides").get(0)).putArray("environment");
        Map<String, String> longest = Map.of(
                "S3_BUCKET", "b".repeat(63),
                "S3_KEY", "public/unprocessed/" + "u".repeat(128) + "/" + "k".repeat(1024 - 153) + ".flac",
                "USER_ID", "u".repeat(128),
                "SAMPLE_ID", "s".repeat(256),
                "STATUS_TABLE", "t".repeat(255),
                "PROCESSING_PARAMS", "\"".repeat(ProcessingParamsParser.MAX_OVERRIDE_CHARS / 2),
                "MAX_INPUT_BYTES", String.valueOf(5L * 1024 * 1024 * 1024),
                "MAX_RUN_SECONDS", "86400",
                "LOG_LEVEL", "DEBUG");
        assertEquals(WORKER_ENV, longest.keySet());
        assertEquals(1024, longest.get("S3_KEY").length());
        longest.forEach((name, value) -> env.addObject().put("name", name).put("value", value));
        int chars = overrides.toString().length();
        assertTrue(chars <= ECS_OVERRIDES_CHARS, "overrides take " + chars + " characters");
    }

    @Test
    void tasksAreTaggedForCostAllocationAndRunOnTheClustersCapacityProvider() {
        // No capacityProviderStrategy: the cluster's default, worker.yaml's CapacityProvider (Spot or not).
        assertTrue(request.path("capacityProviderStrategy").isMissingNode());
        assertTrue(request.path("launchType").isMissingNode());
        // The task definition's tags (app, component) are copied to the task, plus the caller's own.
        assertEquals("TASK_DEFINITION", request.path("propagateTags").asText());
        assertTrue(request.path("enableECSManagedTags").asBoolean());
        assertTrue(request.path("tags").size() > 0);
        JsonNode taskTags = worker.path("Resources")
                .path("TaskDefinition")
                .path("Properties")
                .path("Tags");
        assertEquals(
                Set.of("app", "component"),
                Set.of(
                        taskTags.get(0).path("Key").asText(),
                        taskTags.get(1).path("Key").asText()));
    }

    @Test
    void isIdempotentPerSampleAndUsesThePrivateNetworkConfig() {
        assertEquals(environment().get("SAMPLE_ID"), request.path("clientToken").asText());
        assertTrue(request.path("clientToken").asText().length() <= 64);
        JsonNode vpc = request.path("networkConfiguration").path("awsvpcConfiguration");
        assertTrue(vpc.path("subnets").size() > 0);
        assertEquals(1, vpc.path("securityGroups").size());
        assertEquals("DISABLED", vpc.path("assignPublicIp").asText());
    }
}
