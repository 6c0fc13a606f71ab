package app.littlebit.worker.aws;

import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.job.ObjectStore;
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

/** The app's bucket in S3: reads recordings, writes one-shots and their waveforms, copies originals. */
public final class S3ObjectStore implements ObjectStore {
    private final S3Client s3;

    public S3ObjectStore(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public StoredObject head(String bucket, String key) {
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
        return new StoredObject(head.contentLength(), head.eTag());
    }

    /** The ETag pins the download to the version that was inspected. */
    @Override
    public void download(String bucket, String key, StoredObject expected, Path target) {
        try {
            s3.getObject(r -> r.bucket(bucket).key(key).ifMatch(expected.eTag()), ResponseTransformer.toFile(target));
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw notFound(bucket, key, e);
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw WorkerException.of(
                        FailureReason.CHANGED,
                        "The recording s3://" + bucket + "/" + key
                                + " was replaced while it was being read; a retry reads the new version",
                        e);
            }
            throw AwsErrors.translate("Downloading s3://" + bucket + "/" + key, e);
        } catch (SdkException e) {
            throw AwsErrors.translate("Downloading s3://" + bucket + "/" + key, e);
        }
    }

    @Override
    public void upload(String bucket, String key, Path file, String contentType, Map<String, String> metadata) {
        try {
            s3.putObject(
                    r -> r.bucket(bucket).key(key).contentType(contentType).metadata(ascii(metadata)),
                    RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw AwsErrors.translate("Uploading s3://" + bucket + "/" + key, e);
        }
    }

    @Override
    public void copy(
            String bucket, String sourceKey, String targetKey, String contentType, Map<String, String> metadata) {
        try {
            s3.copyObject(r -> r.sourceBucket(bucket)
                    .sourceKey(sourceKey)
                    .destinationBucket(bucket)
                    .destinationKey(targetKey)
                    .metadataDirective(MetadataDirective.REPLACE)
                    .contentType(contentType)
                    .metadata(ascii(metadata)));
        } catch (SdkException e) {
            throw AwsErrors.translate("Copying the original to s3://" + bucket + "/" + targetKey, e);
        }
    }

    private static WorkerException notFound(String bucket, String key, Exception cause) {
        return WorkerException.of(
                FailureReason.NOT_FOUND,
                "The recording s3://" + bucket + "/" + key
                        + " does not exist or may not be read (no such bucket or key)",
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
