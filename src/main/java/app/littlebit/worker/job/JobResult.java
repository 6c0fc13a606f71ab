package app.littlebit.worker.job;

import app.littlebit.worker.failure.ErrorCategory;
import app.littlebit.worker.pipeline.DetectionSummary;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The one JSON line a job prints on stdout. The schema is documented in the README; fields that
 * do not apply (bucket in local mode, error on success) are left out. {@code alreadyCompletedBy}
 * is set, with the run id, only when another run had completed the sample and this one did not
 * record its own outcome; {@code oneShots} are then that run's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobResult(
        ProcessingStatus status,
        String workerVersion,
        String sampleId,
        String userId,
        Source source,
        EffectiveParams params,
        DetectionSummary detection,
        List<OneShot> oneShots,
        StoredFile original,
        StoredFile recordingWaveform,
        Map<String, Long> timingsMs,
        Error error,
        String alreadyCompletedBy) {

    /** A result of a run that processed the recording (or failed to). */
    public JobResult(ProcessingStatus status, String workerVersion, String sampleId, String userId, Source source,
                     EffectiveParams params, DetectionSummary detection, List<OneShot> oneShots,
                     StoredFile original, StoredFile recordingWaveform, Map<String, Long> timingsMs, Error error) {
        this(status, workerVersion, sampleId, userId, source, params, detection, oneShots, original,
                recordingWaveform, timingsMs, error, null);
    }

    /** The recording that was processed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(String bucket, String key, String path, Long bytes, Long durationMs,
                         String codec, Integer sampleRate, Integer channels) {
    }

    /** Where a produced file went: S3 (bucket, key) or local disk (path). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StoredFile(String bucket, String key, String path, long bytes) {
    }

    /**
     * Why the job failed and whether running it again can help.
     *
     * @param reason where or why, in a few fixed words (metrics group failures by it):
     *               {@code request} (validation), the phase that failed ({@code start} when
     *               setting up, {@code status}, {@code download}, {@code decode}, {@code analyze},
     *               {@code encode}, {@code upload}), or {@code stopped} / {@code time-limit} for a
     *               cancelled job
     */
    public record Error(ErrorCategory category, String reason, String message, boolean retryable) {
    }
}
