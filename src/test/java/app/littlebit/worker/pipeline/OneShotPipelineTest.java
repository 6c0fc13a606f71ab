package app.littlebit.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.support.TestAudio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One-shots are handed on as soon as they are final, so a cloud job can upload them while the rest are made. */
class OneShotPipelineTest {
    private static final int HITS = 100;

    @TempDir
    Path dir;

    @Test
    void eachOneShotIsReportedReadyWithItsFinalFileWhileLaterOnesAreStillToCome() throws Exception {
        double[] peaks = new double[HITS];
        Arrays.fill(peaks, -12);
        Path recording = TestAudio.write(
                TestAudio.take(new PcmFormat(44_100, 1), -60, 1.0, peaks), AudioFileType.M4A, dir.resolve("many.m4a"));
        Path out = Files.createDirectories(dir.resolve("out"));
        OneShotPipeline pipeline = new OneShotPipeline(TestAudio.ffmpeg());
        Map<Integer, Long> bytesWhenReady = new ConcurrentHashMap<>();
        Map<Integer, Integer> filesWrittenWhenReady = new ConcurrentHashMap<>();
        List<RecordingInfo> probed = new ArrayList<>();
        List<Double> progress = java.util.Collections.synchronizedList(new ArrayList<>());

        OneShotPipeline.Output output = pipeline.run(
                new OneShotPipeline.Request(
                        recording,
                        AudioFileType.M4A,
                        ProcessingParams.defaults(),
                        Files.createDirectories(dir.resolve("scratch")),
                        out,
                        "hit"),
                new Timings(),
                new OneShotPipeline.Listener() {
                    @Override
                    public void probed(RecordingInfo info) {
                        probed.add(info);
                    }

                    @Override
                    public void ready(OneShotPipeline.Produced oneShot) {
                        bytesWhenReady.put(oneShot.index(), size(oneShot.file()));
                        filesWrittenWhenReady.put(oneShot.index(), count(out));
                    }

                    @Override
                    public void progress(double done) {
                        progress.add(done);
                    }
                });

        assertEquals(HITS, output.oneShots().size());
        // The probe's length is told before decoding, so a cloud job can size its time limit from it.
        assertEquals(1, probed.size());
        assertEquals(
                (double) output.recording().durationMs(), (double) probed.get(0).durationMs(), 50);
        for (OneShotPipeline.Produced oneShot : output.oneShots()) {
            assertEquals(
                    Files.size(oneShot.file()),
                    bytesWhenReady.get(oneShot.index()),
                    "one-shot " + oneShot.index() + " was reported before its file was final");
            assertTrue(TestAudio.peakDbfs(TestAudio.decode(oneShot.file())) <= -0.99);
        }
        // Batches of at most 16, at most 4 at once: the first batch is done before the fifth begins.
        int fewestWritten = filesWrittenWhenReady.values().stream()
                .mapToInt(Integer::intValue)
                .min()
                .orElseThrow();
        assertTrue(
                fewestWritten <= HITS / 2,
                "the first one-shots were reported only once " + fewestWritten + " of " + HITS
                        + " files had been started");
        assertEquals(
                IntStream.rangeClosed(1, HITS).boxed().toList(),
                output.oneShots().stream().map(OneShotPipeline.Produced::index).toList(),
                "the output lists them in order");
        // Progress: the decode's share up to a half as it goes, then a step per one-shot, to all of it.
        assertTrue(progress.stream().anyMatch(done -> done > 0 && done < 0.5), progress.toString());
        assertEquals(
                0.5,
                progress.stream()
                        .filter(done -> done <= 0.5)
                        .mapToDouble(Double::doubleValue)
                        .max()
                        .orElseThrow(),
                0.01,
                "decoding reaches half");
        assertEquals(HITS, progress.stream().filter(done -> done > 0.5).count(), "one step per one-shot");
        assertEquals(
                1.0, progress.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), 1e-9);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One-shot audio files started so far (their waveform files are written after them). */
    private static int count(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.filter(file -> file.toString().endsWith(".m4a")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
