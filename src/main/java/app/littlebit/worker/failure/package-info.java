/**
 * How a job fails: {@code WorkerException} with its {@code ErrorCategory} (which decides the exit
 * code and whether a retry helps). A leaf: it imports nothing of ours, everything else may use it.
 */
package app.littlebit.worker.failure;
