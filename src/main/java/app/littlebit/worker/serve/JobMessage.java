package app.littlebit.worker.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A queue message's body: a JSON object whose fields are the per-job variables of the RunTask
 * contract, by the same names. {@code STATUS_TABLE} is the service's, not the message's. The values
 * are handed to the job's own validation as they are (a number or an object as its JSON text), so
 * a message with a bad field fails exactly as a task with that variable would, FAILED on its sample
 * when the sample is known; only a body that is no JSON object at all has no job in it.
 */
sealed interface JobMessage {
    /** The variables one job takes from its message; all others come from the service. */
    List<String> JOB_VARIABLES = List.of("S3_BUCKET", "S3_KEY", "USER_ID", "SAMPLE_ID", "PROCESSING_PARAMS");

    String STATUS_TABLE = "STATUS_TABLE";

    /**
     * A job to run: its environment (the service's, with this message's per-job variables).
     *
     * @param unknownFields fields the worker does not read: said in the log, as unknown
     *                      PROCESSING_PARAMS fields are, not refused
     */
    record Job(Map<String, String> environment, Optional<String> sampleId, List<String> unknownFields)
            implements JobMessage {}

    /** Not a JSON object: no job and no sample to tell. */
    record Unreadable(String problem) implements JobMessage {}

    /** Strict: a field given twice is refused rather than resolved one way here and another elsewhere. */
    ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * Reads a message's body as a job, or says why it holds none.
     *
     * @param service the service's environment; its {@code STATUS_TABLE} applies to messages that
     *                name a sample (a message without {@code SAMPLE_ID} runs untracked, as a task
     *                without it does)
     */
    static JobMessage parse(String body, Map<String, String> service) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return new Unreadable("the body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return new Unreadable("the body must be a JSON object with " + String.join(", ", JOB_VARIABLES) + ", got "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        Map<String, String> environment = new HashMap<>(service);
        JOB_VARIABLES.forEach(environment::remove);
        environment.remove(STATUS_TABLE);
        for (String name : JOB_VARIABLES) {
            JsonNode value = root.get(name);
            if (value != null && !value.isNull()) {
                environment.put(name, value.isTextual() ? value.textValue() : value.toString());
            }
        }
        Optional<String> sampleId =
                Optional.ofNullable(environment.get("SAMPLE_ID")).filter(id -> !id.isEmpty());
        Optional<String> table = Optional.ofNullable(service.get(STATUS_TABLE)).filter(t -> !t.isBlank());
        if (sampleId.isPresent() && table.isPresent()) {
            environment.put(STATUS_TABLE, table.get());
        }
        TreeSet<String> unknown = new TreeSet<>();
        root.fieldNames().forEachRemaining(unknown::add);
        JOB_VARIABLES.forEach(unknown::remove);
        return new Job(environment, sampleId, List.copyOf(unknown));
    }
}
