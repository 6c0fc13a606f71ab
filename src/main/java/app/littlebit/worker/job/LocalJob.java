package app.littlebit.worker.job;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.pipeline.OneShotPipeline;
import app.littlebit.worker.pipeline.ProcessingParams;
import app.littlebit.worker.pipeline.Timings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The same pipeline on a file on disk: one-shots written to a folder, no AWS involved. */
public final class LocalJob {
    private final OneShotPipeline pipeline;

    public LocalJob(OneShotPipeline pipeline) {
        this.pipeline = pipeline;
    }

    public JobResult run(Path recording, Path outputDir, ProcessingParams params) {
        Timings timings = new Timings();
        String fileName = recording.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        String name = dot > 0 ? fileName.substring(0, dot) : fileName;
        AudioFileType recordingType = AudioFileType.fromExtension(dot > 0 ? fileName.substring(dot + 1) : "")
                .orElse(null);
        AudioFileType outputType = recordingType == null ? AudioFileType.WAV : params.outputTypeFor(recordingType);
        Results results = new Results(null, null, EffectiveParams.of(params, outputType), timings);
        JobResult.Source source = JobResult.Source.at(Location.OnDisk.of(recording));
        try (WorkDirectory work = new WorkDirectory()) {
            if (recordingType == null) {
                throw WorkerException.of(
                        FailureReason.BAD_REQUEST,
                        "The recording must be a .m4a, .wav, .mp3, .aac or .flac file, got '" + fileName + "'");
            }
            if (!Files.isRegularFile(recording)) {
                throw WorkerException.of(
                        FailureReason.NOT_FOUND, "The recording " + recording + " does not exist or is not a file");
            }
            long bytes = Files.size(recording);
            source = source.withBytes(bytes);
            if (bytes == 0) {
                throw WorkerException.of(FailureReason.EMPTY, "The recording is empty (0 bytes)");
            }
            Files.createDirectories(outputDir);
            OneShotPipeline.Output output = pipeline.run(
                    new OneShotPipeline.Request(recording, outputType, params, work.path(), outputDir, name), timings);
            source = source.decoded(output.recording());
            List<OneShot> oneShots =
                    output.oneShots().stream().map(OneShot::written).toList();
            JobResult.StoredFile original = null;
            if (params.preserveOriginal()) {
                Path copy = outputDir.resolve(name + "-original." + recordingType.extension());
                if (!copy.toAbsolutePath()
                        .normalize()
                        .equals(recording.toAbsolutePath().normalize())) {
                    Files.copy(recording, copy, StandardCopyOption.REPLACE_EXISTING);
                }
                original = new JobResult.StoredFile(Location.OnDisk.of(copy), bytes);
            }
            JobResult.StoredFile recordingWaveform = new JobResult.StoredFile(
                    Location.OnDisk.of(output.recordingWaveform()), Files.size(output.recordingWaveform()));
            return results.completed(source, output.detection(), oneShots, original, recordingWaveform);
        } catch (WorkerException e) {
            return results.failed(source, e);
        } catch (IOException e) {
            return results.failed(
                    source, WorkerException.of(FailureReason.WORK_FILES, "File error: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            return results.failed(source, WorkerException.of(FailureReason.UNEXPECTED, "Unexpected error: " + e, e));
        }
    }
}
