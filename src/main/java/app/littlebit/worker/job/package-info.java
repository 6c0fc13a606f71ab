/**
 * One job, from request to result: the validated request ({@code JobRequest}, parsed from the
 * environment and PROCESSING_PARAMS), the cloud job ({@code CloudJob}: status, download, pipeline,
 * upload) and the local one ({@code LocalJob}), the ports to storage ({@code ObjectStore},
 * {@code StatusStore}) the AWS adapters implement, cancellation and the time limit, the result
 * schema the app reads ({@code JobResult}, {@code OneShot}) and the one-shots as the status item
 * keeps them ({@code StoredOneShot}). Knows nothing of AWS.
 */
package app.littlebit.worker.job;
