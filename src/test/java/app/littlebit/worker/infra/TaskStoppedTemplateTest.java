package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** infra/task-stopped.yaml: the rule and function that mark samples of dead tasks FAILED. */
class TaskStoppedTemplateTest {
    private final JsonNode resources = Repo.template("infra/task-stopped.yaml").path("Resources");

    @Test
    void ruleMatchesStoppedTasksOfTheWorkerFamilyOnTheWorkerCluster() {
        JsonNode pattern = resources.path("TaskStoppedRule").path("Properties").path("EventPattern");
        assertEquals("aws.ecs", pattern.path("source").get(0).asText());
        assertEquals("ECS Task State Change", pattern.path("detail-type").get(0).asText());
        JsonNode detail = pattern.path("detail");
        assertEquals("STOPPED", detail.path("lastStatus").get(0).asText());
        assertEquals(
                "${WorkerStackName}-ClusterArn",
                detail.path("clusterArn")
                        .get(0)
                        .path("Fn::ImportValue")
                        .path("Fn::Sub")
                        .asText());
        JsonNode prefix = detail.path("taskDefinitionArn").get(0).path("prefix").path("Fn::Sub");
        assertTrue(prefix.get(0).asText().endsWith(":task-definition/${Family}:"), prefix.toString());
        assertEquals(
                "${WorkerStackName}-TaskFamily",
                prefix.get(1)
                        .path("Family")
                        .path("Fn::ImportValue")
                        .path("Fn::Sub")
                        .asText());
        assertEquals(
                "MarkFailedFunction",
                resources
                        .path("TaskStoppedRule")
                        .path("Properties")
                        .path("Targets")
                        .get(0)
                        .path("Arn")
                        .path("Fn::GetAtt")
                        .get(0)
                        .asText());
    }

    @Test
    void functionRoleMayOnlyUpdateTheStatusTableWriteItsOwnLogsAndKeepFailedEvents() {
        JsonNode statements = resources
                .path("FunctionRole")
                .path("Properties")
                .path("Policies")
                .get(0)
                .path("PolicyDocument")
                .path("Statement");
        Map<String, String> granted = new TreeMap<>();
        statements.forEach(s -> Repo.list(s.path("Action"))
                .forEach(a -> granted.put(a.asText(), s.path("Resource").toString())));
        assertEquals(
                Map.of(
                        "dynamodb:UpdateItem",
                        "{\"Fn::Sub\":\"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${StatusTableName}\"}",
                        "logs:CreateLogStream",
                        "{\"Fn::GetAtt\":[\"FunctionLogGroup\",\"Arn\"]}",
                        "logs:PutLogEvents",
                        "{\"Fn::GetAtt\":[\"FunctionLogGroup\",\"Arn\"]}",
                        "sqs:SendMessage",
                        "{\"Fn::GetAtt\":[\"DeadLetterQueue\",\"Arn\"]}"),
                granted);
    }

    @Test
    void onlyEventBridgeFromThisRuleMayInvokeTheFunction() {
        JsonNode permission = resources.path("InvokePermission").path("Properties");
        assertEquals("events.amazonaws.com", permission.path("Principal").asText());
        assertEquals(
                "TaskStoppedRule",
                permission.path("SourceArn").path("Fn::GetAtt").get(0).asText());
    }

    @Test
    void eventsTheHandlerCouldNotProcessAreKeptNotDropped() {
        // Lambda retries a failed asynchronous invocation twice, then the event was gone.
        JsonNode invokeConfig = resources.path("FailedInvocations");
        assertEquals("AWS::Lambda::EventInvokeConfig", invokeConfig.path("Type").asText());
        assertEquals(
                "MarkFailedFunction",
                invokeConfig.path("Properties").path("FunctionName").path("Ref").asText());
        assertEquals(
                "$LATEST", invokeConfig.path("Properties").path("Qualifier").asText());
        assertEquals(
                "[\"DeadLetterQueue\",\"Arn\"]",
                invokeConfig
                        .path("Properties")
                        .path("DestinationConfig")
                        .path("OnFailure")
                        .path("Destination")
                        .path("Fn::GetAtt")
                        .toString());
        // EventBridge's own delivery failures go to the same queue, which only this rule may write to.
        assertEquals(
                "[\"DeadLetterQueue\",\"Arn\"]",
                resources
                        .path("TaskStoppedRule")
                        .path("Properties")
                        .path("Targets")
                        .get(0)
                        .path("DeadLetterConfig")
                        .path("Arn")
                        .path("Fn::GetAtt")
                        .toString());
        JsonNode statement = resources
                .path("DeadLetterQueuePolicy")
                .path("Properties")
                .path("PolicyDocument")
                .path("Statement")
                .get(0);
        assertEquals(
                "events.amazonaws.com",
                statement.path("Principal").path("Service").asText());
        assertEquals("sqs:SendMessage", statement.path("Action").asText());
        assertEquals(
                "TaskStoppedRule",
                statement
                        .path("Condition")
                        .path("ArnEquals")
                        .path("aws:SourceArn")
                        .path("Fn::GetAtt")
                        .get(0)
                        .asText());
        JsonNode queue = resources.path("DeadLetterQueue").path("Properties");
        assertEquals(14 * 24 * 3600, queue.path("MessageRetentionPeriod").asInt(), "SQS's longest: time to replay");
        assertTrue(queue.path("SqsManagedSseEnabled").asBoolean());
    }

    @Test
    void alarmsWatchTheHandlerItsQueueAndTasksThatFailedToStart() {
        Map<String, String> watched = new TreeMap<>();
        resources.fields().forEachRemaining(r -> {
            if (r.getValue().path("Type").asText().equals("AWS::CloudWatch::Alarm")) {
                JsonNode alarm = r.getValue().path("Properties");
                assertEquals(
                        "AlarmTopicArn",
                        alarm.path("AlarmActions").get(0).path("Ref").asText(),
                        r.getKey());
                assertEquals("notBreaching", alarm.path("TreatMissingData").asText());
                watched.put(
                        alarm.path("Namespace").asText() + " "
                                + alarm.path("MetricName").asText(),
                        alarm.path("Dimensions").get(0).path("Name").asText());
            }
        });
        assertEquals(
                Map.of(
                        "AWS/Lambda Errors",
                        "FunctionName",
                        "AWS/SQS ApproximateNumberOfMessagesVisible",
                        "QueueName",
                        "LittleBit/AudioWorker TasksStopped",
                        "StopCode"),
                watched);
        assertTrue(
                Repo.text("infra/task-stopped.yaml").contains("\"Dimensions\": [[\"StopCode\"]]"),
                "the handler's EMF line declares the dimension the alarm reads");
    }

    @Test
    void functionLogsHaveARetention() {
        assertEquals(
                365,
                resources
                        .path("FunctionLogGroup")
                        .path("Properties")
                        .path("RetentionInDays")
                        .asInt());
        assertEquals(
                "FunctionLogGroup",
                resources
                        .path("MarkFailedFunction")
                        .path("Properties")
                        .path("LoggingConfig")
                        .path("LogGroup")
                        .path("Ref")
                        .asText());
    }
}
