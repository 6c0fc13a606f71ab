package app.littlebit.worker.job;

import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.failure.ErrorCategory;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.pipeline.DetectionSummary;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one JSON line a job prints on stdout, one record for each way a job can end: {@link
 * Completed}, {@link AlreadyCompleted} (another run had completed the sample) or {@link Failed}.
 * Each has only its own fields; the line is the same for all, as the README's schema has it, with
 * the fields a kind lacks or does not know left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// The README's order, whatever the kind: the line is the app's contract.
@JsonPropertyOrder({
    "status",
    "job",
    "detection",
    "oneShots",
    "original",
    "recordingWaveform",
    "timingsMs",
    "error",
    "alreadyCompletedBy"
})
public sealed interface JobResult permits JobResult.Completed, JobResult.AlreadyCompleted, JobResult.Failed {

    /** {@code COMPLETED} or {@code FAILED}: what the app and the metrics go by. */
    @JsonProperty // not a record component, so Jackson would not write it unasked
    ProcessingStatus status();

    /** Which job this is; written after the status, field by field. */
    Job job();

    /** The one-shots this line reports: this run's, the earlier run's, or none when it failed. */
    @JsonProperty // for Failed, which has none to hold
    List<OneShot> oneShots();

    /** The result line, as the README's schema has it. */
    default String toJson() {
        return Results.json(this);
    }

    /**
     * The job ran to the end: its one-shots were written and, in the cloud, the sample recorded as
     * COMPLETED.
     *
     * @param original where the untouched copy went; absent unless {@code preserveOriginal}
     */
    record Completed(
            @JsonUnwrapped Job job,
            DetectionSummary detection,
            List<OneShot> oneShots,
            StoredFile original,
            StoredFile recordingWaveform,
            Map<String, Long> timingsMs)
            implements JobResult {
        @Override
        public ProcessingStatus status() {
            return ProcessingStatus.COMPLETED;
        }
    }

    /**
     * Another run had completed the sample: its one-shots stand and this run processed and wrote
     * nothing. COMPLETED for the app, exit 0.
     *
     * @param oneShots           that run's
     * @param alreadyCompletedBy that run's id
     */
    record AlreadyCompleted(
            @JsonUnwrapped Job job, List<OneShot> oneShots, Map<String, Long> timingsMs, String alreadyCompletedBy)
            implements JobResult {
        @Override
        public ProcessingStatus status() {
            return ProcessingStatus.COMPLETED;
        }
    }

    /**
     * The job failed, or never started: {@code error} says why, and the line reports no one-shots.
     *
     * @param timingsMs empty, and left out, for a job that never started
     */
    record Failed(
            @JsonUnwrapped Job job,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> timingsMs,
            Failure error)
            implements JobResult {
        /** The exit code and the metrics are read from the error: a failure always has one. */
        public Failed {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(error, "error");
        }

        /**
         * A job that never started: its request was refused, or it could not be set up (no working
         * FFmpeg, say). Nothing of the request is known and nothing was timed.
         */
        public static Failed refused(WorkerException failure) {
            return new Failed(Job.unknown(), Map.of(), Failure.of(failure));
        }

        @Override
        public ProcessingStatus status() {
            return ProcessingStatus.FAILED;
        }

        /** Written as {@code []}: the app reads the list whatever the outcome. */
        @Override
        public List<OneShot> oneShots() {
            return List.of();
        }
    }

    /**
     * Which job a result is of, the same whatever the outcome: the worker that ran it, the
     * request's sample and user, the recording and the effective params. What is not known is left
     * out: there is no sample or user in a local run, and nothing of a request that was refused.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Job(String workerVersion, String sampleId, String userId, Source source, EffectiveParams params) {
        /** Only the worker: the request was refused before anything of it was known. */
        static Job unknown() {
            return new Job(WorkerVersion.get(), null, null, null, null);
        }
    }

    /**
     * The recording that was processed: where it is, then what became known of it. A figure not
     * known yet (the size before the download, the codec before the decode) is left out.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Source(
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
    record StoredFile(@JsonUnwrapped Location location, long bytes) {}

    /**
     * Why the job failed and whether running it again can help; written as the result's
     * {@code error}. Named so as not to shadow {@code java.lang.Error}.
     *
     * @param reason  what went wrong, in a few fixed words ({@link FailureReason#code()}) that
     *                dashboards group by and the app can act on
     * @param message the clear reason in words, as stored in DynamoDB
     */
    record Failure(ErrorCategory category, FailureReason reason, String message, boolean retryable) {
        public static Failure of(WorkerException failure) {
            return new Failure(failure.category(), failure.reason(), failure.getMessage(), failure.retryable());
        }
    }
}
