package app.littlebit.worker.reliability;

import static app.littlebit.worker.reliability.Harness.KEY;
import static app.littlebit.worker.reliability.Harness.OUTPUTS;
import static app.littlebit.worker.reliability.Harness.SAMPLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.reliability.Harness.Run;
import app.littlebit.worker.support.LocalAwsServers;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * What the worker does with text it did not write. A recording name (valid, but looking like FFmpeg
 * options, with an "ñ") never becomes a work file name or an FFmpeg argument, so it works where the
 * JVM has no UTF-8 locale, as in the container; hostile text is escaped in
 * the JSON logs and percent-encoded in object metadata; and no credential or signature ever shows
 * in the logs or the result, even at TRACE and on failure paths.
 */
class UntrustedTextIT {
    /** Valid by the key rules (letters of any script, spaces, - and parentheses), option-like on purpose. */
    private static final String NAME = "Caja española -f null -y (1)";

    private static final String HOSTILE_KEY = "public/unprocessed/user123/" + NAME + ".m4a";
    private static final String SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789";

    @RegisterExtension
    static final Scene scene = Scene.withS3AndDynamoDbProxies();

    @Test
    void anOptionLikeRecordingNameNeverReachesFfmpegNorTheWorkFileNames() throws Exception {
        Path dir = Harness.scratch("ffmpeg-args");
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path calls = Files.createDirectory(dir.resolve("calls"));
        Harness.putRecording(HOSTILE_KEY, Harness.twoHitRecording());
        Map<String, String> env = Harness.env();
        env.put("S3_KEY", HOSTILE_KEY);
        env.put("PROCESSING_PARAMS", "{\"outputFormat\":\"m4a\"}"); // also runs the encoder and the peak check
        env.put(
                "FFMPEG_BIN_DIR",
                FfmpegWrappers.recordingArguments(dir.resolve("bin"), calls).toString());
        env.put("TMPDIR", tmp.toString());

        Run run = Harness.run(env);

        assertEquals(0, run.exitCode(), run.stdout());
        List<List<String>> invocations = invocations(calls);
        assertTrue(invocations.size() > 3, "probe, decode, encode and check expected: " + invocations);
        for (List<String> args : invocations) {
            for (String arg : args) {
                for (String request : List.of("Caja", Harness.USER, SAMPLE, Harness.BUCKET, "public/")) {
                    assertFalse(arg.contains(request), "request text reached FFmpeg: " + args);
                }
            }
        }
        String oneShot = OUTPUTS + NAME + "-1.m4a";
        assertEquals(oneShot, run.result().at("/oneShots/0/key").asText());
        HeadObjectResponse head =
                Harness.s3().headObject(r -> r.bucket(Harness.BUCKET).key(oneShot));
        head.metadata()
                .values()
                .forEach(value -> assertTrue(
                        value.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "metadata not printable ASCII: " + value));
        assertEquals(
                "public/unprocessed/user123/Caja espa%C3%B1ola -f null -y (1).m4a",
                head.metadata().get("source-key"));
        assertEquals(
                HOSTILE_KEY,
                URLDecoder.decode(head.metadata().get("source-key").replace("+", "%2B"), StandardCharsets.UTF_8));
    }

    /**
     * The container sets no locale, nor does a fresh machine: the JVM then makes file names in
     * ASCII and cannot name a file "Caja española-1.wav" (it failed as INTERNAL). Run as the
     * entrypoint runs it (jvm.options) in a JVM started with LANG=C and no LC_ALL/LC_CTYPE.
     */
    @Test
    void aNonAsciiRecordingNameIsProcessedWithNoLocaleAsInTheContainer() throws Exception {
        String name = "Caja española";
        String key = "public/unprocessed/user123/" + name + ".m4a";
        String sample = "no-locale-sample";
        Harness.putRecording(key, Harness.twoHitRecording());
        Harness.putSample(sample);
        Path dir = Harness.scratch("no-locale");
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "@"
                                + Path.of(System.getProperty("basedir", "."), "jvm.options")
                                        .toAbsolutePath(),
                        "-Djava.io.tmpdir=" + tmp,
                        "-XshowSettings:properties",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "app.littlebit.worker.Main")
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(variable -> variable.startsWith("AWS_") || variable.startsWith("LC_"));
        env.putAll(Harness.env());
        env.put("LANG", "C");
        env.put("S3_KEY", key);
        env.put("SAMPLE_ID", sample);
        env.put("TMPDIR", tmp.toString());
        Process worker = builder.start();
        assertTrue(worker.waitFor(2, TimeUnit.MINUTES), "the worker did not exit");

        String stderr = Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
        assertTrue(stderr.contains("sun.jnu.encoding = ANSI_X3.4-1968"), "the JVM had a UTF-8 locale after all");
        List<String> stdout = Files.readAllLines(dir.resolve("stdout"), StandardCharsets.UTF_8);
        assertEquals(1, stdout.size(), "stdout must be one JSON line: " + stdout);
        assertEquals(0, worker.exitValue(), stdout.get(0));
        JsonNode result = Harness.json(stdout.get(0));
        assertEquals(key, result.at("/source/key").asText());
        String oneShot = OUTPUTS + name + "-1.wav";
        assertEquals(oneShot, result.at("/oneShots/0/key").asText());
        assertEquals(
                List.of(
                        OUTPUTS + name + "-1.wav",
                        OUTPUTS + name + "-1.waveform.json",
                        OUTPUTS + name + "-2.wav",
                        OUTPUTS + name + "-2.waveform.json",
                        OUTPUTS + name + "-original.m4a",
                        OUTPUTS + name + "-recording.waveform.json"),
                Harness.keys(OUTPUTS + name));
        assertEquals("COMPLETED", Harness.status(sample));
        assertEquals(List.of(), Harness.leftovers(tmp), "work files left behind");
    }

    @Test
    void hostileTextIsEscapedInTheLogsOneJsonLinePerEvent() throws Exception {
        // 250 unknown fields (as many as fit in the 4096 characters a RunTask override can carry),
        // one with a newline and a fake log record in its name.
        String junk = IntStream.range(0, 250).mapToObj(i -> "\"f" + i + "\":0").collect(Collectors.joining(","));
        Map<String, String> env = Harness.env();
        env.put(
                "PROCESSING_PARAMS",
                "{\"outputFormat\":\"wav\",\"x\\n{\\\"level\\\":\\\"ERROR\\\"}\\u0000\":1," + junk + "}");
        try (LogCapture logs = new LogCapture()) {
            Run run = Harness.run(env);

            assertEquals(0, run.exitCode(), run.stdout());
            List<String> lines = logs.lines();
            for (String line : lines) {
                assertEquals(1, line.lines().count(), "one line per event: " + line);
                Harness.json(line);
                assertFalse(line.contains("{\"level\":\"ERROR\"}"), "unescaped injected record: " + line);
            }
            List<String> warnings = lines.stream()
                    .filter(l -> l.contains("Ignoring unknown PROCESSING_PARAMS"))
                    .toList();
            assertEquals(1, warnings.size(), "one warning, not one per field");
            assertTrue(warnings.get(0).contains("251"), warnings.get(0));
        }
    }

    @Test
    void noCredentialOrSignatureInTheLogsOrResultsEvenAtTraceAndOnFailures() throws Exception {
        List<String> output = new ArrayList<>();
        try (LogCapture logs = new LogCapture()) {
            output.add(traced(Harness.env()).stdout());

            scene.s3().always(r -> r.isS3("GET", KEY), FaultProxy.s3Error(403, "AccessDenied"));
            output.add(traced(Harness.via(Harness.env(), scene.s3(), null)).stdout());
            scene.s3().reset();
            scene.s3().always(r -> r.isS3("GET", KEY), FaultProxy.RESET);
            output.add(traced(Harness.via(Harness.env(), scene.s3(), null)).stdout());

            // S3Proxy refuses session tokens, so they are tried where only DynamoDB is called.
            Map<String, String> badRequest = Harness.env();
            badRequest.put("USER_ID", "not valid!");
            badRequest.put("AWS_SESSION_TOKEN", SESSION_TOKEN);
            output.add(traced(badRequest).stdout());
            scene.dynamo().always(r -> true, FaultProxy.dynamoError(500, "InternalServerError"));
            Map<String, String> dynamoDown = Harness.via(Harness.env(), null, scene.dynamo());
            dynamoDown.put("AWS_SESSION_TOKEN", SESSION_TOKEN);
            output.add(traced(dynamoDown).stdout());

            output.addAll(logs.lines());
        }
        assertTrue(output.size() > 20, "expected the runs to log: " + output.size());
        for (String text : output) {
            for (String secret : List.of(
                    LocalAwsServers.SECRET_KEY,
                    SESSION_TOKEN,
                    "Signature=",
                    "X-Amz-Signature",
                    "Credential=",
                    "X-Amz-Security-Token",
                    "Authorization")) {
                assertFalse(text.contains(secret), "'" + secret + "' in: " + text);
            }
        }
    }

    private static Run traced(Map<String, String> env) throws IOException {
        env.put("LOG_LEVEL", "TRACE");
        return Harness.run(env);
    }

    private static List<List<String>> invocations(Path calls) throws IOException {
        try (Stream<Path> files = Files.list(calls)) {
            List<List<String>> invocations = new ArrayList<>();
            for (Path file : files.toList()) {
                invocations.add(Files.readAllLines(file));
            }
            return invocations;
        }
    }
}
