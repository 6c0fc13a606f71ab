package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * launcher/ is a Maven module of its own (no parent: the worker's pom builds a jar): its library
 * versions must not drift from the worker's, whose sources it compiles, and CI must build it.
 */
class LauncherModuleTest {
    private static String property(String pom, String name) {
        Matcher value =
                Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Repo.text(pom));
        assertTrue(value.find(), name + " in " + pom);
        return value.group(1);
    }

    @Test
    void theLauncherUsesTheWorkersLibraryVersions() {
        for (String name : List.of(
                "aws.sdk.version", "jackson.version", "slf4j.version", "junit.version", "maven.compiler.release")) {
            assertEquals(property("pom.xml", name), property("launcher/pom.xml", name), name);
        }
    }

    @Test
    void ciBuildsAndTestsTheLauncher() {
        assertTrue(Repo.text(".ci/run")
                .lines()
                .anyMatch(line -> line.strip().equals("./mvnw -B -ntp -f launcher/pom.xml verify")));
    }
}
