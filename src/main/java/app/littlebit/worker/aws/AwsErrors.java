package app.littlebit.worker.aws;

import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Translates what the SDK throws, after its own retries, into the worker's categories: a
 * network failure, 5xx or throttling is temporary; a missing resource is the request's fault;
 * anything else (access denied, say) is a deployment problem a retry will not fix.
 */
final class AwsErrors {
    private AwsErrors() {}

    static WorkerException translate(String action, SdkException e) {
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = service.awsErrorDetails() == null
                    ? null
                    : service.awsErrorDetails().errorCode();
            String detail = code == null ? "HTTP " + status : code + " (HTTP " + status + ")";
            if (service.isThrottlingException() || status >= 500) {
                return WorkerException.of(FailureReason.UNAVAILABLE, action + " failed after retries: " + detail, e);
            }
            return WorkerException.of(FailureReason.AWS_REFUSED, action + " failed: " + detail, e);
        }
        if (e instanceof SdkClientException) {
            return WorkerException.of(
                    FailureReason.UNAVAILABLE, action + " failed after retries: " + e.getMessage(), e);
        }
        return WorkerException.of(FailureReason.UNEXPECTED, action + " failed: " + e.getMessage(), e);
    }
}
