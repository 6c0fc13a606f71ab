package app.littlebit.worker.aws;

import app.littlebit.worker.ErrorCategory;
import app.littlebit.worker.WorkerException;
import app.littlebit.worker.job.OneShot;
import app.littlebit.worker.job.StatusTarget;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Writes processing status onto the app's Sample item. Only the {@code processing_*} attributes
 * are touched (UpdateItem, never PutItem), and only on an item that already exists: the app
 * creates the Sample, the worker never invents one. The run id written with PROCESSING must match
 * on the final write, so of two tasks racing on one sample only the latest writes the outcome.
 */
public final class DynamoStatusStore {
    public static final String PROCESSING = "PROCESSING";
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";

    private final DynamoDbClient dynamoDb;

    public DynamoStatusStore(DynamoDbClient dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    public void markProcessing(StatusTarget target, String runId, Instant startedAt) {
        update(target, "SET processing_status = :status, processing_started_at = :started, "
                        + "processing_run_id = :run REMOVE processing_error, processing_error_category, "
                        + "processing_completed_at",
                "attribute_exists(id)",
                Map.of(":status", s(PROCESSING), ":started", s(iso(startedAt)), ":run", s(runId)));
    }

    public void markCompleted(StatusTarget target, String runId, List<OneShot> outputs, Instant completedAt) {
        List<AttributeValue> items = outputs.stream().map(DynamoStatusStore::output).toList();
        update(target, "SET processing_status = :status, processing_completed_at = :completed, "
                        + "processing_outputs = :outputs",
                "attribute_exists(id) AND processing_run_id = :run",
                Map.of(":status", s(COMPLETED), ":completed", s(iso(completedAt)),
                        ":outputs", AttributeValue.fromL(items), ":run", s(runId)));
    }

    public void markFailed(StatusTarget target, String runId, WorkerException failure, Instant failedAt) {
        update(target, "SET processing_status = :status, processing_completed_at = :completed, "
                        + "processing_error = :error, processing_error_category = :category, "
                        + "processing_run_id = if_not_exists(processing_run_id, :run)",
                "attribute_exists(id) AND (attribute_not_exists(processing_run_id) OR processing_run_id = :run)",
                Map.of(":status", s(FAILED), ":completed", s(iso(failedAt)), ":error", s(failure.getMessage()),
                        ":category", s(failure.category().name()), ":run", s(runId)));
    }

    private void update(StatusTarget target, String expression, String condition, Map<String, AttributeValue> values) {
        UpdateItemRequest request = UpdateItemRequest.builder()
                .tableName(target.table())
                .key(Map.of("id", s(target.sampleId())))
                .updateExpression(expression)
                .conditionExpression(condition)
                .expressionAttributeValues(values)
                .build();
        try {
            dynamoDb.updateItem(request);
        } catch (ResourceNotFoundException e) {
            throw WorkerException.badInput("STATUS_TABLE '" + target.table() + "' does not exist");
        } catch (ConditionalCheckFailedException e) {
            throw new WorkerException(ErrorCategory.BAD_INPUT, "Sample '" + target.sampleId()
                    + "' does not exist in " + target.table() + ", or another run has taken it over", e);
        } catch (SdkException e) {
            throw AwsErrors.translate("Writing status to " + target.table(), e);
        }
    }

    private static AttributeValue output(OneShot oneShot) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("key", s(oneShot.key()));
        item.put("index", n(oneShot.index()));
        item.put("startMs", n(oneShot.sourceStartMs()));
        item.put("endMs", n(oneShot.sourceEndMs()));
        item.put("durationMs", n(oneShot.durationMs()));
        item.put("peakDbfs", n(oneShot.peakDbfs()));
        return AttributeValue.fromM(item);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(double value) {
        return AttributeValue.fromN(value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value));
    }

    private static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
