package app.littlebit.worker.job;

import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sample items in memory, with the conditional writes {@code DynamoStatusStore} makes (the README's
 * status item): only an existing sample is written, COMPLETED is final, and the final write needs
 * the run id that claimed the sample. A test can claim a sample for another run mid-job, or make
 * the FAILED write itself fail.
 */
final class InMemoryStatusStore implements StatusStore {
    /** A Sample item's processing attributes; absent ones are null. */
    record Item(
            ProcessingStatus status,
            String runId,
            List<StoredOneShot> outputs,
            String waveformKey,
            String error,
            String category,
            String reason) {}

    private final Map<String, Item> items = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> progress = new ConcurrentHashMap<>();
    private volatile boolean failedWritesFail;

    /** The app created the sample (no processing attributes yet). */
    void create(String sampleId) {
        items.put(sampleId, new Item(null, null, null, null, null, null, null));
    }

    /** Another run completed the sample earlier. */
    void completedBy(String sampleId, String runId, List<StoredOneShot> outputs, String waveformKey) {
        items.put(sampleId, new Item(ProcessingStatus.COMPLETED, runId, outputs, waveformKey, null, null, null));
    }

    /** Another run claims the sample, as a newer task's markProcessing would. */
    void claimBy(String sampleId, String runId) {
        items.computeIfPresent(
                sampleId, (id, item) -> new Item(ProcessingStatus.PROCESSING, runId, null, null, null, null, null));
    }

    /** From now on the FAILED write fails, as a DynamoDB that cannot be reached would. */
    void failFailedWrites() {
        failedWritesFail = true;
    }

    Item item(String sampleId) {
        return items.get(sampleId);
    }

    /** The progress values written for the sample, in order. */
    List<Integer> progress(String sampleId) {
        return List.copyOf(progress.getOrDefault(sampleId, List.of()));
    }

    @Override
    public synchronized Optional<Completion> markProcessing(StatusTarget target, String runId, Instant startedAt) {
        Item item = existing(target);
        if (item.status() == ProcessingStatus.COMPLETED) {
            return Optional.of(new Completion(item.runId(), item.outputs()));
        }
        items.put(target.sampleId(), new Item(ProcessingStatus.PROCESSING, runId, null, null, null, null, null));
        return Optional.empty();
    }

    @Override
    public synchronized Optional<Completion> markCompleted(
            StatusTarget target,
            String runId,
            List<StoredOneShot> outputs,
            String recordingWaveformKey,
            Instant completedAt) {
        Item item = existing(target);
        if (!runId.equals(item.runId())) {
            if (item.status() == ProcessingStatus.COMPLETED) {
                return Optional.of(new Completion(item.runId(), item.outputs()));
            }
            throw takenOver(target, item);
        }
        items.put(
                target.sampleId(),
                new Item(
                        ProcessingStatus.COMPLETED,
                        runId,
                        List.copyOf(outputs),
                        recordingWaveformKey,
                        null,
                        null,
                        null));
        return Optional.empty();
    }

    @Override
    public synchronized void markProgress(StatusTarget target, String runId, int percent) {
        if (failedWritesFail) {
            throw WorkerException.of(
                    FailureReason.UNAVAILABLE,
                    "Writing status to " + target.table() + " failed after retries: HTTP 503");
        }
        Item item = items.get(target.sampleId());
        if (item != null && item.status() == ProcessingStatus.PROCESSING && runId.equals(item.runId())) {
            progress.computeIfAbsent(target.sampleId(), id -> new java.util.ArrayList<>())
                    .add(percent);
        }
    }

    @Override
    public synchronized void markFailed(StatusTarget target, String runId, WorkerException failure, Instant failedAt) {
        if (failedWritesFail) {
            throw WorkerException.of(
                    FailureReason.UNAVAILABLE,
                    "Writing status to " + target.table() + " failed after retries: HTTP 503");
        }
        Item item = existing(target);
        if (item.status() == ProcessingStatus.COMPLETED || (item.runId() != null && !runId.equals(item.runId()))) {
            throw WorkerException.of(
                    FailureReason.TAKEN_OVER,
                    "The failure was not recorded: " + takenOver(target, item).getMessage());
        }
        items.put(
                target.sampleId(),
                new Item(
                        ProcessingStatus.FAILED,
                        runId,
                        null,
                        null,
                        failure.getMessage(),
                        failure.category().name(),
                        failure.reason().code()));
    }

    private Item existing(StatusTarget target) {
        Item item = items.get(target.sampleId());
        if (item == null) {
            throw WorkerException.of(
                    FailureReason.NOT_FOUND, "Sample '" + target.sampleId() + "' does not exist in " + target.table());
        }
        return item;
    }

    private static WorkerException takenOver(StatusTarget target, Item item) {
        return WorkerException.of(
                FailureReason.TAKEN_OVER,
                "Sample '" + target.sampleId() + "' was taken over by another run (" + item.runId()
                        + "), which records the outcome");
    }
}
