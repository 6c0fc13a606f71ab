package app.littlebit.worker.job;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.failure.FailureLog;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.ffmpeg.FfmpegProcesses;
import app.littlebit.worker.pipeline.OneShotPipeline;
import app.littlebit.worker.pipeline.Timings;
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
 * One recording in storage to one-shots in storage: status PROCESSING, download, pipeline, upload,
 * status COMPLETED. Any failure ends as a FAILED status (when a status target is given) and a
 * FAILED result; nothing is ever written under {@code unprocessed/}. A sample that is already
 * COMPLETED is not processed again. A stop request is honoured before each step that starts new
 * work, and whatever fails after it is reported as the stop: retryable.
 *
 * <p>Made once with what every job shares (the pipeline, the stores, where work files go) and run
 * once per request, so a service can run one job after another in the same JVM: nothing of a job
 * outlives its {@link #run}, and nothing here exits the process.
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
    private final ObjectStore objects;
    private final StatusStore statuses;
    private final Clock clock;
    private final Path workRoot;
    private final Uploader uploader;

    /**
     * @param objects  the app's bucket: the recording is read from it, the one-shots written to it
     * @param statuses the Sample items the job's status is written on
     * @param workRoot where each job's private temp folder is made (the container's /tmp)
     */
    public CloudJob(OneShotPipeline pipeline, ObjectStore objects, StatusStore statuses, Clock clock, Path workRoot) {
        this.pipeline = pipeline;
        this.objects = objects;
        this.statuses = statuses;
        this.clock = clock;
        this.workRoot = workRoot;
        this.uploader = new Uploader(objects);
    }

    /**
     * Runs one job on the calling thread, within the request's time limit ({@link JobDeadline}).
     *
     * @param cancellation set when the job must stop (SIGTERM); the time limit sets it too
     */
    public JobResult run(JobRequest request, Cancellation cancellation) {
        FfmpegProcesses ffmpeg = new FfmpegProcesses();
        try (JobDeadline deadline = new JobDeadline(request.maxRun(), cancellation, Thread.currentThread(), ffmpeg)) {
            return new Run(request, cancellation, deadline, ffmpeg).run();
        }
    }

    /** One run of a request: what it knows so far, for its result. */
    private final class Run {
        private final JobRequest request;
        private final Cancellation cancellation;
        private final JobDeadline deadline;
        private final FfmpegProcesses ffmpeg;
        private final Timings timings = new Timings();
        private final String runId = UUID.randomUUID().toString();
        private final Optional<StatusTarget> target;
        private final AudioFileType outputType;
        private final Results results;
        private final Optional<JobProgress> progress;
        private JobResult.Source source;

        Run(JobRequest request, Cancellation cancellation, JobDeadline deadline, FfmpegProcesses ffmpeg) {
            this.request = request;
            this.cancellation = cancellation;
            this.deadline = deadline;
            this.ffmpeg = ffmpeg;
            this.target = request.statusTarget();
            this.outputType = request.params().outputTypeFor(request.recordingType());
            this.results = new Results(
                    request.userId(),
                    target.map(StatusTarget::sampleId).orElse(null),
                    EffectiveParams.of(request.params(), outputType),
                    timings);
            this.source = JobResult.Source.at(new Location.InBucket(request.bucket(), request.recordingKey()));
            this.progress = target.map(t -> new JobProgress(statuses, t, runId, System::nanoTime));
        }

        JobResult run() {
            log.atInfo()
                    .addKeyValue("runId", runId)
                    .addKeyValue("key", request.recordingKey())
                    .log("Job started");
            try (WorkDirectory work = new WorkDirectory(workRoot)) {
                if (target.isPresent()) {
                    Optional<StatusStore.Completion> earlier = timings.time(
                            Timings.STATUS, () -> statuses.markProcessing(target.get(), runId, clock.instant()));
                    if (earlier.isPresent()) {
                        return alreadyCompleted(earlier.get());
                    }
                }
                cancellation.check();
                Path recording =
                        work.resolve("recording." + request.recordingType().extension());
                ObjectStore.StoredObject object = timings.time(Timings.DOWNLOAD, () -> download(recording));
                source = source.withBytes(object.bytes());
                log.atInfo().addKeyValue("bytes", object.bytes()).log("Recording downloaded");
                progress.ifPresent(p -> p.report(JobProgress.DOWNLOADED));

                cancellation.check();
                Path outputs = Files.createDirectory(work.resolve("one-shots"));
                Uploader.Uploaded uploaded;
                OneShotPipeline.Output output;
                try (Uploader.Session uploads = uploader.start(request, runId, object.bytes(), cancellation)) {
                    output = pipeline.run(
                            new OneShotPipeline.Request(
                                    recording,
                                    outputType,
                                    request.params(),
                                    work.path(),
                                    outputs,
                                    WORK_FILE_NAME,
                                    ffmpeg),
                            timings,
                            new OneShotPipeline.Listener() {
                                @Override
                                public void probed(RecordingInfo info) {
                                    deadline.recordingLength(info.durationMs());
                                }

                                @Override
                                public void ready(OneShotPipeline.Produced oneShot) {
                                    uploads.add(oneShot);
                                }

                                @Override
                                public void progress(double done) {
                                    progress.ifPresent(p -> p.audio(done));
                                }
                            });
                    uploads.addRecordingWaveform(output.recordingWaveform());
                    source = source.decoded(output.recording());
                    uploaded = timings.time(Timings.UPLOAD, uploads::finish);
                }
                log.atInfo().addKeyValue("oneShots", uploaded.oneShots().size()).log("One-shots uploaded");
                cancellation.check();
                if (target.isPresent()) {
                    Optional<StatusStore.Completion> other = timings.time(
                            Timings.STATUS,
                            () -> statuses.markCompleted(
                                    target.get(),
                                    runId,
                                    uploaded.oneShots(),
                                    request.recordingWaveformKey(),
                                    clock.instant()));
                    if (other.isPresent()) {
                        return alreadyCompleted(other.get());
                    }
                }
                return results.completed(
                        source,
                        output.detection(),
                        inBucket(uploaded.oneShots()),
                        uploaded.original(),
                        uploaded.recordingWaveform());
            } catch (WorkerException e) {
                return failed(e);
            } catch (IOException e) {
                return failed(WorkerException.of(
                        FailureReason.WORK_FILES, "Work files could not be written: " + e.getMessage(), e));
            } catch (RuntimeException e) {
                return failed(WorkerException.of(FailureReason.UNEXPECTED, "Unexpected error: " + e, e));
            }
        }

        /** HEAD first: a missing, empty or oversized recording is refused before a byte is downloaded. */
        private ObjectStore.StoredObject download(Path recording) {
            ObjectStore.StoredObject object = objects.head(request.bucket(), request.recordingKey());
            if (object.bytes() == 0) {
                throw WorkerException.of(FailureReason.EMPTY, "The recording is empty (0 bytes)");
            }
            if (object.bytes() > request.maxInputBytes()) {
                throw WorkerException.of(
                        FailureReason.TOO_LARGE,
                        "The recording is " + object.bytes() + " bytes, over the limit of " + request.maxInputBytes()
                                + " (MAX_INPUT_BYTES)");
            }
            requireFreeSpace(recording.getParent(), object.bytes());
            objects.download(request.bucket(), request.recordingKey(), object, recording);
            return object;
        }

        /** Another run completed the sample: report its one-shots, process and write nothing. */
        private JobResult alreadyCompleted(StatusStore.Completion completion) {
            log.atInfo()
                    .addKeyValue("completedBy", completion.runId())
                    .log("Sample already COMPLETED by another run; its outputs stand, nothing is written");
            return results.alreadyCompleted(source, completion.runId(), inBucket(completion.outputs()));
        }

        private List<OneShot> inBucket(List<StoredOneShot> oneShots) {
            return oneShots.stream()
                    .map(oneShot -> oneShot.in(request.bucket()))
                    .toList();
        }

        private JobResult failed(WorkerException error) {
            WorkerException failure = error;
            if (cancellation.isCancelled()) {
                // Whatever broke after a stop request (an interrupted FFmpeg, an aborted request) is the stop.
                log.atInfo().log("Failure after the stop request: " + error.getMessage());
                failure = cancellation.failure();
                // The stop interrupted this thread; the FAILED write must not be aborted by it.
                Thread.interrupted();
            }
            FailureLog.log(failure);
            markFailed(failure);
            return results.failed(source, failure);
        }

        /** Best effort: the status store may be the very thing that failed. */
        private void markFailed(WorkerException failure) {
            if (target.isEmpty()) {
                return;
            }
            try {
                timings.time(Timings.STATUS, () -> statuses.markFailed(target.get(), runId, failure, clock.instant()));
            } catch (WorkerException e) {
                log.atWarn()
                        .addKeyValue("reason", e.reason().code())
                        .log("Could not record the failure in the status table: " + e.getMessage());
            }
        }
    }

    /** A full disk is the task's size, not the recording's fault: say so rather than fail mid-download. */
    private static void requireFreeSpace(Path folder, long bytes) {
        long free;
        try {
            free = Files.getFileStore(folder).getUsableSpace();
        } catch (IOException e) {
            throw WorkerException.of(
                    FailureReason.WORK_FILES, "Could not read the free space of " + folder + ": " + e.getMessage(), e);
        }
        if (free < bytes) {
            throw WorkerException.of(
                    FailureReason.WORK_FILES,
                    "Not enough disk space for the recording: it is " + bytes + " bytes, only " + free
                            + " bytes are free for work files");
        }
    }
}
