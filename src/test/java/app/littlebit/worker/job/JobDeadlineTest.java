package app.littlebit.worker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.failure.ErrorCategory;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.ffmpeg.FfmpegProcesses;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The job's time limit: its default sizing, and what happens when it passes (end to end: TimeLimitIT). */
class JobDeadlineTest {
    @Test
    void defaultLimitGrowsWithTheRecordingsLength() {
        assertEquals(Duration.ofSeconds(600 + 15), JobDeadline.forRecording(60_000));
        assertEquals(Duration.ofMinutes(10 + 15), JobDeadline.forRecording(60 * 60_000));
        // Before the probe: the limit for the longest recording accepted, 120 min.
        assertEquals(Duration.ofMinutes(40), JobDeadline.BEFORE_LENGTH_KNOWN);
    }

    @Test
    void whenTimeIsUpTheJobIsCancelledRetryablyAndItsThreadInterrupted() throws Exception {
        Cancellation cancellation = new Cancellation();
        try (JobDeadline deadline = new JobDeadline(
                Optional.of(Duration.ofMillis(200)), cancellation, Thread.currentThread(), new FfmpegProcesses())) {
            // With MAX_RUN_SECONDS set, the recording's length does not move the limit.
            deadline.recordingLength(3_600_000);
            assertFalse(cancellation.isCancelled());
            boolean interrupted = false;
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            assertTrue(interrupted, "the job thread was not interrupted");
        }
        WorkerException failure = cancellation.failure();
        assertEquals(ErrorCategory.TEMPORARY, failure.category());
        assertTrue(failure.retryable());
        assertEquals(FailureReason.TIME_LIMIT, failure.reason());
        assertEquals("time-limit", failure.reason().code());
        assertTrue(failure.getMessage().contains("time limit of 0 s (MAX_RUN_SECONDS)"), failure.getMessage());
    }

    @Test
    void aStopThatCameFirstStaysTheReason() {
        Cancellation cancellation = new Cancellation();
        cancellation.cancel("SIGTERM received");
        cancellation.timeUp(Duration.ofSeconds(5), "MAX_RUN_SECONDS");
        assertEquals(FailureReason.STOPPED, cancellation.failure().reason());
    }
}
