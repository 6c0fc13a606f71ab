/**
 * The command line: {@code Main} reads the arguments and environment, wires the adapters to a
 * job, prints the one JSON result line and exits with its category's code; also the launcher,
 * the stop (SIGTERM) handling, log set-up and the job's metrics line. Nothing imports this package.
 */
package app.littlebit.worker;
