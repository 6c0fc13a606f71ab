package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Dockerfile, entrypoint.sh, jvm.options and .dockerignore agree with each other and with the task definition. */
class ContainerFilesTest {
    /** The uid:gid the image runs as; the task definition repeats it. */
    static final String IMAGE_USER = "10001:10001";

    private final String dockerfile = Repo.text("Dockerfile");
    private final List<String> instructions = dockerfile
            .lines()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .toList();

    private List<String> instructions(String keyword) {
        return instructions.stream()
                .filter(line -> line.startsWith(keyword + " "))
                .toList();
    }

    @Test
    void entrypointExecsJavaWithTheSharedFlagsAndTheShadedJar() throws Exception {
        String script = Repo.text("entrypoint.sh");
        assertTrue(script.startsWith("#!/bin/sh\n"), "POSIX sh: the runtime image need not have bash");
        assertTrue(Files.isExecutable(Repo.path("entrypoint.sh")), "entrypoint.sh must be committed with mode 755");
        List<String> commands = script.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        String last = commands.get(commands.size() - 1);
        assertEquals(
                "exec java \"@$APP_HOME/jvm.options\" ${JAVA_OPTS:-} -jar \"$APP_HOME/audio-worker.jar\" \"$@\"", last);
        // Nothing but setup before it: no validation duplicated from the Java code.
        assertEquals(List.of("set -eu", "APP_HOME=\"${APP_HOME:-/app}\""), commands.subList(0, commands.size() - 1));
    }

    @Test
    void jvmFlagsSuitAShortBatchJobInAContainer() {
        List<String> flags = Repo.text("jvm.options")
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        assertTrue(flags.stream().anyMatch(f -> f.startsWith("-XX:MaxRAMPercentage=")), flags.toString());
        assertTrue(
                flags.containsAll(List.of(
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-Djava.io.tmpdir=/tmp",
                        "-Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp")),
                flags.toString());
        // JVM warnings must not land on stdout, which carries the one JSON result line.
        assertTrue(flags.containsAll(List.of("-Xlog:disable", "-Xlog:all=warning:stderr")), flags.toString());
        assertFalse(
                flags.stream().anyMatch(f -> f.startsWith("-XX:SharedArchiveFile")),
                "the CDS archive exists only in the image; the Dockerfile appends that flag");
    }

    @Test
    void imageIsMultiStageWithPinnedBaseImages() {
        List<String> from = instructions("FROM");
        assertEquals(2, from.size(), from.toString());
        for (String arg : List.of("BUILD_IMAGE", "RUNTIME_IMAGE")) {
            Matcher m = Pattern.compile("(?m)^ARG " + arg + "=(\\S+)$").matcher(dockerfile);
            assertTrue(m.find(), arg);
            String image = m.group(1);
            assertTrue(image.matches("[a-z0-9./-]+:[0-9][\\w.-]*"), arg + " must name a versioned tag, got " + image);
            assertFalse(image.endsWith(":latest"));
        }
        assertTrue(dockerfile.contains("ARG RUNTIME_IMAGE=eclipse-temurin:21-jre-jammy"));
    }

    @Test
    void imageRunsAsTheNonRootUserTheTaskDefinitionNames() {
        assertEquals(List.of("USER " + IMAGE_USER), instructions("USER"));
        assertTrue(dockerfile.contains("--uid 10001") && dockerfile.contains("--gid 10001"));
        assertEquals(List.of("ENTRYPOINT [\"/app/entrypoint.sh\"]"), instructions("ENTRYPOINT"));
    }

    @Test
    void tmpIsAVolumeSoFargateGivesItTheImagesModeAndNoHealthcheck() {
        assertEquals(List.of("VOLUME [\"/tmp\"]"), instructions("VOLUME"));
        assertTrue(dockerfile.contains("chmod 1777 /tmp"));
        assertTrue(instructions("HEALTHCHECK").isEmpty(), "batch task: no HEALTHCHECK");
        assertTrue(dockerfile.contains("# No HEALTHCHECK:"), "say why there is none");
    }

    @Test
    void ffmpegShipsOnceFromThePinnedBuildForTheImagesArchitectureVerifiedAndConfigured() {
        // The image profile unpacks the pinned build and leaves it out of the jar.
        assertTrue(dockerfile.contains("./mvnw -B -DskipTests -Pimage -Djavacpp.platform=\"$platform\" package"));
        assertTrue(dockerfile.contains("mv \"target/ffmpeg/org/bytedeco/ffmpeg/$platform\" /opt/ffmpeg"));
        assertTrue(dockerfile.contains("amd64) platform=linux-x86_64 ;;")
                && dockerfile.contains("arm64) platform=linux-arm64 ;;"));
        String pom = Repo.text("pom.xml");
        String profile = pom.substring(pom.indexOf("<id>image</id>"));
        assertTrue(profile.contains("<exclude>org.bytedeco:ffmpeg:jar:${javacpp.platform}</exclude>"), profile);
        assertTrue(profile.contains("<includes>org/bytedeco/ffmpeg/${javacpp.platform}/**</includes>"), profile);
        assertTrue(dockerfile.contains("FFMPEG_BIN_DIR=/opt/ffmpeg"));
        assertTrue(dockerfile.contains("LD_LIBRARY_PATH=/opt/ffmpeg"));
        assertTrue(dockerfile.contains("RUN /opt/ffmpeg/ffmpeg -hide_banner -version"));
        assertTrue(dockerfile.contains("libasound2 libpulse0 libxcb1 libxcb-shm0"));
        assertTrue(
                dockerfile.contains("libdrm2 libva2 libva-drm2"),
                "linked by the linux-arm64 build, which does not bundle them");
        assertTrue(Repo.text("pom.xml").contains("<ffmpeg.version>8.0.1-1.5.13</ffmpeg.version>"));
        // scripts/run-like-container.sh must unpack and configure it the same way.
        String script = Repo.text("scripts/run-like-container.sh");
        assertTrue(script.contains("jar xf \"$app/audio-worker.jar\" org/bytedeco/ffmpeg/linux-x86_64/"));
        assertTrue(script.contains("FFMPEG_BIN_DIR=\"$ffmpeg\"") && script.contains("LD_LIBRARY_PATH=\"$ffmpeg\""));
        assertTrue(script.contains("\"$app/entrypoint.sh\" process"), "runs the real entrypoint");
    }

    @Test
    void appCdsArchiveIsTrainedThroughTheEntrypointAndThenUsed() {
        assertTrue(dockerfile.contains("JAVA_OPTS=\"-XX:ArchiveClassesAtExit=/app/audio-worker.jsa\""));
        assertTrue(dockerfile.contains("/app/entrypoint.sh process /tmp/training/"));
        assertTrue(dockerfile.contains("echo \"-XX:SharedArchiveFile=/app/audio-worker.jsa\" >> /app/jvm.options"));
    }

    @Test
    void imageHasOciLabels() {
        for (String label : List.of("title", "description", "version", "revision", "source", "base.name")) {
            assertTrue(dockerfile.contains("org.opencontainers.image." + label + "="), label);
        }
    }

    @Test
    void buildContextIsAnAllowList() {
        List<String> lines = Repo.text(".dockerignore")
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        assertEquals(
                List.of("*", "!mvnw", "!.mvn/", "!pom.xml", "!src/main/", "!jvm.options", "!entrypoint.sh"), lines);
        for (String copy : instructions("COPY")) {
            if (!copy.contains("--from=")) {
                String source = copy.replaceAll("--chmod=\\S+ ", "").split("\\s+", -1)[1];
                assertTrue(lines.contains("!" + source) || lines.contains("!" + source + "/"), copy);
            }
        }
    }
}
