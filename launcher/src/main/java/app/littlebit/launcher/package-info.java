/**
 * Starts one audio job for a sample: validates it with the worker's own rules, builds the job's
 * variables once, and hands them to ECS RunTask (task mode) or to the service's queue (service
 * mode), as configured. {@link app.littlebit.launcher.JobLauncher} is the library;
 * {@link app.littlebit.launcher.LaunchHandler} the Lambda around it.
 */
package app.littlebit.launcher;
