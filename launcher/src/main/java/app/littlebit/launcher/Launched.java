package app.littlebit.launcher;

/**
 * A started job.
 *
 * @param mode {@code task} or {@code queue}
 * @param id   the ECS task ARN, or the SQS message id
 */
public record Launched(String sampleId, String mode, String id) {}
