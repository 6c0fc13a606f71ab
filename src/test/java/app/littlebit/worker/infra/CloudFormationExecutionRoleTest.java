package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * infra/cloudformation-execution-role.yaml: the role deploy.yml hands CloudFormation. It must be
 * able to create, update and delete every kind of resource the two stacks it deploys contain.
 */
class CloudFormationExecutionRoleTest {
    /**
     * What CloudFormation's handler for each resource type calls to create, update and delete it
     * (the resource types' handler permissions in the CloudFormation registry, abridged to the
     * calls these templates' properties need).
     */
    private static final Map<String, List<String>> HANDLER_CALLS = Map.ofEntries(
            Map.entry(
                    "AWS::ECS::Cluster",
                    List.of(
                            "ecs:CreateCluster",
                            "ecs:DeleteCluster",
                            "ecs:DescribeClusters",
                            "ecs:UpdateCluster",
                            "ecs:PutClusterCapacityProviders",
                            "ecs:TagResource")),
            Map.entry(
                    "AWS::ECS::TaskDefinition",
                    List.of(
                            "ecs:RegisterTaskDefinition",
                            "ecs:DeregisterTaskDefinition",
                            "ecs:DescribeTaskDefinition",
                            "ecs:TagResource",
                            "iam:PassRole")),
            Map.entry(
                    "AWS::Logs::LogGroup",
                    List.of(
                            "logs:CreateLogGroup",
                            "logs:DeleteLogGroup",
                            "logs:PutRetentionPolicy",
                            "logs:DescribeLogGroups",
                            "logs:TagResource")),
            Map.entry(
                    "AWS::IAM::Role",
                    List.of(
                            "iam:CreateRole",
                            "iam:DeleteRole",
                            "iam:GetRole",
                            "iam:PutRolePolicy",
                            "iam:GetRolePolicy",
                            "iam:DeleteRolePolicy",
                            "iam:UpdateAssumeRolePolicy",
                            "iam:ListRolePolicies")),
            Map.entry(
                    "AWS::IAM::ManagedPolicy",
                    List.of(
                            "iam:CreatePolicy",
                            "iam:DeletePolicy",
                            "iam:GetPolicy",
                            "iam:CreatePolicyVersion",
                            "iam:DeletePolicyVersion",
                            "iam:ListPolicyVersions")),
            Map.entry(
                    "AWS::EC2::SecurityGroup",
                    List.of(
                            "ec2:CreateSecurityGroup",
                            "ec2:DeleteSecurityGroup",
                            "ec2:DescribeSecurityGroups",
                            "ec2:AuthorizeSecurityGroupEgress",
                            "ec2:RevokeSecurityGroupEgress",
                            "ec2:AuthorizeSecurityGroupIngress",
                            "ec2:RevokeSecurityGroupIngress")),
            Map.entry(
                    "AWS::EC2::VPCEndpoint",
                    List.of(
                            "ec2:CreateVpcEndpoint",
                            "ec2:ModifyVpcEndpoint",
                            "ec2:DeleteVpcEndpoints",
                            "ec2:DescribeVpcEndpoints")),
            Map.entry(
                    "AWS::CloudWatch::Alarm",
                    List.of("cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms")),
            Map.entry(
                    "AWS::CloudWatch::Dashboard",
                    List.of("cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:DeleteDashboards")),
            Map.entry(
                    "AWS::Events::Rule",
                    List.of(
                            "events:PutRule",
                            "events:DeleteRule",
                            "events:DescribeRule",
                            "events:PutTargets",
                            "events:RemoveTargets")),
            Map.entry(
                    "AWS::Lambda::Function",
                    List.of(
                            "lambda:CreateFunction",
                            "lambda:DeleteFunction",
                            "lambda:GetFunction",
                            "lambda:UpdateFunctionCode",
                            "lambda:UpdateFunctionConfiguration",
                            "iam:PassRole")),
            Map.entry("AWS::Lambda::Permission", List.of("lambda:AddPermission", "lambda:RemovePermission")),
            Map.entry(
                    "AWS::Lambda::EventInvokeConfig",
                    List.of(
                            "lambda:PutFunctionEventInvokeConfig",
                            "lambda:UpdateFunctionEventInvokeConfig",
                            "lambda:DeleteFunctionEventInvokeConfig",
                            "lambda:GetFunctionEventInvokeConfig")),
            Map.entry(
                    "AWS::SQS::Queue",
                    List.of("sqs:CreateQueue", "sqs:DeleteQueue", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes")),
            Map.entry("AWS::SQS::QueuePolicy", List.of("sqs:SetQueueAttributes")));

    private final JsonNode role = Repo.template("infra/cloudformation-execution-role.yaml")
            .path("Resources")
            .path("ExecutionRole")
            .path("Properties");

    @Test
    void onlyCloudFormationInThisAccountMayAssumeIt() {
        JsonNode trust = role.path("AssumeRolePolicyDocument").path("Statement");
        assertEquals(1, trust.size());
        assertEquals(
                "cloudformation.amazonaws.com",
                trust.get(0).path("Principal").path("Service").asText());
        assertEquals(
                "AWS::AccountId",
                trust.get(0)
                        .path("Condition")
                        .path("StringEquals")
                        .path("aws:SourceAccount")
                        .path("Ref")
                        .asText());
    }

    @Test
    void itCanManageEveryKindOfResourceTheDeployedStacksContain() {
        List<JsonNode> statements =
                Repo.list(role.path("Policies").get(0).path("PolicyDocument").path("Statement"));
        Set<String> granted = new TreeSet<>();
        statements.forEach(s -> Repo.list(s.path("Action")).forEach(a -> granted.add(a.asText())));
        for (String template : List.of("infra/worker.yaml", "infra/task-stopped.yaml")) {
            Repo.template(template).path("Resources").fields().forEachRemaining(resource -> {
                String type = resource.getValue().path("Type").asText();
                assertTrue(
                        HANDLER_CALLS.containsKey(type),
                        template + ": " + type
                                + " is new: give the execution role what CloudFormation needs for it, and list it here");
                for (String action : HANDLER_CALLS.get(type)) {
                    assertTrue(granted.contains(action), template + " " + resource.getKey() + ": " + action);
                }
            });
        }
    }

    @Test
    void itMayOnlyPassTheStacksOwnRolesAndOnlyToEcsAndLambda() {
        JsonNode pass = Repo.list(
                        role.path("Policies").get(0).path("PolicyDocument").path("Statement"))
                .stream()
                .filter(s -> Repo.list(s.path("Action")).stream()
                        .anyMatch(a -> a.asText().equals("iam:PassRole")))
                .findFirst()
                .orElseThrow();
        Repo.list(pass.path("Resource"))
                .forEach(r -> assertTrue(
                        r.path("Fn::Sub").asText().matches(".*:role/\\$\\{(WorkerStackName|TaskStoppedStackName)}-\\*"),
                        r.toString()));
        assertEquals(
                "[\"ecs-tasks.amazonaws.com\",\"lambda.amazonaws.com\"]",
                pass.path("Condition")
                        .path("StringEquals")
                        .path("iam:PassedToService")
                        .toString());
    }
}
