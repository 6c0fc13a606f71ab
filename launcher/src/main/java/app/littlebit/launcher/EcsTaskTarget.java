package app.littlebit.launcher;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;

/**
 * Task mode: one Fargate task per recording, started with RunTask, the job's variables as the
 * worker container's environment overrides. RunTask's {@code clientToken} makes a repeated launch
 * of the same request start one task. Throttling is retried by the SDK's own retry strategy; a
 * RunTask that answers with {@code failures[]} and no task (no Fargate capacity, say) is retried
 * here with backoff, unless the failure says the deployment is wrong (a missing or inactive task
 * definition or cluster).
 */
public final class EcsTaskTarget implements LaunchTarget {
    private static final Logger log = LoggerFactory.getLogger(EcsTaskTarget.class);
    /** failures[].reason values that no retry fixes. */
    private static final Set<String> PERMANENT = Set.of("MISSING", "INACTIVE");

    static final String STARTED_BY = "audio-worker-launcher";

    /**
     * Where and how the worker's task is started: its cluster, task definition and network.
     *
     * @param capacityProvider empty: the cluster's default strategy (FARGATE or FARGATE_SPOT)
     * @param attempts         RunTask calls at most, for failures[] answers
     * @param backoff          wait before the second call, doubled after each
     */
    public record Settings(
            String cluster,
            String taskDefinition,
            String containerName,
            List<String> subnets,
            List<String> securityGroups,
            boolean assignPublicIp,
            String capacityProvider,
            int attempts,
            Duration backoff) {}

    private final EcsClient ecs;
    private final Settings settings;

    public EcsTaskTarget(EcsClient ecs, Settings settings) {
        this.ecs = ecs;
        this.settings = settings;
    }

    @Override
    public Launched launch(JobVariables job, String idempotencyToken) {
        Duration wait = settings.backoff();
        List<Failure> failures = List.of();
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            // A failed attempt started nothing; a new token keeps ECS from answering with that failure again.
            String token = attempt == 1 ? idempotencyToken : Tokens.suffixed(idempotencyToken, attempt);
            RunTaskResponse response = runTask(job, token);
            if (!response.tasks().isEmpty()) {
                String taskArn = response.tasks().get(0).taskArn();
                log.info("Task started for sample {}: {}", job.sampleId(), taskArn);
                return new Launched(job.sampleId(), "task", taskArn);
            }
            failures = response.failures();
            if (failures.stream().anyMatch(f -> PERMANENT.contains(f.reason()))) {
                throw new LaunchFailed("RunTask refused: " + describe(failures), false, null);
            }
            log.warn(
                    "RunTask started no task (attempt {} of {}): {}", attempt, settings.attempts(), describe(failures));
            if (attempt < settings.attempts()) {
                sleep(wait);
                wait = wait.multipliedBy(2);
            }
        }
        throw new LaunchFailed(
                "RunTask started no task after " + settings.attempts() + " attempts: " + describe(failures),
                true,
                null);
    }

    private RunTaskResponse runTask(JobVariables job, String token) {
        RunTaskRequest.Builder request = RunTaskRequest.builder()
                .cluster(settings.cluster())
                .taskDefinition(settings.taskDefinition())
                .count(1)
                .clientToken(token)
                .startedBy(STARTED_BY)
                .propagateTags(PropagateTags.TASK_DEFINITION)
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(settings.subnets())
                        .securityGroups(settings.securityGroups())
                        .assignPublicIp(settings.assignPublicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED)))
                .overrides(o -> o.containerOverrides(c -> c.name(settings.containerName())
                        .environment(job.asMap().entrySet().stream()
                                .map(e -> KeyValuePair.builder()
                                        .name(e.getKey())
                                        .value(e.getValue())
                                        .build())
                                .toList())));
        if (settings.capacityProvider().isEmpty()) {
            request.launchType(LaunchType.FARGATE);
        } else {
            request.capacityProviderStrategy(
                    s -> s.capacityProvider(settings.capacityProvider()).weight(1));
        }
        try {
            return ecs.runTask(request.build());
        } catch (AwsServiceException e) {
            boolean retryable = e.isThrottlingException() || e.statusCode() >= 500;
            throw new LaunchFailed(
                    "RunTask failed" + (retryable ? " after retries" : "") + ": "
                            + e.awsErrorDetails().errorCode() + " "
                            + e.awsErrorDetails().errorMessage(),
                    retryable,
                    e);
        } catch (SdkException e) {
            throw new LaunchFailed("RunTask failed after retries: " + e.getMessage(), true, e);
        }
    }

    private static String describe(List<Failure> failures) {
        return failures.stream()
                .map(f -> f.reason()
                        + (f.detail() == null ? "" : " (" + f.detail() + ")")
                        + (f.arn() == null ? "" : " " + f.arn()))
                .toList()
                .toString();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchFailed("Interrupted while waiting to retry RunTask", true, e);
        }
    }
}
