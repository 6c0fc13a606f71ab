package app.littlebit.worker.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.demo.SynthesizedTake;
import app.littlebit.worker.demo.TakeSynthesizer;
import app.littlebit.worker.pipeline.ProcessingParams;
import app.littlebit.worker.support.TestAudio;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo recording, written as the {@code process --demo} command writes it and cut by the real
 * pipeline with the defaults: its eight hits, 1.2 to 2.4 s apart, once came out as six one-shots.
 */
class DemoTakeTest {
    @TempDir
    Path dir;

    @Test
    void theDemoRecordingGivesOneOneShotPerHit() {
        SynthesizedTake demo = TakeSynthesizer.demo();
        Path recording = TestAudio.write(demo, AudioFileType.M4A, dir.resolve("demo-take.m4a"));
        Score score = Scorer.score(
                demo,
                new WorkerRunner(ProcessingParams.defaults(), AudioFileType.WAV).run(recording, dir.resolve("work")));
        assertEquals(8, score.oneShots());
        assertEquals(8, score.found());
        assertEquals(0, score.attacksCut() + score.tailsCut());
    }
}
