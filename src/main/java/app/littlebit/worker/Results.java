package app.littlebit.worker;

import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.job.EffectiveParams;
import app.littlebit.worker.job.JobResult;
import app.littlebit.worker.job.OneShot;
import app.littlebit.worker.job.Timings;
import java.util.List;

/** Builds a job's result, the same way for cloud jobs and local runs. */
final class Results {
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

    JobResult completed(JobResult.Source source, JobResult.DetectionSummary detection, List<OneShot> oneShots,
                        JobResult.StoredFile original, JobResult.StoredFile recordingWaveform) {
        return new JobResult(JobResult.COMPLETED, WorkerVersion.get(), sampleId, userId, source, params,
                detection, oneShots, original, recordingWaveform, timings.snapshot(), null);
    }

    /** Another run completed the sample: its one-shots stand, and this run's outcome is not recorded. */
    JobResult alreadyCompleted(JobResult.Source source, String runId, List<OneShot> oneShots) {
        return new JobResult(JobResult.COMPLETED, WorkerVersion.get(), sampleId, userId, source, params, null,
                oneShots, null, null, timings.snapshot(), null, runId);
    }

    JobResult failed(JobResult.Source source, WorkerException failure) {
        return new JobResult(JobResult.FAILED, WorkerVersion.get(), sampleId, userId, source, params, null,
                List.of(), null, null, timings.snapshot(),
                new JobResult.Error(failure.category(), failure.reason().orElse(timings.lastPhase()),
                        failure.getMessage(), failure.retryable()));
    }
}
