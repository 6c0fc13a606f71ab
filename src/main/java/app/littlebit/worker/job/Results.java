package app.littlebit.worker.job;

import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.pipeline.DetectionSummary;
import app.littlebit.worker.pipeline.Timings;
import java.util.List;

/** Builds a job's result, the same way for cloud jobs and local runs. */
public final class Results {

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

    JobResult completed(
            JobResult.Source source,
            DetectionSummary detection,
            List<OneShot> oneShots,
            JobResult.StoredFile original,
            JobResult.StoredFile recordingWaveform) {
        return new JobResult(
                ProcessingStatus.COMPLETED,
                WorkerVersion.get(),
                sampleId,
                userId,
                source,
                params,
                detection,
                oneShots,
                original,
                recordingWaveform,
                timings.snapshot(),
                null,
                null);
    }

    /** Another run completed the sample: its one-shots stand, and this run's outcome is not recorded. */
    JobResult alreadyCompleted(JobResult.Source source, String runId, List<OneShot> oneShots) {
        return new JobResult(
                ProcessingStatus.COMPLETED,
                WorkerVersion.get(),
                sampleId,
                userId,
                source,
                params,
                null,
                oneShots,
                null,
                null,
                timings.snapshot(),
                null,
                runId);
    }

    JobResult failed(JobResult.Source source, WorkerException failure) {
        return new JobResult(
                ProcessingStatus.FAILED,
                WorkerVersion.get(),
                sampleId,
                userId,
                source,
                params,
                null,
                List.of(),
                null,
                null,
                timings.snapshot(),
                JobResult.Failure.of(failure),
                null);
    }

    /**
     * A job that never started: its request was refused, or it could not be set up (no working
     * FFmpeg, say); nothing about the recording is known.
     */
    public static JobResult refused(WorkerException failure) {
        return new JobResult(
                ProcessingStatus.FAILED,
                WorkerVersion.get(),
                null,
                null,
                null,
                null,
                null,
                List.of(),
                null,
                null,
                null,
                JobResult.Failure.of(failure),
                null);
    }
}
