package app.littlebit.launcher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The launcher as a Lambda function. Two ways in:
 * <ul>
 *   <li><b>direct invocation</b> (from the app's CreateSampleRecord Lambda, or instead of it):
 *       {@code {"sampleId","key","userId","bucket"?,"params"?}}, params an object or JSON text;</li>
 *   <li><b>S3 ObjectCreated</b> events on {@code public/unprocessed/}: the recording's user is its
 *       folder, its sample id the object's metadata {@code sample-id} (and its params, if any,
 *       {@code processing-params}), which the app sets on upload; a recording without it is
 *       refused, since no sample would ever show its outcome.</li>
 * </ul>
 * Answers {@code {"launched":[...],"refused":[...]}}. A refused request started nothing and is not
 * retried; a launch that failed in a way a retry can fix (capacity, throttling) fails the
 * invocation, so the caller or Lambda's asynchronous retries try again (the launch is idempotent).
 */
public final class LaunchHandler implements RequestStreamHandler {
    private static final Logger log = LoggerFactory.getLogger(LaunchHandler.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    static final String SAMPLE_ID_METADATA = "sample-id";
    static final String PARAMS_METADATA = "processing-params";

    private final LauncherConfig.Configured config;

    /** Lambda's: configured once per execution environment from its variables. */
    public LaunchHandler() {
        this(System.getenv());
    }

    LaunchHandler(Map<String, String> env) {
        this.config = LauncherConfig.fromEnvironment(env);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode launched = answer.putArray("launched");
        ArrayNode refused = answer.putArray("refused");
        if (event != null && event.has("Records")) {
            for (JsonNode record : event.get("Records")) {
                handle(fromS3(record), launched, refused);
            }
        } else {
            handle(direct(event), launched, refused);
        }
        output.write(answer.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void handle(Request request, ArrayNode launched, ArrayNode refused) {
        if (request.refusal().isPresent()) {
            refuse(refused, request.key(), request.refusal().get());
            return;
        }
        try {
            Launched job = config.launcher().launch(request.job());
            launched.addObject()
                    .put("sampleId", job.sampleId())
                    .put("mode", job.mode())
                    .put("id", job.id());
        } catch (LaunchRefused e) {
            refuse(refused, request.key(), e.getMessage());
        } catch (LaunchFailed e) {
            if (!e.retryable()) {
                refuse(refused, request.key(), e.getMessage());
            } else {
                throw e;
            }
        }
    }

    private static void refuse(ArrayNode refused, String key, String why) {
        log.warn("Not launched: {} ({})", why, key);
        refused.addObject().put("key", key).put("reason", why);
    }

    /** A job to launch, or why there is none. */
    private record Request(String key, SampleJob job, Optional<String> refusal) {
        static Request of(SampleJob job) {
            return new Request(job.key(), job, Optional.empty());
        }

        static Request refused(String key, String why) {
            return new Request(key, null, Optional.of(why));
        }
    }

    private Request direct(JsonNode event) {
        if (event == null || !event.isObject()) {
            return Request.refused(null, "the request must be a JSON object {sampleId, key, userId, bucket?, params?}");
        }
        String bucket = text(event, "bucket").orElse(config.defaultBucket());
        return Request.of(new SampleJob(
                text(event, "sampleId").orElse(null),
                bucket,
                text(event, "key").orElse(null),
                text(event, "userId").orElse(null),
                params(event.get("params"))));
    }

    private Request fromS3(JsonNode record) {
        String bucket = record.at("/s3/bucket/name").asText();
        // Event keys are URL-encoded, with '+' for a space.
        String key = URLDecoder.decode(record.at("/s3/object/key").asText(), StandardCharsets.UTF_8);
        HeadObjectResponse head;
        try {
            head = config.s3().headObject(r -> r.bucket(bucket).key(key));
        } catch (SdkException e) {
            return Request.refused(key, "the recording could not be read: " + e.getMessage());
        }
        Map<String, String> metadata = head.metadata();
        String sampleId = metadata.get(SAMPLE_ID_METADATA);
        if (sampleId == null || sampleId.isBlank()) {
            return Request.refused(
                    key,
                    "the recording has no '" + SAMPLE_ID_METADATA + "' metadata naming its sample; "
                            + "upload it with it, or invoke the launcher directly");
        }
        String[] parts = key.split("/", 4);
        String userId = parts.length == 4 ? parts[2] : null;
        return Request.of(new SampleJob(
                sampleId,
                bucket,
                key,
                userId,
                Optional.ofNullable(metadata.get(PARAMS_METADATA)).filter(p -> !p.isBlank())));
    }

    private static Optional<String> params(JsonNode params) {
        if (params == null || params.isNull()) {
            return Optional.empty();
        }
        return Optional.of(params.isTextual() ? params.textValue() : params.toString());
    }

    private static Optional<String> text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
