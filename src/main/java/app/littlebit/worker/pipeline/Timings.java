package app.littlebit.worker.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wall-clock time of each phase of a job, logged as each ends and reported in the result. */
public final class Timings {
    private static final Logger log = LoggerFactory.getLogger(Timings.class);
    public static final String DOWNLOAD = "download";
    public static final String DECODE = "decode";
    public static final String ANALYZE = "analyze";
    public static final String ENCODE = "encode";
    public static final String UPLOAD = "upload";
    public static final String STATUS = "status";

    private final long startNanos = System.nanoTime();
    private final Map<String, Long> millis = new LinkedHashMap<>();

    /** Runs one phase and adds its duration to the phase's total. */
    public <T> T time(String phase, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            millis.merge(phase, elapsed, Long::sum);
            log.atDebug().addKeyValue("phase", phase).addKeyValue("ms", elapsed).log("Phase finished");
        }
    }

    public void time(String phase, Runnable work) {
        time(phase, () -> {
            work.run();
            return null;
        });
    }

    /** Every phase so far plus the total since this job started. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new LinkedHashMap<>();
        for (String phase : new String[] {DOWNLOAD, DECODE, ANALYZE, ENCODE, UPLOAD, STATUS}) {
            copy.put(phase, millis.getOrDefault(phase, 0L));
        }
        copy.put("total", (System.nanoTime() - startNanos) / 1_000_000);
        return copy;
    }
}
