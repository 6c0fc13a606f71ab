package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
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
