package app.littlebit.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Service mode: the job's variables as one message on the service's queue, a JSON object with the
 * same names (serve mode's message format). On a FIFO queue the idempotency token is the
 * deduplication id; on a standard queue a duplicate is harmless, as the worker never redoes a
 * COMPLETED sample.
 */
public final class QueueTarget implements LaunchTarget {
    private static final Logger log = LoggerFactory.getLogger(QueueTarget.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final SqsClient sqs;
    private final String queueUrl;

    public QueueTarget(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public Launched launch(JobVariables job, String idempotencyToken) {
        SendMessageRequest.Builder request =
                SendMessageRequest.builder().queueUrl(queueUrl).messageBody(body(job));
        if (queueUrl.endsWith(".fifo")) {
            request.messageDeduplicationId(idempotencyToken).messageGroupId(idempotencyToken);
        }
        try {
            String messageId = sqs.sendMessage(request.build()).messageId();
            log.info("Job queued for sample {}: message {}", job.sampleId(), messageId);
            return new Launched(job.sampleId(), "queue", messageId);
        } catch (AwsServiceException e) {
            boolean retryable = e.isThrottlingException() || e.statusCode() >= 500;
            throw new LaunchFailed(
                    "SendMessage failed: " + e.awsErrorDetails().errorCode() + " "
                            + e.awsErrorDetails().errorMessage(),
                    retryable,
                    e);
        } catch (SdkException e) {
            throw new LaunchFailed("SendMessage failed after retries: " + e.getMessage(), true, e);
        }
    }

    static String body(JobVariables job) {
        return JSON.valueToTree(job.asMap()).toString();
    }
}
