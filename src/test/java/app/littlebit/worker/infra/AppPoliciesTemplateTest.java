package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * infra/app-policies.yaml: the managed policies of the app's CreateSampleRecord Lambda role, a role
 * without the permissions boundary. An account admin deploys it from the worker and service
 * stacks' outputs; nothing deploy.yml or the execution role does can change it.
 */
class AppPoliciesTemplateTest {
    private final JsonNode template = Repo.template("infra/app-policies.yaml");
    private final JsonNode resources = template.path("Resources");

    private Map<String, JsonNode> bySid(String policy) {
        Map<String, JsonNode> bySid = new TreeMap<>();
        Repo.list(resources
                        .path(policy)
                        .path("Properties")
                        .path("PolicyDocument")
                        .path("Statement"))
                .forEach(s -> bySid.put(s.path("Sid").asText(), s));
        return bySid;
    }

    @Test
    void runTaskPolicyIsLimitedToThisFamilyOnThisClusterAndTheseRoles() {
        Map<String, JsonNode> bySid = bySid("RunTaskPolicy");
        assertEquals(Set.of("RunWorkerTask", "PassWorkerRoles", "TagWorkerTasks"), bySid.keySet());
        JsonNode runTask = bySid.get("RunWorkerTask");
        assertEquals("ecs:RunTask", runTask.path("Action").asText());
        assertTrue(runTask.path("Resource").path("Fn::Sub").asText().endsWith(":task-definition/${TaskFamily}:*"));
        assertEquals(
                "ClusterArn",
                runTask.path("Condition")
                        .path("ArnEquals")
                        .path("ecs:cluster")
                        .path("Ref")
                        .asText());
        JsonNode pass = bySid.get("PassWorkerRoles");
        assertEquals("iam:PassRole", pass.path("Action").asText());
        assertEquals(
                List.of("TaskRoleArn", "ExecutionRoleArn"),
                Repo.list(pass.path("Resource")).stream()
                        .map(r -> r.path("Ref").asText())
                        .toList());
        assertEquals(
                "ecs-tasks.amazonaws.com",
                pass.path("Condition")
                        .path("StringEquals")
                        .path("iam:PassedToService")
                        .asText());
        // RunTask with tags (cost allocation) also needs TagResource, only while creating a task,
        // and only on this cluster's tasks (task/<cluster name>/<id>, the name cut from ClusterArn).
        JsonNode tag = bySid.get("TagWorkerTasks");
        assertEquals("ecs:TagResource", tag.path("Action").asText());
        JsonNode sub = tag.path("Resource").path("Fn::Sub");
        assertTrue(sub.get(0).asText().endsWith(":task/${ClusterName}/*"), sub.toString());
        assertEquals(
                "{\"Fn::Select\":[1,{\"Fn::Split\":[\"/\",{\"Ref\":\"ClusterArn\"}]}]}",
                sub.get(1).path("ClusterName").toString());
        assertEquals(
                "RunTask",
                tag.path("Condition")
                        .path("StringEquals")
                        .path("ecs:CreateAction")
                        .asText());
        // The worker stack's outputs of the same names are what the README passes.
        JsonNode worker = Repo.template("infra/worker.yaml").path("Outputs");
        for (String parameter : List.of("ClusterArn", "TaskFamily", "TaskRoleArn", "ExecutionRoleArn")) {
            assertFalse(worker.path(parameter).isMissingNode(), "worker.yaml outputs " + parameter);
            assertFalse(template.path("Parameters").path(parameter).has("Default"), parameter + " must be given");
        }
    }

    /** Service mode only: invoke the launcher, nothing else; left out without a launcher. */
    @Test
    void invokeLauncherPolicyMayOnlyInvokeTheLauncherAndOnlyInServiceMode() {
        Map<String, JsonNode> bySid = bySid("InvokeLauncherPolicy");
        assertEquals(Set.of("InvokeLauncher"), bySid.keySet());
        JsonNode invoke = bySid.get("InvokeLauncher");
        assertEquals("lambda:InvokeFunction", invoke.path("Action").asText());
        assertEquals("LauncherFunctionArn", invoke.path("Resource").path("Ref").asText());
        assertTrue(invoke.path("Condition").isMissingNode());
        assertEquals(
                "HasLauncher",
                resources.path("InvokeLauncherPolicy").path("Condition").asText());
        assertEquals(
                "HasLauncher",
                template.path("Outputs")
                        .path("InvokeLauncherPolicyArn")
                        .path("Condition")
                        .asText());
        assertEquals(
                "{\"Fn::Not\":[{\"Fn::Equals\":[{\"Ref\":\"LauncherFunctionArn\"},\"\"]}]}",
                template.path("Conditions").path("HasLauncher").toString());
        assertFalse(Repo.template("infra/service.yaml")
                .path("Outputs")
                .path("LauncherFunctionArn")
                .isMissingNode());
    }

    /**
     * Only two managed policies, each attached to the app's role when AppRoleName is given and to
     * nothing otherwise; nothing else in the template (no role, no user, no other policy).
     */
    @Test
    void itHoldsTheTwoPoliciesAndAttachesThemOnlyToTheAppsRole() {
        Set<String> types = new TreeSet<>();
        resources
                .fields()
                .forEachRemaining(r ->
                        types.add(r.getKey() + " " + r.getValue().path("Type").asText()));
        assertEquals(
                Set.of("InvokeLauncherPolicy AWS::IAM::ManagedPolicy", "RunTaskPolicy AWS::IAM::ManagedPolicy"), types);
        for (String policy : List.of("RunTaskPolicy", "InvokeLauncherPolicy")) {
            JsonNode properties = resources.path(policy).path("Properties");
            assertEquals(
                    "{\"Fn::If\":[\"HasAppRole\",[{\"Ref\":\"AppRoleName\"}],{\"Ref\":\"AWS::NoValue\"}]}",
                    properties.path("Roles").toString(),
                    policy);
            for (String other : List.of("Users", "Groups", "ManagedPolicyName", "Path")) {
                assertTrue(properties.path(other).isMissingNode(), policy + " " + other);
            }
        }
    }

    /**
     * An account admin deploys it, with their own credentials: the README's command passes no
     * --role-arn (so not the execution role, which may write no policy anyway), deploy.yml never
     * touches it, and GitHub's deploy role may not change its stack, under the real names.
     */
    @Test
    void anAdminDeploysItAndTheDeployMachineryCannotChangeIt() throws java.io.IOException {
        Matcher deploy = Pattern.compile("aws cloudformation deploy((?:[^\\n]*\\\\\\n)*[^\\n]*)")
                .matcher(Repo.text("infra/README.md"));
        String stack = null;
        List<String> commands = new ArrayList<>();
        while (deploy.find()) {
            if (deploy.group(1).contains("--template-file infra/app-policies.yaml")) {
                commands.add(deploy.group(1));
                Matcher name = Pattern.compile("--stack-name (\\S+)").matcher(deploy.group(1));
                assertTrue(name.find(), deploy.group());
                stack = name.group(1);
            }
        }
        assertFalse(commands.isEmpty(), "the README deploys app-policies.yaml");
        for (String command : commands) {
            assertFalse(command.contains("--role-arn"), "an admin deploys it with their own credentials: " + command);
        }
        // deploy.yml only reads that stack (to compare it with the outputs); the one deploy command
        // naming it is the message for an admin, never run.
        Matcher run = Pattern.compile("(?m)^\\s*aws cloudformation deploy((?:[^\\n]*\\\\\\n)*[^\\n]*)")
                .matcher(Repo.text(".github/workflows/deploy.yml"));
        int deploys = 0;
        while (run.find()) {
            deploys++;
            assertFalse(run.group(1).contains("app-policies"), "deploy.yml deploys " + run.group());
            assertTrue(run.group(1).contains("--role-arn"), run.group());
        }
        assertEquals(3, deploys, "worker, task-stopped, service");

        // GitHub's deploy role, with its template's default stack names, on that stack.
        JsonNode github = Repo.template("infra/github-oidc.yaml");
        String policy = Repo.roleStatements(github, "DeployRole")
                .toString()
                .replace("${AWS::Partition}", "aws")
                .replace("${AWS::Region}", "eu-west-1")
                .replace("${AWS::AccountId}", "123456789012");
        for (Map.Entry<String, JsonNode> parameter : (Iterable<Map.Entry<String, JsonNode>>)
                () -> github.path("Parameters").fields()) {
            if (parameter.getValue().has("Default")) {
                policy = policy.replace(
                        "${" + parameter.getKey() + "}",
                        parameter.getValue().path("Default").asText());
            }
        }
        List<JsonNode> real = Repo.list(Repo.JSON.readTree(policy));
        String arn = "arn:aws:cloudformation:eu-west-1:123456789012:stack/" + stack + "/abc-123";
        assertTrue(
                IamPoliciesTest.allows(
                        real,
                        "cloudformation:CreateChangeSet",
                        "arn:aws:cloudformation:eu-west-1:123456789012:stack/little-bit-audio-worker/abc-123"),
                "the check below must be able to fail");
        for (String action : List.of(
                "CreateChangeSet",
                "ExecuteChangeSet",
                "UpdateStack",
                "CreateStack",
                "DeleteStack",
                "SetStackPolicy",
                "GetTemplateSummary",
                "DescribeChangeSet",
                "DeleteChangeSet",
                "DescribeStackEvents")) {
            assertFalse(IamPoliciesTest.allows(real, "cloudformation:" + action, arn), action + " on " + arn);
        }
        // It may read it: deploy.yml compares its parameters with the outputs, under the stack name
        // deploy.yml falls back on (<WORKER_STACK>-app-policies) with the default worker stack.
        assertTrue(IamPoliciesTest.allows(real, "cloudformation:DescribeStacks", arn), "DescribeStacks on " + arn);
        assertEquals(
                github.path("Parameters")
                                .path("WorkerStackName")
                                .path("Default")
                                .asText() + "-app-policies",
                stack);
        assertTrue(Repo.text(".github/workflows/deploy.yml")
                .contains("${APP_POLICIES_STACK:-$WORKER_STACK-app-policies}"));
    }
}
