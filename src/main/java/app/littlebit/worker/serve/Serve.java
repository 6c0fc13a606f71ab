package app.littlebit.worker.serve;

import app.littlebit.worker.aws.AwsClients;
import app.littlebit.worker.failure.ErrorCategory;
import app.littlebit.worker.failure.WorkerException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code audio-worker serve}: the container's command in service mode. Runs {@link QueueWorker}
 * until ECS stops the task. SIGTERM (scale-in, a Fargate Spot interruption, a deployment) stops
 * receiving, lets running jobs finish within the drain time or abandons them, and exits 0: the
 * service stopping is not a failure, and every job has said its own outcome.
 */
public final class Serve {
    private static final Logger log = LoggerFactory.getLogger(Serve.class);

    private Serve() {}

    /** Serves until stopped; returns the process's exit code (0 after SIGTERM, 64 for bad settings). */
    public static int run(Map<String, String> env, JobRunner runner) {
        ServeSettings settings;
        try {
            settings = ServeSettings.fromEnvironment(env, Runtime.getRuntime().availableProcessors());
        } catch (WorkerException e) {
            log.atError().addKeyValue("category", e.category().name()).log(e.getMessage());
            return e.category().exitCode();
        }
        try (AwsClients clients = new AwsClients(env)) {
            QueueWorker worker = new QueueWorker(clients.sqs(), settings, env, runner);
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> onSigterm(worker, stopped, settings), "serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                worker.run();
            } catch (WorkerException e) {
                log.atError().addKeyValue("category", e.category().name()).log(e.getMessage());
                Runtime.getRuntime().removeShutdownHook(hook);
                return e.category().exitCode();
            } finally {
                stopped.countDown();
            }
            return ErrorCategory.EXIT_OK;
        }
    }

    /** In the shutdown hook: the JVM exits when this returns, so it waits for the drain, then exits 0. */
    private static void onSigterm(QueueWorker worker, CountDownLatch stopped, ServeSettings settings) {
        log.atWarn()
                .log("Stop requested (SIGTERM): no new jobs; running jobs get "
                        + settings.drain().toSeconds() + " s to finish");
        worker.stop();
        try {
            stopped.await(settings.drain().plus(Duration.ofSeconds(30)).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.flush();
        // A JVM ended by SIGTERM exits 143 once its hooks are done; the service stopping is no failure.
        Runtime.getRuntime().halt(ErrorCategory.EXIT_OK);
    }
}
