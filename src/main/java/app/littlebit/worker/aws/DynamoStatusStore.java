package app.littlebit.worker.aws;

import app.littlebit.worker.audio.Pitch;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.job.OneShot;
import app.littlebit.worker.job.ProcessingStatus;
import app.littlebit.worker.job.StatusStore;
import app.littlebit.worker.job.StatusTarget;
import app.littlebit.worker.job.StoredOneShot;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Writes processing status onto the app's Sample item. Only the {@code processing_*} attributes
 * are touched (UpdateItem, never PutItem), and only on an item that already exists: the app
 * creates the Sample, the worker never invents one. Every write is conditional:
 * <ul>
 *   <li>COMPLETED is final: no run moves a sample back to PROCESSING or FAILED;</li>
 *   <li>the run id written with PROCESSING must match on the final write, so of two tasks racing
 *       on one sample only the one that claimed it last writes the outcome.</li>
 * </ul>
 * When a condition fails, DynamoDB returns the item as it was (no extra read, no extra permission),
 * which tells a missing sample from one that another run completed or took over.
 */
public final class DynamoStatusStore implements StatusStore {
    private static final String COMPLETED = ProcessingStatus.COMPLETED.name();

    private static final String NOT_COMPLETED =
            "(attribute_not_exists(processing_status) OR processing_status <> :completedStatus)";
    private static final String OWNED_BY_THIS_RUN =
            "(attribute_not_exists(processing_run_id) OR processing_run_id = :run)";

    private final DynamoDbClient dynamoDb;

    public DynamoStatusStore(DynamoDbClient dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    /**
     * Claims the sample for this run (PROCESSING), taking it over from any earlier run that did not
     * finish, e.g. a task that was killed. A sample some run already completed is left as it is:
     * its completion is returned and nothing is written.
     */
    @Override
    public Optional<Completion> markProcessing(StatusTarget target, String runId, Instant startedAt) {
        Optional<Map<String, AttributeValue>> refused = update(
                target,
                "SET processing_status = :status, processing_started_at = :started, "
                        + "processing_run_id = :run, processing_progress = :none REMOVE processing_error, processing_error_category, processing_error_reason, "
                        + "processing_completed_at",
                "attribute_exists(id) AND " + NOT_COMPLETED,
                Map.of(
                        ":status",
                        s(ProcessingStatus.PROCESSING.name()),
                        ":started",
                        s(iso(startedAt)),
                        ":run",
                        s(runId),
                        ":completedStatus",
                        s(COMPLETED),
                        ":none",
                        n(0)));
        return refused.map(item -> completionOrThrow(target, item));
    }

    /**
     * Records the outputs, if this run still owns the sample. If another run completed it in the
     * meantime, that completion is returned and nothing is written; if another run took it over
     * and is still working, this run's outcome is not recorded and the failure says so.
     */
    @Override
    public Optional<Completion> markCompleted(
            StatusTarget target,
            String runId,
            List<StoredOneShot> outputs,
            String recordingWaveformKey,
            Instant completedAt) {
        List<AttributeValue> items =
                outputs.stream().map(DynamoStatusStore::output).toList();
        Optional<Map<String, AttributeValue>> refused = update(
                target,
                "SET processing_status = :status, processing_completed_at = :completed, "
                        + "processing_outputs = :outputs, processing_waveform_key = :waveform, processing_progress = :all",
                "attribute_exists(id) AND processing_run_id = :run",
                Map.of(
                        ":status",
                        s(COMPLETED),
                        ":completed",
                        s(iso(completedAt)),
                        ":outputs",
                        AttributeValue.fromL(items),
                        ":waveform",
                        s(recordingWaveformKey),
                        ":run",
                        s(runId),
                        ":all",
                        n(100)));
        return refused.map(item -> completionOrThrow(target, item));
    }

    /**
     * Records how far the run is, only while this run owns the sample and it is PROCESSING; a
     * refused write (another run took over, or the sample is already final) is not a failure.
     */
    @Override
    public void markProgress(StatusTarget target, String runId, int percent) {
        update(
                target,
                "SET processing_progress = :percent",
                "attribute_exists(id) AND processing_run_id = :run AND processing_status = :processing",
                Map.of(":percent", n(percent), ":run", s(runId), ":processing", s(ProcessingStatus.PROCESSING.name())));
    }

    /** Records the failure, unless the sample is COMPLETED or another run has taken it over. */
    @Override
    public void markFailed(StatusTarget target, String runId, WorkerException failure, Instant failedAt) {
        update(
                        target,
                        "SET processing_status = :status, processing_completed_at = :completed, "
                                + "processing_error = :error, processing_error_category = :category, "
                                + "processing_error_reason = :reason, "
                                + "processing_run_id = if_not_exists(processing_run_id, :run)",
                        "attribute_exists(id) AND " + OWNED_BY_THIS_RUN + " AND " + NOT_COMPLETED,
                        Map.of(
                                ":status",
                                s(ProcessingStatus.FAILED.name()),
                                ":completed",
                                s(iso(failedAt)),
                                ":error",
                                s(failure.getMessage()),
                                ":category",
                                s(failure.category().name()),
                                ":reason",
                                s(failure.reason().code()),
                                ":run",
                                s(runId),
                                ":completedStatus",
                                s(COMPLETED)))
                .ifPresent(item -> {
                    WorkerException refusal = refusal(target, item);
                    throw WorkerException.of(refusal.reason(), "The failure was not recorded: " + refusal.getMessage());
                });
    }

    /** Runs the update; returns the item as it was if the condition failed (empty map: no item). */
    private Optional<Map<String, AttributeValue>> update(
            StatusTarget target, String expression, String condition, Map<String, AttributeValue> values) {
        UpdateItemRequest request = UpdateItemRequest.builder()
                .tableName(target.table())
                .key(Map.of("id", s(target.sampleId())))
                .updateExpression(expression)
                .conditionExpression(condition)
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
        try {
            dynamoDb.updateItem(request);
            return Optional.empty();
        } catch (ResourceNotFoundException e) {
            throw WorkerException.of(FailureReason.NOT_FOUND, "STATUS_TABLE '" + target.table() + "' does not exist");
        } catch (ConditionalCheckFailedException e) {
            return Optional.of(e.hasItem() ? e.item() : Map.of());
        } catch (SdkException e) {
            throw AwsErrors.translate("Writing status to " + target.table(), e);
        }
    }

    private static Completion completionOrThrow(StatusTarget target, Map<String, AttributeValue> item) {
        if (COMPLETED.equals(text(item, "processing_status"))) {
            List<AttributeValue> outputs = item.containsKey("processing_outputs")
                    ? item.get("processing_outputs").l()
                    : List.of();
            return new Completion(
                    text(item, "processing_run_id"),
                    outputs.stream().map(DynamoStatusStore::oneShot).toList());
        }
        throw refusal(target, item);
    }

    /** Why a write was refused: the sample is missing (NOT_FOUND), or another run has it (TAKEN_OVER). */
    private static WorkerException refusal(StatusTarget target, Map<String, AttributeValue> item) {
        if (item.isEmpty()) {
            return WorkerException.of(
                    FailureReason.NOT_FOUND, "Sample '" + target.sampleId() + "' does not exist in " + target.table());
        }
        if (COMPLETED.equals(text(item, "processing_status"))) {
            return WorkerException.of(
                    FailureReason.TAKEN_OVER,
                    "Sample '" + target.sampleId() + "' is already COMPLETED by run "
                            + text(item, "processing_run_id"));
        }
        return WorkerException.of(
                FailureReason.TAKEN_OVER,
                "Sample '" + target.sampleId() + "' was taken over by another run (" + text(item, "processing_run_id")
                        + "), which records the outcome");
    }

    /** Everything the result reports about a one-shot, so a rerun can report a completion as it was. */
    private static AttributeValue output(StoredOneShot stored) {
        OneShot.Figures oneShot = stored.figures();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("key", s(stored.key()));
        item.put("index", n(oneShot.index()));
        item.put("startMs", n(oneShot.sourceStartMs()));
        item.put("endMs", n(oneShot.sourceEndMs()));
        item.put("durationMs", n(oneShot.durationMs()));
        item.put("peakDbfs", n(oneShot.peakDbfs()));
        item.put("truePeakDbfs", n(oneShot.truePeakDbfs()));
        item.put("loudnessDbfs", n(oneShot.rmsDbfs()));
        item.put("gainDb", n(oneShot.gainDb()));
        item.put("bytes", n(oneShot.bytes()));
        item.put("format", s(oneShot.format()));
        item.put("loudnessLufs", n(oneShot.loudnessLufs()));
        item.put("waveformKey", s(stored.waveformKey()));
        if (oneShot.pitch() instanceof Pitch.Pitched pitched) {
            item.put("pitchHz", n(pitched.hertz()));
            item.put("pitchConfidence", n(pitched.confidence()));
        }
        return AttributeValue.fromM(item);
    }

    /** A one-shot as stored; an item from before pitch was measured reads as unpitched. */
    private static StoredOneShot oneShot(AttributeValue stored) {
        Map<String, AttributeValue> m = stored.m();
        Pitch pitch = m.containsKey("pitchHz")
                ? Pitch.Pitched.of(number(m, "pitchHz"), number(m, "pitchConfidence"))
                : new Pitch.Unpitched();
        return new StoredOneShot(
                text(m, "key"),
                text(m, "waveformKey"),
                new OneShot.Figures(
                        (int) number(m, "index"),
                        number(m, "startMs"),
                        number(m, "endMs"),
                        number(m, "durationMs"),
                        number(m, "peakDbfs"),
                        number(m, "truePeakDbfs"),
                        number(m, "loudnessDbfs"),
                        number(m, "gainDb"),
                        (long) number(m, "bytes"),
                        text(m, "format"),
                        number(m, "loudnessLufs"),
                        pitch));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    /** A field an earlier worker version did not store reads as 0. */
    private static double number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Double.parseDouble(value.n());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static AttributeValue n(double value) {
        return AttributeValue.fromN(value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value));
    }

    private static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
