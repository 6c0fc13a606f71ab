package app.littlebit.worker;

import app.littlebit.worker.aws.DynamoStatusStore;
import app.littlebit.worker.aws.S3RecordingStore;
import app.littlebit.worker.job.EffectiveParams;
import app.littlebit.worker.job.JobRequest;
import app.littlebit.worker.job.JobResult;
import app.littlebit.worker.job.OneShot;
import app.littlebit.worker.job.OneShotPipeline;
import app.littlebit.worker.job.StatusTarget;
import app.littlebit.worker.job.Timings;
import app.littlebit.worker.audio.AudioFileType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recording in S3 to one-shots in S3: status PROCESSING, download, pipeline, upload, status
 * COMPLETED. Any failure ends as a FAILED status (when a status target is given) and a FAILED
 * result; nothing is ever written under {@code unprocessed/}.
 */
final class CloudJob {
    private static final Logger log = LoggerFactory.getLogger(CloudJob.class);

    private final OneShotPipeline pipeline;
    private final S3RecordingStore recordings;
    private final DynamoStatusStore statuses;
    private final Clock clock;

    CloudJob(OneShotPipeline pipeline, S3RecordingStore recordings, DynamoStatusStore statuses, Clock clock) {
        this.pipeline = pipeline;
        this.recordings = recordings;
        this.statuses = statuses;
        this.clock = clock;
    }

    JobResult run(JobRequest request) {
        Timings timings = new Timings();
        String runId = UUID.randomUUID().toString();
        Optional<StatusTarget> target = request.statusTarget();
        AudioFileType outputType = request.params().outputTypeFor(request.recordingType());
        Results results = new Results(request.userId(), target.map(StatusTarget::sampleId).orElse(null),
                EffectiveParams.of(request.params(), outputType), timings);
        JobResult.Source source = new JobResult.Source(request.bucket(), request.recordingKey(), null,
                null, null, null, null, null);
        log.atInfo().addKeyValue("runId", runId).addKeyValue("key", request.recordingKey()).log("Job started");
        try (WorkDirectory work = new WorkDirectory()) {
            if (target.isPresent()) {
                timings.time(Timings.STATUS, () -> statuses.markProcessing(target.get(), runId, clock.instant()));
            }
            Path recording = work.resolve("recording." + request.recordingType().extension());
            S3RecordingStore.RecordingObject object = timings.time(Timings.DOWNLOAD, () -> {
                S3RecordingStore.RecordingObject inspected =
                        recordings.inspect(request.bucket(), request.recordingKey(), request.maxInputBytes());
                recordings.download(request.bucket(), request.recordingKey(), inspected, recording);
                return inspected;
            });
            source = new JobResult.Source(request.bucket(), request.recordingKey(), null, object.bytes(),
                    null, null, null, null);
            log.atInfo().addKeyValue("bytes", object.bytes()).log("Recording downloaded");

            Path outputs = Files.createDirectory(work.resolve("one-shots"));
            OneShotPipeline.Output output = pipeline.run(recording, outputType, request.params(), work.path(),
                    outputs, request.recordingName(), timings);
            source = results.source(source, output.recording());

            List<OneShot> uploaded = timings.time(Timings.UPLOAD, () -> upload(request, runId, output));
            JobResult.StoredFile original = request.params().preserveOriginal()
                    ? timings.time(Timings.UPLOAD, () -> copyOriginal(request, object.bytes())) : null;
            log.atInfo().addKeyValue("oneShots", uploaded.size()).log("One-shots uploaded");
            if (target.isPresent()) {
                timings.time(Timings.STATUS, () -> statuses.markCompleted(target.get(), runId, uploaded,
                        clock.instant()));
            }
            return results.completed(source, output.detection(), uploaded, original);
        } catch (WorkerException e) {
            markFailed(target, runId, e, timings);
            return results.failed(source, e);
        } catch (java.io.IOException e) {
            WorkerException failure = WorkerException.internal("Work files could not be written: " + e.getMessage(), e);
            markFailed(target, runId, failure, timings);
            return results.failed(source, failure);
        } catch (RuntimeException e) {
            WorkerException failure = WorkerException.internal("Unexpected error: " + e, e);
            markFailed(target, runId, failure, timings);
            return results.failed(source, failure);
        }
    }

    private List<OneShot> upload(JobRequest request, String runId, OneShotPipeline.Output output) {
        List<OneShot> uploaded = new ArrayList<>();
        for (OneShotPipeline.Produced produced : output.oneShots()) {
            String key = request.outputPrefix() + produced.file().getFileName();
            OneShot oneShot = produced.toOneShot().storedAt(request.bucket(), key);
            Map<String, String> metadata = baseMetadata(request, runId);
            metadata.put("index", Integer.toString(oneShot.index()));
            metadata.put("source-start-ms", Double.toString(oneShot.sourceStartMs()));
            metadata.put("source-end-ms", Double.toString(oneShot.sourceEndMs()));
            metadata.put("duration-ms", Double.toString(oneShot.durationMs()));
            metadata.put("peak-dbfs", Double.toString(oneShot.peakDbfs()));
            recordings.upload(request.bucket(), key, produced.file(), produced.type().contentType(), metadata);
            uploaded.add(oneShot);
        }
        return uploaded;
    }

    private JobResult.StoredFile copyOriginal(JobRequest request, long bytes) {
        String key = request.outputPrefix() + request.recordingName() + "-original."
                + request.recordingType().extension();
        Map<String, String> metadata = baseMetadata(request, null);
        metadata.put("role", "original");
        recordings.copy(request.bucket(), request.recordingKey(), key, request.recordingType().contentType(), metadata);
        return new JobResult.StoredFile(request.bucket(), key, null, bytes);
    }

    private static Map<String, String> baseMetadata(JobRequest request, String runId) {
        Map<String, String> metadata = new LinkedHashMap<>();
        request.statusTarget().ifPresent(t -> metadata.put("sample-id", t.sampleId()));
        metadata.put("user-id", request.userId());
        metadata.put("source-key", request.recordingKey());
        metadata.put("worker-version", WorkerVersion.get());
        if (runId != null) {
            metadata.put("run-id", runId);
        }
        return metadata;
    }

    /** Best effort: the status store may be the very thing that failed. */
    private void markFailed(Optional<StatusTarget> target, String runId, WorkerException failure,
                            Timings timings) {
        log.atError().addKeyValue("category", failure.category().name()).setCause(failure.getCause())
                .log("Job failed: " + failure.getMessage());
        if (target.isEmpty()) {
            return;
        }
        try {
            timings.time(Timings.STATUS, () -> statuses.markFailed(target.get(), runId, failure, clock.instant()));
        } catch (WorkerException e) {
            log.atWarn().log("Could not record the failure in the status table: " + e.getMessage());
        }
    }
}
