package app.littlebit.worker.job;

import java.nio.file.Path;

/**
 * Where a recording or an output is: an object in the app's bucket (cloud jobs) or a file on disk
 * (local runs). The result writes it in place, as {@code "bucket":…,"key":…} or {@code "path":…}.
 */
public sealed interface Location permits Location.InBucket, Location.OnDisk {
    /** An object in S3. */
    record InBucket(String bucket, String key) implements Location {}

    /** A file on disk, as the path it was given or written to. */
    record OnDisk(String path) implements Location {
        public static OnDisk of(Path file) {
            return new OnDisk(file.toString());
        }
    }
}
