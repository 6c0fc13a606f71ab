/**
 * One job, from request to result: the validated request ({@code JobRequest}, parsed from the
 * environment and PROCESSING_PARAMS), the cloud job ({@code CloudJob}: status, download, pipeline,
 * upload) and the local one ({@code LocalJob}), the ports to storage ({@code RecordingStore},
 * {@code StatusStore}) the AWS adapters implement, cancellation and the time limit, and the result
 * schema the app reads ({@code JobResult}, {@code OneShot}). Knows nothing of AWS.
 */
package app.littlebit.worker.job;
