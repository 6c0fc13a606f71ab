package app.littlebit.worker.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.demo.Room;
import app.littlebit.worker.demo.SynthKit;
import app.littlebit.worker.demo.SynthesizedTake;
import app.littlebit.worker.demo.TakeBuilder;
import app.littlebit.worker.pipeline.OneShotPipeline;
import app.littlebit.worker.pipeline.ProcessingParams;
import app.littlebit.worker.pipeline.Timings;
import app.littlebit.worker.support.TestAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One-shots keep the recording's channels and sample rate, and lose its DC offset. */
class FormatTest {
    @TempDir
    Path dir;

    @Test
    void stereoStaysStereoTheRateIsKeptAndTheOffsetIsRemoved() throws Exception {
        Room room = new Room(new PcmFormat(48_000, 2), -60, 0, 50, 0.05);
        SynthesizedTake take = new TakeBuilder(room, new SynthKit(List.of("snare", "pluck")), 8, -12, -6).record(3);
        Path recording = TestAudio.write(take, AudioFileType.WAV, dir.resolve("offset.wav"));
        Path out = Files.createDirectories(dir.resolve("out"));
        OneShotPipeline pipeline = new OneShotPipeline(TestAudio.ffmpeg());
        OneShotPipeline.Output output = pipeline.run(
                new OneShotPipeline.Request(
                        recording,
                        AudioFileType.WAV,
                        ProcessingParams.defaults(),
                        Files.createDirectories(dir.resolve("scratch")),
                        out,
                        "shot"),
                new Timings());

        assertEquals(3, output.oneShots().size());
        for (OneShotPipeline.Produced oneShot : output.oneShots()) {
            RecordingInfo info = TestAudio.probe(oneShot.file());
            assertEquals(48_000, info.sampleRate());
            assertEquals(2, info.channels());
            float[] samples = TestAudio.decode(oneShot.file());
            for (int c = 0; c < 2; c++) {
                double sum = 0;
                for (int i = c; i < samples.length; i += 2) {
                    sum += samples[i];
                }
                // An offset of 0.05 (-26 dBFS) left in would be raised with the one-shot's gain.
                double mean = sum / (samples.length / 2.0);
                assertTrue(Math.abs(mean) < 0.002, "DC left on channel " + c + ": " + mean);
            }
        }
    }
}
