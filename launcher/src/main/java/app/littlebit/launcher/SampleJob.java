package app.littlebit.launcher;

import java.util.Optional;

/**
 * What the app knows when a recording is uploaded: which sample, where the recording is, whose it
 * is, and how to process it.
 *
 * @param params PROCESSING_PARAMS as JSON text, or empty for the defaults
 */
public record SampleJob(String sampleId, String bucket, String key, String userId, Optional<String> params) {}
