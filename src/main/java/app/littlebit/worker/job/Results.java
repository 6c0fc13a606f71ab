package app.littlebit.worker.job;

import app.littlebit.worker.pipeline.DetectionSummary;
import app.littlebit.worker.failure.ErrorCategory;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.job.EffectiveParams;
import app.littlebit.worker.job.JobResult;
import app.littlebit.worker.job.OneShot;
import app.littlebit.worker.pipeline.Timings;
import java.util.List;

/** Builds a job's result, the same way for cloud jobs and local runs. */
public final class Results {
    /** The result's {@code error.reason} for a request refused before any work (validation). */
    static final String REQUEST_REASON = "request";

    private final String userId;
    private final String sampleId;
    private final EffectiveParams params;
    private final Timings timings;

    Results(String userId, String sampleId, EffectiveParams params, Timings timings) {
        this.userId = userId;
        this.sampleId = sampleId;
        this.params = params;
        this.timings = timings;
    }

    /** The source as known so far, completed with what decoding found. */
    JobResult.Source source(JobResult.Source known, RecordingInfo decoded) {
        return new JobResult.Source(known.bucket(), known.key(), known.path(), known.bytes(),
                decoded.durationMs(), decoded.codec(), decoded.sampleRate(), decoded.channels());
    }

    JobResult completed(JobResult.Source source, DetectionSummary detection, List<OneShot> oneShots,
                        JobResult.StoredFile original, JobResult.StoredFile recordingWaveform) {
        return new JobResult(ProcessingStatus.COMPLETED, WorkerVersion.get(), sampleId, userId, source, params,
                detection, oneShots, original, recordingWaveform, timings.snapshot(), null);
    }

    /** Another run completed the sample: its one-shots stand, and this run's outcome is not recorded. */
    JobResult alreadyCompleted(JobResult.Source source, String runId, List<OneShot> oneShots) {
        return new JobResult(ProcessingStatus.COMPLETED, WorkerVersion.get(), sampleId, userId, source, params, null,
                oneShots, null, null, timings.snapshot(), null, runId);
    }

    JobResult failed(JobResult.Source source, WorkerException failure) {
        return new JobResult(ProcessingStatus.FAILED, WorkerVersion.get(), sampleId, userId, source, params, null,
                List.of(), null, null, timings.snapshot(),
                new JobResult.Error(failure.category(), failure.reason().orElse(timings.lastPhase()),
                        failure.getMessage(), failure.retryable()));
    }

    /**
     * A job that never started: its request was refused (BAD_INPUT, reason {@code request}) or it
     * could not be set up (reason {@code start}); nothing about the recording is known.
     */
    public static JobResult refused(WorkerException failure) {
        String reason = failure.reason().orElse(failure.category() == ErrorCategory.BAD_INPUT
                ? REQUEST_REASON : Timings.START);
        return new JobResult(ProcessingStatus.FAILED, WorkerVersion.get(), null, null, null, null, null, List.of(),
                null, null, null, new JobResult.Error(failure.category(), reason, failure.getMessage(),
                failure.retryable()));
    }
}
