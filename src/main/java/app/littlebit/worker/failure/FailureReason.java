package app.littlebit.worker.failure;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a job failed, as a machine reads it: the result's {@code error.reason}, the status item's
 * {@code processing_error_reason} and the metrics' {@code Reason} dimension all carry {@link #code()}.
 * Each reason belongs to one {@link ErrorCategory}, which decides the exit code and whether a retry
 * can help; the message says the rest in words.
 */
public enum FailureReason {
    /** The environment or the command line is invalid (not PROCESSING_PARAMS: see {@link #BAD_PARAMS}). */
    BAD_REQUEST("request", ErrorCategory.BAD_INPUT),
    /** PROCESSING_PARAMS is not valid JSON, too large, or out of range. */
    BAD_PARAMS("bad-params", ErrorCategory.BAD_INPUT),
    /** The recording, the sample item or the status table does not exist (or may not be read). */
    NOT_FOUND("not-found", ErrorCategory.BAD_INPUT),
    /** The recording has 0 bytes. */
    EMPTY("empty", ErrorCategory.BAD_DATA),
    /** The recording is over MAX_INPUT_BYTES. */
    TOO_LARGE("too-large", ErrorCategory.BAD_DATA),
    /** The recording decodes to more than the longest take accepted. */
    TOO_LONG("too-long", ErrorCategory.BAD_DATA),
    /** FFmpeg cannot read it as audio, or its sample rate or channels are out of range. */
    NOT_AUDIO("not-audio", ErrorCategory.BAD_DATA),
    /** Only silence or steady background noise: nothing to cut. */
    NO_SOUND("no-sound", ErrorCategory.BAD_DATA),
    /** Another run claimed the sample and records its outcome; this run's is not recorded. */
    TAKEN_OVER("taken-over", ErrorCategory.CONFLICT),
    /** The task was asked to stop (SIGTERM). */
    STOPPED("stopped", ErrorCategory.TEMPORARY),
    /** The job ran past its time limit. */
    TIME_LIMIT("time-limit", ErrorCategory.TEMPORARY),
    /** S3 or DynamoDB failed after the SDK's retries: network, 5xx, throttling. */
    UNAVAILABLE("unavailable", ErrorCategory.TEMPORARY),
    /** The recording was replaced while it was being downloaded. */
    CHANGED("changed", ErrorCategory.TEMPORARY),
    /** AWS refused a request a retry will not change (access denied, say): a deployment problem. */
    AWS_REFUSED("aws-refused", ErrorCategory.INTERNAL),
    /** No working FFmpeg, or FFmpeg failed in a way that is not the recording's fault. */
    FFMPEG("ffmpeg", ErrorCategory.INTERNAL),
    /** Work files could not be written or read (disk full, say). */
    WORK_FILES("work-files", ErrorCategory.INTERNAL),
    /** A bug: a failure the worker did not expect. */
    UNEXPECTED("unexpected", ErrorCategory.INTERNAL);

    private final String code;
    private final ErrorCategory category;

    FailureReason(String code, ErrorCategory category) {
        this.code = code;
        this.category = category;
    }

    /** A few fixed words, lower case with hyphens, as the result and the status item carry them. */
    @JsonValue
    public String code() {
        return code;
    }

    public ErrorCategory category() {
        return category;
    }
}
