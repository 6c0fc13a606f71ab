package app.littlebit.worker.quality;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.support.TestAudio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * aubio's slicer (Debian package {@code aubio-tools}) as a user would run it, with its defaults:
 * {@code aubiocut} prints the onsets it finds, and {@code aubiocut --cut} writes one slice from
 * each onset to the next (the last to the end of the file). The slices are scored as cut: no
 * fades, no padding, and the recording's own level.
 */
public final class AubioCutter implements Cutter {
    private AubioCutter() {}

    /** aubiocut, or empty if it is not installed. */
    public static Optional<Cutter> installed() {
        return SoundFiles.installed("aubiocut") ? Optional.of(new AubioCutter()) : Optional.empty();
    }

    @Override
    public String name() {
        return "aubiocut";
    }

    @Override
    public List<Slice> cut(Path recording, float[] decoded, PcmFormat format, Path workDir) {
        try {
            Path wav = TestAudio.write(decoded, format, AudioFileType.WAV, workDir.resolve("aubio-input.wav"));
            Process process = new ProcessBuilder("aubiocut", "-i", wav.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException("aubiocut failed on " + wav + ": " + output);
            }
            List<Long> onsets = new ArrayList<>();
            for (String line : output.split("\\R", -1)) {
                if (!line.isBlank()) {
                    onsets.add(Math.round(Double.parseDouble(line.trim()) * format.sampleRate()));
                }
            }
            long frames = decoded.length / format.channels();
            List<Slice> slices = new ArrayList<>();
            for (int i = 0; i < onsets.size(); i++) {
                long start = onsets.get(i);
                long end = i + 1 < onsets.size() ? onsets.get(i + 1) : frames;
                if (end > start) {
                    double peak = peakDbfs(decoded, format.channels(), start, end);
                    slices.add(new Slice(start, start, end, 0, 0, peak, peak >= 0));
                }
            }
            return slices;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double peakDbfs(float[] interleaved, int channels, long from, long to) {
        double peak = 0;
        for (long i = from * channels; i < to * channels && i < interleaved.length; i++) {
            peak = Math.max(peak, Math.abs(interleaved[(int) i]));
        }
        return 20 * Math.log10(Math.max(peak, 1e-9));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
