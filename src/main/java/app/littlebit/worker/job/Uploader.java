package app.littlebit.worker.job;

import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.pipeline.OneShotPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a job's one-shots with their waveforms, the recording's waveform, and the copy of the
 * original, into S3 on a few threads sharing the one
 * S3 client, as soon as each is made: a job's uploads are many small requests, so they wait on the
 * network, not the CPU, and overlap with the encoding of the rest.
 * Keys are deterministic, so a rerun overwrites rather than duplicates, and the one-shots come back
 * in recording order whatever order the uploads finish in. The first failure stops the uploads not
 * yet started, and no upload is still reading a work file when this returns.
 */
final class Uploader {
    static final int THREADS = 4;
    private static final String WAVEFORM_CONTENT_TYPE = "application/json";
    /** An upload in flight cannot be interrupted mid-request; the SDK's timeouts bound it. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(Uploader.class);

    private final ObjectStore objects;

    Uploader(ObjectStore objects) {
        this.objects = objects;
    }

    /**
     * What was stored: the one-shots in recording order, the original's copy if asked for, and the
     * recording's waveform.
     */
    record Uploaded(
            List<StoredOneShot> oneShots, JobResult.StoredFile original, JobResult.StoredFile recordingWaveform) {}

    /** Opens the uploads of one run; close it to stop and wait for what is still going. */
    Session start(JobRequest request, String runId, long originalBytes, Cancellation cancellation) {
        return new Session(request, runId, originalBytes, cancellation);
    }

    /**
     * One run's uploads. One-shots are added as the pipeline finishes them and go up while the
     * rest are still being made. The copy of the original starts with the first one-shot, so a
     * recording in which no sound is found leaves nothing behind.
     */
    final class Session implements AutoCloseable {
        private final JobRequest request;
        private final String runId;
        private final long originalBytes;
        private final Cancellation cancellation;
        private final ExecutorService pool = Executors.newFixedThreadPool(THREADS, threadFactory());
        private final List<Future<StoredOneShot>> oneShots = new ArrayList<>();
        private Future<JobResult.StoredFile> original;
        private Future<JobResult.StoredFile> recordingWaveform;

        private Session(JobRequest request, String runId, long originalBytes, Cancellation cancellation) {
            this.request = request;
            this.runId = runId;
            this.originalBytes = originalBytes;
            this.cancellation = cancellation;
        }

        /** Starts uploading a finished one-shot; safe to call from several threads. */
        synchronized void add(OneShotPipeline.Produced oneShot) {
            if (original == null && request.params().preserveOriginal()) {
                original = pool.submit(() -> copyOriginal(request, originalBytes, cancellation));
            }
            oneShots.add(pool.submit(() -> uploadOneShot(request, runId, oneShot, cancellation)));
        }

        /** Starts uploading the recording's waveform, once the pipeline has made every one-shot. */
        synchronized void addRecordingWaveform(Path file) {
            recordingWaveform = pool.submit(() -> uploadRecordingWaveform(request, runId, file, cancellation));
        }

        /** Waits for every upload; the first failure is thrown. The one-shots come back in recording order. */
        Uploaded finish() {
            List<Future<StoredOneShot>> started;
            Future<JobResult.StoredFile> copy;
            Future<JobResult.StoredFile> waveform;
            synchronized (this) {
                started = List.copyOf(oneShots);
                copy = original;
                waveform = recordingWaveform;
            }
            List<StoredOneShot> uploaded = new ArrayList<>();
            for (Future<StoredOneShot> oneShot : started) {
                uploaded.add(await(oneShot));
            }
            uploaded.sort(Comparator.comparingInt(oneShot -> oneShot.figures().index()));
            return new Uploaded(uploaded, copy == null ? null : await(copy), waveform == null ? null : await(waveform));
        }

        @Override
        public void close() {
            stop(pool);
        }
    }

    private StoredOneShot uploadOneShot(
            JobRequest request, String runId, OneShotPipeline.Produced produced, Cancellation cancellation) {
        cancellation.check();
        String key = request.oneShotKey(produced.index(), produced.type());
        String waveformKey = request.oneShotWaveformKey(produced.index());
        OneShot.Figures oneShot = OneShot.Figures.of(produced);
        Map<String, String> metadata = baseMetadata(request, runId);
        metadata.put("index", Integer.toString(oneShot.index()));
        metadata.put("source-start-ms", Double.toString(oneShot.sourceStartMs()));
        metadata.put("source-end-ms", Double.toString(oneShot.sourceEndMs()));
        metadata.put("duration-ms", Double.toString(oneShot.durationMs()));
        metadata.put("peak-dbfs", Double.toString(oneShot.peakDbfs()));
        metadata.put("loudness-lufs", Double.toString(oneShot.loudnessLufs()));
        objects.upload(request.bucket(), key, produced.file(), produced.type().contentType(), metadata);
        Map<String, String> waveformMetadata = baseMetadata(request, runId);
        waveformMetadata.put("index", Integer.toString(oneShot.index()));
        waveformMetadata.put("role", "waveform");
        objects.upload(request.bucket(), waveformKey, produced.waveform(), WAVEFORM_CONTENT_TYPE, waveformMetadata);
        return new StoredOneShot(key, waveformKey, oneShot);
    }

    private JobResult.StoredFile uploadRecordingWaveform(
            JobRequest request, String runId, Path file, Cancellation cancellation) throws IOException {
        cancellation.check();
        String key = request.recordingWaveformKey();
        Map<String, String> metadata = baseMetadata(request, runId);
        metadata.put("role", "recording-waveform");
        objects.upload(request.bucket(), key, file, WAVEFORM_CONTENT_TYPE, metadata);
        return new JobResult.StoredFile(new Location.InBucket(request.bucket(), key), Files.size(file));
    }

    private JobResult.StoredFile copyOriginal(JobRequest request, long bytes, Cancellation cancellation) {
        cancellation.check();
        String key = request.originalKey();
        Map<String, String> metadata = baseMetadata(request, null);
        metadata.put("role", "original");
        objects.copy(
                request.bucket(),
                request.recordingKey(),
                key,
                request.recordingType().contentType(),
                metadata);
        return new JobResult.StoredFile(new Location.InBucket(request.bucket(), key), bytes);
    }

    private static Map<String, String> baseMetadata(JobRequest request, String runId) {
        Map<String, String> metadata = new LinkedHashMap<>();
        request.statusTarget().ifPresent(t -> metadata.put("sample-id", t.sampleId()));
        metadata.put("user-id", request.userId());
        metadata.put("source-key", request.recordingKey());
        metadata.put("worker-version", WorkerVersion.get());
        if (runId != null) {
            metadata.put("run-id", runId);
        }
        return metadata;
    }

    private static <T> T await(Future<T> upload) {
        try {
            return upload.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw WorkerException.of(FailureReason.UNEXPECTED, "Upload failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw WorkerException.of(FailureReason.STOPPED, "Interrupted while uploading", e);
        }
    }

    /** Cancels what has not started and waits for what has, even when the job is being stopped. */
    private static void stop(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = Thread.interrupted();
        try {
            if (!pool.awaitTermination(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                log.atWarn().log("Uploads still running after " + STOP_WAIT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static java.util.concurrent.ThreadFactory threadFactory() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "upload-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
