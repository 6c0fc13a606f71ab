package app.littlebit.worker.job;

import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.failure.ErrorCategory;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.pipeline.DetectionSummary;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
        Failure error,
        String alreadyCompletedBy) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** The result line, as the README's schema has it. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A job result could not be written as JSON", e);
        }
    }

    /**
     * The recording that was processed: where it is, then what became known of it. A figure not
     * known yet (the size before the download, the codec before the decode) is left out.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(
            @JsonUnwrapped Location location,
            Long bytes,
            Long durationMs,
            String codec,
            Integer sampleRate,
            Integer channels) {
        public static Source at(Location location) {
            return new Source(location, null, null, null, null, null);
        }

        public Source withBytes(long size) {
            return new Source(location, size, durationMs, codec, sampleRate, channels);
        }

        /** What decoding found: the length as decoded, the codec and the PCM format. */
        public Source decoded(RecordingInfo decoded) {
            return new Source(
                    location, bytes, decoded.durationMs(), decoded.codec(), decoded.sampleRate(), decoded.channels());
        }
    }

    /** A file the job produced, where it went, and its size. */
    public record StoredFile(@JsonUnwrapped Location location, long bytes) {}

    /**
     * Why the job failed and whether running it again can help; written as the result's
     * {@code error}. Named so as not to shadow {@code java.lang.Error}.
     *
     * @param reason  what went wrong, in a few fixed words ({@link FailureReason#code()}) that
     *                dashboards group by and the app can act on
     * @param message the clear reason in words, as stored in DynamoDB
     */
    public record Failure(ErrorCategory category, FailureReason reason, String message, boolean retryable) {
        public static Failure of(WorkerException failure) {
            return new Failure(failure.category(), failure.reason(), failure.getMessage(), failure.retryable());
        }
    }
}
