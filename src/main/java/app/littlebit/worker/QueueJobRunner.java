package app.littlebit.worker;

import app.littlebit.worker.job.Cancellation;
import app.littlebit.worker.serve.JobRunner;
import app.littlebit.worker.serve.StopRequest;
import java.io.PrintStream;
import java.util.Map;

/**
 * Serve mode's job: exactly RunTask mode's cloud job, run from a message's variables on a job
 * thread of the service, on the service's shared parts ({@link CloudJobs}: SDK clients, FFmpeg,
 * pipeline), its result line on the shared stdout and its metrics line on stderr. A stop request
 * is what SIGTERM is to a task: the job is cancelled and interrupted (FFmpeg included), records
 * FAILED/TEMPORARY and returns 75.
 */
public final class QueueJobRunner implements JobRunner {
    private final CloudJobs jobs;
    private final PrintStream out;

    QueueJobRunner(CloudJobs jobs, PrintStream out) {
        this.jobs = jobs;
        this.out = out;
    }

    /** Serve mode's job runner for {@code service}'s environment; its result lines go to {@code out}. */
    public static QueueJobRunner forService(Map<String, String> service, PrintStream out) {
        return new QueueJobRunner(new CloudJobs(service), out);
    }

    @Override
    public int run(Map<String, String> environment, StopRequest stop) {
        Cancellation cancellation = new Cancellation();
        Thread job = Thread.currentThread();
        Object running = new Object();
        boolean[] over = {false};
        stop.onRequest(why -> {
            synchronized (running) {
                if (!over[0]) {
                    cancellation.cancel(why);
                    job.interrupt();
                }
            }
        });
        try {
            return Main.runCloudJob(jobs, environment, out, System.err, cancellation);
        } finally {
            synchronized (running) {
                over[0] = true;
                Thread.interrupted(); // a stop that came as the job ended must not reach the next one
            }
        }
    }
}
