/**
 * Service mode's SQS adapter: {@code audio-worker serve} long-polls a queue and runs each message
 * as one job ({@link app.littlebit.worker.serve.QueueWorker}), and {@code audio-worker enqueue}
 * sends jobs at a bounded rate ({@link app.littlebit.worker.serve.Enqueue}). The job itself is
 * behind {@link app.littlebit.worker.serve.JobRunner}: this package knows queues and messages,
 * not recordings.
 */
package app.littlebit.worker.serve;
