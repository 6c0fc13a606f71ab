package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** infra/worker.yaml: the ECS task and what it may do. */
class WorkerTemplateTest {
    private final JsonNode template = Repo.template("infra/worker.yaml");
    private final JsonNode resources = template.path("Resources");

    private JsonNode properties(String resource) {
        return resources.path(resource).path("Properties");
    }

    private JsonNode container() {
        JsonNode containers = properties("TaskDefinition").path("ContainerDefinitions");
        assertEquals(1, containers.size(), "one container per task");
        return containers.get(0);
    }

    @Test
    void taskRoleMayReadInputsWriteOutputsAndUpdateTheStatusTableOnly() {
        List<JsonNode> statements = Repo.statements(Repo.JSON.createObjectNode().set("Resources",
                Repo.JSON.createObjectNode().set("TaskRole", resources.path("TaskRole"))));
        Map<String, String> granted = new TreeMap<>();
        for (JsonNode statement : statements) {
            if (statement.has("Principal")) {
                assertEquals("ecs-tasks.amazonaws.com", statement.path("Principal").path("Service").asText());
                continue;
            }
            List<JsonNode> actions = Repo.list(statement.path("Action"));
            List<JsonNode> resourcesOf = Repo.list(statement.path("Resource"));
            assertEquals(1, actions.size(), "one action per statement: " + statement);
            assertEquals(1, resourcesOf.size(), "one resource per statement: " + statement);
            granted.put(actions.get(0).asText(), resourcesOf.get(0).path("Fn::Sub").asText());
        }
        assertEquals(Map.of(
                "s3:GetObject", "arn:${AWS::Partition}:s3:::${BucketName}/public/unprocessed/*",
                "s3:PutObject", "arn:${AWS::Partition}:s3:::${BucketName}/public/processed/*",
                "dynamodb:UpdateItem",
                "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${StatusTableName}"),
                granted);
        assertTrue(properties("TaskRole").path("ManagedPolicyArns").isMissingNode());
    }

    @Test
    void executionRoleMayOnlyPullFromTheRepositoryAndWriteToTheLogGroup() {
        JsonNode statements = properties("ExecutionRole").path("Policies").get(0).path("PolicyDocument").path("Statement");
        Set<String> actions = new TreeSet<>();
        statements.forEach(s -> Repo.list(s.path("Action")).forEach(a -> actions.add(a.asText())));
        assertEquals(Set.of("ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer", "logs:CreateLogStream", "logs:PutLogEvents"), actions);
        for (JsonNode statement : statements) {
            String sid = statement.path("Sid").asText();
            JsonNode resource = statement.path("Resource");
            switch (sid) {
                case "EcrPull" -> assertTrue(resource.path("Fn::Sub").asText().endsWith(":repository/${RepositoryName}"));
                case "WriteLogs" -> assertEquals("LogGroup", resource.path("Fn::GetAtt").get(0).asText());
                case "EcrLogin" -> assertEquals("*", resource.asText());
                default -> throw new AssertionError("unexpected statement " + sid);
            }
        }
    }

    @Test
    void taskDefinitionIsFargateWithOneVcpuAndTwoGigabytesByDefault() {
        JsonNode task = properties("TaskDefinition");
        assertEquals("FARGATE", task.path("RequiresCompatibilities").get(0).asText());
        assertEquals("awsvpc", task.path("NetworkMode").asText());
        assertEquals("Cpu", task.path("Cpu").path("Ref").asText());
        assertEquals("Memory", task.path("Memory").path("Ref").asText());
        assertEquals("1024", template.path("Parameters").path("Cpu").path("Default").asText());
        assertEquals("2048", template.path("Parameters").path("Memory").path("Default").asText());
        // The FFmpeg build in the image is linux-x86_64 only.
        assertEquals("X86_64", task.path("RuntimePlatform").path("CpuArchitecture").asText());
        assertEquals("TaskRole", task.path("TaskRoleArn").path("Fn::GetAtt").get(0).asText());
        assertEquals("ExecutionRole", task.path("ExecutionRoleArn").path("Fn::GetAtt").get(0).asText());
    }

    @Test
    void stopTimeoutLeavesTimeForTheGracefulStop() {
        assertEquals(120, container().path("StopTimeout").asInt(), "Fargate's maximum, as long as Spot's notice");
    }

    @Test
    void containerRunsNonRootOnAReadOnlyRootWithTmpAsTheOnlyWritableVolume() {
        JsonNode container = container();
        assertTrue(container.path("ReadonlyRootFilesystem").asBoolean());
        assertEquals(ContainerFilesTest.IMAGE_USER, container.path("User").asText());
        JsonNode mounts = container.path("MountPoints");
        assertEquals(1, mounts.size());
        assertEquals("/tmp", mounts.get(0).path("ContainerPath").asText());
        assertEquals(false, mounts.get(0).path("ReadOnly").asBoolean());
        String volume = mounts.get(0).path("SourceVolume").asText();
        JsonNode volumes = properties("TaskDefinition").path("Volumes");
        assertEquals(1, volumes.size());
        assertEquals(volume, volumes.get(0).path("Name").asText());
        assertTrue(container.path("Privileged").isMissingNode() || !container.path("Privileged").asBoolean());
        assertEquals("ALL", container.path("LinuxParameters").path("Capabilities").path("Drop").get(0).asText());
        assertTrue(container.path("LinuxParameters").path("InitProcessEnabled").asBoolean());
    }

    @Test
    void containerLogsGoToTheStacksLogGroupWhichHasARetention() {
        JsonNode logging = container().path("LogConfiguration");
        assertEquals("awslogs", logging.path("LogDriver").asText());
        assertEquals("LogGroup", logging.path("Options").path("awslogs-group").path("Ref").asText());
        assertEquals("AWS::Region", logging.path("Options").path("awslogs-region").path("Ref").asText());
        assertTrue(logging.path("Options").has("awslogs-stream-prefix"));
        assertEquals("LogRetentionDays", properties("LogGroup").path("RetentionInDays").path("Ref").asText());
        assertTrue(template.path("Parameters").path("LogRetentionDays").path("Default").asInt() > 0);
    }

    @Test
    void containerGetsOnlyPerDeploymentSettingsFromTheTaskDefinition() {
        Set<String> names = new TreeSet<>();
        container().path("Environment").forEach(e -> names.add(e.path("Name").asText()));
        assertEquals(Set.of("S3_BUCKET", "STATUS_TABLE", "LOG_LEVEL"), names);
        assertEquals("ImageUri", container().path("Image").path("Ref").asText());
        assertTrue(container().path("Secrets").isMissingNode(), "the worker needs no secrets");
    }

    @Test
    void securityGroupHasNoIngressAndOnlyHttpsEgress() {
        JsonNode group = properties("SecurityGroup");
        assertTrue(group.path("SecurityGroupIngress").isMissingNode());
        JsonNode egress = group.path("SecurityGroupEgress");
        assertEquals(1, egress.size());
        assertEquals("tcp", egress.get(0).path("IpProtocol").asText());
        assertEquals(443, egress.get(0).path("FromPort").asInt());
        assertEquals(443, egress.get(0).path("ToPort").asInt());
        resources.forEach(r -> assertTrue(!r.path("Type").asText().equals("AWS::EC2::SecurityGroupIngress"),
                "no separate ingress rules"));
    }

    @Test
    void runTaskPolicyIsLimitedToThisFamilyOnThisClusterAndTheseRoles() {
        JsonNode statements = properties("RunTaskPolicy").path("PolicyDocument").path("Statement");
        Map<String, JsonNode> bySid = new TreeMap<>();
        statements.forEach(s -> bySid.put(s.path("Sid").asText(), s));
        JsonNode runTask = bySid.get("RunWorkerTask");
        assertEquals("ecs:RunTask", runTask.path("Action").asText());
        assertTrue(runTask.path("Resource").path("Fn::Sub").asText().endsWith(":task-definition/${TaskFamily}:*"));
        assertEquals("Cluster", runTask.path("Condition").path("ArnEquals").path("ecs:cluster").path("Fn::GetAtt").get(0).asText());
        JsonNode pass = bySid.get("PassWorkerRoles");
        assertEquals("iam:PassRole", pass.path("Action").asText());
        assertEquals(Set.of("TaskRole", "ExecutionRole"), Repo.list(pass.path("Resource")).stream()
                .map(r -> r.path("Fn::GetAtt").get(0).asText()).collect(Collectors.toSet()));
        assertEquals("ecs-tasks.amazonaws.com",
                pass.path("Condition").path("StringEquals").path("iam:PassedToService").asText());
    }

    @Test
    void outputsGiveTheLambdaEverythingRunTaskNeeds() {
        Set<String> outputs = new TreeSet<>();
        template.path("Outputs").fieldNames().forEachRemaining(outputs::add);
        assertTrue(outputs.containsAll(Set.of("ClusterArn", "TaskDefinitionArn", "TaskFamily", "ContainerName",
                "TaskRoleArn", "ExecutionRoleArn", "SecurityGroupId", "SubnetIds", "RunTaskPolicyArn")), outputs.toString());
        assertEquals(container().path("Name").asText(), template.path("Outputs").path("ContainerName").path("Value").asText());
        // task-stopped.yaml imports these two.
        assertEquals("${AWS::StackName}-ClusterArn",
                template.path("Outputs").path("ClusterArn").path("Export").path("Name").path("Fn::Sub").asText());
        assertEquals("${AWS::StackName}-TaskFamily",
                template.path("Outputs").path("TaskFamily").path("Export").path("Name").path("Fn::Sub").asText());
    }
}
