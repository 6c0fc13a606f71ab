package app.littlebit.worker.job;

/** Where a sample's processing stands, as the result and the Sample item spell it. */
public enum ProcessingStatus {
    PROCESSING,
    COMPLETED,
    FAILED
}
