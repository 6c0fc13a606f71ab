package app.littlebit.worker.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.littlebit.worker.support.TestAudio;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The meter against FFmpeg's {@code ebur128} filter on the same files: noise whose level moves in
 * and out of the gates, decaying notes, channels that differ, at 44.1 and 48 kHz. FFmpeg prints
 * 0.1 LU steps and measures at 48 kHz (it resamples a 44.1 kHz file first), so the two agree within
 * {@link #TOLERANCE_LU}.
 */
class LoudnessAgainstFfmpegTest {
    /**
     * Half FFmpeg's print step (0.05), plus a little for its resampling and its gating on a histogram
     * (measured: at most 0.055 LU apart on these files).
     */
    private static final double TOLERANCE_LU = 0.1;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000})
    void noiseWithLevelStepsReadsAsFfmpegReadsIt(int sampleRate) {
        Random random = new Random(sampleRate);
        // Brown-ish noise in 1 s steps from -12 to -60 dBFS: some steps pass both gates, some only
        // the absolute one, some neither.
        double[] stepsDbfs = {-12, -18, -40, -24, -60, -15, -30, -45};
        double[] last = {0, 0};
        compare(new PcmFormat(sampleRate, 2), stepsDbfs.length * sampleRate, frame -> {
            double level = Math.pow(10, stepsDbfs[frame / sampleRate] / 20);
            float[] out = new float[2];
            for (int c = 0; c < 2; c++) {
                last[c] = 0.97 * last[c] + 0.25 * random.nextGaussian();
                out[c] = (float) (level * last[c]);
            }
            return out;
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000})
    void aDecayingHarmonicNoteReadsAsFfmpegReadsIt(int sampleRate) {
        compare(new PcmFormat(sampleRate, 1), 3 * sampleRate, frame -> {
            double t = (double) frame / sampleRate;
            double note = 0;
            for (int harmonic = 1; harmonic <= 8; harmonic++) {
                note += Math.sin(2 * Math.PI * 110 * harmonic * t) / harmonic;
            }
            return new float[] {(float) (0.5 * note * Math.exp(-t / 0.6))};
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000})
    void channelsThatDifferAreWeightedAsFfmpegWeighsThem(int sampleRate) {
        Random random = new Random(3);
        compare(new PcmFormat(sampleRate, 2), 4 * sampleRate, frame -> {
            double t = (double) frame / sampleRate;
            return new float[] {
                (float) (0.3 * Math.sin(2 * Math.PI * 60 * t)),
                (float) (0.05 * random.nextGaussian() * (t < 2 ? 1 : 0.2))
            };
        });
    }

    private void compare(PcmFormat format, int frames, IntFunction<float[]> frameAt) {
        float[] samples = new float[frames * format.channels()];
        for (int f = 0; f < frames; f++) {
            System.arraycopy(frameAt.apply(f), 0, samples, f * format.channels(), format.channels());
        }
        Path file = TestAudio.write(
                samples,
                format,
                AudioFileType.WAV,
                dir.resolve("signal-" + format.sampleRate() + "-" + format.channels() + ".wav"));
        // Both read the same 24-bit file.
        float[] decoded = TestAudio.decode(file);
        double ours = IntegratedLoudnessMeterTest.loudness(format, decoded);
        double ffmpeg = TestAudio.ebur128Lufs(file);
        assertEquals(ffmpeg, ours, TOLERANCE_LU, "ours " + ours + " LUFS, ffmpeg " + ffmpeg + " LUFS");
    }
}
