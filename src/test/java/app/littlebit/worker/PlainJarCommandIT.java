package app.littlebit.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.failure.ErrorCategory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's command as a user types it, {@code java -jar target/audio-worker.jar ...} with no
 * JVM flag: the job runs in a JVM with the image's heap and collector flags (else it sizes itself
 * for the whole machine), and the user sees the worker's own result and exit code.
 */
class PlainJarCommandIT {
    private static final Path JAR = Path.of("target", "audio-worker.jar");

    @TempDir
    Path dir;

    @Test
    void theDemoRunsInAJvmWithTheImagesFlags() throws Exception {
        Process process = start("process", "--demo", "--out", dir.resolve("out").toString());
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readStdout(process));

        boolean tunedWorkerSeen = false;
        while (process.isAlive() && !tunedWorkerSeen) {
            tunedWorkerSeen = process.descendants()
                    .anyMatch(child -> child.info()
                            .arguments()
                            .map(arguments -> Arrays.asList(arguments)
                                    .containsAll(List.of("-XX:MaxNewSize=32m", "-XX:+UseSerialGC", "-jar")))
                            .orElse(false));
            Thread.sleep(20);
        }
        assertTrue(process.waitFor(3, TimeUnit.MINUTES));

        JsonNode result = new ObjectMapper().readTree(stdout.get());
        assertEquals(0, process.exitValue(), result.toString());
        assertEquals("COMPLETED", result.get("status").asText());
        assertTrue(result.get("oneShots").size() > 0, result.toString());
        assertTrue(tunedWorkerSeen, "no worker JVM with the flags of jvm.options ran");
    }

    @Test
    void theWorkersExitCodeAndResultComeThrough() throws Exception {
        Process process = start("process", "--out", dir.toString());
        String stdout = readStdout(process);
        assertTrue(process.waitFor(1, TimeUnit.MINUTES));

        assertEquals(ErrorCategory.BAD_INPUT.exitCode(), process.exitValue(), stdout);
        JsonNode result = new ObjectMapper().readTree(stdout);
        assertEquals("FAILED", result.get("status").asText());
        assertEquals("BAD_INPUT", result.get("error").get("category").asText());
    }

    private static Process start(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS").forEach(builder.environment()::remove);
        return builder.start();
    }

    private static String readStdout(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
