package app.littlebit.worker;

import app.littlebit.worker.serve.JobRunner;
import app.littlebit.worker.serve.StopRequest;
import java.io.PrintStream;
import java.util.Map;

/**
 * Serve mode's job: exactly RunTask mode's cloud job ({@link Main#run}), run from a message's
 * variables on a job thread of the service, its result line on the shared stdout. A stop request
 * is what SIGTERM is to a task: the job is cancelled and interrupted (FFmpeg included), records
 * FAILED/TEMPORARY and returns 75.
 */
public final class QueueJobRunner implements JobRunner {
    private final PrintStream out;

    public QueueJobRunner(PrintStream out) {
        this.out = out;
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
            return Main.run(new String[0], environment, out, cancellation);
        } finally {
            synchronized (running) {
                over[0] = true;
                Thread.interrupted(); // a stop that came as the job ended must not reach the next one
            }
        }
    }
}
