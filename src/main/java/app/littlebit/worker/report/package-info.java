/** The local report page: waveforms, cuts, a player and the figures of each one-shot of a result. */
package app.littlebit.worker.report;
