package app.littlebit.worker.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

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

        assertEquals(": [mp3] Header missing / recording.mp3: Invalid data found when processing input"
                + " / [aist#0:0/pcm_s16le] Could not open 44100/1 from http://example.com/a",
                FfmpegDecoder.reason(log));
    }

    @Test
    void noWordsGiveNoReason() {
        assertEquals("", FfmpegDecoder.reason(List.of(" ", "")));
    }
}
