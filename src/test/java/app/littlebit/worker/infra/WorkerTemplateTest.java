package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
        List<JsonNode> statements = Repo.statements(Repo.JSON
                .createObjectNode()
                .set("Resources", Repo.JSON.createObjectNode().set("TaskRole", resources.path("TaskRole"))));
        Map<String, String> granted = new TreeMap<>();
        for (JsonNode statement : statements) {
            if (statement.has("Principal")) {
                assertEquals(
                        "ecs-tasks.amazonaws.com",
                        statement.path("Principal").path("Service").asText());
                continue;
            }
            List<JsonNode> actions = Repo.list(statement.path("Action"));
            List<JsonNode> resourcesOf = Repo.list(statement.path("Resource"));
            assertEquals(1, actions.size(), "one action per statement: " + statement);
            assertEquals(1, resourcesOf.size(), "one resource per statement: " + statement);
            granted.put(
                    actions.get(0).asText(), resourcesOf.get(0).path("Fn::Sub").asText());
        }
        assertEquals(
                Map.of(
                        "s3:GetObject",
                        "arn:${AWS::Partition}:s3:::${BucketName}/public/unprocessed/*",
                        "s3:PutObject",
                        "arn:${AWS::Partition}:s3:::${BucketName}/public/processed/*",
                        "dynamodb:UpdateItem",
                        "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${StatusTableName}"),
                granted);
        assertTrue(properties("TaskRole").path("ManagedPolicyArns").isMissingNode());
    }

    @Test
    void executionRoleMayOnlyPullFromTheRepositoryAndWriteToTheLogGroup() {
        JsonNode statements = properties("ExecutionRole")
                .path("Policies")
                .get(0)
                .path("PolicyDocument")
                .path("Statement");
        Set<String> actions = new TreeSet<>();
        statements.forEach(s -> Repo.list(s.path("Action")).forEach(a -> actions.add(a.asText())));
        assertEquals(
                Set.of(
                        "ecr:GetAuthorizationToken",
                        "ecr:BatchCheckLayerAvailability",
                        "ecr:BatchGetImage",
                        "ecr:GetDownloadUrlForLayer",
                        "logs:CreateLogStream",
                        "logs:PutLogEvents"),
                actions);
        for (JsonNode statement : statements) {
            String sid = statement.path("Sid").asText();
            JsonNode resource = statement.path("Resource");
            switch (sid) {
                case "EcrPull" ->
                    assertTrue(resource.path("Fn::Sub").asText().endsWith(":repository/${RepositoryName}"));
                case "WriteLogs" ->
                    assertEquals("LogGroup", resource.path("Fn::GetAtt").get(0).asText());
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
        assertEquals(
                "1024", template.path("Parameters").path("Cpu").path("Default").asText());
        assertEquals(
                "2048",
                template.path("Parameters").path("Memory").path("Default").asText());
        // x86_64 unless an arm64 image is deployed with CpuArchitecture ARM64.
        assertEquals(
                "CpuArchitecture",
                task.path("RuntimePlatform").path("CpuArchitecture").path("Ref").asText());
        JsonNode architecture = template.path("Parameters").path("CpuArchitecture");
        assertEquals("X86_64", architecture.path("Default").asText());
        assertEquals(
                "[\"X86_64\",\"ARM64\"]", architecture.path("AllowedValues").toString());
        assertEquals("Memory", container().path("Memory").path("Ref").asText(), "the task's memory is the hard limit");
        assertEquals(
                "TaskRole", task.path("TaskRoleArn").path("Fn::GetAtt").get(0).asText());
        assertEquals(
                "ExecutionRole",
                task.path("ExecutionRoleArn").path("Fn::GetAtt").get(0).asText());
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
        assertTrue(container.path("Privileged").isMissingNode()
                || !container.path("Privileged").asBoolean());
        assertEquals(
                "ALL",
                container
                        .path("LinuxParameters")
                        .path("Capabilities")
                        .path("Drop")
                        .get(0)
                        .asText());
        assertTrue(container.path("LinuxParameters").path("InitProcessEnabled").asBoolean());
    }

    @Test
    void containerLogsGoToTheStacksLogGroupWhichHasARetention() {
        JsonNode logging = container().path("LogConfiguration");
        assertEquals("awslogs", logging.path("LogDriver").asText());
        assertEquals(
                "LogGroup",
                logging.path("Options").path("awslogs-group").path("Ref").asText());
        assertEquals(
                "AWS::Region",
                logging.path("Options").path("awslogs-region").path("Ref").asText());
        assertTrue(logging.path("Options").has("awslogs-stream-prefix"));
        assertEquals(365, properties("LogGroup").path("RetentionInDays").asInt(), "a year, as Control Tower asks");
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
        resources.forEach(r -> assertTrue(
                !r.path("Type").asText().equals("AWS::EC2::SecurityGroupIngress"), "no separate ingress rules"));
    }

    @Test
    void fargateSpotIsTheClustersDefaultWhenChosen() {
        JsonNode provider = template.path("Parameters").path("CapacityProvider");
        assertEquals("FARGATE", provider.path("Default").asText());
        assertEquals(
                "[\"FARGATE\",\"FARGATE_SPOT\"]", provider.path("AllowedValues").toString());
        JsonNode cluster = properties("Cluster");
        assertEquals(
                "CapacityProvider",
                cluster.path("DefaultCapacityProviderStrategy")
                        .get(0)
                        .path("CapacityProvider")
                        .path("Ref")
                        .asText());
        assertTrue(Repo.list(cluster.path("CapacityProviders")).stream()
                .anyMatch(p -> p.asText().equals("FARGATE_SPOT")));
    }

    @Test
    void vpcEndpointsLetTasksInPrivateSubnetsRunWithoutNat() {
        assertEquals(
                "false",
                template.path("Parameters").path("VpcEndpoints").path("Default").asText());
        Map<String, String> endpoints = new TreeMap<>();
        resources.fields().forEachRemaining(r -> {
            if (r.getValue().path("Type").asText().equals("AWS::EC2::VPCEndpoint")) {
                assertEquals(
                        "CreateVpcEndpoints", r.getValue().path("Condition").asText(), r.getKey());
                JsonNode endpoint = r.getValue().path("Properties");
                String service = endpoint.path("ServiceName")
                        .path("Fn::Sub")
                        .asText()
                        .replace("com.amazonaws.${AWS::Region}.", "");
                endpoints.put(service, endpoint.path("VpcEndpointType").asText());
                if (endpoint.path("VpcEndpointType").asText().equals("Interface")) {
                    assertTrue(endpoint.path("PrivateDnsEnabled").asBoolean(), service + ": SDKs use the public names");
                    assertEquals(
                            "SubnetIds", endpoint.path("SubnetIds").path("Ref").asText());
                } else {
                    assertEquals(
                            "RouteTableIds",
                            endpoint.path("RouteTableIds").path("Ref").asText());
                }
            }
        });
        // S3 also carries ECR's image layers: with its gateway, an image pull crosses no NAT.
        assertEquals(
                Map.of(
                        "s3",
                        "Gateway",
                        "dynamodb",
                        "Gateway",
                        "ecr.api",
                        "Interface",
                        "ecr.dkr",
                        "Interface",
                        "logs",
                        "Interface"),
                endpoints);
        JsonNode ingress = properties("EndpointSecurityGroup").path("SecurityGroupIngress");
        assertEquals(1, ingress.size());
        assertEquals(443, ingress.get(0).path("FromPort").asInt());
        assertEquals(
                "SecurityGroup",
                ingress.get(0)
                        .path("SourceSecurityGroupId")
                        .path("Fn::GetAtt")
                        .get(0)
                        .asText(),
                "only the worker tasks reach the endpoints");
    }

    /** The dimension sets JobMetrics writes (EmbeddedMetricsTest): an alarm on any other set sees no data. */
    private static final Set<Set<String>> EMF_DIMENSION_SETS = Set.of(
            Set.of("Mode"),
            Set.of("Mode", "Outcome"),
            Set.of("Mode", "Category"),
            Set.of("Mode", "Category", "Reason"));

    private static Set<String> dimensionNames(JsonNode dimensions) {
        Set<String> names = new TreeSet<>();
        dimensions.forEach(d -> names.add(d.path("Name").asText()));
        return names;
    }

    @Test
    void alarmsReadTheMetricsTheWorkerWritesAndNotifyTheTopic() {
        Map<String, JsonNode> alarms = new TreeMap<>();
        resources.fields().forEachRemaining(r -> {
            if (r.getValue().path("Type").asText().equals("AWS::CloudWatch::Alarm")) {
                alarms.put(r.getKey(), r.getValue().path("Properties"));
            }
        });
        assertEquals(Set.of("FailedJobsAlarm", "InternalErrorsAlarm", "DurationP95Alarm"), alarms.keySet());
        alarms.forEach((name, alarm) -> {
            assertEquals(
                    "AlarmTopicArn",
                    alarm.path("AlarmActions").get(0).path("Ref").asText(),
                    name);
            assertEquals(
                    "AlarmTopicArn", alarm.path("OKActions").get(0).path("Ref").asText(), name);
            List<JsonNode> metrics = alarm.has("Metrics")
                    ? Repo.list(alarm.path("Metrics")).stream()
                            .filter(m -> m.has("MetricStat"))
                            .map(m -> m.path("MetricStat").path("Metric"))
                            .toList()
                    : List.of(alarm);
            for (JsonNode metric : metrics) {
                assertEquals("LittleBit/AudioWorker", metric.path("Namespace").asText(), name);
                assertTrue(
                        Set.of("Jobs", "JobDuration")
                                .contains(metric.path("MetricName").asText()),
                        name);
                assertTrue(EMF_DIMENSION_SETS.contains(dimensionNames(metric.path("Dimensions"))), name);
            }
        });
        assertEquals(
                "p95", alarms.get("DurationP95Alarm").path("ExtendedStatistic").asText());
        assertEquals(
                "INTERNAL",
                alarms.get("InternalErrorsAlarm")
                        .path("Dimensions")
                        .get(1)
                        .path("Value")
                        .asText());
        assertTrue(alarms.get("FailedJobsAlarm")
                .path("Metrics")
                .get(0)
                .path("Expression")
                .asText()
                .contains("failed"));
        assertTrue(
                template.path("Parameters")
                        .path("AlarmTopicArn")
                        .path("Default")
                        .isMissingNode(),
                "an alarm nobody hears is no alarm: the topic is required");
    }

    @Test
    void dashboardShowsTheWorkersMetricsInItsRegion() throws Exception {
        JsonNode body = properties("Dashboard").path("DashboardBody").path("Fn::Sub");
        String json = body.get(0)
                .asText()
                .replace("${Ns}", body.get(1).path("Ns").asText())
                .replace("${AWS::Region}", "eu-west-1");
        JsonNode widgets = Repo.JSON.readTree(json).path("widgets");
        Set<String> shown = new TreeSet<>();
        widgets.forEach(w -> w.path("properties").path("metrics").forEach(m -> {
            if (m.get(0).isTextual() && !m.get(0).asText().equals("...")) {
                shown.add(m.get(1).asText());
            } else if (m.get(0).isObject()) {
                shown.add(m.get(0).path("expression").asText().replaceAll(".*MetricName=\"(\\w+)\".*", "$1"));
            }
        }));
        assertTrue(
                shown.containsAll(Set.of(
                        "Jobs", "JobDuration", "RealTimeFactor", "InputSeconds", "OneShotsWritten", "TasksStopped")),
                shown.toString());
    }

    /** What the Lambda needs for RunTask, and app-policies.yaml's parameters for its RunTaskPolicy. */
    @Test
    void outputsGiveTheLambdaEverythingRunTaskNeeds() {
        Set<String> outputs = new TreeSet<>();
        template.path("Outputs").fieldNames().forEachRemaining(outputs::add);
        assertTrue(
                outputs.containsAll(Set.of(
                        "ClusterArn",
                        "TaskDefinitionArn",
                        "TaskFamily",
                        "ContainerName",
                        "TaskRoleArn",
                        "ExecutionRoleArn",
                        "SecurityGroupId",
                        "SubnetIds")),
                outputs.toString());
        assertEquals(
                container().path("Name").asText(),
                template.path("Outputs").path("ContainerName").path("Value").asText());
        // task-stopped.yaml imports these two.
        assertEquals(
                "${AWS::StackName}-ClusterArn",
                template.path("Outputs")
                        .path("ClusterArn")
                        .path("Export")
                        .path("Name")
                        .path("Fn::Sub")
                        .asText());
        assertEquals(
                "${AWS::StackName}-TaskFamily",
                template.path("Outputs")
                        .path("TaskFamily")
                        .path("Export")
                        .path("Name")
                        .path("Fn::Sub")
                        .asText());
    }
}
