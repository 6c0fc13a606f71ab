package app.littlebit.worker.support;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.demo.Room;
import app.littlebit.worker.demo.SynthesizedTake;
import app.littlebit.worker.demo.TakeSynthesizer;
import app.littlebit.worker.ffmpeg.FfmpegDecoder;
import app.littlebit.worker.ffmpeg.FfmpegProcesses;
import app.littlebit.worker.ffmpeg.FfmpegTools;
import app.littlebit.worker.ffmpeg.OneShotEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Writes synthesized takes to real audio files and reads audio files back, with the worker's own FFmpeg. */
public final class TestAudio {
    private static FfmpegTools tools;

    private TestAudio() {}

    public static synchronized FfmpegTools ffmpeg() {
        if (tools == null) {
            tools = FfmpegTools.locate(Map.of());
        }
        return tools;
    }

    /** A decoder whose processes belong to no job: nothing stops them but their own end. */
    public static FfmpegDecoder decoder() {
        return new FfmpegDecoder(ffmpeg(), new FfmpegProcesses());
    }

    /** An encoder whose processes belong to no job: nothing stops them but their own end. */
    public static OneShotEncoder encoder() {
        return new OneShotEncoder(ffmpeg(), new FfmpegProcesses());
    }

    /** Hits of each kind, {@code spacingSeconds} apart, at the given peak levels, over noise. */
    public static SynthesizedTake take(PcmFormat format, double noiseDbfs, double spacingSeconds, double... peaks) {
        List<TakeSynthesizer.Placement> placements = new ArrayList<>();
        for (int i = 0; i < peaks.length; i++) {
            placements.add(new TakeSynthesizer.Placement(
                    TakeSynthesizer.KINDS.get(i % TakeSynthesizer.KINDS.size()), 0.5 + i * spacingSeconds, peaks[i]));
        }
        return new TakeSynthesizer(new Room(format, noiseDbfs, 0, 50, 0), 42)
                .take(0.5 + peaks.length * spacingSeconds + 0.5, placements);
    }

    public static Path write(SynthesizedTake take, AudioFileType type, Path file) {
        encoder().encode(take.samples(), take.format(), type, file);
        return file;
    }

    public static Path write(float[] samples, PcmFormat format, AudioFileType type, Path file) {
        encoder().encode(samples, format, type, file);
        return file;
    }

    public static RecordingInfo probe(Path file) {
        return decoder().probe(file);
    }

    /** Decodes a whole file at its own rate and channel count. */
    public static float[] decode(Path file) {
        FfmpegDecoder decoder = decoder();
        RecordingInfo info = decoder.probe(file);
        float[][] all = {new float[0]};
        int[] used = {0};
        decoder.decode(file, info.pcmFormat(), (samples, frames) -> {
            int count = frames * info.channels();
            if (used[0] + count > all[0].length) {
                all[0] = Arrays.copyOf(all[0], Math.max(all[0].length * 2, used[0] + count));
            }
            System.arraycopy(samples, 0, all[0], used[0], count);
            used[0] += count;
        });
        return Arrays.copyOf(all[0], used[0]);
    }

    public static double peakDbfs(float[] samples) {
        double peak = 0;
        for (float s : samples) {
            peak = Math.max(peak, Math.abs(s));
        }
        return 20 * Math.log10(peak);
    }

    /**
     * The integrated loudness FFmpeg's {@code ebur128} filter reads for a file, LUFS, as it prints
     * it: to 0.1 LU. (The filter works at 48 kHz; FFmpeg resamples other rates to it.)
     */
    public static double ebur128Lufs(Path file) {
        try {
            Process ffmpeg = new ProcessBuilder(
                            ffmpeg().ffmpeg(),
                            "-hide_banner",
                            "-nostats",
                            "-i",
                            file.toString(),
                            "-af",
                            "ebur128=framelog=quiet",
                            "-f",
                            "null",
                            "-")
                    .redirectErrorStream(true)
                    .start();
            String log = new String(ffmpeg.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (ffmpeg.waitFor() != 0) {
                throw new IllegalStateException("ffmpeg ebur128 failed on " + file + ": " + log);
            }
            java.util.regex.Matcher integrated = java.util.regex.Pattern.compile(
                            "Integrated loudness:\\s+I:\\s+(-?[0-9.]+) LUFS")
                    .matcher(log);
            if (!integrated.find()) {
                throw new IllegalStateException("no integrated loudness in ffmpeg's log: " + log);
            }
            return Double.parseDouble(integrated.group(1));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * audiowaveform's data by its definition, for mono samples: the min and max of each span of
     * {@code perPixel} samples (the last one possibly shorter), times 128, floored, within 8 bits.
     */
    public static int[] waveformMinMax(float[] samples, int perPixel) {
        int pixels = (samples.length + perPixel - 1) / perPixel;
        int[] out = new int[2 * pixels];
        for (int p = 0; p < pixels; p++) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int i = p * perPixel; i < Math.min(samples.length, (p + 1) * perPixel); i++) {
                min = Math.min(min, samples[i]);
                max = Math.max(max, samples[i]);
            }
            out[2 * p] = (int) Math.max(-128, Math.floor(min * 128));
            out[2 * p + 1] = (int) Math.min(127, Math.floor(max * 128));
        }
        return out;
    }
}
