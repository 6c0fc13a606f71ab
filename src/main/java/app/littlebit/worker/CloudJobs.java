package app.littlebit.worker;

import app.littlebit.worker.aws.AwsClients;
import app.littlebit.worker.aws.DynamoStatusStore;
import app.littlebit.worker.aws.S3ObjectStore;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.ffmpeg.FfmpegTools;
import app.littlebit.worker.job.Cancellation;
import app.littlebit.worker.job.CloudJob;
import app.littlebit.worker.job.EnvironmentParser;
import app.littlebit.worker.job.JobRequest;
import app.littlebit.worker.job.JobResult;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cloud jobs from their variables, on service-level parts made once and reused for every job:
 * the SDK clients (and their connection pool), the FFmpeg binaries and the pipeline. A task runs
 * one job on them; serve mode runs every message's job on them. The parts are made when the first
 * job needs them, so a request refused by validation touches neither FFmpeg nor S3.
 */
final class CloudJobs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CloudJobs.class);
    static final String INVALID_REQUEST_RUN = "invalid-request";

    private final Map<String, String> service;
    private final AwsClients clients;
    private CloudJob job;

    /**
     * Jobs on the parts {@code service} configures.
     *
     * @param service the environment the AWS settings, FFMPEG_BIN_DIR and TMPDIR are read from
     */
    CloudJobs(Map<String, String> service) {
        this.service = Map.copyOf(service);
        this.clients = new AwsClients(service);
    }

    /**
     * Validates the job's variables and runs it on the calling thread.
     *
     * @throws WorkerException a refused request (after recording FAILED on its sample, if known)
     */
    JobResult run(Map<String, String> jobEnvironment, Cancellation cancellation) {
        JobRequest request;
        try {
            request = EnvironmentParser.parse(jobEnvironment);
        } catch (WorkerException e) {
            reportInvalidRequest(jobEnvironment, e);
            throw e;
        }
        Main.setLogLevel(request.logLevel().name());
        return job().run(request, cancellation);
    }

    private synchronized CloudJob job() {
        if (job == null) {
            FfmpegTools tools = FfmpegTools.locate(service);
            job = new CloudJob(
                    Main.pipeline(tools),
                    new S3ObjectStore(clients.s3()),
                    new DynamoStatusStore(clients.dynamoDb()),
                    Clock.systemUTC(),
                    workRoot(service));
        }
        return job;
    }

    /** Work files go under TMPDIR if set, else java.io.tmpdir (the container's writable /tmp). */
    private static Path workRoot(Map<String, String> env) {
        return Optional.ofNullable(env.get("TMPDIR"))
                .filter(dir -> !dir.isBlank())
                .map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** A sample must not stay pending because its request was bad: say FAILED if we know where. */
    private void reportInvalidRequest(Map<String, String> env, WorkerException failure) {
        EnvironmentParser.statusTargetOnly(env).ifPresent(target -> {
            try {
                new DynamoStatusStore(clients.dynamoDb())
                        .markFailed(
                                target,
                                INVALID_REQUEST_RUN,
                                failure,
                                Clock.systemUTC().instant());
            } catch (WorkerException e) {
                log.atWarn().log("Could not record the failure in the status table: " + e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        clients.close();
    }
}
