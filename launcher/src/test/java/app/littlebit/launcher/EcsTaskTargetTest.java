package app.littlebit.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Task mode with the real SDK ECS client against a stubbed ECS endpoint on loopback that answers
 * RunTask as ECS does (awsJson 1.1): the request the launcher sends, throttling retried by the
 * SDK with the same clientToken, a {@code failures[]} answer retried with backoff, and failures
 * that no retry fixes.
 */
class EcsTaskTargetTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "user-1";
    private static final String KEY = "public/unprocessed/user-1/kick.m4a";
    private static final String TASK_ARN = "arn:aws:ecs:eu-west-1:123456789012:task/little-bit/0123456789abcdef";
    private HttpServer server;
    private final Deque<Answer> answers = new ArrayDeque<>();
    private final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());

    private record Answer(int status, String body) {}

    private static Answer throttled() {
        return new Answer(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
    }

    private static Answer failure(String reason) {
        return new Answer(
                200,
                "{\"tasks\":[],\"failures\":[{\"arn\":\"arn:aws:ecs:eu-west-1:123456789012:container-instance/x\","
                        + "\"reason\":\"" + reason + "\"}]}");
    }

    private static Answer started() {
        return new Answer(
                200,
                "{\"tasks\":[{\"taskArn\":\"" + TASK_ARN + "\",\"lastStatus\":\"PROVISIONING\"}],\"failures\":[]}");
    }

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            requests.add(((ObjectNode) JSON.readTree(exchange.getRequestBody())).put("_target", target));
            Answer answer = answers.isEmpty() ? new Answer(500, "{\"__type\":\"ServerException\"}") : answers.poll();
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    private JobLauncher launcher(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "LAUNCH_MODE",
                "task",
                "STATUS_TABLE",
                "Sample-prod",
                "CLUSTER",
                "little-bit",
                "TASK_DEFINITION",
                "little-bit-audio-worker",
                "SUBNET_IDS",
                "subnet-0123456789abcdef0,subnet-0fedcba9876543210",
                "SECURITY_GROUP_IDS",
                "sg-0123456789abcdef0"));
        env.putAll(Map.of(
                "AWS_REGION",
                "eu-west-1",
                "AWS_ACCESS_KEY_ID",
                "test",
                "AWS_SECRET_ACCESS_KEY",
                "test",
                "AWS_ENDPOINT_URL_ECS",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "RUN_TASK_BACKOFF_MS",
                "10"));
        env.putAll(extra);
        return LauncherConfig.fromEnvironment(env).launcher();
    }

    private static SampleJob sample() {
        return new SampleJob("sample-1", "little-bit-storage", KEY, USER, Optional.of("{\"outputFormat\":\"wav\"}"));
    }

    @Test
    void runTaskCarriesTheJobAsTheWorkerContainersEnvironmentOnFargateInTheGivenSubnets() {
        answers.add(started());
        Launched launched = launcher(Map.of()).launch(sample());

        assertEquals(new Launched("sample-1", "task", TASK_ARN), launched);
        JsonNode request = requests.get(0);
        assertEquals(
                "AmazonEC2ContainerServiceV20141113.RunTask",
                request.get("_target").asText());
        assertEquals("little-bit", request.get("cluster").asText());
        assertEquals("little-bit-audio-worker", request.get("taskDefinition").asText());
        assertEquals(1, request.get("count").asInt());
        assertEquals("FARGATE", request.get("launchType").asText());
        JsonNode network = request.at("/networkConfiguration/awsvpcConfiguration");
        assertEquals(
                "[\"subnet-0123456789abcdef0\",\"subnet-0fedcba9876543210\"]",
                network.get("subnets").toString());
        assertEquals("DISABLED", network.get("assignPublicIp").asText());
        JsonNode override = request.at("/overrides/containerOverrides/0");
        assertEquals("audio-worker", override.get("name").asText());
        Map<String, String> environment = new HashMap<>();
        override.get("environment")
                .forEach(e ->
                        environment.put(e.get("name").asText(), e.get("value").asText()));
        assertEquals(
                Map.of(
                        "S3_BUCKET",
                        "little-bit-storage",
                        "S3_KEY",
                        KEY,
                        "USER_ID",
                        USER,
                        "SAMPLE_ID",
                        "sample-1",
                        "PROCESSING_PARAMS",
                        "{\"outputFormat\":\"wav\"}"),
                environment);
        String token = request.get("clientToken").asText();
        assertTrue(token.length() <= 64 && !token.isEmpty(), token);
    }

    @Test
    void theSameRequestAlwaysCarriesTheSameClientTokenAndAnotherRequestAnother() {
        answers.add(started());
        answers.add(started());
        answers.add(started());
        JobLauncher launcher = launcher(Map.of());
        launcher.launch(sample());
        launcher.launch(sample());
        launcher.launch(
                new SampleJob("sample-1", "little-bit-storage", KEY, USER, Optional.of("{\"outputFormat\":\"flac\"}")));
        assertEquals(requests.get(0).get("clientToken"), requests.get(1).get("clientToken"));
        assertNotEquals(requests.get(0).get("clientToken"), requests.get(2).get("clientToken"));
    }

    @Test
    void throttlingIsRetriedByTheSdkWithTheSameToken() {
        answers.add(throttled());
        answers.add(throttled());
        answers.add(started());
        assertEquals(TASK_ARN, launcher(Map.of()).launch(sample()).id());
        assertEquals(3, requests.size());
        assertEquals(
                1,
                requests.stream()
                        .map(r -> r.get("clientToken").asText())
                        .distinct()
                        .count());
    }

    @Test
    void aFailuresAnswerIsRetriedWithBackoffAndANewTokenUntilATaskStarts() {
        answers.add(failure("RESOURCE:MEMORY"));
        answers.add(failure(
                "Capacity is unavailable at this time. Please try again later or in a different availability zone"));
        answers.add(started());
        assertEquals(TASK_ARN, launcher(Map.of()).launch(sample()).id());
        assertEquals(3, requests.size());
        assertEquals(
                3,
                requests.stream()
                        .map(r -> r.get("clientToken").asText())
                        .distinct()
                        .count(),
                "a failed attempt started nothing, so the next one must not be answered from it");
    }

    @Test
    void aFailuresAnswerThatPersistsFailsRetryablyAfterTheAttempts() {
        for (int i = 0; i < 4; i++) {
            answers.add(failure("RESOURCE:CPU"));
        }
        LaunchFailed failed =
                assertThrows(LaunchFailed.class, () -> launcher(Map.of()).launch(sample()));
        assertTrue(failed.retryable());
        assertTrue(failed.getMessage().contains("RESOURCE:CPU"), failed.getMessage());
        assertEquals(4, requests.size());
    }

    @Test
    void aMissingTaskDefinitionFailsAtOnceAndIsNotRetryable() {
        answers.add(failure("MISSING"));
        LaunchFailed failed =
                assertThrows(LaunchFailed.class, () -> launcher(Map.of()).launch(sample()));
        assertFalse(failed.retryable());
        assertEquals(1, requests.size());
    }

    @Test
    void aCapacityProviderReplacesTheLaunchTypeForFargateSpot() {
        answers.add(started());
        launcher(Map.of("CAPACITY_PROVIDER", "FARGATE_SPOT", "ASSIGN_PUBLIC_IP", "true"))
                .launch(sample());
        JsonNode request = requests.get(0);
        assertFalse(request.has("launchType"));
        assertEquals(
                "FARGATE_SPOT",
                request.at("/capacityProviderStrategy/0/capacityProvider").asText());
        assertEquals(
                "ENABLED",
                request.at("/networkConfiguration/awsvpcConfiguration/assignPublicIp")
                        .asText());
    }

    @Test
    void anInvalidSampleIsRefusedBeforeAnyCall() {
        LaunchRefused refused = assertThrows(
                LaunchRefused.class,
                () -> launcher(Map.of())
                        .launch(new SampleJob(
                                "sample-1",
                                "little-bit-storage",
                                "public/unprocessed/user-2/kick.m4a",
                                USER,
                                Optional.empty())));
        assertTrue(refused.getMessage().contains("S3_KEY"), refused.getMessage());
        assertEquals(List.of(), requests);
    }
}
