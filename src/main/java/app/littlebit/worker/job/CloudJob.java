package app.littlebit.worker.job;

import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.job.EffectiveParams;
import app.littlebit.worker.job.JobRequest;
import app.littlebit.worker.job.JobResult;
import app.littlebit.worker.job.OneShot;
import app.littlebit.worker.pipeline.OneShotPipeline;
import app.littlebit.worker.job.StatusTarget;
import app.littlebit.worker.pipeline.Timings;
import app.littlebit.worker.audio.AudioFileType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recording in S3 to one-shots in S3: status PROCESSING, download, pipeline, upload, status
 * COMPLETED. Any failure ends as a FAILED status (when a status target is given) and a FAILED
 * result; nothing is ever written under {@code unprocessed/}. A sample that is already COMPLETED is
 * not processed again. A stop request (see {@link GracefulShutdown}) is honoured before each step
 * that starts new work, and whatever fails after it is reported as the stop: retryable.
 */
public final class CloudJob {
    private static final Logger log = LoggerFactory.getLogger(CloudJob.class);
    /**
     * What the work files are called: fixed ASCII, never the recording's name. A name like "Caja
     * española" is not a valid file name where the JVM has no UTF-8 locale (the container sets
     * none), and user text has no business in paths handed to FFmpeg. The S3 keys keep the name.
     */
    private static final String WORK_FILE_NAME = "one-shot";

    private final OneShotPipeline pipeline;
    private final ObjectStore recordings;
    private final StatusStore statuses;
    private final Clock clock;
    private final Path workRoot;
    private final Cancellation cancellation;
    private final Uploader uploader;
    private final JobDeadline deadline;

    /**
     * @param workRoot     where the job's private temp folder is made (the container's /tmp)
     * @param cancellation set when the task is asked to stop or runs out of time
     * @param deadline     told the recording's length, to size the time limit from it
     */
    public CloudJob(OneShotPipeline pipeline, ObjectStore recordings, StatusStore statuses, Clock clock,
             Path workRoot, Cancellation cancellation, JobDeadline deadline) {
        this.pipeline = pipeline;
        this.recordings = recordings;
        this.statuses = statuses;
        this.clock = clock;
        this.workRoot = workRoot;
        this.cancellation = cancellation;
        this.uploader = new Uploader(recordings, cancellation);
        this.deadline = deadline;
    }

    public JobResult run(JobRequest request) {
        Timings timings = new Timings();
        String runId = UUID.randomUUID().toString();
        Optional<StatusTarget> target = request.statusTarget();
        AudioFileType outputType = request.params().outputTypeFor(request.recordingType());
        Results results = new Results(request.userId(), target.map(StatusTarget::sampleId).orElse(null),
                EffectiveParams.of(request.params(), outputType), timings);
        JobResult.Source source = new JobResult.Source(request.bucket(), request.recordingKey(), null,
                null, null, null, null, null);
        log.atInfo().addKeyValue("runId", runId).addKeyValue("key", request.recordingKey()).log("Job started");
        try (WorkDirectory work = new WorkDirectory(workRoot)) {
            if (target.isPresent()) {
                Optional<StatusStore.Completion> earlier = timings.time(Timings.STATUS,
                        () -> statuses.markProcessing(target.get(), runId, clock.instant()));
                if (earlier.isPresent()) {
                    return alreadyCompleted(request, results, source, earlier.get());
                }
            }
            cancellation.check();
            Path recording = work.resolve("recording." + request.recordingType().extension());
            ObjectStore.StoredObject object = timings.time(Timings.DOWNLOAD,
                    () -> download(request, recording));
            source = new JobResult.Source(request.bucket(), request.recordingKey(), null, object.bytes(),
                    null, null, null, null);
            log.atInfo().addKeyValue("bytes", object.bytes()).log("Recording downloaded");

            cancellation.check();
            Path outputs = Files.createDirectory(work.resolve("one-shots"));
            Uploader.Uploaded uploaded;
            OneShotPipeline.Output output;
            try (Uploader.Session uploads = uploader.start(request, runId, object.bytes())) {
                output = pipeline.run(recording, outputType, request.params(), work.path(), outputs,
                        WORK_FILE_NAME, timings, info -> deadline.recordingLength(info.durationMs()),
                        uploads::add);
                uploads.addRecordingWaveform(output.recordingWaveform());
                source = results.source(source, output.recording());
                uploaded = timings.time(Timings.UPLOAD, uploads::finish);
            }
            log.atInfo().addKeyValue("oneShots", uploaded.oneShots().size()).log("One-shots uploaded");
            cancellation.check();
            if (target.isPresent()) {
                Optional<StatusStore.Completion> other = timings.time(Timings.STATUS,
                        () -> statuses.markCompleted(target.get(), runId, uploaded.oneShots(),
                                uploaded.recordingWaveform().key(), clock.instant()));
                if (other.isPresent()) {
                    return alreadyCompleted(request, results, source, other.get());
                }
            }
            return results.completed(source, output.detection(), uploaded.oneShots(), uploaded.original(),
                    uploaded.recordingWaveform());
        } catch (WorkerException e) {
            return failed(results, source, target, runId, e, timings);
        } catch (IOException e) {
            return failed(results, source, target, runId,
                    WorkerException.internal("Work files could not be written: " + e.getMessage(), e), timings);
        } catch (RuntimeException e) {
            return failed(results, source, target, runId, WorkerException.internal("Unexpected error: " + e, e),
                    timings);
        }
    }

    /** HEAD first: a missing, empty or oversized recording is refused before a byte is downloaded. */
    private ObjectStore.StoredObject download(JobRequest request, Path recording) {
        ObjectStore.StoredObject object = recordings.head(request.bucket(), request.recordingKey());
        if (object.bytes() == 0) {
            throw WorkerException.badData("The recording is empty (0 bytes)");
        }
        if (object.bytes() > request.maxInputBytes()) {
            throw WorkerException.badData("The recording is " + object.bytes() + " bytes, over the limit of "
                    + request.maxInputBytes() + " (MAX_INPUT_BYTES)");
        }
        requireFreeSpace(recording.getParent(), object.bytes());
        recordings.download(request.bucket(), request.recordingKey(), object, recording);
        return object;
    }

    /** A full disk is the task's size, not the recording's fault: say so rather than fail mid-download. */
    private static void requireFreeSpace(Path folder, long bytes) {
        long free;
        try {
            free = Files.getFileStore(folder).getUsableSpace();
        } catch (IOException e) {
            throw WorkerException.internal("Could not read the free space of " + folder + ": " + e.getMessage(), e);
        }
        if (free < bytes) {
            throw WorkerException.internal("Not enough disk space for the recording: it is " + bytes
                    + " bytes, only " + free + " bytes are free for work files", null);
        }
    }

    /** Another run completed the sample: report its one-shots, process and write nothing. */
    private JobResult alreadyCompleted(JobRequest request, Results results, JobResult.Source source,
                                       StatusStore.Completion completion) {
        log.atInfo().addKeyValue("completedBy", completion.runId())
                .log("Sample already COMPLETED by another run; its outputs stand, nothing is written");
        List<OneShot> oneShots = completion.outputs().stream()
                .map(oneShot -> oneShot.storedAt(request.bucket(), oneShot.key(), oneShot.waveformKey())).toList();
        return results.alreadyCompleted(source, completion.runId(), oneShots);
    }

    private JobResult failed(Results results, JobResult.Source source, Optional<StatusTarget> target,
                             String runId, WorkerException error, Timings timings) {
        WorkerException failure = error;
        if (cancellation.isCancelled()) {
            // Whatever broke after a stop request (an interrupted FFmpeg, an aborted request) is the stop.
            log.atInfo().log("Failure after the stop request: " + error.getMessage());
            failure = cancellation.failure();
            // The stop interrupted this thread; the FAILED write must not be aborted by it.
            Thread.interrupted();
        }
        markFailed(target, runId, failure, timings);
        return results.failed(source, failure);
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
