package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
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
                "infra/service.yaml"
            })
    void noWildcardActionsAndNoWildcardResourcesOrPrincipals(String file) {
        List<JsonNode> statements = Repo.statements(Repo.template(file));
        for (JsonNode statement : statements) {
            assertEquals("Allow", statement.path("Effect").asText(), file + ": " + statement);
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

    /** Whether an IAM statement list allows an action on a resource (Allow statements, * wildcards, no conditions). */
    static boolean allows(List<JsonNode> statements, String action, String resource) {
        return statements.stream()
                .filter(s -> s.path("Effect").asText().equals("Allow"))
                .anyMatch(s -> Repo.list(s.path("Action")).stream()
                                .anyMatch(a -> a.asText().equals(action))
                        && Repo.list(s.path("Resource")).stream()
                                .anyMatch(r -> glob(
                                        r.has("Fn::Sub") ? r.path("Fn::Sub").asText() : r.asText(), resource)));
    }

    private static boolean glob(String pattern, String value) {
        return value.matches(java.util.regex.Pattern.quote(pattern).replace("*", "\\E.*\\Q"));
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
        assertEquals(
                "cloudformation.amazonaws.com",
                pass.path("Condition")
                        .path("StringEquals")
                        .path("iam:PassedToService")
                        .asText());
    }
}
