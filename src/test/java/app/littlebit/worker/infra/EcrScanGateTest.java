package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * .github/scripts/ecr-scan-gate.sh, the gate between ECR's scan and the deploy, against an aws
 * CLI that answers like ECR: statuses in turn ("aws ecr wait image-scan-complete" only knew
 * COMPLETE, so enhanced scanning's ACTIVE kept every deploy waiting until it failed), then the
 * severity counts.
 */
class EcrScanGateTest {
    @TempDir
    Path dir;

    private record Gate(int exitCode, String output) {}

    /**
     * @param statuses what successive status queries answer ("" = ScanNotFoundException)
     * @param critical the CRITICAL count ("None" = no such findings)
     */
    private Gate gate(List<String> statuses, String critical) throws Exception {
        assumeTrue(Repo.onPath("bash"));
        Path answers = dir.resolve("statuses");
        Files.write(answers, statuses);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path aws = bin.resolve("aws");
        Files.writeString(aws, """
                #!/bin/sh
                case "$*" in
                  *imageScanStatus.status*)
                    status=$(head -n 1 '%1$s'); [ "$(wc -l < '%1$s')" -gt 1 ] && sed -i 1d '%1$s'
                    if [ -z "$status" ]; then echo 'An error occurred (ScanNotFoundException)' >&2; exit 254; fi
                    echo "$status";;
                  *findingSeverityCounts.CRITICAL*) echo '%2$s';;
                  *) echo "unexpected: $*" >&2; exit 2;;
                esac
                """.formatted(answers, critical));
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder builder = new ProcessBuilder(
                        "bash",
                        Repo.path(".github/scripts/ecr-scan-gate.sh").toString(),
                        "little-bit-audio-worker",
                        "0123abc",
                        "5")
                .redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("SCAN_POLL_SECONDS", "0");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Gate(process.waitFor(), output);
    }

    @Test
    void enhancedScanningsActiveStatusIsAFinishedScan() throws Exception {
        Gate clean = gate(List.of("", "PENDING", "ACTIVE"), "None");
        assertEquals(0, clean.exitCode(), clean.output());
        assertTrue(clean.output().contains("status ACTIVE, CRITICAL findings: None"), clean.output());
        Gate critical = gate(List.of("ACTIVE"), "2");
        assertEquals(1, critical.exitCode(), critical.output());
    }

    @Test
    void basicScanningWaitsForCompleteAndStopsOnCriticalFindings() throws Exception {
        assertEquals(
                0,
                gate(List.of("IN_PROGRESS", "IN_PROGRESS", "COMPLETE"), "None").exitCode());
        Gate critical = gate(List.of("COMPLETE"), "1");
        assertEquals(1, critical.exitCode(), critical.output());
        assertTrue(critical.output().contains("CRITICAL findings: 1"), critical.output());
    }

    @Test
    void aScanWithoutAResultNeverLetsTheImageThrough() throws Exception {
        Gate unsupported = gate(List.of("UNSUPPORTED_IMAGE"), "None");
        assertEquals(1, unsupported.exitCode());
        assertTrue(unsupported.output().contains("refusing to deploy"), unsupported.output());
        Gate stuck = gate(List.of("IN_PROGRESS"), "None");
        assertEquals(1, stuck.exitCode());
        assertTrue(stuck.output().contains("still IN_PROGRESS after 5s"), stuck.output());
    }
}
