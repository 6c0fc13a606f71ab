package app.littlebit.worker.job;

import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.pipeline.DetectionSummary;
import app.littlebit.worker.pipeline.Timings;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;

/** Builds a job's result, the same way for cloud jobs and local runs, and writes it as the result line. */
final class Results {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

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

    JobResult.Completed completed(
            JobResult.Source source,
            DetectionSummary detection,
            List<OneShot> oneShots,
            JobResult.StoredFile original,
            JobResult.StoredFile recordingWaveform) {
        return new JobResult.Completed(
                job(source), detection, oneShots, original, recordingWaveform, timings.snapshot());
    }

    /** Another run completed the sample: its one-shots stand, and this run's outcome is not recorded. */
    JobResult.AlreadyCompleted alreadyCompleted(JobResult.Source source, String runId, List<OneShot> oneShots) {
        return new JobResult.AlreadyCompleted(job(source), oneShots, timings.snapshot(), runId);
    }

    JobResult.Failed failed(JobResult.Source source, WorkerException failure) {
        return new JobResult.Failed(job(source), timings.snapshot(), JobResult.Failure.of(failure));
    }

    private JobResult.Job job(JobResult.Source source) {
        return new JobResult.Job(WorkerVersion.get(), sampleId, userId, source, params);
    }

    /** Here rather than in JobResult: an interface cannot keep its mapper private. */
    static String json(JobResult result) {
        try {
            return JSON.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A job result could not be written as JSON", e);
        }
    }
}
