package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** shellcheck and cfn-lint over the deployment files, when the machine has them (skipped otherwise). */
class LintersTest {
    @Test
    void shellScriptsPassShellcheck() {
        assumeTrue(Repo.onPath("shellcheck"), "shellcheck is not installed (apt-get install shellcheck)");
        Repo.Run run = Repo.run(List.of("shellcheck", "entrypoint.sh", "scripts/run-like-container.sh",
                "scripts/podman-env.sh", "scripts/container-test.sh", "scripts/fresh-machine-test.sh"));
        assertEquals(0, run.exitCode(), run.output());
    }

    @Test
    void templatesPassCfnLint() {
        assumeTrue(Repo.onPath("cfn-lint"), "cfn-lint is not installed (pip install cfn-lint)");
        List<String> command = new ArrayList<>(List.of("cfn-lint", "--"));
        for (String template : List.of("ecr.yaml", "worker.yaml", "task-stopped.yaml", "github-oidc.yaml")) {
            command.add(Repo.path("infra/" + template).toString());
        }
        Repo.Run run = Repo.run(command);
        assertEquals(0, run.exitCode(), run.output());
    }
}
