package app.littlebit.worker.job;

import app.littlebit.worker.failure.WorkerException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long job's progress on its status item ({@code processing_progress}, 0 to 100), so the app can
 * show a progress bar: written at most once every {@link #INTERVAL}, and not at all in a job's
 * first interval, so a job of a second or two adds no write (PROCESSING already says 0, COMPLETED
 * says 100). Only rising values are written. Best effort: a failed write is logged, never fails
 * the job.
 */
final class JobProgress {
    static final Duration INTERVAL = Duration.ofSeconds(3);
    /** The share of the job before the audio work (claim, download), and the work's share. */
    static final int DOWNLOADED = 10;

    static final int AUDIO_DONE = 95;
    private static final Logger log = LoggerFactory.getLogger(JobProgress.class);

    private final StatusStore statuses;
    private final StatusTarget target;
    private final String runId;
    private final LongSupplier nanoTime;
    private long lastWriteNanos;
    private int written;

    /**
     * Progress of run {@code runId} on {@code target}.
     *
     * @param nanoTime the clock intervals are measured on (System::nanoTime)
     */
    JobProgress(StatusStore statuses, StatusTarget target, String runId, LongSupplier nanoTime) {
        this.statuses = statuses;
        this.target = target;
        this.runId = runId;
        this.nanoTime = nanoTime;
        this.lastWriteNanos = nanoTime.getAsLong(); // nothing in the first interval
    }

    /** The audio work is {@code done} (0 to 1) finished: maps it between the download and the uploads. */
    void audio(double done) {
        report(DOWNLOADED + (int) Math.floor((AUDIO_DONE - DOWNLOADED) * Math.max(0, Math.min(1, done))));
    }

    void report(int percent) {
        long now = nanoTime.getAsLong();
        synchronized (this) {
            if (percent <= written || now - lastWriteNanos < INTERVAL.toNanos()) {
                return;
            }
            lastWriteNanos = now;
            written = percent;
        }
        try {
            statuses.markProgress(target, runId, percent);
            log.atDebug().addKeyValue("percent", percent).log("Progress recorded");
        } catch (WorkerException e) {
            log.atWarn().addKeyValue("reason", e.reason().code()).log("Could not record progress: " + e.getMessage());
        }
    }
}
