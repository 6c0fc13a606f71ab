package app.littlebit.worker.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Asks one running job to stop early, because the service is stopping and the job did not finish
 * within the drain time. The job's runner registers what stopping means for it; the first request
 * wins, and a runner that registers after it is told at once.
 */
public final class StopRequest {
    private final List<Consumer<String>> listeners = new ArrayList<>();
    private String reason;

    /** {@code listener} is called once, with the reason, when (or if already) a stop is requested. */
    public void onRequest(Consumer<String> listener) {
        String already;
        synchronized (this) {
            already = reason;
            if (already == null) {
                listeners.add(listener);
                return;
            }
        }
        listener.accept(already);
    }

    void request(String why) {
        List<Consumer<String>> toTell;
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
            toTell = List.copyOf(listeners);
            listeners.clear();
        }
        toTell.forEach(listener -> listener.accept(why));
    }

    public synchronized boolean requested() {
        return reason != null;
    }
}
