package app.littlebit.worker.job;

/** The DynamoDB item that tracks this recording's processing: table name and sample id. */
public record StatusTarget(String table, String sampleId) {}
