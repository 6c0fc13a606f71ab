package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.serve.ServeSettings;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** infra/service.yaml: the queue, the serve service and how it scales, the launcher. */
class ServiceTemplateTest {
    private final JsonNode template = Repo.template("infra/service.yaml");
    private final JsonNode resources = template.path("Resources");
    private final JsonNode worker = Repo.template("infra/worker.yaml").path("Resources");

    private JsonNode properties(String resource) {
        return resources.path(resource).path("Properties");
    }

    private static JsonNode container(JsonNode taskDefinition) {
        return taskDefinition.path("Properties").path("ContainerDefinitions").get(0);
    }

    private static String ref(JsonNode node) {
        return node.path("Ref").asText(node.asText());
    }

    @Test
    void theJobQueueHandsMessagesThatKeepFailingToItsDeadLetterQueue() {
        JsonNode redrive = properties("JobQueue").path("RedrivePolicy");
        assertEquals(
                "DeadLetterQueue",
                redrive.path("deadLetterTargetArn").path("Fn::GetAtt").get(0).asText());
        assertEquals("MaxReceiveCount", ref(redrive.path("maxReceiveCount")));
        assertEquals("VisibilitySeconds", ref(properties("JobQueue").path("VisibilityTimeout")));
        assertTrue(properties("JobQueue").path("SqsManagedSseEnabled").asBoolean());
        assertTrue(properties("DeadLetterQueue").path("SqsManagedSseEnabled").asBoolean());
        assertEquals(
                "byQueue",
                properties("DeadLetterQueue")
                        .path("RedriveAllowPolicy")
                        .path("redrivePermission")
                        .asText());
    }

    @Test
    void theServiceRunsTheWorkersImageAsServeWithTheSameHardeningAsATask() {
        JsonNode serve = container(resources.path("TaskDefinition"));
        JsonNode task = container(worker.path("TaskDefinition"));
        assertEquals(
                List.of("serve"),
                Repo.list(serve.path("Command")).stream().map(JsonNode::asText).toList());
        for (String field : List.of(
                "User",
                "ReadonlyRootFilesystem",
                "StopTimeout",
                "MountPoints",
                "LinuxParameters",
                "Essential",
                "Name")) {
            assertEquals(task.path(field), serve.path(field), field);
        }
        assertEquals(
                worker.path("TaskDefinition").path("Properties").path("Volumes"),
                properties("TaskDefinition").path("Volumes"));
        assertEquals(
                "DISABLED",
                properties("Service")
                        .at("/NetworkConfiguration/AwsvpcConfiguration/AssignPublicIp")
                        .asText());
    }

    @Test
    void theServicesSettingsAreOnesServeModeAccepts() {
        Map<String, String> env = new HashMap<>();
        container(resources.path("TaskDefinition"))
                .path("Environment")
                .forEach(e -> env.put(
                        e.path("Name").asText(),
                        e.path("Value").isTextual() ? e.path("Value").asText() : "Ref:" + ref(e.path("Value"))));
        assertEquals("Ref:JobQueue", env.get("QUEUE_URL"));
        assertEquals("Ref:StatusTableName", env.get("STATUS_TABLE"));
        assertEquals(
                "Ref:VisibilitySeconds",
                env.get("SERVE_VISIBILITY_SECONDS"),
                "the heartbeat renews the queue's own timeout");
        // As deployed with the parameters' defaults.
        env.put("QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/123456789012/little-bit-audio-worker-service-jobs");
        env.put(
                "SERVE_VISIBILITY_SECONDS",
                template.at("/Parameters/VisibilitySeconds/Default").asText());
        ServeSettings settings = ServeSettings.fromEnvironment(env, 1);
        // Drain, then the 25 s an abandoned job may take to record FAILED, within the stop timeout.
        long stopTimeout =
                container(resources.path("TaskDefinition")).path("StopTimeout").asLong();
        assertTrue(
                settings.drain().plus(Duration.ofSeconds(25)).toSeconds() < stopTimeout,
                settings.drain() + " + 25 s within " + stopTimeout + " s");
    }

    @Test
    void itScalesOutOnBacklogPerTaskFromZeroAndInWhenTheQueueIsIdle() {
        JsonNode target = properties("ScalableTarget");
        assertEquals(
                "ecs:service:DesiredCount", target.path("ScalableDimension").asText());
        assertEquals("MinTasks", ref(target.path("MinCapacity")));
        assertEquals(0, template.at("/Parameters/MinTasks/MinValue").asInt(), "scale to zero is allowed");
        assertEquals(
                "ScaleOutPolicy",
                ref(properties("BacklogPerTaskHighAlarm").path("AlarmActions").get(0)));
        assertEquals(
                "WakeUpPolicy",
                ref(properties("JobsWaitingWithNoTaskAlarm")
                        .path("AlarmActions")
                        .get(0)));
        assertEquals(
                "ScaleInPolicy",
                ref(properties("QueueIdleAlarm").path("AlarmActions").get(0)));
        assertEquals(
                Set.of("ApproximateNumberOfMessagesVisible", "RunningTaskCount"),
                metricNames(properties("BacklogPerTaskHighAlarm")));
        assertEquals(
                Set.of("ApproximateNumberOfMessagesVisible", "ApproximateNumberOfMessagesNotVisible"),
                metricNames(properties("QueueIdleAlarm")),
                "in-flight jobs keep the service up");
        assertEquals(
                "ExactCapacity",
                properties("ScaleInPolicy")
                        .at("/StepScalingPolicyConfiguration/AdjustmentType")
                        .asText());
        assertEquals(
                "MinTasks",
                ref(properties("ScaleInPolicy")
                        .at("/StepScalingPolicyConfiguration/StepAdjustments/0/ScalingAdjustment")));
        assertTrue(Set.of("FARGATE", "FARGATE_SPOT")
                .equals(new TreeSet<>(Repo.list(template.at("/Parameters/CapacityProvider/AllowedValues")).stream()
                        .map(JsonNode::asText)
                        .toList())));
    }

    @Test
    void theLauncherMaySendJobsAndReadRecordingMetadataOnly() {
        Set<String> actions = new TreeSet<>();
        properties("LauncherRole")
                .path("Policies")
                .get(0)
                .at("/PolicyDocument/Statement")
                .forEach(s -> Repo.list(s.path("Action")).forEach(a -> actions.add(a.asText())));
        assertEquals(Set.of("sqs:SendMessage", "s3:GetObject", "logs:CreateLogStream", "logs:PutLogEvents"), actions);
        JsonNode env = properties("LauncherFunction").at("/Environment/Variables");
        assertEquals("queue", env.path("LAUNCH_MODE").asText());
        assertEquals("JobQueue", ref(env.path("QUEUE_URL")));
        assertEquals(
                "app.littlebit.launcher.LaunchHandler::handleRequest",
                properties("LauncherFunction").path("Handler").asText());
    }

    private static Set<String> metricNames(JsonNode alarm) {
        Set<String> names = new TreeSet<>();
        alarm.path("Metrics").forEach(m -> {
            if (m.has("MetricStat")) {
                names.add(m.at("/MetricStat/Metric/MetricName").asText());
            }
        });
        return names;
    }
}
