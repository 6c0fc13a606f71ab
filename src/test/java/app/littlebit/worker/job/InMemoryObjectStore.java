package app.littlebit.worker.job;

import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A bucket in memory with S3's semantics as the job relies on them: a missing key is NOT_FOUND,
 * a download is pinned to the version HEAD saw, a copy stays inside the bucket. Faults and hooks
 * let a test break an upload or act in the middle of one.
 */
final class InMemoryObjectStore implements ObjectStore {
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> metadata = new ConcurrentHashMap<>();
    private final AtomicInteger uploads = new AtomicInteger();
    private volatile int failUploadsAfter = Integer.MAX_VALUE;
    private volatile Consumer<Integer> afterUpload = count -> {};

    void put(String bucket, String key, byte[] bytes) {
        objects.put(bucket + "/" + key, bytes);
    }

    byte[] get(String bucket, String key) {
        return objects.get(bucket + "/" + key);
    }

    Map<String, String> metadata(String bucket, String key) {
        return metadata.get(bucket + "/" + key);
    }

    /** Every key in {@code bucket}, sorted. */
    Set<String> keys(String bucket) {
        Set<String> keys = new TreeSet<>();
        objects.keySet().stream()
                .filter(k -> k.startsWith(bucket + "/"))
                .forEach(k -> keys.add(k.substring(bucket.length() + 1)));
        return keys;
    }

    /** Uploads after the first {@code count} fail, as S3 would after the SDK's retries. */
    void failUploadsAfter(int count) {
        failUploadsAfter = count;
    }

    /** Told the number of uploads stored so far, after each is stored. */
    void afterUpload(Consumer<Integer> hook) {
        afterUpload = hook;
    }

    @Override
    public StoredObject head(String bucket, String key) {
        byte[] bytes = objects.get(bucket + "/" + key);
        if (bytes == null) {
            throw WorkerException.of(
                    FailureReason.NOT_FOUND,
                    "The recording s3://" + bucket + "/" + key
                            + " does not exist or may not be read (no such bucket or key)");
        }
        return new StoredObject(bytes.length, eTag(bytes));
    }

    @Override
    public void download(String bucket, String key, StoredObject expected, Path target) {
        byte[] bytes = objects.get(bucket + "/" + key);
        if (bytes == null || !eTag(bytes).equals(expected.eTag())) {
            throw WorkerException.of(
                    FailureReason.CHANGED,
                    "The recording s3://" + bucket + "/" + key
                            + " was replaced while it was being read; a retry reads the new version");
        }
        try {
            Files.write(target, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void upload(String bucket, String key, Path file, String contentType, Map<String, String> metadata) {
        if (uploads.get() >= failUploadsAfter) {
            throw WorkerException.of(
                    FailureReason.UNAVAILABLE,
                    "Uploading s3://" + bucket + "/" + key + " failed after retries: InternalError (HTTP 500)");
        }
        try {
            objects.put(bucket + "/" + key, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.metadata.put(bucket + "/" + key, Map.copyOf(metadata));
        afterUpload.accept(uploads.incrementAndGet());
    }

    @Override
    public void copy(
            String bucket, String sourceKey, String targetKey, String contentType, Map<String, String> metadata) {
        byte[] bytes = objects.get(bucket + "/" + sourceKey);
        if (bytes == null) {
            throw WorkerException.of(FailureReason.NOT_FOUND, "No such key s3://" + bucket + "/" + sourceKey);
        }
        objects.put(bucket + "/" + targetKey, bytes);
        this.metadata.put(bucket + "/" + targetKey, Map.copyOf(metadata));
    }

    private static String eTag(byte[] bytes) {
        return Integer.toHexString(Arrays.hashCode(bytes));
    }
}
