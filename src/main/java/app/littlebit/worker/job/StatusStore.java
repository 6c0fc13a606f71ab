package app.littlebit.worker.job;

import app.littlebit.worker.failure.WorkerException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The app's Sample item as a job updates it: PROCESSING when a run claims it, then COMPLETED with
 * the outputs or FAILED with the reason. Every write is conditional (see the README): COMPLETED is
 * final, and only the run that claimed a sample last records its outcome.
 */
public interface StatusStore {
    /** A sample's completion, as recorded by the run that completed it. */
    record Completion(String runId, List<StoredOneShot> outputs) {}

    /**
     * Claims the sample for this run, taking it over from any run that did not finish. A sample
     * some run already completed is left as it is: its completion is returned, nothing is written.
     * A missing sample fails.
     */
    Optional<Completion> markProcessing(StatusTarget target, String runId, Instant startedAt);

    /**
     * Records the outputs, if this run still owns the sample. If another run completed it in the
     * meantime, that completion is returned and nothing is written; if another run took it over,
     * the failure says so.
     */
    Optional<Completion> markCompleted(
            StatusTarget target,
            String runId,
            List<StoredOneShot> outputs,
            String recordingWaveformKey,
            Instant completedAt);

    /**
     * How far this run is, 0 to 100 ({@code processing_progress}), written only while this run
     * owns the sample and it is PROCESSING; a refused write is no failure (the run that took over,
     * or the final status, tells the rest). PROCESSING sets it to 0, COMPLETED to 100.
     */
    void markProgress(StatusTarget target, String runId, int percent);

    /** Records the failure, unless the sample is COMPLETED or another run has taken it over (then it fails). */
    void markFailed(StatusTarget target, String runId, WorkerException failure, Instant failedAt);
}
