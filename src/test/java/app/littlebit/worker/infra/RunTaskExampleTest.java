package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** infra/examples/run-task.json, the request the CreateSampleRecord Lambda sends, matches the stack and the worker's env contract. */
class RunTaskExampleTest {
    private static final Set<String> WORKER_ENV = Set.of("S3_BUCKET", "S3_KEY", "USER_ID", "PROCESSING_PARAMS",
            "SAMPLE_ID", "STATUS_TABLE", "MAX_INPUT_BYTES", "LOG_LEVEL");

    private final JsonNode request = Repo.json("infra/examples/run-task.json");
    private final JsonNode worker = Repo.template("infra/worker.yaml");

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        request.path("overrides").path("containerOverrides").get(0).path("environment")
                .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        return env;
    }

    @Test
    void startsTheTaskFamilyNotAPinnedRevision() {
        // A deploy deregisters the previous revision; the family name always means the latest ACTIVE one.
        assertEquals(worker.path("Parameters").path("TaskFamily").path("Default").asText(),
                request.path("taskDefinition").asText());
        assertEquals(1, request.path("count").asInt());
    }

    @Test
    void overridesTheWorkerContainerWithTheJobsEnvironment() throws Exception {
        JsonNode override = request.path("overrides").path("containerOverrides").get(0);
        assertEquals(worker.path("Outputs").path("ContainerName").path("Value").asText(), override.path("name").asText());
        Map<String, String> env = environment();
        assertTrue(WORKER_ENV.containsAll(env.keySet()), "unknown variables: " + env.keySet());
        assertTrue(env.keySet().containsAll(Set.of("S3_BUCKET", "S3_KEY", "USER_ID", "SAMPLE_ID", "STATUS_TABLE")));
        String key = env.get("S3_KEY");
        assertTrue(key.startsWith("public/unprocessed/" + env.get("USER_ID") + "/"), key);
        assertTrue(key.matches(".*\\.(m4a|wav|mp3|aac|flac)"), key);
        Repo.JSON.readTree(env.get("PROCESSING_PARAMS")); // must be JSON
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
