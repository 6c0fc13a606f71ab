package app.littlebit.launcher;

/**
 * The library: given a sample, checks it with the worker's rules and starts its job on the
 * configured target. {@link LaunchRefused} when the request is invalid (nothing started),
 * {@link LaunchFailed} when ECS or SQS did not take it.
 */
public final class JobLauncher {
    private final LaunchTarget target;
    private final String statusTable;

    /** @param statusTable the worker's STATUS_TABLE, which the sample must be valid for */
    public JobLauncher(LaunchTarget target, String statusTable) {
        this.target = target;
        this.statusTable = statusTable;
    }

    public Launched launch(SampleJob sample) {
        JobVariables job = JobVariables.of(sample, statusTable);
        return target.launch(job, Tokens.of(job));
    }
}
