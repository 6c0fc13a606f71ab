package app.littlebit.worker.pipeline;

import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes the one-shots a batch at a time: one FFmpeg run writes a whole batch, and for lossy
 * types one more decodes and measures it ({@link PeakCeiling}). With more than one CPU, batches
 * run side by side, one per CPU (an AAC encoder uses one); on one CPU they run in turn. Only the
 * chunk each batch is handing to FFmpeg is in memory.
 */
final class ParallelBatches {
    private static final Logger log = LoggerFactory.getLogger(ParallelBatches.class);
    /**
     * One-shots per FFmpeg run. A run of its own costs each one-shot about 15 ms more CPU (a process
     * start, FFmpeg's libraries loaded and linked), a sixth of what encoding a typical hit takes;
     * every one-shot in a run keeps an encoder of about 1 MB until the run ends, so runs stay short.
     */
    static final int ONE_SHOTS_PER_BATCH = 16;
    /** Batches encoded at once, at most one per CPU; each is an FFmpeg process of some tens of MB. */
    private static final int MAX_PARALLEL_BATCHES = 4;

    private ParallelBatches() {}

    /**
     * Writes every one-shot; each is handed to {@code ready} as soon as its batch is final.
     * Returns them in recording order.
     */
    static List<OneShotPipeline.Produced> encodeAll(
            List<PendingOneShot> oneShots,
            OneShotWriter writer,
            PeakCeiling ceiling,
            Consumer<OneShotPipeline.Produced> ready) {
        int workers = Math.min(MAX_PARALLEL_BATCHES, Runtime.getRuntime().availableProcessors());
        // Short takes are split evenly, so that every CPU gets a share.
        int batchSize = Math.min(ONE_SHOTS_PER_BATCH, Math.max(1, (oneShots.size() + workers - 1) / workers));
        ExecutorService pool = Executors.newFixedThreadPool(workers, task -> {
            Thread thread = new Thread(task, "one-shot-encoder");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> batches = new ArrayList<>();
            for (int from = 0; from < oneShots.size(); from += batchSize) {
                List<PendingOneShot> batch = oneShots.subList(from, Math.min(oneShots.size(), from + batchSize));
                batches.add(pool.submit(() -> {
                    writer.write(batch);
                    if (writer.type().lossy()) {
                        ceiling.keepUnder(batch, writer);
                    }
                    batch.forEach(oneShot -> ready.accept(oneShot.produced(writer.type(), writer.format())));
                }));
            }
            for (Future<?> batch : batches) {
                batch.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw WorkerException.of(FailureReason.UNEXPECTED, "Encoding failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw WorkerException.of(FailureReason.STOPPED, "Interrupted while encoding", e);
        } finally {
            // After a failure or a stop, the other batches are interrupted, which kills their FFmpeg;
            // they must be gone before the caller deletes the files they were writing.
            pool.shutdownNow();
            awaitTermination(pool);
        }
        return oneShots.stream()
                .map(o -> o.produced(writer.type(), writer.format()))
                .toList();
    }

    private static void awaitTermination(ExecutorService pool) {
        boolean interrupted = Thread.interrupted();
        try {
            while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                log.atWarn().log("Still waiting for the one-shot encoders to stop");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
