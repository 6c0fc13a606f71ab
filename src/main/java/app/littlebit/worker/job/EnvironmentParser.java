package app.littlebit.worker.job;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.pipeline.ProcessingParams;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.event.Level;

/**
 * Turns the task's environment into a {@link JobRequest}, or fails with one message that names
 * every bad variable and what it allows. Nothing here touches the network or the disk.
 */
public final class EnvironmentParser {
    static final long DEFAULT_MAX_INPUT_BYTES = 200L * 1024 * 1024;
    /** Far above any phone recording; a bigger limit would only let a bad upload fill the disk. */
    static final long MAX_MAX_INPUT_BYTES = 5L * 1024 * 1024 * 1024;

    /**
     * A plain id, or a Cognito identity id {@code <region>:<uuid>}: Amplify apps key each user's
     * folder by the identity id, e.g. {@code eu-west-1:6f1c2b9e-4d7a-4a51-9a8e-0c3b2d1e5f60}.
     */
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}"
            + "|[a-z]{2}(-[a-z]+)+-\\d{1,2}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** A day: far beyond the longest recording's default; a bigger limit is no limit. */
    static final long MAX_MAX_RUN_SECONDS = 24 * 60 * 60;

    private static final Pattern SAMPLE_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,256}");
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private static final Pattern BUCKET_CHARS = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Letters and digits of any script, and a few separators; nothing that can form a path. */
    private static final Pattern FILE_STEM = Pattern.compile("[\\p{L}\\p{N} ._()+-]{1,200}");

    private static final Pattern PERCENT_ENCODING = Pattern.compile("%[0-9A-Fa-f]{2}");
    private static final int MAX_KEY_BYTES = 1024;

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private EnvironmentParser(Map<String, String> env) {
        this.env = env;
    }

    /** Reads and validates the job from the given environment. */
    public static JobRequest parse(Map<String, String> env) {
        return new EnvironmentParser(env).read();
    }

    /**
     * Just the status target, when SAMPLE_ID and STATUS_TABLE are themselves valid, so a request
     * that fails validation elsewhere can still be reported as FAILED on its sample.
     */
    public static Optional<StatusTarget> statusTargetOnly(Map<String, String> env) {
        EnvironmentParser parser = new EnvironmentParser(env);
        Optional<StatusTarget> target = parser.statusTarget();
        return parser.problems.isEmpty() ? target : Optional.empty();
    }

    private JobRequest read() {
        String bucket = bucket();
        String userId = userId();
        String key = recordingKey(userId);
        Optional<StatusTarget> status = statusTarget();
        long maxInputBytes = maxInputBytes();
        Optional<Duration> maxRun = maxRun();
        Level logLevel = logLevel();
        if (!problems.isEmpty()) {
            throw WorkerException.of(
                    FailureReason.BAD_REQUEST, "Invalid job environment: " + String.join("; ", problems));
        }
        ProcessingParams params = ProcessingParamsParser.parse(optional("PROCESSING_PARAMS"));
        return new JobRequest(bucket, key, userId, params, status, maxInputBytes, maxRun, logLevel);
    }

    private String bucket() {
        String bucket = required("S3_BUCKET");
        if (bucket == null) {
            return null;
        }
        String rule = "S3_BUCKET must be a valid S3 bucket name (3-63 lowercase letters, digits, "
                + "dots or hyphens, starting and ending with a letter or digit)";
        if (!BUCKET_CHARS.matcher(bucket).matches()
                || bucket.contains("..")
                || bucket.contains(".-")
                || bucket.contains("-.")) {
            problems.add(rule + ", got '" + LogText.safe(bucket) + "'");
        } else if (IP_ADDRESS.matcher(bucket).matches()) {
            problems.add("S3_BUCKET must not be formatted as an IP address, got '" + bucket + "'");
        } else if (bucket.startsWith("xn--")
                || bucket.startsWith("sthree-")
                || bucket.startsWith("amzn-s3-demo-")
                || bucket.endsWith("-s3alias")
                || bucket.endsWith("--ol-s3")
                || bucket.endsWith(".mrap")
                || bucket.endsWith("--x-s3")
                || bucket.endsWith("--table-s3")) {
            problems.add("S3_BUCKET uses a prefix or suffix that AWS reserves, got '" + bucket + "'");
        }
        return bucket;
    }

    private String userId() {
        String userId = required("USER_ID");
        if (userId != null && !USER_ID.matcher(userId).matches()) {
            problems.add("USER_ID must be 1-128 letters, digits, '_' or '-', or a Cognito identity id "
                    + "<region>:<uuid> (lowercase), got '"
                    + LogText.safe(userId) + "'");
        }
        return userId;
    }

    private String recordingKey(String userId) {
        String key = required("S3_KEY");
        if (key == null) {
            return null;
        }
        String shown = "'" + LogText.safe(key) + "'";
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            problems.add("S3_KEY must be at most " + MAX_KEY_BYTES + " bytes");
        } else if (key.chars().anyMatch(Character::isISOControl)) {
            problems.add("S3_KEY must not contain control characters, got " + shown);
        } else if (key.contains("\\") || key.contains("//") || key.contains("..")) {
            problems.add("S3_KEY must not contain '\\', '//' or '..', got " + shown);
        } else if (PERCENT_ENCODING.matcher(key).find()) {
            problems.add("S3_KEY must not contain percent-encoded characters, got " + shown);
        } else if (!Normalizer.isNormalized(key, Normalizer.Form.NFKC)) {
            problems.add("S3_KEY must not contain look-alike (compatibility) characters, got " + shown);
        } else if (!key.startsWith(JobRequest.UNPROCESSED_PREFIX)) {
            problems.add("S3_KEY must start with '" + JobRequest.UNPROCESSED_PREFIX + "', got " + shown);
        } else {
            checkOwnerAndFile(key.substring(JobRequest.UNPROCESSED_PREFIX.length()), userId, shown);
        }
        return key;
    }

    private void checkOwnerAndFile(String rest, String userId, String shown) {
        int slash = rest.indexOf('/');
        if (slash < 0) {
            problems.add("S3_KEY must look like public/unprocessed/<USER_ID>/<name>.<ext>, got " + shown);
            return;
        }
        String owner = rest.substring(0, slash);
        String file = rest.substring(slash + 1);
        if (userId != null && !owner.equals(userId)) {
            problems.add("S3_KEY belongs to user '" + LogText.safe(owner) + "' but USER_ID is '" + LogText.safe(userId)
                    + "'; a job may only read its own user's recordings");
        }
        int dot = file.lastIndexOf('.');
        String stem = dot < 0 ? file : file.substring(0, dot);
        String extension = dot < 0 ? "" : file.substring(dot + 1);
        if (file.contains("/") || !FILE_STEM.matcher(stem).matches() || stem.startsWith(".") || stem.startsWith("-")) {
            problems.add("S3_KEY's file name must be letters, digits, spaces or . _ ( ) + - "
                    + "directly under the user's folder, got " + shown);
        }
        if (AudioFileType.fromExtension(extension).isEmpty()) {
            problems.add("S3_KEY must end in .m4a, .wav, .mp3, .aac or .flac, got " + shown);
        }
    }

    private Optional<StatusTarget> statusTarget() {
        Optional<String> sampleId = optional("SAMPLE_ID");
        Optional<String> table = optional("STATUS_TABLE");
        if (sampleId.isPresent() != table.isPresent()) {
            problems.add("SAMPLE_ID and STATUS_TABLE must be set together or not at all");
            return Optional.empty();
        }
        if (sampleId.isEmpty()) {
            return Optional.empty();
        }
        boolean valid = true;
        if (!SAMPLE_ID.matcher(sampleId.get()).matches()) {
            problems.add(
                    "SAMPLE_ID must be 1-256 letters, digits or _ . : -, got '" + LogText.safe(sampleId.get()) + "'");
            valid = false;
        }
        if (!TABLE_NAME.matcher(table.get()).matches()) {
            problems.add("STATUS_TABLE must be a DynamoDB table name (3-255 letters, digits or " + "_ . -), got '"
                    + LogText.safe(table.get()) + "'");
            valid = false;
        }
        return valid ? Optional.of(new StatusTarget(table.get(), sampleId.get())) : Optional.empty();
    }

    private long maxInputBytes() {
        Optional<String> text = optional("MAX_INPUT_BYTES");
        if (text.isEmpty()) {
            return DEFAULT_MAX_INPUT_BYTES;
        }
        String rule = "MAX_INPUT_BYTES must be a whole number of bytes from 1 to " + MAX_MAX_INPUT_BYTES;
        try {
            long value = Long.parseLong(text.get());
            if (value >= 1 && value <= MAX_MAX_INPUT_BYTES) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(rule + ", got '" + LogText.safe(text.get()) + "'");
        return DEFAULT_MAX_INPUT_BYTES;
    }

    /** Empty: the job's deadline is sized from the recording's length (see {@code JobDeadline}). */
    private Optional<Duration> maxRun() {
        Optional<String> text = optional("MAX_RUN_SECONDS");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(text.get());
            if (seconds >= 1 && seconds <= MAX_MAX_RUN_SECONDS) {
                return Optional.of(Duration.ofSeconds(seconds));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("MAX_RUN_SECONDS must be a whole number of seconds from 1 to " + MAX_MAX_RUN_SECONDS + ", got '"
                + LogText.safe(text.get()) + "'");
        return Optional.empty();
    }

    private Level logLevel() {
        Optional<String> text = optional("LOG_LEVEL");
        if (text.isEmpty()) {
            return Level.INFO;
        }
        try {
            return Level.valueOf(text.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(
                    "LOG_LEVEL must be one of ERROR, WARN, INFO, DEBUG, TRACE, got '" + LogText.safe(text.get()) + "'");
            return Level.INFO;
        }
    }

    private String required(String name) {
        String value = env.get(name);
        if (value == null) {
            problems.add(name + " is required but not set");
            return null;
        }
        if (value.isEmpty()) {
            problems.add(name + " is required but empty");
            return null;
        }
        return value;
    }

    /** Container overrides often pass unset values as empty strings, so empty means absent. */
    private Optional<String> optional(String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
