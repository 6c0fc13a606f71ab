package app.littlebit.worker.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.failure.ErrorCategory;
import app.littlebit.worker.failure.WorkerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the app is told when FFmpeg cannot read a recording: FFmpeg's words, not the worker's insides. */
class FfmpegDecoderTest {
    @Test
    void theReasonKeepsFfmpegsWordsAndFileNamesButNotAddressesOrFolders() {
        List<String> log = List.of(
                "[mp3 @ 0x55d5c0a1b2c0] Header missing",
                "/tmp/little-bit-8311/work-2/recording.mp3: Invalid data found when processing input",
                "[aist#0:0/pcm_s16le @ 0x7f12] Could not open 44100/1 from http://example.com/a",
                "",
                "[mp3 @ 0x55d5c0a1b2c0] Header missing",
                "a fourth line is not shown");

        assertEquals(
                ": [mp3] Header missing / recording.mp3: Invalid data found when processing input"
                        + " / [aist#0:0/pcm_s16le] Could not open 44100/1 from http://example.com/a",
                FfmpegDecoder.reason(log));
    }

    @Test
    void noWordsGiveNoReason() {
        assertEquals("", FfmpegDecoder.reason(List.of(" ", "")));
    }

    /**
     * FFMPEG_BIN_DIR is not started at start-up; an FFmpeg there that cannot load its libraries
     * must still fail the job as the worker's fault (retry won't help, the recording is fine).
     */
    @Test
    void anFfmpegThatCannotLoadItsLibrariesIsAnInternalErrorNotABadRecording(@TempDir Path dir) throws IOException {
        for (String tool : List.of("ffmpeg", "ffprobe")) {
            Path script = dir.resolve(tool);
            Files.writeString(
                    script,
                    "#!/bin/sh\necho \"" + tool + ": error while loading shared libraries: "
                            + "libpulse.so.0: cannot open shared object file\" >&2\nexit 127\n");
            assertTrue(script.toFile().setExecutable(true));
        }
        Path recording = Files.writeString(dir.resolve("take.m4a"), "not read");
        FfmpegDecoder decoder =
                new FfmpegDecoder(FfmpegTools.locate(Map.of("FFMPEG_BIN_DIR", dir.toString())), new FfmpegProcesses());

        WorkerException failure = assertThrows(WorkerException.class, () -> decoder.probe(recording));

        assertEquals(ErrorCategory.INTERNAL, failure.category());
        assertTrue(failure.getMessage().contains("libpulse.so.0"), failure.getMessage());
    }
}
