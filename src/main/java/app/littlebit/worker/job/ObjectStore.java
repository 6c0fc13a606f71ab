package app.littlebit.worker.job;

import java.nio.file.Path;
import java.util.Map;

/**
 * The app's bucket as a job uses it: reads the recording, writes the one-shots, their waveforms
 * and the copy of the original. Failures are {@link app.littlebit.worker.failure.WorkerException}s
 * with the category the caller needs (a missing recording is the request's fault, a network
 * failure is temporary).
 */
public interface ObjectStore {
    /** An object's size and version, as a HEAD request finds them. */
    record StoredObject(long bytes, String eTag) {}

    /** The object's size and version, before anything is downloaded. */
    StoredObject head(String bucket, String key);

    /** Streams the object to a file; fails (temporary) if it is no longer the version {@code expected}. */
    void download(String bucket, String key, StoredObject expected, Path target);

    /** Stores a file; S3 metadata is ASCII, so the store encodes what is not. */
    void upload(String bucket, String key, Path file, String contentType, Map<String, String> metadata);

    /** Copies inside the bucket, so the bytes need not pass through the task again. */
    void copy(String bucket, String sourceKey, String targetKey, String contentType, Map<String, String> metadata);
}
