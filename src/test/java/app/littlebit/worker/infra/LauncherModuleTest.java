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

    /** The version given right after the tag, e.g. {@code <artifactId>error_prone_core</artifactId>}. */
    private static String versionAfter(String pom, String tag) {
        Matcher version = Pattern.compile(Pattern.quote(tag) + "\\s*<version>([^<]+)</version>")
                .matcher(Repo.text(pom));
        assertTrue(version.find(), tag + " with a version in " + pom);
        return version.group(1);
    }

    /** The formatter and static analysis are the law in both modules, at the same versions. */
    @Test
    void theLauncherIsCheckedAsTheWorkerIs() {
        for (String tag : List.of(
                "<artifactId>error_prone_core</artifactId>",
                "<artifactId>spotless-maven-plugin</artifactId>",
                "<palantirJavaFormat>")) {
            assertEquals(versionAfter("pom.xml", tag), versionAfter("launcher/pom.xml", tag), tag);
        }
        for (String pom : List.of("pom.xml", "launcher/pom.xml")) {
            String text = Repo.text(pom);
            assertTrue(text.contains("<failOnWarning>true</failOnWarning>"), "Error Prone warnings fail " + pom);
            assertTrue(text.contains("<arg>-Xplugin:ErrorProne</arg>"), "Error Prone runs in " + pom);
        }
    }

    @Test
    void ciBuildsAndTestsTheLauncher() {
        assertTrue(Repo.text(".ci/run")
                .lines()
                .anyMatch(line -> line.strip().equals("./mvnw -B -ntp -f launcher/pom.xml verify")));
    }
}
