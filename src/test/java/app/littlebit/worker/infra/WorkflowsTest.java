package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
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
        assertEquals("read", Repo.yaml(DIR + file).path("permissions").path("contents").asText(), file);
        Repo.yaml(DIR + file).path("jobs").forEach(job -> {
            // A job calling deploy.yml hands its token permissions to the job there that assumes the role.
            boolean assumesRole = uses(job, "aws-actions/configure-aws-credentials")
                    || job.path("uses").asText().equals("./.github/workflows/deploy.yml");
            assertEquals(assumesRole, "write".equals(job.path("permissions").path("id-token").asText()),
                    file + ": id-token: write exactly where a role is assumed");
            steps(job).stream().filter(s -> s.path("uses").asText().startsWith("aws-actions/configure-aws-credentials"))
                    .forEach(s -> assertTrue(s.path("with").path("role-to-assume").asText().startsWith("${{ vars."), file));
        });
    }

    @Test
    void ciRunsTheProjectsOwnCheckOnJava17AndTheLocalStackSmokeTest() {
        JsonNode ci = Repo.yaml(DIR + "ci.yml");
        assertTrue(ci.path("on").has("push") && ci.path("on").has("pull_request"));
        JsonNode build = ci.path("jobs").path("build");
        JsonNode java = steps(build).stream().filter(s -> s.path("uses").asText().startsWith("actions/setup-java@"))
                .findFirst().orElseThrow().path("with");
        assertEquals("17", java.path("java-version").asText());
        assertEquals("temurin", java.path("distribution").asText());
        assertEquals("maven", java.path("cache").asText());
        assertTrue(runs(build, "bash .ci/run"));
        assertTrue(runs(ci.path("jobs").path("localstack-smoke"), "mvn -B verify -Dit.test=LocalStackSmokeIT"));
    }

    @Test
    void imageIsBuiltScannedWithoutCredentialsThenPushedThenDeployedBehindApproval() {
        JsonNode image = Repo.yaml(DIR + "image.yml");
        assertEquals("main", image.path("on").path("push").path("branches").get(0).asText());
        JsonNode jobs = image.path("jobs");
        JsonNode build = jobs.path("build");
        assertTrue(build.path("permissions").isMissingNode(), "build job keeps the read-only default token");
        assertTrue(uses(build, "aquasecurity/trivy-action"));
        String trivy = steps(build).stream().map(s -> s.path("uses").asText())
                .filter(u -> u.startsWith("aquasecurity/trivy-action@")).findFirst().orElseThrow();
        assertTrue(trivy.matches("aquasecurity/trivy-action@[0-9a-f]{40}"), "pin by commit: " + trivy);
        assertTrue(runs(build, "--read-only --tmpfs /tmp"), "smoke test runs the image as ECS does");
        JsonNode push = jobs.path("push");
        assertEquals("build", push.path("needs").asText());
        assertTrue(uses(push, "aws-actions/configure-aws-credentials"));
        assertTrue(runs(push, "describe-image-scan-findings"));
        JsonNode deploy = jobs.path("deploy");
        assertEquals("push", deploy.path("needs").asText());
        assertEquals("./.github/workflows/deploy.yml", deploy.path("uses").asText());
    }

    @Test
    void anArm64VariantIsBuiltNativelyFromTheSameDockerfileAndSmokeTestedLikeAmd64() {
        JsonNode jobs = Repo.yaml(DIR + "image.yml").path("jobs");
        JsonNode arm64 = jobs.path("build-arm64");
        assertEquals("ubuntu-24.04-arm", arm64.path("runs-on").asText(), "native, not emulated: AppCDS is trained in the build");
        assertTrue(arm64.path("permissions").isMissingNode(), "keeps the read-only default token");
        JsonNode build = steps(arm64).stream().filter(s -> s.path("uses").asText().startsWith("docker/build-push-action@"))
                .findFirst().orElseThrow().path("with");
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

    @Test
    void dependencyScansRunInCiOnlyNotInTheDefaultBuild() {
        JsonNode scan = Repo.yaml(DIR + "dependency-scan.yml");
        assertTrue(uses(scan.path("jobs").path("dependency-review"), "actions/dependency-review-action"));
        assertTrue(runs(scan.path("jobs").path("owasp-dependency-check"), "org.owasp:dependency-check-maven:"));
        assertFalse(Repo.text("pom.xml").contains("dependency-check-maven"));
    }
}
