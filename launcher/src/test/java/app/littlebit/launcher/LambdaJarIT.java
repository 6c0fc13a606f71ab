package app.littlebit.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** What the Lambda's jar holds: the worker's request rules, and nothing of its audio side. */
class LambdaJarIT {
    @Test
    void theLambdaJarCarriesTheWorkersRulesWithoutFfmpegOrTheAudioPipeline() throws Exception {
        Path jar = Path.of("target", "audio-worker-launcher-lambda.jar");
        assertTrue(Files.isRegularFile(jar), "mvn package builds " + jar);
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> names = file.stream().map(e -> e.getName()).toList();
            assertTrue(names.contains("app/littlebit/worker/job/EnvironmentParser.class"));
            assertTrue(names.contains("app/littlebit/worker/job/ProcessingParamsParser.class"));
            assertTrue(names.contains("app/littlebit/launcher/LaunchHandler.class"));
            assertEquals(
                    List.of(),
                    names.stream()
                            .filter(n -> n.startsWith("org/bytedeco/")
                                    || n.startsWith("app/littlebit/worker/ffmpeg/")
                                    || n.endsWith("OneShotPipeline.class")
                                    || n.startsWith("ch/qos/logback/"))
                            .toList());
        }
        assertTrue(Files.size(jar) < 40L * 1024 * 1024, "Lambda's zipped code limit is 50 MB: " + Files.size(jar));
    }
}
