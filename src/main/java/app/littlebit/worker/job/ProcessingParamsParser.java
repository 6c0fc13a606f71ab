package app.littlebit.worker.job;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.NormalizeTo;
import app.littlebit.worker.audio.SplitMode;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.pipeline.ProcessingParams;
import app.littlebit.worker.pipeline.SilenceThreshold;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads PROCESSING_PARAMS: a JSON object whose fields are all optional. Every problem found is
 * reported at once, each naming the field and what is allowed.
 */
public final class ProcessingParamsParser {
    private static final Logger log = LoggerFactory.getLogger(ProcessingParamsParser.class);

    /**
     * PROCESSING_PARAMS as RunTask carries it: ECS caps a request's overrides at 8192 characters,
     * JSON quotes and escapes included. The other per-job variables at their longest take under
     * 2,400 of them (RunTaskExampleTest adds them up), which leaves this much for the params as
     * they appear there: JSON-escaped, non-ASCII as \\uXXXX as most SDKs send it. The app sends a
     * few hundred.
     */
    public static final int MAX_OVERRIDE_CHARS = 4096;

    private static final int MAX_VERSION_LENGTH = 64;
    private static final Set<String> KNOWN_FIELDS = Set.of(
            "createOneShot",
            "silenceThreshold",
            "minSilenceDuration",
            "keepSilence",
            "targetDbfs",
            "normalizeAudio",
            "preserveOriginal",
            "outputFormat",
            "autoDetectThreshold",
            "processingVersion",
            "uiVersion",
            "splitMode",
            "normalizeTo");

    /**
     * Strict: text after the object, or a field given twice, is refused rather than resolved one
     * way here and maybe another way by whoever wrote or checked the JSON.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /** How many unknown field names one warning lists; the rest are only counted. */
    private static final int MAX_UNKNOWN_FIELDS_LISTED = 5;

    static {
        JSON.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxNumberLength(100)
                        .maxStringLength(MAX_OVERRIDE_CHARS)
                        .build());
    }

    private ProcessingParamsParser() {}

    /**
     * Length of the text as a JSON string's contents: quote, backslash and control characters
     * escaped, every UTF-16 unit above ASCII as {@code \\uXXXX}.
     */
    public static int overrideChars(String text) {
        int chars = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
                chars += 2;
            } else if (c < 0x20 || c > 0x7e) {
                chars += 6;
            } else {
                chars++;
            }
        }
        return chars;
    }

    /** Parses the JSON text; empty or absent text gives the defaults. */
    public static ProcessingParams parse(Optional<String> jsonText) {
        if (jsonText.isEmpty() || jsonText.get().isBlank()) {
            return ProcessingParams.defaults();
        }
        String text = jsonText.get();
        int overrideChars = overrideChars(text);
        if (overrideChars > MAX_OVERRIDE_CHARS) {
            throw WorkerException.of(
                    FailureReason.BAD_PARAMS,
                    "PROCESSING_PARAMS takes " + overrideChars + " characters in a RunTask "
                            + "override (JSON-escaped), more than the " + MAX_OVERRIDE_CHARS + " that fit in ECS's "
                            + "8192-character overrides limit; it must be a small JSON object");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw WorkerException.of(
                    FailureReason.BAD_PARAMS, "PROCESSING_PARAMS is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw WorkerException.of(
                    FailureReason.BAD_PARAMS,
                    "PROCESSING_PARAMS must be a JSON object, like " + "{\"createOneShot\":true}");
        }
        return new FieldReader(root).read();
    }

    /** Collects every problem with the object's fields before failing. */
    private static final class FieldReader {
        private final JsonNode root;
        private final List<String> problems = new ArrayList<>();

        FieldReader(JsonNode root) {
            this.root = root;
        }

        ProcessingParams read() {
            warnAboutUnknownFields();
            ProcessingParams defaults = ProcessingParams.defaults();
            ProcessingParams params = new ProcessingParams(
                    bool("createOneShot", defaults.createOneShot()),
                    SilenceThreshold.of(
                            optionalNumber(
                                    "silenceThreshold",
                                    ProcessingParams.MIN_SILENCE_THRESHOLD,
                                    ProcessingParams.MAX_SILENCE_THRESHOLD,
                                    "dBFS"),
                            bool("autoDetectThreshold", false)),
                    (int) Math.round(number(
                            "minSilenceDuration",
                            defaults.minSilenceMs(),
                            ProcessingParams.MIN_MIN_SILENCE_MS,
                            ProcessingParams.MAX_MIN_SILENCE_MS,
                            "ms")),
                    (int) Math.round(number(
                            "keepSilence", defaults.keepSilenceMs(), 0, ProcessingParams.MAX_KEEP_SILENCE_MS, "ms")),
                    number(
                            "targetDbfs",
                            defaults.targetDbfs(),
                            ProcessingParams.MIN_TARGET_DBFS,
                            ProcessingParams.MAX_TARGET_DBFS,
                            "dBFS"),
                    bool("normalizeAudio", defaults.normalizeAudio()),
                    bool("preserveOriginal", defaults.preserveOriginal()),
                    outputFormat(),
                    version("processingVersion"),
                    version("uiVersion"),
                    choice("splitMode", SplitMode.class, defaults.splitMode()),
                    choice("normalizeTo", NormalizeTo.class, defaults.normalizeTo()));
            if (!problems.isEmpty()) {
                throw WorkerException.of(
                        FailureReason.BAD_PARAMS, "PROCESSING_PARAMS is invalid: " + String.join("; ", problems));
            }
            return params;
        }

        /** One warning however many there are: 4 KiB of tiny unknown fields must not flood the log. */
        private void warnAboutUnknownFields() {
            List<String> unknown = new ArrayList<>();
            for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!KNOWN_FIELDS.contains(name)) {
                    unknown.add(name);
                }
            }
            if (!unknown.isEmpty()) {
                List<String> listed = unknown.stream()
                        .limit(MAX_UNKNOWN_FIELDS_LISTED)
                        .map(LogText::safe)
                        .toList();
                log.atWarn()
                        .addKeyValue("count", unknown.size())
                        .addKeyValue("fields", listed)
                        .log("Ignoring unknown PROCESSING_PARAMS fields");
            }
        }

        private boolean bool(String field, boolean fallback) {
            JsonNode node = present(field);
            if (node == null) {
                return fallback;
            }
            if (!node.isBoolean()) {
                problems.add(field + " must be true or false, got " + describe(node));
                return fallback;
            }
            return node.booleanValue();
        }

        private double number(String field, double fallback, double min, double max, String unit) {
            return optionalNumber(field, min, max, unit).orElse(fallback);
        }

        private Optional<Double> optionalNumber(String field, double min, double max, String unit) {
            JsonNode node = present(field);
            if (node == null) {
                return Optional.empty();
            }
            if (!node.isNumber()) {
                problems.add(field + " must be a number from " + fmt(min) + " to " + fmt(max) + " " + unit + ", got "
                        + describe(node));
                return Optional.empty();
            }
            double value = node.doubleValue();
            if (!Double.isFinite(value) || value < min || value > max) {
                problems.add(field + " must be from " + fmt(min) + " to " + fmt(max) + " " + unit + ", got "
                        + node.asText());
                return Optional.empty();
            }
            return Optional.of(value);
        }

        private Optional<AudioFileType> outputFormat() {
            JsonNode node = present("outputFormat");
            String allowed = "one of original, wav, mp3, m4a, aac, flac";
            if (node == null) {
                return Optional.empty();
            }
            if (!node.isTextual()) {
                problems.add("outputFormat must be " + allowed + ", got " + describe(node));
                return Optional.empty();
            }
            String value = node.textValue().toLowerCase(Locale.ROOT);
            if (value.equals("original")) {
                return Optional.empty();
            }
            Optional<AudioFileType> type = AudioFileType.fromExtension(value);
            if (type.isEmpty()) {
                problems.add("outputFormat must be " + allowed + ", got " + describe(node));
            }
            return type;
        }

        /** One of an enum's constants, by its name in lower case (as the params spell them). */
        private <E extends Enum<E>> E choice(String field, Class<E> type, E fallback) {
            JsonNode node = present(field);
            if (node == null) {
                return fallback;
            }
            E[] constants = type.getEnumConstants();
            for (E constant : constants) {
                if (node.isTextual() && constant.name().equalsIgnoreCase(node.textValue())) {
                    return constant;
                }
            }
            problems.add(field + " must be one of "
                    + String.join(
                            ", ",
                            Arrays.stream(constants)
                                    .map(c -> c.name().toLowerCase(Locale.ROOT))
                                    .toList()) + ", got " + describe(node));
            return fallback;
        }

        private Optional<String> version(String field) {
            JsonNode node = present(field);
            if (node == null) {
                return Optional.empty();
            }
            if (!node.isTextual()
                    || node.textValue().length() > MAX_VERSION_LENGTH
                    || !node.textValue().matches("[A-Za-z0-9._+-]*")) {
                problems.add(field + " must be a string of at most " + MAX_VERSION_LENGTH
                        + " letters, digits or . _ + -, got " + describe(node));
                return Optional.empty();
            }
            return Optional.of(node.textValue());
        }

        /** A field set to null counts as absent, so the app can send null for "use the default". */
        private JsonNode present(String field) {
            JsonNode node = root.get(field);
            return node == null || node.isNull() ? null : node;
        }
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        return LogText.safe(text.length() > 40 ? text.substring(0, 40) + "…" : text);
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
