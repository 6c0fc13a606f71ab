package app.littlebit.worker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.NormalizeTo;
import app.littlebit.worker.failure.ErrorCategory;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.pipeline.ProcessingParams;
import app.littlebit.worker.pipeline.SilenceThreshold;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessingParamsParserTest {
    private static ProcessingParams parse(String json) {
        return ProcessingParamsParser.parse(Optional.of(json));
    }

    @Test
    void absentParamsGiveTheAppDefaults() {
        ProcessingParams params = ProcessingParamsParser.parse(Optional.empty());
        assertTrue(params.createOneShot());
        assertEquals(SilenceThreshold.adaptive(), params.silenceThreshold(), "no threshold given means adaptive");
        assertEquals(750, params.minSilenceMs());
        assertEquals(50, params.keepSilenceMs());
        assertEquals(-20, params.targetDbfs());
        assertTrue(params.normalizeAudio());
        assertTrue(params.preserveOriginal());
        assertEquals(AudioFileType.M4A, params.outputTypeFor(AudioFileType.M4A));
        assertEquals(NormalizeTo.RMS, params.normalizeTo(), "RMS, as before LUFS existed: output unchanged");
        assertEquals(params, parse("{}"));
    }

    @Test
    void everyFieldTheAppSendsIsRead() {
        ProcessingParams params = parse("{\"createOneShot\":false,\"silenceThreshold\":-42,"
                + "\"minSilenceDuration\":1200,\"keepSilence\":0,\"targetDbfs\":-14.5,\"normalizeAudio\":false,"
                + "\"preserveOriginal\":false,\"outputFormat\":\"FLAC\",\"autoDetectThreshold\":false,"
                + "\"processingVersion\":\"1.2.0\",\"uiVersion\":\"3.0.1-beta\",\"normalizeTo\":\"LUFS\"}");
        assertFalse(params.createOneShot());
        assertEquals(
                new SilenceThreshold.Fixed(-42.0),
                params.silenceThreshold(),
                "a given threshold without autoDetect is fixed");
        assertEquals(1200, params.minSilenceMs());
        assertEquals(0, params.keepSilenceMs());
        assertEquals(-14.5, params.targetDbfs());
        assertFalse(params.normalizeAudio());
        assertFalse(params.preserveOriginal());
        assertEquals(AudioFileType.FLAC, params.outputTypeFor(AudioFileType.M4A));
        assertEquals(Optional.of("1.2.0"), params.processingVersion());
        assertEquals(Optional.of("3.0.1-beta"), params.uiVersion());
        assertEquals(NormalizeTo.LUFS, params.normalizeTo());
        assertEquals(NormalizeTo.RMS, parse("{\"normalizeTo\":\"rms\"}").normalizeTo());
    }

    @Test
    void autoDetectWinsOverAFixedThreshold() {
        SilenceThreshold threshold =
                parse("{\"silenceThreshold\":-30,\"autoDetectThreshold\":true}").silenceThreshold();
        assertEquals(Optional.empty(), threshold.fixedDbfs(), "adaptive");
        // The level is kept only to be echoed in the result as sent.
        assertEquals(new SilenceThreshold.Auto(true, Optional.of(-30.0)), threshold);
        assertEquals(
                new SilenceThreshold.Auto(true, Optional.empty()),
                parse("{\"autoDetectThreshold\":true}").silenceThreshold());
        // Echoed as sent: the level the app gave, the flag, and the mode that decided.
        EffectiveParams echoed =
                EffectiveParams.of(parse("{\"silenceThreshold\":-30,\"autoDetectThreshold\":true}"), AudioFileType.WAV);
        assertEquals("adaptive", echoed.thresholdMode());
        assertEquals(-30.0, echoed.silenceThreshold());
        assertTrue(echoed.autoDetectThreshold());
        EffectiveParams fixed = EffectiveParams.of(parse("{\"silenceThreshold\":-30}"), AudioFileType.WAV);
        assertEquals("fixed", fixed.thresholdMode());
        assertEquals(-30.0, fixed.silenceThreshold());
        assertFalse(fixed.autoDetectThreshold());
    }

    @Test
    void rangeEndsAreAccepted() {
        ProcessingParams low =
                parse("{\"silenceThreshold\":-50,\"minSilenceDuration\":500,\"keepSilence\":0,\"targetDbfs\":-30}");
        ProcessingParams high =
                parse("{\"silenceThreshold\":-20,\"minSilenceDuration\":2000,\"keepSilence\":500,\"targetDbfs\":-10}");
        assertEquals(500, low.minSilenceMs());
        assertEquals(500, high.keepSilenceMs());
    }

    @Test
    void unknownFieldsAndNullsAreIgnored() {
        ProcessingParams params = parse("{\"fancyNewThing\":{\"a\":1},\"keepSilence\":null}");
        assertEquals(ProcessingParams.defaults(), params);
    }

    @Test
    void originalMeansTheRecordingsOwnFormat() {
        assertEquals(AudioFileType.MP3, parse("{\"outputFormat\":\"original\"}").outputTypeFor(AudioFileType.MP3));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"silenceThreshold\":-60}|silenceThreshold must be from -50 to -20 dBFS",
                "{\"silenceThreshold\":-10}|silenceThreshold must be from -50 to -20 dBFS",
                "{\"silenceThreshold\":\"-30\"}|silenceThreshold must be a number",
                "{\"minSilenceDuration\":499}|minSilenceDuration must be from 500 to 2000 ms",
                "{\"minSilenceDuration\":1e308}|minSilenceDuration must be from 500 to 2000 ms",
                "{\"keepSilence\":-1}|keepSilence must be from 0 to 500 ms",
                "{\"keepSilence\":501}|keepSilence must be from 0 to 500 ms",
                "{\"targetDbfs\":0}|targetDbfs must be from -30 to -10 dBFS",
                "{\"targetDbfs\":[1]}|targetDbfs must be a number",
                "{\"createOneShot\":\"yes\"}|createOneShot must be true or false",
                "{\"normalizeAudio\":1}|normalizeAudio must be true or false",
                "{\"preserveOriginal\":{}}|preserveOriginal must be true or false",
                "{\"autoDetectThreshold\":\"true\"}|autoDetectThreshold must be true or false",
                "{\"outputFormat\":\"ogg\"}|outputFormat must be one of original, wav, mp3, m4a, aac, flac",
                "{\"outputFormat\":7}|outputFormat must be one of",
                "{\"normalizeTo\":\"peak\"}|normalizeTo must be one of rms, lufs, got \"peak\"",
                "{\"normalizeTo\":true}|normalizeTo must be one of rms, lufs, got true",
                "{\"splitMode\":\"gaps\"}|splitMode must be one of onsets, silence, got \"gaps\"",
                "{\"uiVersion\":\"1.0; rm -rf /\"}|uiVersion must be a string of at most 64",
                "{\"processingVersion\":12}|processingVersion must be a string",
                "{\"targetDbfs\":NaN}|not valid JSON",
                "{\"targetDbfs\":Infinity}|not valid JSON",
                "{\"keepSilence\":50,}|not valid JSON",
                "\"just a string\"|must be a JSON object",
                "null|must be a JSON object",
                "42|must be a JSON object",
            })
    void badParamsAreRejectedNamingTheFieldAndRange(String json, String expected) {
        WorkerException e = assertThrows(WorkerException.class, () -> parse(json));
        assertEquals(ErrorCategory.BAD_INPUT, e.category());
        assertTrue(e.getMessage().contains(expected), "message was: " + e.getMessage());
    }

    @Test
    void allProblemsAreListedTogether() {
        WorkerException e = assertThrows(
                WorkerException.class, () -> parse("{\"keepSilence\":-1,\"targetDbfs\":5,\"createOneShot\":0}"));
        assertTrue(e.getMessage().contains("keepSilence"));
        assertTrue(e.getMessage().contains("targetDbfs"));
        assertTrue(e.getMessage().contains("createOneShot"));
    }

    @Test
    void paramsMustFitInARunTaskOverrideAsEscapedThere() {
        // ECS counts the overrides' JSON: every quote of the params is sent as \" (2 characters),
        // every non-ASCII character as \\uXXXX (6). 4096 characters as sent is the limit.
        String fits = "{\"uiVersion\":\"1\",\"x\":\"" + "a".repeat(4096 - 32) + "\"}";
        assertEquals(4096, ProcessingParamsParser.overrideChars(fits));
        parse(fits);
        String oneMore = fits.replace("{", "{ ");
        WorkerException e = assertThrows(WorkerException.class, () -> parse(oneMore));
        assertEquals(ErrorCategory.BAD_INPUT, e.category());
        assertTrue(e.getMessage().contains("takes 4097 characters"), e.getMessage());
        // 1,000 accented letters are 2,000 UTF-8 bytes but 6,000 characters once escaped: too many.
        String accents = "{\"x\":\"" + "é".repeat(1000) + "\"}";
        assertThrows(WorkerException.class, () -> parse(accents));
    }

    @Test
    void hugeOrDeeplyNestedJsonIsRejected() {
        String big = "{\"uiVersion\":\"" + "x".repeat(1_000_000) + "\"}";
        assertTrue(assertThrows(WorkerException.class, () -> parse(big))
                .getMessage()
                .contains("8192-character"));
        String deep = "{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
        assertEquals(
                ErrorCategory.BAD_INPUT,
                assertThrows(WorkerException.class, () -> parse(deep)).category());
    }
}
