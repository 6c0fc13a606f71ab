package app.littlebit.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.demo.SynthesizedTake;
import app.littlebit.worker.support.TestAudio;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * The local command on synthesized recordings with known hits: the right number of one-shots at
 * the right places, each a decodable file that does not clip, and the same JSON result as a
 * cloud job.
 */
class LocalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void knownHitsOverNoiseBecomeOneShotsAtTheRightPlaces() throws Exception {
        SynthesizedTake take = TestAudio.take(new PcmFormat(48_000, 1), -55, 2.0, -3, -15, -28, -8, -20);
        Path recording = TestAudio.write(take, AudioFileType.M4A, dir.resolve("hits.m4a"));

        Run run = process(recording, dir.resolve("out"));

        assertEquals(0, run.exitCode, run.stdout);
        JsonNode oneShots = run.result.get("oneShots");
        assertEquals(take.hits().size(), oneShots.size(), run.stdout);
        for (int i = 0; i < oneShots.size(); i++) {
            JsonNode oneShot = oneShots.get(i);
            SynthesizedTake.Hit hit = take.hits().get(i);
            double onsetMs = hit.onsetFrame() * 1000.0 / 48_000;
            double decayEndMs = hit.decayEndFrame() * 1000.0 / 48_000;
            double startMs = oneShot.get("sourceStartMs").asDouble();
            assertTrue(startMs <= onsetMs + 1, "attack cut: starts " + startMs + " for onset " + onsetMs);
            assertTrue(startMs >= onsetMs - 30, "dead air: starts " + startMs + " for onset " + onsetMs);
            // The truth marks the last sample peak above the noise RMS; the detector follows RMS level,
            // which meets the noise a little earlier (the quality suite scores tails precisely).
            assertTrue(
                    oneShot.get("sourceEndMs").asDouble() >= decayEndMs - 100,
                    "tail cut: ends " + oneShot.get("sourceEndMs") + " for decay end " + decayEndMs);
            Path file = Path.of(oneShot.get("path").asText());
            assertEquals("hits-" + (i + 1) + ".m4a", file.getFileName().toString());
            RecordingInfo info = TestAudio.probe(file);
            assertEquals(48_000, info.sampleRate());
            assertEquals(1, info.channels());
            float[] audio = TestAudio.decode(file);
            assertTrue(TestAudio.peakDbfs(audio) <= -0.99, "one-shot " + i + " peaks at " + TestAudio.peakDbfs(audio));
            assertEquals(oneShot.get("durationMs").asDouble(), audio.length * 1000.0 / 48_000, 30);
        }
        assertTrue(Files.exists(dir.resolve("out/hits-original.m4a")));
        assertEquals(Files.size(recording), Files.size(dir.resolve("out/hits-original.m4a")));
    }

    @ParameterizedTest
    @EnumSource(AudioFileType.class)
    void everyOutputFormatIsWrittenAndDecodable(AudioFileType type) throws Exception {
        SynthesizedTake take = TestAudio.take(new PcmFormat(44_100, 2), -60, 2.0, -6, -12);
        Path recording = TestAudio.write(take, AudioFileType.WAV, dir.resolve("take.wav"));

        Run run = process(
                recording,
                dir.resolve("out"),
                "--params",
                "{\"outputFormat\":\"" + type.extension() + "\",\"preserveOriginal\":false}");

        assertEquals(0, run.exitCode, run.stdout);
        assertEquals(2, run.result.get("oneShots").size());
        for (JsonNode oneShot : run.result.get("oneShots")) {
            Path file = Path.of(oneShot.get("path").asText());
            assertTrue(file.toString().endsWith("." + type.extension()));
            assertEquals(type.extension(), oneShot.get("format").asText());
            assertEquals(Files.size(file), oneShot.get("bytes").asLong());
            assertEquals(2, TestAudio.probe(file).channels(), "stereo stays stereo");
            assertTrue(TestAudio.peakDbfs(TestAudio.decode(file)) <= -0.99);
        }
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().contains("original")));
        }
    }

    @Test
    void createOneShotFalseKeepsTheWholeRecordingAsOneFile() throws Exception {
        SynthesizedTake take = TestAudio.take(new PcmFormat(44_100, 1), -60, 2.0, -6, -12, -9);
        Path recording = TestAudio.write(take, AudioFileType.WAV, dir.resolve("whole.wav"));

        Run run = process(recording, dir.resolve("out"), "--params", "{\"createOneShot\":false}");

        assertEquals(0, run.exitCode, run.stdout);
        assertEquals(1, run.result.get("oneShots").size());
        JsonNode only = run.result.get("oneShots").get(0);
        assertEquals(0, only.get("sourceStartMs").asDouble());
        assertEquals(
                run.result.at("/source/durationMs").asDouble(),
                only.get("sourceEndMs").asDouble(),
                1);
    }

    @Test
    void theJobRunsManyTimesInOneJvmWithTheSameResult() throws Exception {
        SynthesizedTake take = TestAudio.take(new PcmFormat(44_100, 1), -60, 2.0, -6, -12);
        Path recording = TestAudio.write(take, AudioFileType.WAV, dir.resolve("again.wav"));

        Run first = process(recording, dir.resolve("first"));
        Run second = process(recording, dir.resolve("second"));

        assertEquals(0, second.exitCode);
        assertEquals(
                first.result.get("oneShots").size(),
                second.result.get("oneShots").size());
        for (int i = 0; i < first.result.get("oneShots").size(); i++) {
            Path a = Path.of(first.result.get("oneShots").get(i).get("path").asText());
            Path b = Path.of(second.result.get("oneShots").get(i).get("path").asText());
            assertEquals(-1, Files.mismatch(a, b), "same input, same bytes");
        }
    }

    @Test
    void demoCommandProducesOneShotsFromItsOwnRecording() throws Exception {
        Run run = run("process", "--demo", "--out", dir.resolve("demo").toString());

        assertEquals(0, run.exitCode, run.stdout);
        assertTrue(run.result.at("/source/path").asText().endsWith("demo-take.m4a"));
        assertTrue(run.result.get("oneShots").size() >= 6, run.stdout);
    }

    @Test
    void unusableInputsFailWithTheirCategory() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.m4a"), "shopping list");
        assertEquals(65, process(text, dir.resolve("a")).exitCode);
        Path empty = Files.write(dir.resolve("empty.wav"), new byte[0]);
        assertEquals(65, process(empty, dir.resolve("b")).exitCode);
        assertEquals(64, process(dir.resolve("missing.wav"), dir.resolve("c")).exitCode);
        assertEquals(64, process(Files.writeString(dir.resolve("x.ogg"), "x"), dir.resolve("d")).exitCode);
        assertEquals(64, run("process").exitCode);
        assertEquals(64, run("transcode", "x").exitCode);
        Run badParams = process(empty, dir.resolve("e"), "--params", "{\"keepSilence\":9000}");
        assertEquals(64, badParams.exitCode);
        assertEquals("BAD_INPUT", badParams.result.at("/error/category").asText());
        assertFalse(badParams.result.at("/error/retryable").asBoolean());
    }

    /** A refused request is the user's to fix, not an alarm: one warning, no error and no stack trace. */
    @Test
    void aRefusedRequestIsAWarningNotAnError() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try {
            assertEquals(64, run("process", "take.m4a", "--out").exitCode);
        } finally {
            root.detachAppender(appender);
        }
        List<ILoggingEvent> failures = appender.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .toList();
        assertEquals(1, failures.size(), failures.toString());
        assertEquals(Level.WARN, failures.get(0).getLevel());
        assertNull(failures.get(0).getThrowableProxy());
    }

    private Run process(Path recording, Path out, String... more) throws Exception {
        String[] args = Stream.concat(
                        Stream.of("process", recording.toString(), "--out", out.toString()), Stream.of(more))
                .toArray(String[]::new);
        return run(args);
    }

    private record Run(int exitCode, String stdout, JsonNode result) {}

    private static Run run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Main.run(args, Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String stdout = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, stdout.lines().count(), "stdout must be exactly one JSON line: " + stdout);
        return new Run(code, stdout, JSON.readTree(stdout));
    }
}
