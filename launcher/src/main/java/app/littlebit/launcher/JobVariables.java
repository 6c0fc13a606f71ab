package app.littlebit.launcher;

import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.job.EnvironmentParser;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job's per-job variables, built once, the same map for both modes: RunTask's environment
 * overrides, or the queue message's fields. Checked with the worker's own rules
 * ({@link EnvironmentParser}, compiled from the worker's sources) before anything is started, as
 * the worker will read them: with its STATUS_TABLE.
 */
public final class JobVariables {
    private final Map<String, String> variables;

    private JobVariables(Map<String, String> variables) {
        this.variables = Collections.unmodifiableMap(variables);
    }

    /**
     * The job's variables, checked with the worker's rules as the worker will read them.
     *
     * @param statusTable the worker's STATUS_TABLE (its deployment's setting, not the job's)
     * @throws LaunchRefused naming every bad field, as the worker would have
     */
    public static JobVariables of(SampleJob job, String statusTable) {
        Map<String, String> variables = new LinkedHashMap<>();
        put(variables, "S3_BUCKET", job.bucket());
        put(variables, "S3_KEY", job.key());
        put(variables, "USER_ID", job.userId());
        put(variables, "SAMPLE_ID", job.sampleId());
        job.params().ifPresent(params -> variables.put("PROCESSING_PARAMS", params));
        Map<String, String> asTheWorkerSeesIt = new LinkedHashMap<>(variables);
        asTheWorkerSeesIt.put("STATUS_TABLE", statusTable);
        try {
            EnvironmentParser.parse(asTheWorkerSeesIt);
        } catch (WorkerException e) {
            throw new LaunchRefused(e.getMessage());
        }
        return new JobVariables(variables);
    }

    private static void put(Map<String, String> variables, String name, String value) {
        if (value != null) {
            variables.put(name, value);
        }
    }

    public Map<String, String> asMap() {
        return variables;
    }

    public String sampleId() {
        return variables.get("SAMPLE_ID");
    }
}
