package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Least privilege, checked on every IAM statement of every template. */
class IamPoliciesTest {
    /** APIs without resource-level permissions: "*" is the only resource IAM accepts for them. */
    private static final Set<String> RESOURCELESS_ACTIONS = Set.of(
            "ecr:GetAuthorizationToken",
            "ecs:RegisterTaskDefinition",
            "ecs:DeregisterTaskDefinition",
            "ecs:DescribeTaskDefinition",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeSecurityGroupRules",
            "ec2:DescribeVpcs",
            "ec2:DescribeSubnets",
            "ec2:DescribeRouteTables",
            "ec2:DescribeVpcEndpoints",
            "ec2:DescribePrefixLists",
            "logs:DescribeLogGroups",
            "application-autoscaling:DescribeScalableTargets",
            "application-autoscaling:DescribeScalingPolicies",
            "application-autoscaling:DescribeScalingActivities");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "infra/ecr.yaml",
                "infra/worker.yaml",
                "infra/task-stopped.yaml",
                "infra/github-oidc.yaml",
                "infra/cloudformation-execution-role.yaml",
                "infra/service.yaml",
                "infra/app-policies.yaml"
            })
    void noWildcardActionsAndNoWildcardResourcesOrPrincipals(String file) {
        List<JsonNode> statements = Repo.statements(Repo.template(file));
        for (JsonNode statement : statements) {
            // Deny only in the execution role, which may never take a role's boundary off, nor write
            // any managed policy.
            assertTrue(
                    statement.path("Effect").asText().equals("Allow")
                            || statement.path("Effect").asText().equals("Deny"),
                    file + ": " + statement);
            assertTrue(statement.path("NotAction").isMissingNode(), file + ": NotAction grants everything else");
            assertTrue(statement.path("NotResource").isMissingNode(), file + ": NotResource in " + statement);
            List<String> actions = Repo.list(statement.path("Action")).stream()
                    .map(JsonNode::asText)
                    .toList();
            assertFalse(actions.isEmpty(), file + ": statement without Action " + statement);
            for (String action : actions) {
                assertFalse(action.contains("*"), file + ": wildcard action " + action);
                assertTrue(action.matches("[a-z0-9-]+:[A-Za-z]+"), file + ": malformed action " + action);
            }
            for (JsonNode resource : Repo.list(statement.path("Resource"))) {
                if (resource.isTextual() && resource.asText().equals("*")) {
                    assertTrue(RESOURCELESS_ACTIONS.containsAll(actions), file + ": Resource \"*\" for " + actions);
                }
            }
            JsonNode principal = statement.path("Principal");
            if (!principal.isMissingNode()) {
                assertFalse(principal.isTextual(), file + ": Principal \"*\" trusts everyone");
                assertTrue(
                        principal.path("AWS").isMissingNode(), file + ": trust must name a service or OIDC provider");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "infra/worker.yaml",
                "infra/task-stopped.yaml",
                "infra/github-oidc.yaml",
                "infra/cloudformation-execution-role.yaml",
                "infra/service.yaml"
            })
    void rolesHaveOnlyInlineLeastPrivilegePolicies(String file) {
        Repo.template(file).path("Resources").forEach(resource -> {
            if (resource.path("Type").asText().equals("AWS::IAM::Role")) {
                assertTrue(
                        resource.path("Properties").path("ManagedPolicyArns").isMissingNode(),
                        file + ": AWS managed policies grant more than the role needs");
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"infra/github-oidc.yaml"})
    void githubRolesTrustOnlyThisRepositoryWithPinnedAudience(String file) {
        JsonNode resources = Repo.template(file).path("Resources");
        for (String role : List.of("ImagePushRole", "DeployRole")) {
            JsonNode trust = resources
                    .path(role)
                    .path("Properties")
                    .path("AssumeRolePolicyDocument")
                    .path("Statement")
                    .get(0);
            assertEquals("sts:AssumeRoleWithWebIdentity", trust.path("Action").asText());
            JsonNode equals = trust.path("Condition").path("StringEquals");
            assertEquals(
                    "sts.amazonaws.com",
                    equals.path("token.actions.githubusercontent.com:aud").asText());
            // StringEquals, not StringLike: no wildcard lets another branch or environment in.
            String sub = equals.path("token.actions.githubusercontent.com:sub")
                    .path("Fn::Sub")
                    .asText();
            assertTrue(sub.startsWith("repo:${GitHubRepository}:"), role + ": " + sub);
            assertFalse(sub.contains("*"), role + ": " + sub);
        }
        String push = resources
                .path("ImagePushRole")
                .path("Properties")
                .path("AssumeRolePolicyDocument")
                .path("Statement")
                .get(0)
                .path("Condition")
                .path("StringEquals")
                .path("token.actions.githubusercontent.com:sub")
                .path("Fn::Sub")
                .asText();
        String deploy = resources
                .path("DeployRole")
                .path("Properties")
                .path("AssumeRolePolicyDocument")
                .path("Statement")
                .get(0)
                .path("Condition")
                .path("StringEquals")
                .path("token.actions.githubusercontent.com:sub")
                .path("Fn::Sub")
                .asText();
        // The repository's OIDC subject is customized to repo, context, ref (infra/README.md): GitHub's
        // default for a job in an environment leaves the branch out, so any branch could deploy.
        assertEquals("repo:${GitHubRepository}:ref:refs/heads/main:ref:refs/heads/main", push);
        assertEquals("repo:${GitHubRepository}:environment:production:ref:refs/heads/main", deploy);
    }

    /** Whether an IAM statement list allows an action on a resource, for a request that carries no condition keys. */
    static boolean allows(List<JsonNode> statements, String action, String resource) {
        return allows(statements, action, resource, Map.of());
    }

    /**
     * Whether an IAM statement list allows an action on a resource, for a request carrying these
     * condition context keys: an Allow statement applies and no Deny statement does, with "*" and
     * "?" wildcards and each statement's Condition. Every operator of a Condition must hold, every
     * key of an operator, any one value of a key; the operators are those the templates use
     * (StringEquals, StringLike, ArnEquals, ArnLike). An Allow with any other operator, or with a
     * key the request does not carry, does not apply: a misspelt operator or key is a refusal
     * here, as it would be in AWS. A Deny with an operator this cannot read applies (it refuses);
     * a Deny whose key the request lacks does not, as in AWS.
     */
    static boolean allows(List<JsonNode> statements, String action, String resource, Map<String, String> context) {
        boolean allowed = statements.stream()
                .filter(s -> s.path("Effect").asText().equals("Allow"))
                .anyMatch(s -> matches(s, action, resource) && conditionHolds(s.path("Condition"), context, false));
        boolean denied = statements.stream()
                .filter(s -> s.path("Effect").asText().equals("Deny"))
                .anyMatch(s -> matches(s, action, resource) && conditionHolds(s.path("Condition"), context, true));
        return allowed && !denied;
    }

    private static boolean matches(JsonNode statement, String action, String resource) {
        return Repo.list(statement.path("Action")).stream()
                        .anyMatch(a -> a.asText().equals(action))
                && Repo.list(statement.path("Resource")).stream().anyMatch(r -> glob(text(r), resource));
    }

    /** {@code unreadable}: what an operator this evaluator does not know counts as. */
    private static boolean conditionHolds(JsonNode condition, Map<String, String> context, boolean unreadable) {
        for (Map.Entry<String, JsonNode> operator : (Iterable<Map.Entry<String, JsonNode>>) condition::fields) {
            BiPredicate<String, String> matches = switch (operator.getKey()) {
                case "StringEquals" -> String::equals;
                // IAM matches ARNs with * and ? in both; StringLike the same way.
                case "StringLike", "ArnEquals", "ArnLike" -> IamPoliciesTest::glob;
                default -> null;
            };
            if (matches == null || !operator.getValue().isObject()) {
                return unreadable;
            }
            for (Map.Entry<String, JsonNode> key :
                    (Iterable<Map.Entry<String, JsonNode>>) operator.getValue()::fields) {
                String value = context.get(key.getKey());
                if (value == null || Repo.list(key.getValue()).stream().noneMatch(v -> matches.test(text(v), value))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A policy string: as written, a !Sub's text, or "${Name}" for a !Ref. */
    private static String text(JsonNode node) {
        if (node.has("Fn::Sub")) {
            return node.path("Fn::Sub").asText();
        }
        return node.has("Ref") ? "${" + node.path("Ref").asText() + "}" : node.asText();
    }

    private static boolean glob(String pattern, String value) {
        return value.matches(
                java.util.regex.Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"));
    }

    /** The evaluator itself: conditions narrow a statement, and what it cannot read refuses. */
    @org.junit.jupiter.api.Test
    void theEvaluatorHonoursConditionsAndFailsClosed() throws java.io.IOException {
        List<JsonNode> pass = Repo.list(Repo.JSON.readTree("""
                [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/app-*",
                  "Condition": {"StringEquals": {"iam:PassedToService": ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"]}}}]
                """));
        String role = "arn:aws:iam::1:role/app-TaskRole";
        assertTrue(allows(pass, "iam:PassRole", role, Map.of("iam:PassedToService", "lambda.amazonaws.com")));
        assertFalse(allows(pass, "iam:PassRole", role, Map.of("iam:PassedToService", "ec2.amazonaws.com")));
        assertFalse(allows(pass, "iam:PassRole", role), "a key the request lacks");
        assertFalse(allows(pass, "iam:PassRole", role, Map.of("iam:PassedToServices", "lambda.amazonaws.com")));
        assertFalse(allows(
                pass,
                "iam:PassRole",
                "arn:aws:iam::1:role/other",
                Map.of("iam:PassedToService", "lambda.amazonaws.com")));

        List<JsonNode> scaling = Repo.list(Repo.JSON.readTree("""
                [{"Effect": "Allow", "Action": "application-autoscaling:RegisterScalableTarget", "Resource": "*",
                  "Condition": {"StringEquals": {"application-autoscaling:service-namespace": "ecs"},
                                "StringLike": {"application-autoscaling:scalable-dimension": "ecs:service:*"}}}]
                """));
        String register = "application-autoscaling:RegisterScalableTarget";
        Map<String, String> ecs = Map.of(
                "application-autoscaling:service-namespace", "ecs",
                "application-autoscaling:scalable-dimension", "ecs:service:DesiredCount");
        assertTrue(allows(scaling, register, "arn:x", ecs));
        assertFalse(
                allows(
                        scaling,
                        register,
                        "arn:x",
                        Map.of(
                                "application-autoscaling:service-namespace", "ecs",
                                "application-autoscaling:scalable-dimension", "dynamodb:table:ReadCapacityUnits")),
                "every operator must hold");
        assertFalse(
                allows(scaling, register, "arn:x", Map.of("application-autoscaling:service-namespace", "ecs")),
                "every key must be there");

        for (String operator : List.of("StringEqualsTypo", "ForAnyValue:StringEquals", "StringNotEquals", "Bool")) {
            List<JsonNode> unknown =
                    Repo.list(Repo.JSON.readTree("[{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\","
                            + " \"Resource\": \"*\", \"Condition\": {\"" + operator + "\": {\"aws:k\": \"v\"}}}]"));
            assertFalse(allows(unknown, "s3:GetObject", "arn:x", Map.of("aws:k", "v")), operator + " is not evaluated");
        }

        // An explicit Deny wins over any Allow; one this cannot read refuses too.
        List<JsonNode> denied = Repo.list(Repo.JSON.readTree("""
                [{"Effect": "Allow", "Action": "iam:DeleteRolePermissionsBoundary", "Resource": "*"},
                 {"Effect": "Deny", "Action": "iam:DeleteRolePermissionsBoundary", "Resource": "arn:aws:iam::1:role/app-*"}]
                """));
        assertFalse(allows(denied, "iam:DeleteRolePermissionsBoundary", role));
        assertTrue(allows(denied, "iam:DeleteRolePermissionsBoundary", "arn:aws:iam::1:role/other"));
        List<JsonNode> unreadableDeny = Repo.list(Repo.JSON.readTree("""
                [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                 {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Bool": {"aws:k": "true"}}}]
                """));
        assertFalse(allows(unreadableDeny, "s3:GetObject", "arn:x", Map.of("aws:k", "true")));
        List<JsonNode> keyedDeny = Repo.list(Repo.JSON.readTree("""
                [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                 {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:k": "v"}}}]
                """));
        assertFalse(allows(keyedDeny, "s3:GetObject", "arn:x", Map.of("aws:k", "v")));
        assertTrue(allows(keyedDeny, "s3:GetObject", "arn:x"), "a Deny on a key the request lacks does not apply");
    }

    /** Where deploy.yml's "Upload the launcher" step puts the jar of a commit (WorkflowsTest runs it). */
    static final String LAUNCHER_KEY = "audio-worker-launcher/0123456789abcdef0123456789abcdef01234567.jar";

    /** That object, in the roles' terms. */
    static final String LAUNCHER_JAR = "arn:${AWS::Partition}:s3:::${DeployBucketName}/" + LAUNCHER_KEY;

    @org.junit.jupiter.api.Test
    void deployRoleMayDoWhatAwsCloudformationDeployDoesOnTheWorkerStacks() {
        // awscli/customizations/cloudformation/deployer.py on an existing stack: describe_stacks,
        // get_template_summary, create_change_set, the change_set_create_complete waiter
        // (DescribeChangeSet), execute_change_set, the stack_update_complete waiter (DescribeStacks).
        // Without GetTemplateSummary every deploy, rollback included, failed.
        List<JsonNode> policy = Repo.roleStatements(Repo.template("infra/github-oidc.yaml"), "DeployRole");
        for (String stack : List.of("${WorkerStackName}", "${TaskStoppedStackName}", "${ServiceStackName}")) {
            String arn =
                    "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/" + stack + "/abc-123";
            for (String action : List.of(
                    "DescribeStacks",
                    "GetTemplateSummary",
                    "CreateChangeSet",
                    "DescribeChangeSet",
                    "ExecuteChangeSet",
                    "DescribeStackEvents")) {
                assertTrue(allows(policy, "cloudformation:" + action, arn), action + " on " + stack);
            }
        }
        // The app's policies' stack, an admin's: deploy.yml reads its parameters, and nothing more.
        String appPolicies =
                "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${AppPoliciesStackName}/abc-123";
        assertTrue(
                allows(policy, "cloudformation:DescribeStacks", appPolicies), "deploy.yml compares the app's policies");
        List<String> more = policy.stream()
                .filter(s -> Repo.list(s.path("Resource")).stream()
                        .anyMatch(r -> text(r).contains("${AppPoliciesStackName}")))
                .flatMap(s -> Repo.list(s.path("Action")).stream())
                .map(JsonNode::asText)
                .toList();
        assertEquals(List.of("cloudformation:DescribeStacks"), more, "only read the app's policies' stack");
        String repository = "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/${RepositoryName}";
        for (String action : List.of("ecr:DescribeImages", "ecr:BatchGetImage", "ecr:PutImage")) {
            assertTrue(allows(policy, action, repository), action + ": deploy.yml checks and tags the image");
        }
        // Service mode: the launcher's jar goes up, and nothing else in that bucket may be touched.
        assertTrue(allows(policy, "s3:PutObject", LAUNCHER_JAR), "deploy.yml uploads the launcher");
        assertFalse(allows(policy, "s3:PutObject", "arn:${AWS::Partition}:s3:::${DeployBucketName}/other/x.jar"));
        assertEquals(
                List.of("s3:PutObject"),
                policy.stream()
                        .flatMap(s -> Repo.list(s.path("Action")).stream())
                        .map(JsonNode::asText)
                        .filter(a -> a.startsWith("s3:"))
                        .toList(),
                "no read, list or delete in the deploy bucket");
        JsonNode pass = policy.stream()
                .filter(s -> Repo.list(s.path("Action")).stream()
                        .anyMatch(a -> a.asText().equals("iam:PassRole")))
                .findFirst()
                .orElseThrow();
        assertEquals(
                "CloudFormationExecutionRoleArn",
                pass.path("Resource").path("Ref").asText());
        // The execution role goes to CloudFormation, and to nothing else.
        assertTrue(allows(
                policy,
                "iam:PassRole",
                "${CloudFormationExecutionRoleArn}",
                Map.of("iam:PassedToService", "cloudformation.amazonaws.com")));
        assertFalse(allows(
                policy,
                "iam:PassRole",
                "${CloudFormationExecutionRoleArn}",
                Map.of("iam:PassedToService", "lambda.amazonaws.com")));
        assertEquals(
                "cloudformation.amazonaws.com",
                pass.path("Condition")
                        .path("StringEquals")
                        .path("iam:PassedToService")
                        .asText());
    }
}
