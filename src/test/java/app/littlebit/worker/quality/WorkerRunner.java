package app.littlebit.worker.quality;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.OneShotCut;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.pipeline.OneShotPipeline;
import app.littlebit.worker.pipeline.ProcessingParams;
import app.littlebit.worker.pipeline.Timings;
import app.littlebit.worker.support.TestAudio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the worker's real pipeline on a recording file and reports its one-shots as slices. */
public final class WorkerRunner implements Cutter {
    private final OneShotPipeline pipeline = new OneShotPipeline(TestAudio.ffmpeg());
    private final String name;
    private final ProcessingParams params;
    private final AudioFileType outputType;

    /**
     * @param params     what the app asked for
     * @param outputType the one-shots' file type (M4A is what a phone's recording gets by default)
     */
    public WorkerRunner(ProcessingParams params, AudioFileType outputType) {
        this("this worker", params, outputType);
    }

    /** @param name how the quality table names this configuration */
    public WorkerRunner(String name, ProcessingParams params, AudioFileType outputType) {
        this.name = name;
        this.params = params;
        this.outputType = outputType;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Slice> cut(Path recording, float[] decoded, app.littlebit.worker.audio.PcmFormat format, Path workDir) {
        return run(recording, workDir);
    }

    /** The one-shots, or none when the worker found no sound; their files are deleted afterwards. */
    public List<Slice> run(Path recording, Path workDir) {
        try {
            Path scratch = Files.createDirectories(workDir.resolve("scratch"));
            Path out = Files.createDirectories(workDir.resolve("out"));
            try {
                OneShotPipeline.Output output = pipeline.run(
                        new OneShotPipeline.Request(recording, outputType, params, scratch, out, "shot"),
                        new Timings());
                List<Slice> slices = new ArrayList<>();
                for (OneShotPipeline.Produced produced : output.oneShots()) {
                    // Judged on the file as a player decodes it, not on what the worker says of it.
                    double peak = TestAudio.peakDbfs(TestAudio.decode(produced.file()));
                    OneShotCut cut = produced.cut();
                    slices.add(new Slice(
                            cut.startFrame(),
                            cut.startFrame() + cut.fadeInFrames(),
                            cut.endFrame(),
                            cut.fadeOutFrames(),
                            0,
                            peak,
                            peak >= 0));
                }
                return slices;
            } catch (WorkerException e) {
                if (e.reason() == FailureReason.NO_SOUND) {
                    return List.of();
                }
                throw e;
            } finally {
                QualityLab.deleteTree(workDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
