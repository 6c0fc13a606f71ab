package app.littlebit.worker.serve;

import java.util.Map;

/** Runs one job, as RunTask mode runs it, from the variables of a task's environment. */
public interface JobRunner {
    /**
     * Runs the job to its end on the calling thread and prints its one result line.
     *
     * @param environment the service's environment with this message's per-job variables
     * @param stop        requested when the job must be abandoned (the service is stopping)
     * @return the exit code RunTask mode would have exited with
     */
    int run(Map<String, String> environment, StopRequest stop);
}
