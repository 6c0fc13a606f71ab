package app.littlebit.worker.reliability;

import static app.littlebit.worker.reliability.Harness.KEY;
import static app.littlebit.worker.reliability.Harness.OUTPUTS;
import static app.littlebit.worker.reliability.Harness.SAMPLE;
import static app.littlebit.worker.reliability.Harness.TABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.job.EnvironmentParser;
import app.littlebit.worker.job.StatusTarget;
import app.littlebit.worker.reliability.Harness.Run;
import app.littlebit.worker.support.TestAudio;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Bad input through the real entry point, against S3Proxy and DynamoDB Local, with a good
 * recording waiting in S3 so that anything let through would be processed. Every case must end
 * with a clear message naming the problem, the right exit code, nothing written to S3, status
 * FAILED where a status target is given, and no work files left (checked by {@link Harness#run}).
 * A bad environment or PROCESSING_PARAMS must be refused before a single S3 request.
 */
class BadInputIT {
    @RegisterExtension
    static final Scene scene = Scene.withS3Proxy();

    private static Path files;

    @BeforeAll
    static void start() throws Exception {
        files = Harness.scratch("bad-files");
    }

    @Test
    void theEnvironmentEveryCaseChangesOneVariableOfIsProcessed() throws Exception {
        Run run = Harness.run(scene.env());
        assertEquals(0, run.exitCode(), run.stdout());
    }

    // ---- the environment -------------------------------------------------------------------------

    /** Every bad value of the unit tests, now end to end. */
    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("app.littlebit.worker.job.EnvironmentParserTest#badEnvironments")
    void environmentCaseOfTheUnitTests(String variable, String value, String expected) throws Exception {
        assertRefusedBeforeAnyRead(with(variable, value), expected);
    }

    /** Encodings and look-alikes beyond the unit tests' cases. */
    static Stream<Arguments> hostileEnvironments() {
        String user = "public/unprocessed/user123/";
        return Stream.of(
                bad("S3_KEY", user + "\u2024\u2024/kick.m4a", "look-alike"), // one dot leader
                bad("S3_KEY", user + "\ufe52\ufe52\u2215kick.m4a", "look-alike"), // small full stop
                bad("S3_KEY", user + "\uff3c\uff0e\uff0e\uff3ckick.m4a", "look-alike"), // fullwidth \ and .
                bad("S3_KEY", user + "%c0%ae%c0%ae%c0%afkick.m4a", "percent-encoded"), // overlong UTF-8
                bad("S3_KEY", user + "%u002e%u002e%u2215kick.m4a", "file name must be"), // IIS %u form
                bad("S3_KEY", user + "..%2fkick.m4a", "must not contain"),
                bad("S3_KEY", user + "./kick.m4a", "directly under the user's folder"),
                bad("S3_KEY", "/" + KEY, "must start with 'public/unprocessed/'"),
                bad("S3_KEY", "PUBLIC/unprocessed/user123/kick.m4a", "must start with 'public/unprocessed/'"),
                bad("S3_KEY", KEY + "\r\nx-amz-meta-evil: 1", "control characters"), // header injection
                bad("S3_KEY", user + "kick\u202egpj.m4a", "file name must be"), // right-to-left override
                bad("S3_KEY", user + "ki\u200bck.m4a", "file name must be"), // zero-width space
                bad("S3_KEY", user + "e\u0301cho.m4a", "look-alike"), // decomposed accent
                bad("S3_KEY", "public/unprocessed/us\u0435r123/kick.m4a", "own user's"), // Cyrillic e
                bad("S3_KEY", "public/unprocessed/user\uff11\uff12\uff13/kick.m4a", "look-alike"), // fullwidth digits
                bad("S3_KEY", user + "kick.m4a.", "must end in"),
                bad("S3_KEY", user, "must end in"),
                bad("S3_KEY", user + "\u20ac".repeat(400) + ".m4a", "at most 1024 bytes"), // 1200 bytes, 404 chars
                bad("USER_ID", "USER123", "own user's"),
                bad("USER_ID", "../user123", "USER_ID must be 1-128 letters"),
                bad("USER_ID", "user123\u0000", "USER_ID must be 1-128 letters"),
                bad("USER_ID", "user123\n{\"level\":\"ERROR\"}", "USER_ID must be 1-128 letters"),
                bad("S3_BUCKET", "little-bit-storage\n", "S3_BUCKET must be a valid S3 bucket name"),
                bad("S3_BUCKET", "little-bit-st\u043erage", "S3_BUCKET must be a valid S3 bucket name"),
                bad("S3_BUCKET", "little-bit-storage/../other", "S3_BUCKET must be a valid S3 bucket name"),
                bad("S3_BUCKET", "amzn-s3-demo-bucket", "reserves"),
                bad("S3_BUCKET", "little-bit--x-s3", "reserves"),
                bad("S3_BUCKET", "little-bit--table-s3", "reserves"),
                bad("S3_BUCKET", "little-bit.mrap", "reserves"),
                bad("S3_BUCKET", "little-bit--ol-s3", "reserves"),
                bad("SAMPLE_ID", "s".repeat(257), "SAMPLE_ID must be 1-256"),
                bad("SAMPLE_ID", "sample\n1", "SAMPLE_ID must be 1-256"),
                bad("STATUS_TABLE", "Sample\u0000", "STATUS_TABLE must be a DynamoDB table name"),
                bad("MAX_INPUT_BYTES", "6000000000", "MAX_INPUT_BYTES must be a whole number"),
                bad("MAX_INPUT_BYTES", "1e6", "MAX_INPUT_BYTES must be a whole number"),
                bad("MAX_INPUT_BYTES", " 100", "MAX_INPUT_BYTES must be a whole number"),
                bad("LOG_LEVEL", "INFO\n", "LOG_LEVEL must be one of"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("hostileEnvironments")
    void hostileEnvironmentValue(String variable, String value, String expected) throws Exception {
        assertRefusedBeforeAnyRead(with(variable, value), expected);
    }

    @Test
    void noJobVariablesAtAll() throws Exception {
        Map<String, String> env = scene.env();
        List.of("S3_BUCKET", "S3_KEY", "USER_ID", "SAMPLE_ID", "STATUS_TABLE").forEach(env::remove);
        Run run = assertRefusedBeforeAnyRead(env, "S3_BUCKET is required but not set");
        assertTrue(run.message().contains("S3_KEY is required but not set"), run.message());
        assertTrue(run.message().contains("USER_ID is required but not set"), run.message());
    }

    // ---- PROCESSING_PARAMS -----------------------------------------------------------------------

    static Stream<Arguments> badParams() {
        return Stream.of(
                bad("wrong type", "{\"targetDbfs\":\"loud\"}", "targetDbfs must be a number"),
                bad("NaN", "{\"targetDbfs\":NaN}", "not valid JSON"),
                bad("-Infinity", "{\"targetDbfs\":-Infinity}", "not valid JSON"),
                bad("1e309 (overflows to infinity)", "{\"keepSilence\":1e309}", "keepSilence must be from 0 to 500 ms"),
                bad(
                        "30-digit integer",
                        "{\"minSilenceDuration\":123456789012345678901234567890}",
                        "minSilenceDuration must be from 500 to 2000 ms"),
                bad("101-digit number", "{\"keepSilence\":1" + "0".repeat(100) + "}", "not valid JSON"),
                bad(
                        "nested garbage",
                        "{\"createOneShot\":{\"a\":[{\"b\":[1,{\"c\":null}]}]}}",
                        "createOneShot must be true or false"),
                bad("1000 levels deep", "{\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}", "not valid JSON"),
                bad("1 MB", "{\"uiVersion\":\"" + "x".repeat(1 << 20) + "\"}", "more than the 4096 that fit"),
                bad("NUL in a string", "{\"outputFormat\":\"wav\\u0000\"}", "outputFormat must be one of"),
                bad("path in outputFormat", "{\"outputFormat\":\"../../x\"}", "outputFormat must be one of"),
                bad(
                        "log injection",
                        "{\"uiVersion\":\"1.0\\n{\\\"level\\\":\\\"ERROR\\\"}\"}",
                        "uiVersion must be a string of at most 64"),
                bad("text after the object", "{\"targetDbfs\":-20} {\"targetDbfs\":0}", "not valid JSON"),
                bad("a field twice", "{\"targetDbfs\":-20,\"targetDbfs\":0}", "Duplicate field"),
                bad("array", "[]", "must be a JSON object"),
                bad("true", "true", "must be a JSON object"),
                bad("number as text", "{\"keepSilence\":\"50\"}", "keepSilence must be a number"),
                bad("boolean as number", "{\"silenceThreshold\":true}", "silenceThreshold must be a number"),
                bad("single quotes", "{'targetDbfs':-20}", "not valid JSON"),
                bad("comment", "{\"targetDbfs\":-20 /* quiet */}", "not valid JSON"),
                bad("leading zero", "{\"keepSilence\":050}", "not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badParams")
    void badProcessingParams(String description, String json, String expected) throws Exception {
        assertRefusedBeforeAnyRead(with("PROCESSING_PARAMS", json), expected);
    }

    // ---- the recording ---------------------------------------------------------------------------

    /** A recording that cannot give one-shots; {@code refusedByHead}: refused from its size alone. */
    record BadFile(
            String description,
            String extension,
            Path file,
            Map<String, String> env,
            String expected,
            boolean refusedByHead) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<BadFile> badFiles() throws Exception {
        Random random = new Random(7);
        byte[] noise = new byte[50_000];
        random.nextBytes(noise);
        PcmFormat mono = new PcmFormat(44_100, 1);
        float[] fullScaleNoise = new float[44_100 * 3];
        for (int i = 0; i < fullScaleNoise.length; i++) {
            fullScaleNoise[i] = random.nextFloat() * 2 - 1;
        }
        float[] dc = new float[44_100 * 3];
        Arrays.fill(dc, 0.5f);
        return Stream.of(
                new BadFile(
                        "zero bytes",
                        "m4a",
                        write("empty.m4a", new byte[0]),
                        Map.of(),
                        "The recording is empty (0 bytes)",
                        true),
                new BadFile(
                        "over MAX_INPUT_BYTES",
                        "m4a",
                        Harness.twoHitRecording(),
                        Map.of("MAX_INPUT_BYTES", "1000"),
                        "over the limit of 1000 (MAX_INPUT_BYTES)",
                        true),
                new BadFile(
                        "truncated AAC in MP4 (index at the end, as phones write it)",
                        "m4a",
                        truncated(ffmpeg(
                                "tone.m4a",
                                "-f",
                                "lavfi",
                                "-i",
                                "sine=frequency=440:duration=4",
                                "-c:a",
                                "aac",
                                "-f",
                                "ipod")),
                        Map.of(),
                        "moov atom not found",
                        false),
                new BadFile(
                        "an HTML error page saved as .mp3",
                        "mp3",
                        write(
                                "page.mp3",
                                "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8)),
                        Map.of(),
                        "The recording is not a readable audio file",
                        false),
                new BadFile(
                        "random bytes as .mp3",
                        "mp3",
                        write("random.mp3", noise),
                        Map.of(),
                        "The recording is not a readable audio file",
                        false),
                new BadFile(
                        "a PNG image as .m4a",
                        "m4a",
                        ffmpeg(
                                "image.png",
                                "-f",
                                "lavfi",
                                "-i",
                                "testsrc=size=32x32",
                                "-frames:v",
                                "1",
                                "-c:v",
                                "png",
                                "-f",
                                "image2"),
                        Map.of(),
                        "The recording has no audio stream",
                        false),
                new BadFile(
                        "an MP4 with only video (lavfi testsrc)",
                        "m4a",
                        ffmpeg(
                                "video.mp4",
                                "-f",
                                "lavfi",
                                "-i",
                                "testsrc=duration=1:size=64x64:rate=10",
                                "-c:v",
                                "mpeg4",
                                "-f",
                                "mp4"),
                        Map.of(),
                        "The recording has no audio stream",
                        false),
                new BadFile(
                        "20 KB of FLAC that decodes to more than 2 hours",
                        "flac",
                        ffmpeg(
                                "long.flac",
                                "-f",
                                "lavfi",
                                "-i",
                                "anullsrc=r=8000:cl=mono",
                                "-t",
                                "7230",
                                "-c:a",
                                "flac",
                                "-frame_size",
                                "65535",
                                "-f",
                                "flac"),
                        Map.of(),
                        "longer than 120 minutes",
                        false),
                new BadFile(
                        "one sample long",
                        "wav",
                        wav("one.wav", new float[] {0.9f}, mono),
                        Map.of(),
                        "No sound found",
                        false),
                new BadFile(
                        "all digital silence",
                        "wav",
                        wav("silence.wav", new float[44_100 * 3], mono),
                        Map.of(),
                        "No sound found",
                        false),
                new BadFile(
                        "all full-scale noise",
                        "wav",
                        wav("noise.wav", fullScaleNoise, mono),
                        Map.of(),
                        "No sound found",
                        false),
                new BadFile("DC only", "wav", wav("dc.wav", dc, mono), Map.of(), "No sound found", false),
                new BadFile(
                        "9 channels",
                        "wav",
                        wav("nine.wav", new float[9 * 44_100], new PcmFormat(44_100, 9)),
                        Map.of(),
                        "must have 1 to 8 channels, got 9",
                        false),
                new BadFile(
                        "4 kHz",
                        "wav",
                        wav("4k.wav", new float[4_000 * 3], new PcmFormat(4_000, 1)),
                        Map.of(),
                        "sample rate must be 8000 to 192000 Hz, got 4000",
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void unusableRecordingIsRefusedAsBadData(BadFile bad) throws Exception {
        String key = "public/unprocessed/user123/take." + bad.extension();
        Harness.putRecording(key, bad.file());
        Map<String, String> env = scene.env();
        env.put("S3_KEY", key);
        env.putAll(bad.env());
        Map<String, String> inputs = Harness.etags("public/unprocessed/");

        Run run = Harness.run(env);

        assertEquals(65, run.exitCode(), run.stdout());
        assertEquals("BAD_DATA", run.category());
        assertFalse(run.retryable());
        assertTrue(run.message().contains(bad.expected()), run.message());
        Map<String, AttributeValue> item = Harness.sample(SAMPLE);
        assertEquals("FAILED", item.get("processing_status").s());
        assertEquals("BAD_DATA", item.get("processing_error_category").s());
        assertEquals(run.message(), item.get("processing_error").s());
        assertEquals(List.of(), Harness.keys(OUTPUTS), "nothing uploaded");
        assertEquals(inputs, Harness.etags("public/unprocessed/"), "the recordings are never modified");
        if (bad.refusedByHead()) {
            assertEquals(0, scene.s3().count(r -> r.isS3("GET", key)), "refused before downloading");
        }
    }

    static Stream<PcmFormat> unusualButValidFormats() {
        return Stream.of(new PcmFormat(8_000, 1), new PcmFormat(192_000, 8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusualButValidFormats")
    void unusualButValidFormatIsProcessedAndKept(PcmFormat format) throws Exception {
        String key = "public/unprocessed/user123/take.wav";
        Harness.putRecording(
                key,
                TestAudio.write(
                        TestAudio.take(format, -60, 1.5, -6, -12),
                        AudioFileType.WAV,
                        files.resolve(format.sampleRate() + "-" + format.channels() + ".wav")));
        Map<String, String> env = scene.env();
        env.put("S3_KEY", key);

        Run run = Harness.run(env);

        assertEquals(0, run.exitCode(), run.stdout());
        assertEquals(2, run.result().get("oneShots").size());
        for (JsonNode oneShot : run.result().get("oneShots")) {
            RecordingInfo info = TestAudio.probe(download(oneShot.get("key").asText()));
            assertEquals(format.sampleRate(), info.sampleRate());
            assertEquals(format.channels(), info.channels());
        }
    }

    /**
     * A raw AAC (ADTS) stream has no declared length, so a cut-off one cannot be told from a short
     * one: the worker processes the whole frames it has. Here the cut falls mid-frame at 1.5 s,
     * between the hits at 0.5 s and 2.0 s.
     */
    @Test
    void truncatedAdtsStreamIsProcessedUpToItsLastWholeFrame() throws Exception {
        String key = "public/unprocessed/user123/take.aac";
        Path whole = TestAudio.write(
                TestAudio.take(new PcmFormat(44_100, 1), -60, 1.5, -6, -12),
                AudioFileType.AAC,
                files.resolve("two-hits.aac"));
        Harness.putRecording(key, cutMidFrame(whole, 1.5, 44_100));
        Map<String, String> env = scene.env();
        env.put("S3_KEY", key);

        Run run = Harness.run(env);

        assertEquals(0, run.exitCode(), run.stdout());
        assertTrue(run.result().at("/source/durationMs").asLong() < 1600, run.stdout());
        assertEquals(1, run.result().get("oneShots").size(), "only the hit before the cut: " + run.stdout());
        assertTrue(TestAudio.decode(download(run.result().at("/oneShots/0/key").asText())).length > 0);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static Arguments bad(String first, String second, String expected) {
        return Arguments.of(first, second, expected);
    }

    private static Map<String, String> with(String variable, String value) {
        Map<String, String> env = scene.env();
        if (value == null) {
            env.remove(variable);
        } else {
            env.put(variable, value);
        }
        return env;
    }

    private static Run assertRefusedBeforeAnyRead(Map<String, String> env, String expected) throws Exception {
        Run run = Harness.run(env);
        assertEquals(64, run.exitCode(), run.stdout());
        assertEquals("BAD_INPUT", run.category());
        assertFalse(run.retryable());
        assertTrue(run.message().contains(expected), run.message());
        assertTrue(run.message().length() < 2000, "the message must not echo a huge input");
        assertTrue(run.message().chars().noneMatch(c -> c < 0x20), "no control characters in the message");
        assertEquals(List.of(), scene.s3().requests(), "nothing may reach S3 before the request is valid");
        assertEquals(List.of(KEY), Harness.keys("public/"), "nothing written, the recording untouched");
        Map<String, AttributeValue> item = Harness.sample(SAMPLE);
        Optional<StatusTarget> target = EnvironmentParser.statusTargetOnly(env);
        if (target.equals(Optional.of(new StatusTarget(TABLE, SAMPLE)))) {
            assertEquals("FAILED", item.get("processing_status").s());
            assertEquals("BAD_INPUT", item.get("processing_error_category").s());
            assertEquals(run.message(), item.get("processing_error").s());
        } else {
            assertNull(item.get("processing_status"), "no valid status target, so no status written");
        }
        return run;
    }

    private static Path download(String key) throws IOException {
        Path file = files.resolve("download-" + key.substring(key.lastIndexOf('/') + 1));
        Files.deleteIfExists(file);
        Harness.s3().getObject(r -> r.bucket(Harness.BUCKET).key(key), file);
        return file;
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        return Files.write(files.resolve(name), bytes);
    }

    private static Path wav(String name, float[] samples, PcmFormat format) {
        return TestAudio.write(samples, format, AudioFileType.WAV, files.resolve(name));
    }

    /** The first half of a file, as an interrupted upload would leave it. */
    private static Path truncated(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return write("half-" + file.getFileName(), Arrays.copyOf(bytes, bytes.length / 2));
    }

    /** An ADTS stream cut in the middle of the frame that holds {@code seconds}. */
    private static Path cutMidFrame(Path adts, double seconds, int sampleRate) throws IOException {
        byte[] bytes = Files.readAllBytes(adts);
        int offset = 0;
        for (int frame = 0; frame * 1024.0 / sampleRate < seconds; frame++) {
            offset += adtsFrameLength(bytes, offset);
        }
        return write("cut-" + adts.getFileName(), Arrays.copyOf(bytes, offset + adtsFrameLength(bytes, offset) / 2));
    }

    /** The 13-bit frame length of the ADTS header at {@code offset}; every frame holds 1024 samples. */
    private static int adtsFrameLength(byte[] bytes, int offset) {
        return ((bytes[offset + 3] & 0x03) << 11)
                | ((bytes[offset + 4] & 0xff) << 3)
                | ((bytes[offset + 5] & 0xe0) >> 5);
    }

    /** Runs the worker's own FFmpeg to make a file from lavfi sources; the output path goes last. */
    private static Path ffmpeg(String name, String... args) throws Exception {
        Path output = files.resolve(name);
        List<String> command = new java.util.ArrayList<>(
                List.of(TestAudio.ffmpeg().binDirectory().resolve("ffmpeg").toString(), "-y", "-v", "error"));
        command.addAll(List.of(args));
        command.add(output.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "ffmpeg failed: " + log);
        return output;
    }
}
