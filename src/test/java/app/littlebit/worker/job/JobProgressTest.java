package app.littlebit.worker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code processing_progress}: how often and what a job writes, on a clock the test moves. */
class JobProgressTest {
    private static final StatusTarget TARGET = new StatusTarget("Sample", "s-1");
    private final InMemoryStatusStore statuses = new InMemoryStatusStore();
    private final AtomicLong now = new AtomicLong();
    private JobProgress progress;

    @BeforeEach
    void claim() {
        statuses.create("s-1");
        statuses.markProcessing(TARGET, "run-1", Instant.EPOCH);
        progress = new JobProgress(statuses, TARGET, "run-1", now::get);
    }

    private void at(double seconds) {
        now.set((long) (seconds * TimeUnit.SECONDS.toNanos(1)));
    }

    @Test
    void aShortJobWritesNoProgressAtAll() {
        at(0.2);
        progress.report(JobProgress.DOWNLOADED);
        at(1.5);
        progress.audio(0.5);
        at(2.9);
        progress.audio(1);
        assertEquals(List.of(), statuses.progress("s-1"));
    }

    @Test
    void aLongJobWritesRisingValuesAtMostOncePerInterval() {
        at(1);
        progress.report(JobProgress.DOWNLOADED);
        at(3.5);
        progress.audio(0.25); // 10 + 85 * 0.25
        at(4);
        progress.audio(0.3); // within the interval: not written
        at(7);
        progress.audio(0.6);
        at(11);
        progress.audio(0.6); // no change: not written
        at(12);
        progress.audio(1);
        assertEquals(List.of(31, 61, 95), statuses.progress("s-1"));
    }

    @Test
    void aRunThatWasTakenOverWritesNothingAndAFailingStoreDoesNotFailTheJob() {
        statuses.claimBy("s-1", "run-2");
        at(4);
        progress.audio(0.5);
        assertEquals(List.of(), statuses.progress("s-1"));

        JobProgress other = new JobProgress(statuses, TARGET, "run-2", now::get);
        statuses.failFailedWrites();
        at(8);
        other.audio(0.5); // logged, not thrown
        assertEquals(List.of(), statuses.progress("s-1"));
    }
}
