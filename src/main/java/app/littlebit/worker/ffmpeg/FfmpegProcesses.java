package app.littlebit.worker.ffmpeg;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The FFmpeg processes one job has running, so that the job can be stopped with them and nothing
 * else: several jobs may share a JVM (a queue worker), and each one's time limit must leave the
 * others' FFmpeg alone. A job makes one and hands it to the pipeline in its request.
 */
public final class FfmpegProcesses {
    private final Set<Process> running = new HashSet<>();
    private boolean stopped;

    /** Called as a process starts; once the job is stopped, a process it starts is killed at once. */
    synchronized void started(Process process) {
        if (stopped) {
            kill(process);
        } else {
            running.add(process);
        }
    }

    synchronized void ended(Process process) {
        running.remove(process);
    }

    /**
     * Kills every process the job has running, with their own children (a process left holding a
     * pipe would keep the job blocked on it), and every one it starts from now on.
     *
     * @return how many of the job's processes were running
     */
    public int stopAll() {
        List<Process> toKill;
        synchronized (this) {
            stopped = true;
            toKill = List.copyOf(running);
            running.clear();
        }
        toKill.forEach(FfmpegProcesses::kill);
        return toKill.size();
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
