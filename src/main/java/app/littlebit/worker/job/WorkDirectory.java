package app.littlebit.worker.job;

import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A private temp folder for one job, removed with everything in it when the job ends. */
final class WorkDirectory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkDirectory.class);
    private final Path path;

    WorkDirectory() {
        this(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** A new folder inside {@code tmp}; a job gets its root handed in, so tests can give each run its own. */
    WorkDirectory(Path tmp) {
        try {
            boolean posix = tmp.getFileSystem().supportedFileAttributeViews().contains("posix");
            path = posix
                    ? Files.createTempDirectory(
                            tmp,
                            "little-bit-",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                    : Files.createTempDirectory(tmp, "little-bit-");
        } catch (IOException e) {
            throw WorkerException.of(FailureReason.WORK_FILES, "Could not create a temp folder: " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    Path resolve(String name) {
        return path.resolve(name);
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            log.atWarn().addKeyValue("dir", path.toString()).log("Could not remove the temp folder");
        }
    }
}
