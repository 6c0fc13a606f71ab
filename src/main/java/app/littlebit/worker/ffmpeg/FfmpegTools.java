package app.littlebit.worker.ffmpeg;

import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a working {@code ffmpeg} and {@code ffprobe}, in this order: the folder named by
 * {@code FFMPEG_BIN_DIR}; the build pinned in the pom ({@code org.bytedeco:ffmpeg}), unpacked
 * from the class path; the ones on {@code PATH}. A candidate found on its own is started once to
 * prove it runs, so that a bundled build missing a system library falls back to the next; the
 * folder an operator names is taken as it is (the image proves it at build time), because every
 * job's start-up would pay for the check: two process starts, 40 to 90 ms of wall time on the
 * benchmark's 20 s takes (bench/RESULTS.md). If it cannot start after all, the first FFmpeg run
 * says so ({@link FfmpegDecoder}: exit code 127, an internal error, not the recording's fault).
 */
public final class FfmpegTools {
    private static final Logger log = LoggerFactory.getLogger(FfmpegTools.class);
    static final String BIN_DIR_VARIABLE = "FFMPEG_BIN_DIR";

    private final Path binDirectory;

    private FfmpegTools(Path binDirectory) {
        this.binDirectory = binDirectory;
    }

    /** The folder holding both executables. */
    public Path binDirectory() {
        return binDirectory;
    }

    /** The ffmpeg executable, as a command's first word. */
    public String ffmpeg() {
        return binDirectory.resolve("ffmpeg").toString();
    }

    /** The ffprobe executable, as a command's first word. */
    public String ffprobe() {
        return binDirectory.resolve("ffprobe").toString();
    }

    public static FfmpegTools locate(Map<String, String> env) {
        String configured = env.get(BIN_DIR_VARIABLE);
        if (configured != null && !configured.isEmpty()) {
            Path dir = Path.of(configured);
            if (!executables(dir, new ArrayList<>())) {
                throw WorkerException.of(
                        FailureReason.BAD_REQUEST,
                        BIN_DIR_VARIABLE + " must name a folder with working ffmpeg and ffprobe executables, got '"
                                + configured + "'");
            }
            log.atInfo().addKeyValue("dir", dir.toString()).log("Using FFmpeg");
            return new FfmpegTools(dir);
        }
        List<String> tried = new ArrayList<>();
        Optional<Path> bundled = unpackBundled(tried);
        Optional<FfmpegTools> tools = bundled.flatMap(dir -> tryDirectory(dir, tried));
        if (tools.isEmpty()) {
            tools = onPath().flatMap(dir -> tryDirectory(dir, tried));
        }
        return tools.orElseThrow(() -> WorkerException.of(
                FailureReason.FFMPEG,
                "No working FFmpeg: " + String.join("; ", tried)
                        + ". Install the system libraries the bundled build needs (Debian: libpulse0), "
                        + "install ffmpeg, or set " + BIN_DIR_VARIABLE));
    }

    private static boolean executables(Path dir, List<String> tried) {
        for (String tool : List.of("ffprobe", "ffmpeg")) {
            if (!Files.isExecutable(dir.resolve(tool))) {
                tried.add(dir.resolve(tool) + " is not an executable file");
                return false;
            }
        }
        return true;
    }

    private static Optional<FfmpegTools> tryDirectory(Path dir, List<String> tried) {
        if (!executables(dir, tried)) {
            return Optional.empty();
        }
        try {
            // Both start before either is read: the checks overlap, which every job's start-up feels.
            Process ffprobe = new ProcessBuilder(dir.resolve("ffprobe").toString(), "-version")
                    .redirectErrorStream(true)
                    .start();
            Process ffmpeg = new ProcessBuilder(dir.resolve("ffmpeg").toString(), "-version")
                    .redirectErrorStream(true)
                    .start();
            String probeOutput = readAll(ffprobe);
            String output = readAll(ffmpeg);
            if (ffprobe.exitValue() != 0 || ffmpeg.exitValue() != 0) {
                String failing = ffprobe.exitValue() != 0 ? probeOutput : output;
                tried.add(dir + " does not run: " + firstLine(failing));
                return Optional.empty();
            }
            log.atInfo()
                    .addKeyValue("dir", dir.toString())
                    .addKeyValue("version", firstLine(output))
                    .log("Using FFmpeg");
            return Optional.of(new FfmpegTools(dir));
        } catch (IOException e) {
            tried.add(dir + " does not start: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw WorkerException.of(FailureReason.STOPPED, "Interrupted while checking FFmpeg", e);
        }
    }

    private static Optional<Path> unpackBundled(List<String> tried) {
        String resource = "/org/bytedeco/ffmpeg/" + Loader.getPlatform() + "/";
        if (FfmpegTools.class.getResource(resource + "ffmpeg") == null) {
            tried.add("no bundled FFmpeg for platform " + Loader.getPlatform());
            return Optional.empty();
        }
        try {
            // JavaCPP unpacks the whole folder (executables and the libraries they link) once per version.
            for (File cached : Loader.cacheResources(resource)) {
                File dir = cached.isDirectory() ? cached : cached.getParentFile();
                File ffmpeg = new File(dir, "ffmpeg");
                File ffprobe = new File(dir, "ffprobe");
                if (ffmpeg.isFile() && ffprobe.isFile()) {
                    ffmpeg.setExecutable(true);
                    ffprobe.setExecutable(true);
                    return Optional.of(writeLaunchers(dir.toPath()));
                }
            }
            tried.add("the bundled FFmpeg was not found after unpacking " + resource);
            return Optional.empty();
        } catch (IOException e) {
            tried.add("bundled FFmpeg could not be unpacked: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The bundled libraries find each other only through LD_LIBRARY_PATH (some lack an $ORIGIN
     * run path), so each tool gets a two-line launcher that sets it and execs the real binary
     * (signals still reach FFmpeg); the folder then works for any caller, whatever its environment.
     */
    private static Path writeLaunchers(Path libDir) throws IOException {
        Path launchers = Files.createDirectories(libDir.resolve("launchers"));
        for (String tool : List.of("ffmpeg", "ffprobe")) {
            Path launcher = launchers.resolve(tool);
            String script = "#!/bin/sh\nLD_LIBRARY_PATH='" + libDir + "' exec '" + libDir.resolve(tool) + "' \"$@\"\n";
            if (!Files.exists(launcher) || !Files.readString(launcher).equals(script)) {
                Path temp = Files.createTempFile(launchers, tool, ".tmp");
                Files.writeString(temp, script);
                temp.toFile().setExecutable(true);
                Files.move(
                        temp,
                        launcher,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return launchers;
    }

    private static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator, -1)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "ffmpeg"))) {
                return Optional.of(Path.of(entry));
            }
        }
        return Optional.empty();
    }

    private static String readAll(Process process) throws IOException, InterruptedException {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return output;
    }

    private static String firstLine(String text) {
        String trimmed = text.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline);
    }
}
