package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The GitHub Actions workflows: what runs where, and that AWS access is OIDC-only. */
class WorkflowsTest {
    private static final String DIR = ".github/workflows/";

    private static List<JsonNode> steps(JsonNode job) {
        return Repo.list(job.path("steps"));
    }

    private static boolean runs(JsonNode job, String text) {
        return steps(job).stream().anyMatch(s -> s.path("run").asText().contains(text));
    }

    private static boolean uses(JsonNode job, String action) {
        return steps(job).stream().anyMatch(s -> s.path("uses").asText().startsWith(action + "@"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ci.yml", "image.yml", "deploy.yml", "dependency-scan.yml"})
    void noLongLivedAwsKeysAndReadOnlyDefaultToken(String file) {
        String text = Repo.text(DIR + file);
        assertFalse(text.contains("aws-access-key-id"), file);
        assertFalse(text.contains("aws-secret-access-key"), file);
        assertFalse(text.contains("AWS_SECRET_ACCESS_KEY"), file);
        assertEquals(
                "read",
                Repo.yaml(DIR + file).path("permissions").path("contents").asText(),
                file);
        Repo.yaml(DIR + file).path("jobs").forEach(job -> {
            // A job calling deploy.yml hands its token permissions to the job there that assumes the role.
            boolean assumesRole = uses(job, "aws-actions/configure-aws-credentials")
                    || job.path("uses").asText().equals("./.github/workflows/deploy.yml");
            assertEquals(
                    assumesRole,
                    "write".equals(job.path("permissions").path("id-token").asText()),
                    file + ": id-token: write exactly where a role is assumed");
            steps(job).stream()
                    .filter(s -> s.path("uses").asText().startsWith("aws-actions/configure-aws-credentials"))
                    .forEach(s -> assertTrue(
                            s.path("with").path("role-to-assume").asText().startsWith("${{ vars."), file));
        });
    }

    @Test
    void ciRunsTheProjectsOwnCheckOnJava17AndTheLocalStackSmokeTest() {
        JsonNode ci = Repo.yaml(DIR + "ci.yml");
        assertTrue(ci.path("on").has("push") && ci.path("on").has("pull_request"));
        JsonNode build = ci.path("jobs").path("build");
        JsonNode java = steps(build).stream()
                .filter(s -> s.path("uses").asText().startsWith("actions/setup-java@"))
                .findFirst()
                .orElseThrow()
                .path("with");
        assertEquals("17", java.path("java-version").asText());
        assertEquals("temurin", java.path("distribution").asText());
        assertEquals("maven", java.path("cache").asText());
        assertTrue(runs(build, "bash .ci/run"));
        assertTrue(runs(ci.path("jobs").path("localstack-smoke"), "./mvnw -B verify -Dit.test=LocalStackSmokeIT"));
    }

    @Test
    void imageIsBuiltScannedWithoutCredentialsThenPushedThenDeployedBehindApproval() {
        JsonNode image = Repo.yaml(DIR + "image.yml");
        assertEquals(
                "main", image.path("on").path("push").path("branches").get(0).asText());
        JsonNode jobs = image.path("jobs");
        JsonNode build = jobs.path("build");
        assertTrue(build.path("permissions").isMissingNode(), "build job keeps the read-only default token");
        assertTrue(uses(build, "aquasecurity/trivy-action"));
        String trivy = steps(build).stream()
                .map(s -> s.path("uses").asText())
                .filter(u -> u.startsWith("aquasecurity/trivy-action@"))
                .findFirst()
                .orElseThrow();
        assertTrue(trivy.matches("aquasecurity/trivy-action@[0-9a-f]{40}"), "pin by commit: " + trivy);
        assertTrue(runs(build, "--read-only --tmpfs /tmp"), "smoke test runs the image as ECS does");
        JsonNode push = jobs.path("push");
        assertEquals("build", push.path("needs").asText());
        assertTrue(uses(push, "aws-actions/configure-aws-credentials"));
        assertTrue(runs(push, "bash .github/scripts/ecr-scan-gate.sh"), "ECR's own scan gates the deploy");
        JsonNode deploy = jobs.path("deploy");
        assertEquals("push", deploy.path("needs").asText());
        assertEquals("./.github/workflows/deploy.yml", deploy.path("uses").asText());
    }

    @Test
    void anArm64VariantIsBuiltNativelyFromTheSameDockerfileAndSmokeTestedLikeAmd64() {
        JsonNode jobs = Repo.yaml(DIR + "image.yml").path("jobs");
        JsonNode arm64 = jobs.path("build-arm64");
        assertEquals(
                "ubuntu-24.04-arm",
                arm64.path("runs-on").asText(),
                "native, not emulated: AppCDS is trained in the build");
        assertTrue(arm64.path("permissions").isMissingNode(), "keeps the read-only default token");
        JsonNode build = steps(arm64).stream()
                .filter(s -> s.path("uses").asText().startsWith("docker/build-push-action@"))
                .findFirst()
                .orElseThrow()
                .path("with");
        assertEquals("linux/arm64", build.path("platforms").asText());
        assertEquals(".", build.path("context").asText(), "the one Dockerfile, no arm64 copy");
        assertTrue(runs(arm64, "--read-only --tmpfs /tmp"), "smoke test runs the image as ECS does");
        assertTrue(runs(arm64, "grep -x aarch64"), "the image really is arm64");
        // The Dockerfile turns TARGETARCH into the FFmpeg build (ContainerFilesTest checks the mapping).
        assertTrue(Repo.text("Dockerfile").contains("ARG TARGETARCH"));
    }

    @Test
    void deployRunsInTheProductionEnvironmentAndCanRollBackByHand() {
        JsonNode deploy = Repo.yaml(DIR + "deploy.yml");
        assertTrue(deploy.path("on").has("workflow_call"));
        assertTrue(deploy.path("on").path("workflow_dispatch").path("inputs").has("image_tag"));
        JsonNode job = deploy.path("jobs").path("deploy");
        assertEquals("production", job.path("environment").asText());
        assertTrue(runs(job, "--template-file infra/worker.yaml"));
        assertTrue(runs(job, "--template-file infra/task-stopped.yaml"));
        assertTrue(runs(job, "--role-arn"), "CloudFormation acts through its own execution role");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ci.yml", "image.yml", "deploy.yml", "dependency-scan.yml"})
    void everyActionIsPinnedToACommitWithItsVersionAlongside(String file) {
        // A tag can be moved to other code (tj-actions, trivy-action); a commit cannot.
        Matcher uses = Pattern.compile("uses:\\s*(\\S+)(.*)").matcher(Repo.text(DIR + file));
        int count = 0;
        while (uses.find()) {
            if (uses.group(1).startsWith("./")) {
                continue;
            }
            count++;
            assertTrue(
                    uses.group(1).matches("[\\w.-]+/[\\w./-]+@[0-9a-f]{40}"),
                    file + ": not pinned by commit: " + uses.group(1));
            assertTrue(
                    uses.group(2).matches("\\s*# v\\d+(\\.\\d+)*\\s*"), file + ": say which version: " + uses.group());
        }
        assertTrue(count > 0, file);
    }

    /** The command GitHub runs a step's script with on Linux (workflow syntax, jobs.<id>.steps[*].shell). */
    private static List<String> githubShell(JsonNode workflow, JsonNode job, JsonNode step) {
        String shell = step.path("shell")
                .asText(job.path("defaults")
                        .path("run")
                        .path("shell")
                        .asText(workflow.path("defaults")
                                .path("run")
                                .path("shell")
                                .asText("")));
        return switch (shell) {
            case "" -> List.of("bash", "-e"); // no pipefail: a failure before "| tee" is lost
            case "bash" -> List.of("bash", "--noprofile", "--norc", "-eo", "pipefail");
            default -> throw new AssertionError("unexpected shell " + shell);
        };
    }

    @TempDir
    Path work;

    private int runSmokeTestWith(String jobName, String workerStatus, int workerExit)
            throws IOException, InterruptedException {
        JsonNode image = Repo.yaml(DIR + "image.yml");
        JsonNode job = image.path("jobs").path(jobName);
        JsonNode step = steps(job).stream()
                .filter(s -> s.path("name").asText().startsWith("Smoke test"))
                .findFirst()
                .orElseThrow();
        // A docker that runs nothing: the worker's answer is given; uname answers as an arm64 image would.
        Path bin = Files.createDirectories(work.resolve("bin-" + jobName + workerExit));
        Path docker = bin.resolve("docker");
        Files.writeString(
                docker,
                "#!/bin/sh\ncase \"$*\" in *' process '*)\n"
                        + "  echo '{\"status\":\"" + workerStatus + "\"}'; exit " + workerExit + ";;\n"
                        + "*' uname '*) echo aarch64;;\nesac\n");
        Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwx------"));
        Path script = Files.writeString(
                work.resolve("step-" + jobName + workerExit + ".sh"),
                step.path("run").asText());
        List<String> command = new ArrayList<>(githubShell(image, job, step));
        command.add(script.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(Files.createDirectories(work.resolve("workspace-" + jobName + workerExit))
                        .toFile())
                .redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567");
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }

    @ParameterizedTest
    @ValueSource(strings = {"build", "build-arm64"})
    void imageSmokeTestFailsWhenTheWorkerFailsInTheImage(String job) throws Exception {
        assumeTrue(Repo.onPath("bash"));
        assertEquals(0, runSmokeTestWith(job, "COMPLETED", 0), "a working image passes");
        assertTrue(runSmokeTestWith(job, "FAILED", 65) != 0, "a BAD_DATA run must fail the step");
    }

    @Test
    void deployMarksTheImageDeployedBeforeChangingTheStacks() {
        JsonNode job = Repo.yaml(DIR + "deploy.yml").path("jobs").path("deploy");
        List<String> scripts =
                steps(job).stream().map(s -> s.path("run").asText()).toList();
        int mark = indexOf(scripts, "--image-tag \"deployed-$IMAGE_TAG\"");
        int deploy = indexOf(scripts, "--template-file infra/worker.yaml");
        assertTrue(mark >= 0 && mark < deploy, "tag deployed-<sha> (ecr.yaml keeps those) before deploying it");
    }

    /**
     * A stand-in for the AWS CLI: logs each call, answers describe-images, keeps what put-object
     * sends, answers describe-stacks from $AWS_STACKS/<stack>/Outputs or Parameters ("key<TAB>value"
     * lines, as --output text prints [Key,Value] pairs), and as CloudFormation does for a stack
     * that is not there.
     */
    private static final String FAKE_AWS = """
            #!/bin/sh
            printf '%s\\n' "$*" >> "$AWS_CALLS"
            case "$*" in
              "ecr describe-images"*) echo 123456789012 ;;
              "s3api put-object"*)
                # S3 in a directory, $AWS_S3/<bucket>/<key>, with S3's conditional write.
                while [ $# -gt 0 ]; do
                  case "$1" in
                    --bucket) bucket=$2 ;;
                    --key) key=$2 ;;
                    --body) body=$2 ;;
                    --if-none-match) if_none_match=$2 ;;
                  esac
                  shift
                done
                object="$AWS_S3/$bucket/$key"
                if [ "${if_none_match:-}" = '*' ] && [ -e "$object" ]; then
                  echo "An error occurred (PreconditionFailed) when calling the PutObject operation:" \
                    "At least one of the pre-conditions you specified did not hold" >&2
                  exit 254
                fi
                mkdir -p "$(dirname "$object")"
                cp "$body" "$object"
                echo '"0123456789abcdef"' ;;
              "cloudformation describe-stacks"*)
                while [ $# -gt 0 ]; do
                  case "$1" in
                    --stack-name) stack=$2 ;;
                    --query) query=$2 ;;
                  esac
                  shift
                done
                if [ ! -d "$AWS_STACKS/$stack" ]; then
                  echo "An error occurred (ValidationError) when calling the DescribeStacks operation:" \
                    "Stack with id $stack does not exist" >&2
                  exit 254
                fi
                case "$query" in
                  *Parameters*) cat "$AWS_STACKS/$stack/Parameters" ;;
                  *Outputs*) cat "$AWS_STACKS/$stack/Outputs" ;;
                esac ;;
            esac
            """;

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([^}]+?)\\s*}}");

    /** Fills the ${{ }} expressions of a run script or env value; unset vars and step outputs are "", as on GitHub. */
    private static String fill(String text, Map<String, String> context) {
        Matcher expression = EXPRESSION.matcher(text);
        StringBuilder filled = new StringBuilder();
        while (expression.find()) {
            String name = expression.group(1);
            String value = context.get(name);
            if (value == null) {
                assertTrue(name.startsWith("vars.") || name.startsWith("steps."), "unexpected expression " + name);
                value = "";
            }
            expression.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        expression.appendTail(filled);
        return filled.toString();
    }

    private static final Map<String, Boolean> STEPS_SO_FAR_SUCCEEDED =
            Map.of("success", true, "always", true, "failure", false, "cancelled", false);

    /** {@code failed}: the step that failed the job (the steps after it did not run), or null. */
    private record JobRun(List<String> calls, String summary, String uploaded, String log, String failed) {}

    /**
     * deploy.yml's deploy job, as GitHub runs it with these repository variables: each step whose
     * condition holds, in order, with its ${{ }} expressions and step outputs; the AWS CLI a stand-in
     * that logs its calls, and the launcher job's artifact a stand-in jar.
     */
    private JobRun runDeployJob(String name, Map<String, String> vars) throws IOException, InterruptedException {
        return runDeployJob(name, vars, "the jar the launcher job built");
    }

    /** The same, the launcher job having built a jar of these contents; S3 kept between runs of one test. */
    private JobRun runDeployJob(String name, Map<String, String> vars, String jar)
            throws IOException, InterruptedException {
        JobRun run = runDeployJob(name, vars, jar, stacks(vars, null));
        assertEquals(null, run.failed(), run.log());
        return run;
    }

    /** The stacks' outputs a deploy leaves in place (the worker's, and the service's when SERVICE_STACK is set). */
    private static final Map<String, String> WORKER_OUTPUTS = Map.of(
            "ClusterArn", "arn:aws:ecs:eu-west-1:123456789012:cluster/little-bit-audio-worker-Cluster-AbC123",
            "TaskFamily", "little-bit-audio-worker",
            "TaskRoleArn", "arn:aws:iam::123456789012:role/little-bit-audio-worker-TaskRole-AbC123",
            "ExecutionRoleArn", "arn:aws:iam::123456789012:role/little-bit-audio-worker-ExecutionRole-AbC123",
            "TaskDefinitionArn", "arn:aws:ecs:eu-west-1:123456789012:task-definition/little-bit-audio-worker:7",
            "ImageUri", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/little-bit-audio-worker:abc1234");

    private static final String LAUNCHER =
            "arn:aws:lambda:eu-west-1:123456789012:function:little-bit-audio-worker-service-Launcher-AbC123";

    /** Each stack's Outputs and Parameters: the worker's and service's outputs, and these app-policies parameters (null: no such stack). */
    private static Map<String, Map<String, Map<String, String>>> stacks(
            Map<String, String> vars, Map<String, String> appPolicies) {
        Map<String, Map<String, Map<String, String>>> stacks = new HashMap<>();
        stacks.put(vars.get("WORKER_STACK"), Map.of("Outputs", WORKER_OUTPUTS, "Parameters", Map.of()));
        if (vars.containsKey("SERVICE_STACK")) {
            stacks.put(
                    vars.get("SERVICE_STACK"),
                    Map.of(
                            "Outputs",
                            Map.of("LauncherFunctionArn", LAUNCHER, "ServiceName", "little-bit-audio-worker-serve"),
                            "Parameters",
                            Map.of()));
        }
        if (appPolicies != null) {
            stacks.put(
                    vars.getOrDefault("APP_POLICIES_STACK", vars.get("WORKER_STACK") + "-app-policies"),
                    Map.of("Outputs", Map.of(), "Parameters", appPolicies));
        }
        return stacks;
    }

    /** app-policies.yaml's parameters as an admin gave them from those outputs. */
    private static Map<String, String> appPoliciesFromTheOutputs(String launcher) {
        Map<String, String> parameters = new HashMap<>();
        for (String key : List.of("ClusterArn", "TaskFamily", "TaskRoleArn", "ExecutionRoleArn")) {
            parameters.put(key, WORKER_OUTPUTS.get(key));
        }
        parameters.put("LauncherFunctionArn", launcher);
        parameters.put("AppRoleName", "amplify-app-CreateSampleRecordRole-XyZ");
        return parameters;
    }

    /** The same, in a world of these stacks; the job stops at the first step that fails, as on GitHub. */
    private JobRun runDeployJob(
            String name, Map<String, String> vars, String jar, Map<String, Map<String, Map<String, String>>> stacks)
            throws IOException, InterruptedException {
        Path stackDir = Files.createDirectories(work.resolve(name + "-stacks"));
        for (Map.Entry<String, Map<String, Map<String, String>>> stack : stacks.entrySet()) {
            Path dir = Files.createDirectories(stackDir.resolve(stack.getKey()));
            for (Map.Entry<String, Map<String, String>> part : stack.getValue().entrySet()) {
                StringBuilder lines = new StringBuilder();
                part.getValue()
                        .forEach((key, value) ->
                                lines.append(key).append('\t').append(value).append('\n'));
                Files.writeString(dir.resolve(part.getKey()), lines);
            }
        }
        JsonNode workflow = Repo.yaml(DIR + "deploy.yml");
        JsonNode job = workflow.path("jobs").path("deploy");
        Path workspace = Files.createDirectories(work.resolve(name));
        Path bin = Files.createDirectories(work.resolve(name + "-bin"));
        Path aws = Files.writeString(bin.resolve("aws"), FAKE_AWS);
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwx------"));
        Path calls = work.resolve(name + "-calls");
        Path summary = Files.createFile(work.resolve(name + "-summary"));
        Map<String, String> context = new HashMap<>();
        vars.forEach((key, value) -> context.put("vars." + key, value));
        context.put("inputs.image_tag", "abc1234");
        Map<String, String> env = new HashMap<>();
        job.path("env")
                .fields()
                .forEachRemaining(e -> env.put(e.getKey(), fill(e.getValue().asText(), context)));
        Map<String, String> envNames = new HashMap<>();
        env.forEach((key, value) -> envNames.put("env." + key, value));
        int index = 0;
        StringBuilder logs = new StringBuilder();
        String failed = null;
        for (JsonNode step : steps(job)) {
            index++;
            // Every step before succeeded (or the run already failed below).
            if (!GitHubExpression.holds(step.path("if").asText(""), envNames, STEPS_SO_FAR_SUCCEEDED)) {
                continue;
            }
            String uses = step.path("uses").asText();
            if (uses.startsWith("actions/download-artifact@")) {
                String artifact = step.path("with").path("name").asText();
                JsonNode upload = steps(workflow.path("jobs").path("launcher")).stream()
                        .filter(s -> s.path("uses").asText().startsWith("actions/upload-artifact@"))
                        .filter(s -> s.path("with").path("name").asText().equals(artifact))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no job uploads the artifact " + artifact));
                Path into = Files.createDirectories(
                        workspace.resolve(step.path("with").path("path").asText()));
                String file = Path.of(upload.path("with").path("path").asText())
                        .getFileName()
                        .toString();
                Files.writeString(into.resolve(file), jar);
                continue;
            }
            if (!uses.isEmpty()) {
                continue; // checkout, credentials
            }
            Path output = Files.createFile(work.resolve(name + "-output-" + index));
            Path script = Files.writeString(
                    work.resolve(name + "-step-" + index + ".sh"),
                    fill(step.path("run").asText(), context));
            List<String> command = new ArrayList<>(githubShell(workflow, job, step));
            command.add(script.toString());
            ProcessBuilder builder =
                    new ProcessBuilder(command).directory(workspace.toFile()).redirectErrorStream(true);
            builder.environment().putAll(env);
            step.path("env")
                    .fields()
                    .forEachRemaining(e -> builder.environment()
                            .put(e.getKey(), fill(e.getValue().asText(), context)));
            builder.environment().put("AWS_S3", work.resolve("s3").toString());
            builder.environment().put("AWS_STACKS", stackDir.toString());
            builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
            builder.environment().put("AWS_REGION", "eu-west-1"); // configure-aws-credentials sets it
            builder.environment().put("AWS_CALLS", calls.toString());
            builder.environment().put("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567");
            builder.environment().put("GITHUB_OUTPUT", output.toString());
            builder.environment().put("GITHUB_STEP_SUMMARY", summary.toString());
            Process process = builder.start();
            String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            logs.append(log);
            if (process.waitFor() != 0) {
                failed = step.path("name").asText();
                break;
            }
            for (String line : Files.readAllLines(output)) {
                String[] pair = line.split("=", 2);
                context.put("steps." + step.path("id").asText() + ".outputs." + pair[0], pair[1]);
            }
        }
        Path body = work.resolve("s3")
                .resolve(vars.getOrDefault("DEPLOY_BUCKET", "none"))
                .resolve(IamPoliciesTest.LAUNCHER_KEY);
        return new JobRun(
                Files.exists(calls) ? Files.readAllLines(calls) : List.of(),
                Files.readString(summary),
                Files.exists(body) ? Files.readString(body) : null,
                logs.toString(),
                failed);
    }

    private static final Map<String, String> TASK_MODE_VARS = Map.of(
            "AWS_REGION", "eu-west-1",
            "ECR_REPOSITORY", "little-bit-audio-worker",
            "AWS_DEPLOY_ROLE_ARN", "arn:aws:iam::123456789012:role/deploy",
            "CFN_EXECUTION_ROLE_ARN", "arn:aws:iam::123456789012:role/cfn",
            "WORKER_STACK", "little-bit-audio-worker",
            "TASK_STOPPED_STACK", "little-bit-audio-worker-task-stopped");

    /** The task mode's variables with service mode's stack and deploy bucket set: a map the test may add to. */
    private static Map<String, String> serviceModeVars() {
        Map<String, String> vars = new HashMap<>(TASK_MODE_VARS);
        vars.put("SERVICE_STACK", "little-bit-audio-worker-service");
        vars.put("DEPLOY_BUCKET", "little-bit-deploy");
        return vars;
    }

    @Test
    void withoutServiceStackTheDeployLeavesServiceModeAloneAndSaysSo() throws Exception {
        assumeTrue(Repo.onPath("bash"));
        JobRun run = runDeployJob("task-mode", TASK_MODE_VARS);
        assertTrue(
                run.calls().stream().anyMatch(c -> c.contains("--template-file infra/worker.yaml")),
                run.calls().toString());
        assertTrue(
                run.calls().stream().noneMatch(c -> c.contains("service.yaml") || c.startsWith("s3")),
                run.calls().toString());
        assertTrue(run.summary().contains("Service mode: not deployed"), run.summary());
        assertEquals(
                "vars.SERVICE_STACK != ''",
                Repo.yaml(DIR + "deploy.yml")
                        .path("jobs")
                        .path("launcher")
                        .path("if")
                        .asText(),
                "no launcher build either");
    }

    @Test
    void withServiceStackTheDeployUploadsTheLauncherItBuiltThenDeploysServiceYamlThroughTheExecutionRole()
            throws Exception {
        assumeTrue(Repo.onPath("bash"));
        Map<String, String> vars = serviceModeVars();
        JobRun run = runDeployJob("service-mode", vars);
        List<String> calls = run.calls();
        // The key the roles are checked against (IamPoliciesTest, CloudFormationExecutionRoleTest).
        int upload = indexOf(
                calls,
                "s3api put-object --bucket little-bit-deploy --key " + IamPoliciesTest.LAUNCHER_KEY
                        + " --body launcher/target/audio-worker-launcher-lambda.jar");
        int firstDeploy = indexOf(calls, "cloudformation deploy");
        int worker = indexOf(
                calls, "cloudformation deploy --stack-name little-bit-audio-worker --template-file infra/worker.yaml");
        int service = indexOf(
                calls,
                "cloudformation deploy --stack-name little-bit-audio-worker-service --template-file infra/service.yaml");
        assertTrue(upload >= 0, "the jar goes up under the key of its commit: " + calls);
        assertTrue(upload < firstDeploy, "before any stack changes: " + calls);
        assertTrue(worker >= 0 && worker < service, "the service stack after the worker stack: " + calls);
        assertEquals("the jar the launcher job built", run.uploaded());
        String deploy = calls.get(service);
        for (String part : List.of(
                "ImageUri=123456789012.dkr.ecr.eu-west-1.amazonaws.com/little-bit-audio-worker:abc1234",
                "LauncherCodeBucket=little-bit-deploy",
                "LauncherCodeKey=" + IamPoliciesTest.LAUNCHER_KEY,
                "--capabilities CAPABILITY_IAM",
                "--role-arn arn:aws:iam::123456789012:role/cfn",
                "--no-fail-on-empty-changeset")) {
            assertTrue(deploy.contains(part), part + " in " + deploy);
        }
        assertTrue(run.summary().contains("little-bit-audio-worker-service deployed"), run.summary());
    }

    private static final String CHECK = "Check the app's policies name the deployed resources";

    @Test
    void afterTheDeployTheAppsPoliciesAreComparedWithTheOutputsAndPassWhenTheyMatch() throws Exception {
        assumeTrue(Repo.onPath("bash"));
        JobRun run = runDeployJob(
                "policies-match", TASK_MODE_VARS, "jar", stacks(TASK_MODE_VARS, appPoliciesFromTheOutputs("")));
        assertEquals(null, run.failed(), run.log());
        int check = indexOf(
                run.calls(), "cloudformation describe-stacks --stack-name little-bit-audio-worker-app-policies");
        assertTrue(
                check > indexOf(run.calls(), "--template-file infra/worker.yaml"), "after the deploy: " + run.calls());
        assertFalse(run.log().contains("::error::") || run.log().contains("::warning::"), run.log());
        assertTrue(run.summary().contains("little-bit-audio-worker-app-policies names"), run.summary());
    }

    @Test
    void aReplacedTaskRoleFailsTheDeployNamingItAndHowToRedeployTheAppsPolicies() throws Exception {
        assumeTrue(Repo.onPath("bash"));
        Map<String, String> old = appPoliciesFromTheOutputs("");
        old.put("TaskRoleArn", "arn:aws:iam::123456789012:role/little-bit-audio-worker-TaskRole-Old999");
        JobRun run = runDeployJob("task-role-replaced", TASK_MODE_VARS, "jar", stacks(TASK_MODE_VARS, old));
        assertEquals(CHECK, run.failed(), run.log());
        assertTrue(
                run.log()
                        .contains("::error::TaskRoleArn differs: little-bit-audio-worker-app-policies was given"
                                + " TaskRoleArn=arn:aws:iam::123456789012:role/little-bit-audio-worker-TaskRole-Old999,"
                                + " little-bit-audio-worker now outputs TaskRoleArn="
                                + WORKER_OUTPUTS.get("TaskRoleArn")),
                run.log());
        assertTrue(
                run.log()
                        .contains("aws cloudformation deploy --region eu-west-1 --stack-name"
                                + " little-bit-audio-worker-app-policies --template-file infra/app-policies.yaml"
                                + " --capabilities CAPABILITY_IAM --parameter-overrides TaskRoleArn="
                                + WORKER_OUTPUTS.get("TaskRoleArn") + "\n"),
                "the one value that changed, the others kept: " + run.log());
        for (String same : List.of("ClusterArn", "TaskFamily", "ExecutionRoleArn")) {
            assertFalse(run.log().contains(same + " differs"), run.log());
        }
    }

    /** A new install deploys app-policies.yaml after its first deploy: nothing to compare yet. */
    @Test
    void withoutTheAppsPoliciesStackTheDeployWarnsAndPasses() throws Exception {
        assumeTrue(Repo.onPath("bash"));
        JobRun run = runDeployJob("no-policies-stack", TASK_MODE_VARS, "jar", stacks(TASK_MODE_VARS, null));
        assertEquals(null, run.failed(), run.log());
        assertTrue(run.log().contains("::warning::No stack little-bit-audio-worker-app-policies"), run.log());
        assertFalse(run.log().contains("::error::"), run.log());
    }

    @Test
    void inServiceModeAReplacedLauncherFailsTheDeployNamingIt() throws Exception {
        assumeTrue(Repo.onPath("bash"));
        Map<String, String> vars = serviceModeVars();
        vars.put("APP_POLICIES_STACK", "the-apps-policies");
        String old = "arn:aws:lambda:eu-west-1:123456789012:function:little-bit-audio-worker-service-Launcher-Old999";
        JobRun run = runDeployJob("launcher-replaced", vars, "jar", stacks(vars, appPoliciesFromTheOutputs(old)));
        assertEquals(CHECK, run.failed(), run.log());
        assertTrue(
                run.log()
                        .contains("::error::LauncherFunctionArn differs: the-apps-policies was given"
                                + " LauncherFunctionArn=" + old + ", little-bit-audio-worker-service now outputs"
                                + " LauncherFunctionArn=" + LAUNCHER),
                run.log());
        assertTrue(
                run.log().contains("--stack-name the-apps-policies --template-file infra/app-policies.yaml"),
                run.log());
        assertTrue(run.log().contains("--parameter-overrides LauncherFunctionArn=" + LAUNCHER + "\n"), run.log());
        // The same stacks with the launcher the policies name: the check passes.
        JobRun same = runDeployJob("launcher-same", vars, "jar", stacks(vars, appPoliciesFromTheOutputs(LAUNCHER)));
        assertEquals(null, same.failed(), same.log());
    }

    /**
     * A re-run, or a rollback run from the same branch head, uploads under the same key: the jar
     * already there (behind the running function, and behind any CloudFormation rollback to it)
     * stays as it is, and the deploy goes on.
     */
    @Test
    void aSecondUploadOfTheSameCommitsLauncherLeavesTheFirstJarInPlace() throws Exception {
        assumeTrue(Repo.onPath("bash"));
        Map<String, String> vars = serviceModeVars();
        JobRun first = runDeployJob("first", vars, "the jar of the first run");
        assertEquals("the jar of the first run", first.uploaded());
        JobRun again = runDeployJob("again", vars, "a rebuilt jar with other bytes");
        assertEquals("the jar of the first run", again.uploaded(), "the key's bytes never change");
        assertTrue(again.log().contains("is already there"), again.log());
        assertTrue(
                again.calls().stream()
                        .anyMatch(c -> c.startsWith("s3api put-object") && c.contains("--if-none-match *")),
                again.calls().toString());
        String service = again.calls().stream()
                .filter(c -> c.contains("--template-file infra/service.yaml"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the deploy went on: " + again.calls()));
        assertTrue(service.contains("LauncherCodeKey=" + IamPoliciesTest.LAUNCHER_KEY), service);
    }

    /** What the deploy job's limits must allow for, and step outputs reaching scripts only through env:. */
    @Test
    void theDeployJobWaitsLongEnoughAndItsScriptsTakeNoExpressions() {
        JsonNode jobs = Repo.yaml(DIR + "deploy.yml").path("jobs");
        // Three stacks, the service's rolling deployment waited for.
        assertTrue(jobs.path("deploy").path("timeout-minutes").asInt() >= 60);
        // The artifact must outlive the production approval, which GitHub lets wait 30 days.
        JsonNode artifact = steps(jobs.path("launcher")).stream()
                .filter(s -> s.path("uses").asText().startsWith("actions/upload-artifact@"))
                .findFirst()
                .orElseThrow();
        assertEquals(30, artifact.path("with").path("retention-days").asInt());
        for (JsonNode step : steps(jobs.path("deploy"))) {
            assertFalse(step.path("run").asText().contains("${{"), step.path("name") + ": pass it through env:");
        }
    }

    @Test
    void theLauncherIsBuiltInAJobWithoutAwsAccessAndOnlyForServiceMode() {
        JsonNode jobs = Repo.yaml(DIR + "deploy.yml").path("jobs");
        JsonNode launcher = jobs.path("launcher");
        assertEquals("vars.SERVICE_STACK != ''", launcher.path("if").asText());
        assertFalse(uses(launcher, "aws-actions/configure-aws-credentials"));
        assertTrue(launcher.path("permissions").isMissingNode(), "the workflow's read-only token, no id-token");
        assertTrue(runs(launcher, "./mvnw -B -ntp -f launcher/pom.xml package"));
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(Repo.text("launcher/pom.xml"));
        assertTrue(finalName.find());
        String jar = "launcher/target/" + finalName.group(1) + ".jar";
        assertTrue(
                steps(launcher).stream()
                        .anyMatch(s -> s.path("uses").asText().startsWith("actions/upload-artifact@")
                                && s.path("with").path("path").asText().equals(jar)),
                "the launcher job hands over " + jar);
        assertEquals("launcher", jobs.path("deploy").path("needs").asText());
    }

    /**
     * The deploy job's if:, evaluated for each way the launcher job can end: deploy also runs
     * without service mode (launcher skipped), never after a failed build or in a cancelled run,
     * not even one cancelled after the launcher was built.
     */
    @ParameterizedTest
    @CsvSource({
        "success, false, true",
        "skipped, false, true",
        "failure, false, false",
        "cancelled, true, false",
        "success, true, false"
    })
    void deployRunsExactlyWhenTheLauncherSucceededOrWasSkipped(String launcher, boolean runCancelled, boolean deploys) {
        JsonNode deploy = Repo.yaml(DIR + "deploy.yml").path("jobs").path("deploy");
        assertEquals("launcher", deploy.path("needs").asText());
        // A job's status functions look at the jobs it needs (here the one) and the run.
        Map<String, Boolean> status = Map.of(
                "success",
                launcher.equals("success") && !runCancelled,
                "failure",
                launcher.equals("failure"),
                "cancelled",
                runCancelled,
                "always",
                true);
        assertEquals(
                deploys,
                GitHubExpression.holds(deploy.path("if").asText(), Map.of("needs.launcher.result", launcher), status),
                "launcher " + launcher + (runCancelled ? ", run cancelled: " : ": ")
                        + deploy.path("if").asText());
    }

    private static int indexOf(List<String> scripts, String text) {
        for (int i = 0; i < scripts.size(); i++) {
            if (scripts.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void dependencyScansRunInCiOnlyNotInTheDefaultBuild() {
        JsonNode scan = Repo.yaml(DIR + "dependency-scan.yml");
        assertTrue(uses(scan.path("jobs").path("dependency-review"), "actions/dependency-review-action"));
        assertTrue(runs(scan.path("jobs").path("owasp-dependency-check"), "org.owasp:dependency-check-maven:"));
        assertFalse(Repo.text("pom.xml").contains("dependency-check-maven"));
    }
}
