package app.littlebit.worker.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.support.TestAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A batch takes its one-shots in parts of any size, and exactly as many samples as it was told. */
class OneShotEncoderBatchTest {
    private static final PcmFormat STEREO = new PcmFormat(44_100, 2);
    private static final long[] FRAMES = {1_000, 4_321, 77};

    @TempDir
    Path dir;

    private final OneShotEncoder encoder = TestAudio.encoder();

    @ParameterizedTest
    @EnumSource(
            value = AudioFileType.class,
            names = {"WAV", "FLAC"})
    void partsOfAnySizeWriteTheSameFilesAsWholeOneShots(AudioFileType type) throws Exception {
        float[][] oneShots = new float[FRAMES.length][];
        Random random = new Random(5);
        for (int i = 0; i < FRAMES.length; i++) {
            oneShots[i] = new float[(int) FRAMES[i] * 2];
            for (int s = 0; s < oneShots[i].length; s++) {
                oneShots[i][s] = (float) (random.nextGaussian() * 0.3);
            }
            encoder.encode(oneShots[i], STEREO, type, dir.resolve("whole-" + i + "." + type.extension()));
        }
        List<Path> parts = targets("parts", type);
        float[] stream = concatenate(oneShots);

        try (OneShotEncoder.Batch batch = encoder.batch(STEREO, type, FRAMES, parts)) {
            // Odd sizes, many ending mid-frame, in buffers longer than the part; none runs past its one-shot.
            for (int from = 0; from < stream.length; ) {
                int size = Math.min(stream.length - from, 1 + random.nextInt(700));
                int end = Math.min(from + size, boundaryAfter(from));
                batch.add(Arrays.copyOfRange(stream, from, end + 5), end - from);
                from = end;
            }
            batch.finish();
        }

        for (int i = 0; i < FRAMES.length; i++) {
            assertEquals(
                    -1,
                    Files.mismatch(dir.resolve("whole-" + i + "." + type.extension()), parts.get(i)),
                    "one-shot " + i);
        }
    }

    @Test
    void aPartLongerThanWhatIsLeftOfItsOneShotIsRejected() {
        try (OneShotEncoder.Batch batch =
                encoder.batch(STEREO, AudioFileType.WAV, FRAMES, targets("over", AudioFileType.WAV))) {
            batch.add(new float[1_500], 1_500);
            assertThrows(IllegalArgumentException.class, () -> batch.add(new float[600], 600));
        }
    }

    @Test
    void samplesBeyondTheLastOneShotAreRejected() {
        long[] frames = {10, 20};
        try (OneShotEncoder.Batch batch =
                encoder.batch(STEREO, AudioFileType.WAV, frames, List.of(dir.resolve("a.wav"), dir.resolve("b.wav")))) {
            batch.add(new float[20], 20);
            batch.add(new float[40], 40);
            assertThrows(IllegalArgumentException.class, () -> batch.add(new float[1], 1));
        }
    }

    @Test
    void aOneShotWithNoFramesIsAnEmptyWav() throws Exception {
        List<Path> files = List.of(dir.resolve("a.wav"), dir.resolve("b.wav"), dir.resolve("c.wav"));
        try (OneShotEncoder.Batch batch = encoder.batch(STEREO, AudioFileType.WAV, new long[] {0, 10, 0}, files)) {
            batch.add(new float[20], 20);
            batch.finish();
        }
        assertEquals(
                List.of(44L, 44L + 20 * 3, 44L),
                List.of(Files.size(files.get(0)), Files.size(files.get(1)), Files.size(files.get(2))));
    }

    @ParameterizedTest
    @EnumSource(
            value = AudioFileType.class,
            names = {"WAV", "M4A"})
    void finishingShortOfTheDeclaredLengthIsRejected(AudioFileType type) {
        try (OneShotEncoder.Batch batch = encoder.batch(STEREO, type, FRAMES, targets("short", type))) {
            batch.add(new float[2_000], 2_000);
            batch.add(new float[8_000], 8_000);
            assertThrows(IllegalStateException.class, batch::finish);
        }
    }

    /** Where the one-shot holding {@code sample} ends in the stream of all of them. */
    private static int boundaryAfter(int sample) {
        long position = 0;
        for (long frames : FRAMES) {
            position += frames * 2;
            if (position > sample) {
                return (int) position;
            }
        }
        return (int) position;
    }

    private List<Path> targets(String name, AudioFileType type) {
        return IntStream.range(0, FRAMES.length)
                .mapToObj(i -> dir.resolve(name + "-" + i + "." + type.extension()))
                .toList();
    }

    private static float[] concatenate(float[][] parts) {
        float[] all = new float[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
