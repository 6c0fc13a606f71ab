package app.littlebit.worker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.failure.ErrorCategory;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.pipeline.ProcessingParams;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.event.Level;

class EnvironmentParserTest {
    private static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("S3_BUCKET", "little-bit-storage");
        env.put("S3_KEY", "public/unprocessed/user123/kick.m4a");
        env.put("USER_ID", "user123");
        env.put("SAMPLE_ID", "3f1c2a9e-0b7d-4e8f-9a61-5d2c7e4b8a10");
        env.put("STATUS_TABLE", "Sample-abc123-dev");
        return env;
    }

    @Test
    void validEnvironmentBecomesARequest() {
        Map<String, String> env = valid();
        env.put("MAX_INPUT_BYTES", "1000000");
        env.put("LOG_LEVEL", "debug");
        env.put("PROCESSING_PARAMS", "{\"outputFormat\":\"wav\"}");
        JobRequest request = EnvironmentParser.parse(env);

        assertEquals("little-bit-storage", request.bucket());
        assertEquals("kick", request.recordingName());
        assertEquals(AudioFileType.M4A, request.recordingType());
        assertEquals("public/processed/user123/", request.outputPrefix());
        assertEquals(
                Optional.of(new StatusTarget("Sample-abc123-dev", "3f1c2a9e-0b7d-4e8f-9a61-5d2c7e4b8a10")),
                request.statusTarget());
        assertEquals(1_000_000, request.maxInputBytes());
        assertEquals(Level.DEBUG, request.logLevel());
        assertEquals(AudioFileType.WAV, request.params().outputTypeFor(request.recordingType()));
    }

    @Test
    void optionalVariablesHaveDefaultsAndEmptyMeansUnset() {
        Map<String, String> env = valid();
        env.remove("SAMPLE_ID");
        env.put("STATUS_TABLE", "");
        env.put("PROCESSING_PARAMS", "");
        JobRequest request = EnvironmentParser.parse(env);

        assertEquals(Optional.empty(), request.statusTarget());
        assertEquals(200L * 1024 * 1024, request.maxInputBytes());
        assertEquals(Level.INFO, request.logLevel());
        assertEquals(ProcessingParams.defaults(), request.params());
    }

    @Test
    void extensionsAreCaseInsensitiveAndUnicodeNamesAreAllowed() {
        Map<String, String> env = valid();
        env.put("S3_KEY", "public/unprocessed/user123/Grosse Trommel (1).WAV");
        JobRequest request = EnvironmentParser.parse(env);
        assertEquals(AudioFileType.WAV, request.recordingType());
        env.put("S3_KEY", "public/unprocessed/user123/caja_española-2.flac");
        assertEquals("caja_española-2", EnvironmentParser.parse(env).recordingName());
    }

    @Test
    void cognitoIdentityIdsAreUserIdsAndOwnTheirFolder() {
        // Amplify keys a user's storage folder by the Cognito identity id, <region>:<uuid>.
        String identity = "eu-west-1:6f1c2b9e-4d7a-4a51-9a8e-0c3b2d1e5f60";
        Map<String, String> env = valid();
        env.put("USER_ID", identity);
        env.put("S3_KEY", "public/unprocessed/" + identity + "/snare-take-3.m4a");
        JobRequest request = EnvironmentParser.parse(env);
        assertEquals(identity, request.userId());
        assertEquals("public/processed/" + identity + "/", request.outputPrefix());
        env.put("USER_ID", "us-gov-west-1:0a1b2c3d-4e5f-4a5b-8c9d-0e1f2a3b4c5d");
        env.put("S3_KEY", "public/unprocessed/us-gov-west-1:0a1b2c3d-4e5f-4a5b-8c9d-0e1f2a3b4c5d/kick.wav");
        assertEquals("kick", EnvironmentParser.parse(env).recordingName());
    }

    @Test
    void timeLimitIsOptionalAndInSeconds() {
        Map<String, String> env = valid();
        assertEquals(Optional.empty(), EnvironmentParser.parse(env).maxRun());
        env.put("MAX_RUN_SECONDS", "900");
        assertEquals(
                Optional.of(java.time.Duration.ofMinutes(15)),
                EnvironmentParser.parse(env).maxRun());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, String> env = valid();
        env.put("S3_BUCKET", "Bad_Bucket");
        env.put("USER_ID", "bad user");
        WorkerException e = assertThrows(WorkerException.class, () -> EnvironmentParser.parse(env));
        assertTrue(e.getMessage().contains("S3_BUCKET"), e.getMessage());
        assertTrue(e.getMessage().contains("USER_ID"), e.getMessage());
    }

    static Stream<Arguments> badEnvironments() {
        return Stream.of(
                bad("S3_BUCKET", null, "S3_BUCKET is required"),
                bad("S3_BUCKET", "", "S3_BUCKET is required but empty"),
                bad("S3_BUCKET", "ab", "S3_BUCKET must be a valid S3 bucket name"),
                bad("S3_BUCKET", "a".repeat(64), "S3_BUCKET must be a valid S3 bucket name"),
                bad("S3_BUCKET", "Little-Bit", "S3_BUCKET must be a valid S3 bucket name"),
                bad("S3_BUCKET", "little_bit", "S3_BUCKET must be a valid S3 bucket name"),
                bad("S3_BUCKET", "-littlebit", "S3_BUCKET must be a valid S3 bucket name"),
                bad("S3_BUCKET", "littlebit-", "S3_BUCKET must be a valid S3 bucket name"),
                bad("S3_BUCKET", "little..bit", "S3_BUCKET must be a valid S3 bucket name"),
                bad("S3_BUCKET", "little.-bit", "S3_BUCKET must be a valid S3 bucket name"),
                bad("S3_BUCKET", "192.168.1.10", "S3_BUCKET must not be formatted as an IP address"),
                bad("S3_BUCKET", "xn--littlebit", "prefix or suffix that AWS reserves"),
                bad("S3_BUCKET", "littlebit-s3alias", "prefix or suffix that AWS reserves"),
                bad("S3_BUCKET", "sthree-littlebit", "prefix or suffix that AWS reserves"),
                bad("USER_ID", null, "USER_ID is required"),
                bad("USER_ID", "", "USER_ID is required but empty"),
                bad("USER_ID", "user 123", "USER_ID must be 1-128 letters"),
                bad("USER_ID", "u".repeat(129), "USER_ID must be 1-128 letters"),
                bad("USER_ID", "user/123", "USER_ID must be 1-128 letters"),
                bad("USER_ID", "user123\n", "USER_ID must be 1-128 letters"),
                bad("USER_ID", "eu-west-1:not-a-uuid", "or a Cognito identity id"),
                bad("USER_ID", "eu-west-1:6F1C2B9E-4D7A-4A51-9A8E-0C3B2D1E5F60", "or a Cognito identity id"),
                bad("USER_ID", "eu-west-1:6f1c2b9e-4d7a-4a51-9a8e-0c3b2d1e5f60:x", "or a Cognito identity id"),
                bad("USER_ID", "../eu-west-1:6f1c2b9e-4d7a-4a51-9a8e-0c3b2d1e5f60", "or a Cognito identity id"),
                bad("MAX_RUN_SECONDS", "0", "MAX_RUN_SECONDS must be a whole number of seconds from 1 to 86400"),
                bad("MAX_RUN_SECONDS", "86401", "MAX_RUN_SECONDS must be a whole number"),
                bad("MAX_RUN_SECONDS", "15m", "MAX_RUN_SECONDS must be a whole number"),
                bad("S3_KEY", null, "S3_KEY is required"),
                bad("S3_KEY", "", "S3_KEY is required but empty"),
                bad("S3_KEY", "public/unprocessed/user123/" + "k".repeat(1000) + ".m4a", "at most 1024 bytes"),
                bad("S3_KEY", "public/unprocessed/user123/../other/kick.m4a", "must not contain"),
                bad("S3_KEY", "public/unprocessed/user123//kick.m4a", "must not contain"),
                bad("S3_KEY", "public\\unprocessed\\user123\\kick.m4a", "must not contain"),
                bad("S3_KEY", "public/unprocessed/user123/kick\u0000.m4a", "control characters"),
                bad("S3_KEY", "public/unprocessed/user123/%2e%2e/kick.m4a", "percent-encoded"),
                bad("S3_KEY", "public/unprocessed/user123/%252e%252e/kick.m4a", "percent-encoded"),
                bad("S3_KEY", "public/unprocessed/user123/\uff0e\uff0e\uff0fkick.m4a", "look-alike"),
                bad("S3_KEY", "public/unprocessed/user123/kick\u2215x.m4a", "file name must be"),
                bad("S3_KEY", "public/processed/user123/kick.m4a", "must start with 'public/unprocessed/'"),
                bad("S3_KEY", "private/unprocessed/user123/kick.m4a", "must start with 'public/unprocessed/'"),
                bad("S3_KEY", "public/unprocessed/kick.m4a", "must look like public/unprocessed/<USER_ID>"),
                bad("S3_KEY", "public/unprocessed/someoneelse/kick.m4a", "a job may only read its own user's"),
                bad("S3_KEY", "public/unprocessed/user123/sub/kick.m4a", "directly under the user's folder"),
                bad("S3_KEY", "public/unprocessed/user123/kick.ogg", "must end in .m4a, .wav, .mp3, .aac or .flac"),
                bad("S3_KEY", "public/unprocessed/user123/kick", "must end in .m4a"),
                bad("S3_KEY", "public/unprocessed/user123/.m4a", "file name must be"),
                bad("S3_KEY", "public/unprocessed/user123/-rf.m4a", "file name must be"),
                bad("SAMPLE_ID", null, "SAMPLE_ID and STATUS_TABLE must be set together"),
                bad("STATUS_TABLE", null, "SAMPLE_ID and STATUS_TABLE must be set together"),
                bad("SAMPLE_ID", "id with spaces", "SAMPLE_ID must be 1-256"),
                bad("STATUS_TABLE", "ab", "STATUS_TABLE must be a DynamoDB table name"),
                bad("STATUS_TABLE", "table/name", "STATUS_TABLE must be a DynamoDB table name"),
                bad("MAX_INPUT_BYTES", "lots", "MAX_INPUT_BYTES must be a whole number"),
                bad("MAX_INPUT_BYTES", "0", "MAX_INPUT_BYTES must be a whole number"),
                bad("MAX_INPUT_BYTES", "-5", "MAX_INPUT_BYTES must be a whole number"),
                bad("MAX_INPUT_BYTES", "99999999999999999999", "MAX_INPUT_BYTES must be a whole number"),
                bad("LOG_LEVEL", "LOUD", "LOG_LEVEL must be one of"),
                bad("PROCESSING_PARAMS", "{not json", "PROCESSING_PARAMS is not valid JSON"),
                bad("PROCESSING_PARAMS", "[1,2]", "PROCESSING_PARAMS must be a JSON object"));
    }

    private static Arguments bad(String variable, String value, String expected) {
        return Arguments.of(variable, value, expected);
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badEnvironments")
    void badValueIsRejectedWithAClearMessage(String variable, String value, String expected) {
        Map<String, String> env = valid();
        if (value == null) {
            env.remove(variable);
        } else {
            env.put(variable, value);
        }
        WorkerException e = assertThrows(WorkerException.class, () -> EnvironmentParser.parse(env));
        assertEquals(ErrorCategory.BAD_INPUT, e.category());
        assertEquals(64, e.category().exitCode());
        assertTrue(e.getMessage().contains(expected), "message was: " + e.getMessage());
        assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20), "message must not carry control characters");
    }

    @Test
    void statusTargetOnlyIsFoundEvenWhenTheRestIsInvalid() {
        Map<String, String> env = valid();
        env.put("USER_ID", "not valid!");
        assertEquals(
                Optional.of(new StatusTarget("Sample-abc123-dev", "3f1c2a9e-0b7d-4e8f-9a61-5d2c7e4b8a10")),
                EnvironmentParser.statusTargetOnly(env));
        env.put("SAMPLE_ID", "bad id");
        assertEquals(Optional.empty(), EnvironmentParser.statusTargetOnly(env));
    }
}
