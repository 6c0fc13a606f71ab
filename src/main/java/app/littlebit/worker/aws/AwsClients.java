package app.littlebit.worker.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the SDK clients once per process from the job's environment. The SDK's own variables
 * are honoured by name: {@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_S3},
 * {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_REQUEST_CHECKSUM_CALCULATION}, static keys; they
 * are read from the map handed in (so a test can pass its own), and anything absent falls back to
 * the SDK's default provider chains. With an endpoint override, S3 uses path-style addressing, as
 * S3Proxy and LocalStack need.
 */
public final class AwsClients implements AutoCloseable {
    static final int MAX_ATTEMPTS = 4;

    private final Map<String, String> env;
    private final SdkHttpClient httpClient;
    private S3Client s3;
    private DynamoDbClient dynamoDb;
    private SqsClient sqs;

    public AwsClients(Map<String, String> env) {
        this.env = env;
        this.httpClient = ApacheHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .maxConnections(16)
                .build();
    }

    /** Created on first use, so a job that never needs S3 never pays for it. */
    public synchronized S3Client s3() {
        if (s3 == null) {
            var builder = S3Client.builder()
                    .httpClient(httpClient)
                    .overrideConfiguration(overrides())
                    .credentialsProvider(credentials())
                    .requestChecksumCalculation(variable("AWS_REQUEST_CHECKSUM_CALCULATION")
                            .map(v -> RequestChecksumCalculation.fromValue(v.toUpperCase(Locale.ROOT)))
                            .orElse(RequestChecksumCalculation.WHEN_SUPPORTED))
                    .responseChecksumValidation(variable("AWS_RESPONSE_CHECKSUM_VALIDATION")
                            .map(v -> ResponseChecksumValidation.fromValue(v.toUpperCase(Locale.ROOT)))
                            .orElse(ResponseChecksumValidation.WHEN_SUPPORTED));
            region().ifPresent(builder::region);
            Optional<String> endpoint = variable("AWS_ENDPOINT_URL_S3").or(() -> variable("AWS_ENDPOINT_URL"));
            endpoint.ifPresent(url -> builder.endpointOverride(URI.create(url)).forcePathStyle(true));
            s3 = builder.build();
        }
        return s3;
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            var builder = DynamoDbClient.builder()
                    .httpClient(httpClient)
                    .overrideConfiguration(overrides())
                    .credentialsProvider(credentials());
            region().ifPresent(builder::region);
            variable("AWS_ENDPOINT_URL_DYNAMODB")
                    .or(() -> variable("AWS_ENDPOINT_URL"))
                    .ifPresent(url -> builder.endpointOverride(URI.create(url)));
            dynamoDb = builder.build();
        }
        return dynamoDb;
    }

    /** Serve mode's queue and enqueue's sender. */
    public synchronized SqsClient sqs() {
        if (sqs == null) {
            var builder = SqsClient.builder()
                    .httpClient(httpClient)
                    .overrideConfiguration(overrides())
                    .credentialsProvider(credentials());
            region().ifPresent(builder::region);
            variable("AWS_ENDPOINT_URL_SQS")
                    .or(() -> variable("AWS_ENDPOINT_URL"))
                    .ifPresent(url -> builder.endpointOverride(URI.create(url)));
            sqs = builder.build();
        }
        return sqs;
    }

    /** Transient failures (5xx, throttling, resets) are retried by the SDK's standard strategy. */
    private static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(MAX_ATTEMPTS)
                        .build())
                .build();
    }

    private Optional<Region> region() {
        return variable("AWS_REGION").or(() -> variable("AWS_DEFAULT_REGION")).map(Region::of);
    }

    private AwsCredentialsProvider credentials() {
        Optional<String> keyId = variable("AWS_ACCESS_KEY_ID");
        Optional<String> secret = variable("AWS_SECRET_ACCESS_KEY");
        if (keyId.isPresent() && secret.isPresent()) {
            Optional<String> token = variable("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(
                    token.isPresent()
                            ? AwsSessionCredentials.create(keyId.get(), secret.get(), token.get())
                            : AwsBasicCredentials.create(keyId.get(), secret.get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private Optional<String> variable(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    @Override
    public synchronized void close() {
        if (s3 != null) {
            s3.close();
        }
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        httpClient.close();
    }
}
