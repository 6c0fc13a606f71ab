package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * shellcheck, cfn-lint, cfn-guard with AWS Control Tower's rules, and actionlint over the
 * deployment files. .ci/install-linters.sh installs them (.ci/run calls it first); elsewhere a
 * missing tool skips its test, but not in CI (CI=true), where a linter that did not run fails.
 */
class LintersTest {
    private static final Pattern CONTROL = Pattern.compile("\\[(CT\\.[A-Z0-9]+\\.PR\\.\\d+)]");
    private static final Pattern RESOURCE = Pattern.compile("/Resources/([A-Za-z0-9]+)");

    private static List<String> templates() {
        try (Stream<Path> files = Files.list(Repo.path("infra"))) {
            return files.map(Path::toString)
                    .filter(f -> f.endsWith(".yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void shellScriptsPassShellcheck() {
        Repo.requireTool("shellcheck", Repo.onPath("shellcheck"));
        Repo.Run run = Repo.run(List.of(
                "shellcheck",
                "entrypoint.sh",
                "scripts/run-like-container.sh",
                "scripts/podman-env.sh",
                "scripts/container-test.sh",
                "scripts/fresh-machine-test.sh",
                ".ci/install-linters.sh",
                ".github/scripts/ecr-scan-gate.sh"));
        assertEquals(0, run.exitCode(), run.output());
    }

    @Test
    void templatesPassCfnLint() {
        Repo.requireTool("cfn-lint", Repo.onPath("cfn-lint"));
        List<String> command = new ArrayList<>(List.of("cfn-lint", "--"));
        command.addAll(templates());
        assertTrue(command.size() >= 7, "all five templates: " + command);
        Repo.Run run = Repo.run(command);
        assertEquals(0, run.exitCode(), run.output());
    }

    @Test
    void templatesMeetAwsControlTowerControlsButTheJustifiedExemptions() throws IOException {
        Path guard = Repo.linters().resolve("cfn-guard");
        Repo.requireTool("cfn-guard", Files.isExecutable(guard));
        Set<String> findings = new TreeSet<>();
        for (String template : templates()) {
            Repo.Run run = Repo.run(List.of(
                    guard.toString(),
                    "validate",
                    "--rules",
                    Repo.linters().resolve("control-tower-rules").toString(),
                    "--data",
                    template,
                    "--output-format",
                    "json",
                    "--show-summary",
                    "none",
                    "--structured"));
            assertTrue(run.exitCode() == 0 || run.exitCode() == 19, "cfn-guard failed to run: " + run.output());
            String name = Path.of(template).getFileName().toString();
            for (JsonNode file : Repo.JSON.readTree(run.output())) {
                for (JsonNode finding : file.path("not_compliant")) {
                    Matcher control = CONTROL.matcher(finding.toString());
                    assertTrue(control.find(), "finding without a control id: " + finding);
                    Matcher resource = RESOURCE.matcher(finding.toString());
                    while (resource.find()) {
                        findings.add(name + " " + control.group(1) + " " + resource.group(1));
                    }
                }
            }
        }
        Set<String> exempted = new TreeSet<>();
        for (String line : Repo.text("infra/cfn-guard-exemptions.txt").lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":", 2);
            assertTrue(parts.length == 2 && parts[1].strip().length() > 20, "say why: " + line);
            exempted.add(parts[0].strip());
        }
        Set<String> unexpected = new TreeSet<>(findings);
        unexpected.removeAll(exempted);
        assertEquals(Set.of(), unexpected, "Control Tower findings");
        Set<String> stale = new TreeSet<>(exempted);
        stale.removeAll(findings);
        assertEquals(Set.of(), stale, "exemptions that no longer apply: remove them");
    }

    @Test
    void workflowsPassActionlint() throws IOException {
        Path actionlint = Repo.linters().resolve("actionlint");
        Repo.requireTool(
                "actionlint", Files.isRegularFile(actionlint.resolve("build/run-lint.js")) && Repo.onPath("node"));
        List<String> command = new ArrayList<>(List.of("node", ".ci/actionlint.cjs", actionlint.toString()));
        try (Stream<Path> files = Files.list(Repo.path(".github/workflows"))) {
            files.map(Path::toString).filter(f -> f.endsWith(".yml")).sorted().forEach(command::add);
        }
        assertFalse(command.size() < 7, "all four workflows: " + command);
        Repo.Run run = Repo.run(command);
        assertEquals(0, run.exitCode(), run.output());
    }
}
