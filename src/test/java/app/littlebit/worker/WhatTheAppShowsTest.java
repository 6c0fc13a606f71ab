package app.littlebit.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.support.TestAudio;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the app's screen draws and labels, on the demo take (kick, snare, hat, clap, pluck on A3,
 * tone on A4, kick, snare), checked against the files themselves: waveforms against the decoded
 * one-shots, loudness against FFmpeg's ebur128, pitch against the notes synthesized.
 */
class WhatTheAppShowsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The demo's sounds in order: null where it is a drum. */
    private static final List<String> NOTES = java.util.Arrays.asList(null, null, null, null, "A3", "A4", null, null);

    @TempDir
    static Path dir;

    private static JsonNode result;

    @BeforeAll
    static void runTheDemo() throws Exception {
        result = run(
                "process", "--demo", "--out", dir.resolve("demo").toString(), "--params", "{\"outputFormat\":\"wav\"}");
        assertEquals("COMPLETED", result.get("status").asText(), result.toString());
        assertEquals(NOTES.size(), result.get("oneShots").size(), result.toString());
    }

    @Test
    void everyOneShotHasAnAudiowaveformFileMatchingItsAudio() throws Exception {
        for (JsonNode oneShot : result.get("oneShots")) {
            Path audio = Path.of(oneShot.get("path").asText());
            Path file = Path.of(oneShot.get("waveformPath").asText());
            assertEquals(
                    audio.getFileName().toString().replace(".wav", ".waveform.json"),
                    file.getFileName().toString());
            JsonNode waveform = JSON.readTree(file.toFile());
            assertEquals(2, waveform.get("version").asInt());
            assertEquals(1, waveform.get("channels").asInt());
            assertEquals(44_100, waveform.get("sample_rate").asInt());
            assertEquals(8, waveform.get("bits").asInt());
            int perPixel = waveform.get("samples_per_pixel").asInt();
            float[] samples = TestAudio.decode(audio);
            int pixels = (samples.length + perPixel - 1) / perPixel;
            assertEquals(pixels, waveform.get("length").asInt());
            assertEquals(2 * pixels, waveform.get("data").size());
            // The file is 24-bit PCM of the very samples the waveform was drawn from: at most a step apart.
            int[] expected = TestAudio.waveformMinMax(samples, perPixel);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], waveform.get("data").get(i).asInt(), 1, "value " + i + " of " + file);
            }
        }
    }

    @Test
    void theRecordingsWaveformShowsEveryCut() throws Exception {
        JsonNode stored = result.get("recordingWaveform");
        Path file = Path.of(stored.get("path").asText());
        assertEquals("demo-take-recording.waveform.json", file.getFileName().toString());
        assertEquals(Files.size(file), stored.get("bytes").asLong());
        JsonNode waveform = JSON.readTree(file.toFile());
        assertEquals(2, waveform.get("version").asInt());
        double durationMs = result.at("/source/durationMs").asDouble();
        double pixelMs = waveform.get("samples_per_pixel").asInt()
                * 1000.0
                / waveform.get("sample_rate").asInt();
        assertEquals(Math.ceil(durationMs / pixelMs), waveform.get("length").asInt(), 1);
        JsonNode cuts = waveform.get("cuts");
        assertEquals(result.get("oneShots").size(), cuts.size());
        for (int i = 0; i < cuts.size(); i++) {
            JsonNode oneShot = result.get("oneShots").get(i);
            assertEquals(oneShot.get("index").asInt(), cuts.get(i).get("index").asInt());
            assertEquals(
                    oneShot.get("sourceStartMs").asDouble(),
                    cuts.get(i).get("startMs").asDouble());
            assertEquals(
                    oneShot.get("sourceEndMs").asDouble(),
                    cuts.get(i).get("endMs").asDouble());
            double onset = cuts.get(i).get("onsetMs").asDouble();
            assertTrue(onset >= oneShot.get("sourceStartMs").asDouble()
                    && onset < oneShot.get("sourceEndMs").asDouble());
        }
        // The hits are loud where the cuts are, and the room noise (-58 dBFS) is near zero between them.
        int firstPixel = (int) (cuts.get(0).get("onsetMs").asDouble() / pixelMs);
        int loudest = 0;
        for (int p = firstPixel; p < firstPixel + 10; p++) {
            loudest = Math.max(loudest, waveform.get("data").get(2 * p + 1).asInt());
        }
        assertTrue(loudest > 40, "the first hit peaks at -6 dBFS, drawn as " + loudest);
        assertTrue(Math.abs(waveform.get("data").get(1).asInt()) <= 1, "silence before the first hit");
    }

    @Test
    void pitchedOneShotsNameTheirNoteAndDrumsHaveNone() {
        for (int i = 0; i < NOTES.size(); i++) {
            JsonNode oneShot = result.get("oneShots").get(i);
            assertTrue(oneShot.has("pitch"), "pitch is always there, null when unpitched");
            JsonNode pitch = oneShot.get("pitch");
            if (NOTES.get(i) == null) {
                assertTrue(pitch.isNull(), "one-shot " + (i + 1) + " is a drum: " + pitch);
            } else {
                assertEquals(NOTES.get(i), pitch.get("note").asText(), pitch.toString());
                double hertz = NOTES.get(i).equals("A3") ? 220 : 440;
                assertEquals(hertz, pitch.get("hz").asDouble(), hertz * 0.002);
                assertEquals(0, pitch.get("cents").asDouble(), 3);
                assertTrue(pitch.get("confidence").asDouble() > 0.8);
            }
        }
    }

    @Test
    void loudnessInLufsIsWhatFfmpegsEbur128Reads() {
        int compared = 0;
        for (JsonNode oneShot : result.get("oneShots")) {
            // Shorter than one 400 ms block, ebur128 has nothing to gate and reads -70; see the meter's tests.
            if (oneShot.get("durationMs").asDouble() < 400) {
                continue;
            }
            double ffmpeg = TestAudio.ebur128Lufs(Path.of(oneShot.get("path").asText()));
            assertEquals(ffmpeg, oneShot.get("loudnessLufs").asDouble(), 0.1, oneShot.toString());
            compared++;
        }
        assertTrue(compared >= 4, "one-shots long enough to compare: " + compared);
    }

    @Test
    void normalizingToLufsBringsEachOneShotToTheTargetUnlessItsPeakStopsIt() throws Exception {
        JsonNode lufs = run(
                "process",
                dir.resolve("demo/demo-take.m4a").toString(),
                "--out",
                dir.resolve("lufs").toString(),
                "--params",
                "{\"outputFormat\":\"wav\",\"normalizeTo\":\"lufs\","
                        + "\"targetDbfs\":-18,\"preserveOriginal\":false}");
        assertEquals("lufs", lufs.at("/params/normalizeTo").asText());
        int atTarget = 0;
        for (JsonNode oneShot : lufs.get("oneShots")) {
            double peak = oneShot.get("peakDbfs").asDouble();
            assertTrue(peak <= -1.0 + 1e-9, oneShot.toString());
            if (peak < -1.01) {
                assertEquals(-18, oneShot.get("loudnessLufs").asDouble(), 0.01, oneShot.toString());
                atTarget++;
                if (oneShot.get("durationMs").asDouble() >= 400) {
                    assertEquals(
                            -18,
                            TestAudio.ebur128Lufs(Path.of(oneShot.get("path").asText())),
                            0.1);
                }
            } else {
                assertTrue(oneShot.get("loudnessLufs").asDouble() < -18, "held back by the ceiling: " + oneShot);
            }
        }
        assertTrue(atTarget >= 3, "one-shots normalized to the target: " + atTarget);
        assertEquals("rms", result.at("/params/normalizeTo").asText(), "the default");
    }

    @Test
    void theDefaultIsRmsAndWritesTheSameBytesAsAskingForRms() throws Exception {
        JsonNode rms = run(
                "process",
                dir.resolve("demo/demo-take.m4a").toString(),
                "--out",
                dir.resolve("rms").toString(),
                "--params",
                "{\"outputFormat\":\"wav\",\"normalizeTo\":\"rms\"}");
        for (int i = 0; i < rms.get("oneShots").size(); i++) {
            Path explicit = Path.of(rms.get("oneShots").get(i).get("path").asText());
            Path byDefault = Path.of(result.get("oneShots").get(i).get("path").asText());
            assertEquals(-1, Files.mismatch(explicit, byDefault), explicit.toString());
            JsonNode oneShot = result.get("oneShots").get(i);
            if (oneShot.get("peakDbfs").asDouble() < -1.01) {
                assertEquals(-20, oneShot.get("loudnessDbfs").asDouble(), 0.01, "RMS target met: " + oneShot);
            }
        }
    }

    private static JsonNode run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Main.run(args, Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return JSON.readTree(bytes.toString(StandardCharsets.UTF_8));
    }
}
