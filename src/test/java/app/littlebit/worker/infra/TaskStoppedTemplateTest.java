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
        assertEquals("${WorkerStackName}-ClusterArn",
                detail.path("clusterArn").get(0).path("Fn::ImportValue").path("Fn::Sub").asText());
        JsonNode prefix = detail.path("taskDefinitionArn").get(0).path("prefix").path("Fn::Sub");
        assertTrue(prefix.get(0).asText().endsWith(":task-definition/${Family}:"), prefix.toString());
        assertEquals("${WorkerStackName}-TaskFamily",
                prefix.get(1).path("Family").path("Fn::ImportValue").path("Fn::Sub").asText());
        assertEquals("MarkFailedFunction", resources.path("TaskStoppedRule").path("Properties").path("Targets")
                .get(0).path("Arn").path("Fn::GetAtt").get(0).asText());
    }

    @Test
    void functionRoleMayOnlyUpdateTheStatusTableAndWriteItsOwnLogs() {
        JsonNode statements = resources.path("FunctionRole").path("Properties").path("Policies").get(0)
                .path("PolicyDocument").path("Statement");
        Map<String, String> granted = new TreeMap<>();
        statements.forEach(s -> Repo.list(s.path("Action")).forEach(a -> granted.put(a.asText(),
                s.path("Resource").toString())));
        assertEquals(Map.of(
                "dynamodb:UpdateItem",
                "{\"Fn::Sub\":\"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${StatusTableName}\"}",
                "logs:CreateLogStream", "{\"Fn::GetAtt\":[\"FunctionLogGroup\",\"Arn\"]}",
                "logs:PutLogEvents", "{\"Fn::GetAtt\":[\"FunctionLogGroup\",\"Arn\"]}"), granted);
    }

    @Test
    void onlyEventBridgeFromThisRuleMayInvokeTheFunction() {
        JsonNode permission = resources.path("InvokePermission").path("Properties");
        assertEquals("events.amazonaws.com", permission.path("Principal").asText());
        assertEquals("TaskStoppedRule", permission.path("SourceArn").path("Fn::GetAtt").get(0).asText());
    }

    @Test
    void functionLogsHaveARetention() {
        assertEquals("LogRetentionDays", resources.path("FunctionLogGroup").path("Properties")
                .path("RetentionInDays").path("Ref").asText());
        assertEquals("FunctionLogGroup", resources.path("MarkFailedFunction").path("Properties")
                .path("LoggingConfig").path("LogGroup").path("Ref").asText());
    }
}
