package app.littlebit.worker.reliability;

import app.littlebit.worker.support.TestAudio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** Folders for FFMPEG_BIN_DIR whose ffmpeg and ffprobe are scripts around the real ones. */
final class FfmpegWrappers {
    private FfmpegWrappers() {}

    /** Each call writes its arguments, one per line, to a file of its own in {@code calls}. */
    static Path recordingArguments(Path bin, Path calls) throws IOException {
        for (String tool : List.of("ffmpeg", "ffprobe")) {
            write(
                    bin,
                    tool,
                    "printf '%s\\n' \"$@\" > '" + calls + "/" + tool + "-'$$\n" + "exec '" + real(tool) + "' \"$@\"");
        }
        return bin;
    }

    /**
     * FFmpeg reads its input at playback speed ({@code -re}), so decoding a 30 s recording takes
     * 30 s: long enough to stop the worker mid-decode without a race.
     */
    static Path realTime(Path bin) throws IOException {
        write(bin, "ffmpeg", "exec '" + real("ffmpeg") + "' -re \"$@\"");
        write(bin, "ffprobe", "exec '" + real("ffprobe") + "' \"$@\"");
        return bin;
    }

    /**
     * FFmpeg that answers {@code -version} but, asked to decode, hangs without writing a byte, as a
     * wedged FFmpeg would; the hang is a child process ({@code sleep}) that holds the pipe open.
     */
    static Path hangingDecoder(Path bin) throws IOException {
        write(
                bin,
                "ffmpeg",
                "case \" $* \" in *' f32le '*) sleep 600; exit 1;; esac\n" + "exec '" + real("ffmpeg") + "' \"$@\"");
        write(bin, "ffprobe", "exec '" + real("ffprobe") + "' \"$@\"");
        return bin;
    }

    private static Path real(String tool) {
        return TestAudio.ffmpeg().binDirectory().resolve(tool);
    }

    private static void write(Path bin, String tool, String body) throws IOException {
        Files.createDirectories(bin);
        Path script = bin.resolve(tool);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }
}
