package app.littlebit.worker.aws;

import app.littlebit.worker.WorkerException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Reads recordings from and writes one-shots to the app's bucket. */
public final class S3RecordingStore {
    private final S3Client s3;

    public S3RecordingStore(S3Client s3) {
        this.s3 = s3;
    }

    /** A recording's size and version, from a HEAD request. */
    public record RecordingObject(long bytes, String eTag) {
    }

    /** Checks the recording exists and is within the size limit, before anything is downloaded. */
    public RecordingObject inspect(String bucket, String key, long maxBytes) {
        HeadObjectResponse head;
        try {
            head = s3.headObject(r -> r.bucket(bucket).key(key));
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw notFound(bucket, key, e);
        } catch (S3Exception e) {
            // Without s3:ListBucket (least privilege), S3 answers 403 rather than 404 for a missing key.
            if (e.statusCode() == 404 || e.statusCode() == 403) {
                throw notFound(bucket, key, e);
            }
            throw AwsErrors.translate("Reading s3://" + bucket + "/" + key, e);
        } catch (SdkException e) {
            throw AwsErrors.translate("Reading s3://" + bucket + "/" + key, e);
        }
        long bytes = head.contentLength();
        if (bytes == 0) {
            throw WorkerException.badData("The recording is empty (0 bytes)");
        }
        if (bytes > maxBytes) {
            throw WorkerException.badData("The recording is " + bytes + " bytes, over the limit of "
                    + maxBytes + " (MAX_INPUT_BYTES)");
        }
        return new RecordingObject(bytes, head.eTag());
    }

    /** Streams the recording to a file; the ETag pins it to the version that was inspected. */
    public void download(String bucket, String key, RecordingObject expected, Path target) {
        try {
            s3.getObject(r -> r.bucket(bucket).key(key).ifMatch(expected.eTag()),
                    ResponseTransformer.toFile(target));
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw notFound(bucket, key, e);
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw WorkerException.temporary("The recording s3://" + bucket + "/" + key
                        + " was replaced while it was being read; a retry reads the new version", e);
            }
            throw AwsErrors.translate("Downloading s3://" + bucket + "/" + key, e);
        } catch (SdkException e) {
            throw AwsErrors.translate("Downloading s3://" + bucket + "/" + key, e);
        }
    }

    public void upload(String bucket, String key, Path file, String contentType, Map<String, String> metadata) {
        try {
            s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType).metadata(ascii(metadata)),
                    RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw AwsErrors.translate("Uploading s3://" + bucket + "/" + key, e);
        }
    }

    /** Copies inside S3, so the original's bytes never pass through the task again. */
    public void copy(String bucket, String sourceKey, String targetKey, String contentType,
                     Map<String, String> metadata) {
        try {
            s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(sourceKey)
                    .destinationBucket(bucket).destinationKey(targetKey)
                    .metadataDirective(MetadataDirective.REPLACE)
                    .contentType(contentType).metadata(ascii(metadata)));
        } catch (SdkException e) {
            throw AwsErrors.translate("Copying the original to s3://" + bucket + "/" + targetKey, e);
        }
    }

    private static WorkerException notFound(String bucket, String key, Exception cause) {
        return new WorkerException(app.littlebit.worker.ErrorCategory.BAD_INPUT,
                "The recording s3://" + bucket + "/" + key + " does not exist or may not be read (no such bucket or key)",
                cause);
    }

    /** S3 metadata travels in HTTP headers, which carry ASCII only: percent-encode the rest. */
    static Map<String, String> ascii(Map<String, String> metadata) {
        Map<String, String> encoded = new LinkedHashMap<>();
        metadata.forEach((name, value) -> encoded.put(name, percentEncodeNonAscii(value)));
        return encoded;
    }

    static String percentEncodeNonAscii(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
