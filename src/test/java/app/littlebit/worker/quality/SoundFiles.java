package app.littlebit.worker.quality;

import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.ffmpeg.FfmpegDecoder;
import app.littlebit.worker.support.TestAudio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sound files for the lab: decoding them into channels, and rendering them with a Debian tool
 * (fluidsynth, espeak-ng) into a cache folder, so each sound is rendered once per machine.
 */
final class SoundFiles {
    /** Under the build folder: {@code ./mvnw clean} empties it, and it is never committed. */
    static final Path CACHE = Path.of(System.getProperty("lab.cache", "target/lab-cache"));

    private SoundFiles() {}

    /** The file's first two channels at the given rate, one array each, trailing digital silence dropped. */
    static float[][] decode(Path file, int sampleRate) {
        FfmpegDecoder decoder = TestAudio.decoder();
        RecordingInfo info = decoder.probe(file);
        int channels = Math.min(2, info.channels());
        List<float[]> buffers = new ArrayList<>();
        decoder.decode(
                file,
                new PcmFormat(sampleRate, channels),
                (samples, frames) -> buffers.add(Arrays.copyOf(samples, frames * channels)));
        int total = buffers.stream().mapToInt(b -> b.length / channels).sum();
        float[][] out = new float[channels][total];
        int frame = 0;
        int lastAudible = 0;
        for (float[] buffer : buffers) {
            for (int f = 0; f < buffer.length / channels; f++, frame++) {
                for (int c = 0; c < channels; c++) {
                    out[c][frame] = buffer[f * channels + c];
                    if (Math.abs(out[c][frame]) > 1e-5) {
                        lastAudible = frame;
                    }
                }
            }
        }
        for (int c = 0; c < channels; c++) {
            out[c] = Arrays.copyOf(out[c], lastAudible + 1);
        }
        return out;
    }

    /** Whether a command of that name is on the PATH. */
    static boolean installed(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":", -1)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The cached file of that name, rendered by {@code render} into a temporary file first if
     * absent, so an interrupted render never leaves a broken file in the cache.
     */
    static Path cached(String name, Renderer render) {
        Path file = CACHE.resolve(name);
        if (Files.isRegularFile(file)) {
            return file;
        }
        try {
            Files.createDirectories(file.getParent());
            Path partial = Files.createTempFile(file.getParent(), "render-", ".tmp");
            render.into(partial);
            return Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command to its end, failing with its output if it fails. */
    static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output =
                    new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Writes a sound into the given file. */
    @FunctionalInterface
    interface Renderer {
        void into(Path file) throws IOException;
    }
}
