package app.littlebit.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the plain {@code java -jar} command relaunches itself, and with which flags. */
class LauncherTest {
    @Test
    void onlyABareJavaDashJarIsRelaunched() {
        assertTrue(Launcher.isBareJarCommand(new String[] {"-jar", "audio-worker.jar", "process", "a.m4a"}, Map.of()));
        assertFalse(
                Launcher.isBareJarCommand(
                        new String[] {"@/app/jvm.options", "-jar", "/app/audio-worker.jar", "process"}, Map.of()),
                "the image's entrypoint passes its own flags");
        assertFalse(Launcher.isBareJarCommand(new String[] {"-Xmx64m", "-jar", "audio-worker.jar"}, Map.of()));
        assertFalse(Launcher.isBareJarCommand(
                new String[] {"-cp", "audio-worker.jar", "app.littlebit.worker.Main"}, Map.of()));
        assertFalse(
                Launcher.isBareJarCommand(
                        new String[] {"-jar", "audio-worker.jar"}, Map.of("JAVA_TOOL_OPTIONS", "-Xmx300m")),
                "options from the environment are the user's choice");
        assertTrue(
                Launcher.isBareJarCommand(new String[] {"-jar", "audio-worker.jar"}, Map.of("JDK_JAVA_OPTIONS", " ")));
    }

    @Test
    void theRelaunchKeepsTheCommandLineAndPutsTheImagesTuningFirst() throws Exception {
        List<String> flags = Launcher.tuningFlags(Files.readAllLines(Path.of("jvm.options")));

        assertTrue(
                flags.containsAll(List.of(
                        "-XX:MaxRAMPercentage=60",
                        "-XX:MaxNewSize=32m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Xlog:all=warning:stderr")),
                flags.toString());
        assertTrue(flags.stream().noneMatch(flag -> flag.startsWith("-D") || flag.startsWith("#")), flags.toString());
        assertEquals(
                List.of("/jdk/bin/java", "-XX:+UseSerialGC", "-jar", "w.jar", "process", "take ñ.m4a"),
                Launcher.relaunchCommand(Path.of("/jdk/bin/java"), List.of("-XX:+UseSerialGC"), new String[] {
                    "-jar", "w.jar", "process", "take ñ.m4a"
                }));
    }

    @Test
    void theJarCarriesTheOptionsFileOfTheImage() throws Exception {
        assertEquals(Launcher.tuningFlags(Files.readAllLines(Path.of("jvm.options"))), Launcher.tuningFlags());
    }
}
