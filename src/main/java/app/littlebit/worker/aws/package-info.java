/**
 * The AWS adapters: the SDK clients, recordings in S3 and the processing status on the app's
 * DynamoDB Sample item, behind the job's storage ports; SDK errors translated into the worker's
 * failure categories.
 */
package app.littlebit.worker.aws;
