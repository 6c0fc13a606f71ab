package app.littlebit.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The jar's entry point. Started with JVM flags (the image's entrypoint, {@code java @jvm.options
 * -jar}, or any of your own), it runs {@link Main} in this JVM. Started as the README's plain
 * {@code java -jar audio-worker.jar ...}, with no flag at all, it runs the same command in a JVM
 * with the image's tuning flags from {@code jvm.options} instead, and passes on its exit code.
 *
 * <p>Why: a JVM with no flags sizes itself for the whole machine. On the 24 GiB benchmark host a
 * 56 min take then peaked at 396 MiB, most of it a young generation sized from RAM that a live set
 * of tens of MB never needs, and took 90 s of CPU against 82 s with the flags; a 20 s take 3.0 s
 * of CPU against 1.2 s (issue 16). A manifest cannot set heap or GC flags, so the only way for
 * the plain command to get them is a JVM of its own. That costs this small JVM's start (measured
 * on the same host: 0.15 s of CPU) and 35 to 40 MiB while the job runs (bench/RESULTS.md: 223 MiB
 * in all on a 60 min take, against 186 with the image's command), far less than it saves.
 *
 * <p>This class must stay small and touch nothing else of the worker (no logging, no JSON), so
 * that the first JVM loads next to nothing.
 */
public final class Launcher {
    /** The options file of the image (repository root), packed into the jar by the pom. */
    private static final String OPTIONS_RESOURCE = "/jvm.options";
    /** Options that reach the JVM without being on its command line: the user chose, we respect it. */
    private static final List<String> OPTION_VARIABLES =
            List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private Launcher() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Optional<String[]> commandLine = ProcessHandle.current().info().arguments();
        if (commandLine.isEmpty() || !isBareJarCommand(commandLine.get(), System.getenv())) {
            Main.main(args);
            return;
        }
        List<String> command = relaunchCommand(
                Path.of(System.getProperty("java.home"), "bin", "java"), tuningFlags(), commandLine.get());
        Process worker = new ProcessBuilder(command).inheritIO().start();
        // Stopped from outside (SIGTERM, Ctrl-C to this process only), the worker is stopped too,
        // so it records its outcome itself (it handles SIGTERM), and no orphan keeps running.
        Thread stopWorker = new Thread(
                () -> {
                    worker.destroy();
                    try {
                        worker.waitFor();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "stop-worker");
        Runtime.getRuntime().addShutdownHook(stopWorker);
        int exit = worker.waitFor();
        System.exit(exit);
    }

    /**
     * True for {@code java -jar <jar> ...} with no JVM option on the command line or in the
     * environment variables the JVM reads options from.
     *
     * @param arguments the JVM's command line after the executable, as the kernel has it
     */
    static boolean isBareJarCommand(String[] arguments, Map<String, String> env) {
        boolean optionsFromEnvironment = OPTION_VARIABLES.stream()
                .anyMatch(name -> !env.getOrDefault(name, "").isBlank());
        return arguments.length >= 2 && arguments[0].equals("-jar") && !optionsFromEnvironment;
    }

    /** The same command line, with the tuning flags before {@code -jar}. */
    static List<String> relaunchCommand(Path java, List<String> flags, String[] arguments) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(flags);
        command.addAll(Arrays.asList(arguments));
        return command;
    }

    /**
     * The -XX and -Xlog lines of jvm.options: heap, collector, compiler, output. Its -D lines are
     * left out: they name the container's paths (/tmp/javacpp), which on a shared machine may
     * belong to another user.
     */
    static List<String> tuningFlags() throws IOException {
        try (InputStream in = Launcher.class.getResourceAsStream(OPTIONS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        OPTIONS_RESOURCE + " is missing from the jar: build it with ./mvnw package");
            }
            return tuningFlags(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .lines()
                    .toList());
        }
    }

    static List<String> tuningFlags(List<String> optionsFile) {
        return optionsFile.stream()
                .map(String::strip)
                .filter(line -> line.startsWith("-XX:") || line.startsWith("-Xlog"))
                .toList();
    }
}
