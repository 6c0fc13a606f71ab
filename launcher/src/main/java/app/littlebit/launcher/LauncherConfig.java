package app.littlebit.launcher;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The launcher's deployment settings, from the Lambda's environment. {@code LAUNCH_MODE} picks the
 * target: {@code task} (RunTask: CLUSTER, TASK_DEFINITION, SUBNET_IDS, SECURITY_GROUP_IDS, and
 * optionally CONTAINER_NAME, ASSIGN_PUBLIC_IP, CAPACITY_PROVIDER) or {@code queue} (QUEUE_URL).
 * STATUS_TABLE is the worker's, for checking requests as the worker will; S3_BUCKET the default
 * bucket of direct requests. The SDK's own AWS_REGION and AWS_ENDPOINT_URL[_ECS|_SQS|_S3] apply.
 */
public final class LauncherConfig {
    /** RunTask is throttled per account (a token bucket); the SDK backs off and tries again. */
    static final int SDK_ATTEMPTS = 6;

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private LauncherConfig(Map<String, String> env) {
        this.env = env;
    }

    /** The launcher, its target and its clients, as configured; every problem reported at once. */
    public static Configured fromEnvironment(Map<String, String> env) {
        return new LauncherConfig(env).read();
    }

    /**
     * What the Lambda handler uses: the launcher, the default bucket of direct requests, an S3 client.
     *
     * @param s3 reads the sample id from an uploaded recording's metadata (S3 events)
     */
    public record Configured(JobLauncher launcher, String defaultBucket, S3Client s3) {}

    private Configured read() {
        String mode = required("LAUNCH_MODE");
        String statusTable = required("STATUS_TABLE");
        LaunchTarget target = null;
        if ("task".equals(mode)) {
            target = taskTarget();
        } else if ("queue".equals(mode)) {
            String queueUrl = required("QUEUE_URL");
            target = queueUrl == null ? null : new QueueTarget(client(SqsClient.builder(), "SQS"), queueUrl);
        } else if (mode != null) {
            problems.add("LAUNCH_MODE must be 'task' (one ECS task per recording) or 'queue' (service mode), got '"
                    + mode + "'");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid launcher configuration: " + String.join("; ", problems));
        }
        return new Configured(
                new JobLauncher(target, statusTable),
                optional("S3_BUCKET").orElse(null),
                client(S3Client.builder().forcePathStyle(endpoint("S3").isPresent()), "S3"));
    }

    private LaunchTarget taskTarget() {
        String cluster = required("CLUSTER");
        String taskDefinition = required("TASK_DEFINITION");
        List<String> subnets = list(required("SUBNET_IDS"));
        List<String> securityGroups = list(required("SECURITY_GROUP_IDS"));
        if (cluster == null || taskDefinition == null || subnets.isEmpty() || securityGroups.isEmpty()) {
            return null;
        }
        EcsTaskTarget.Settings settings = new EcsTaskTarget.Settings(
                cluster,
                taskDefinition,
                optional("CONTAINER_NAME").orElse("audio-worker"),
                subnets,
                securityGroups,
                optional("ASSIGN_PUBLIC_IP").map("true"::equalsIgnoreCase).orElse(false),
                optional("CAPACITY_PROVIDER").orElse(""),
                optional("RUN_TASK_ATTEMPTS").map(Integer::parseInt).orElse(4),
                Duration.ofMillis(
                        optional("RUN_TASK_BACKOFF_MS").map(Long::parseLong).orElse(1000L)));
        return new EcsTaskTarget(client(EcsClient.builder(), "ECS"), settings);
    }

    private <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C client(B builder, String service) {
        builder.httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(SDK_ATTEMPTS)
                                .build())
                        .build())
                .credentialsProvider(credentials());
        optional("AWS_REGION")
                .or(() -> optional("AWS_DEFAULT_REGION"))
                .map(Region::of)
                .ifPresent(builder::region);
        endpoint(service).map(URI::create).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private Optional<String> endpoint(String service) {
        return optional("AWS_ENDPOINT_URL_" + service).or(() -> optional("AWS_ENDPOINT_URL"));
    }

    private AwsCredentialsProvider credentials() {
        Optional<String> keyId = optional("AWS_ACCESS_KEY_ID");
        Optional<String> secret = optional("AWS_SECRET_ACCESS_KEY");
        if (keyId.isPresent()
                && secret.isPresent()
                && optional("AWS_SESSION_TOKEN").isEmpty()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId.get(), secret.get()));
        }
        return DefaultCredentialsProvider.builder().build(); // in Lambda: the function's role
    }

    private static List<String> list(String text) {
        return text == null
                ? List.of()
                : Arrays.stream(text.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    private String required(String name) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            problems.add(name + " is required");
        }
        return value.orElse(null);
    }

    private Optional<String> optional(String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
