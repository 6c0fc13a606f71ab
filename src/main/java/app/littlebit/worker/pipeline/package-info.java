/**
 * The audio work of a job on files on disk: probe, decode and analyse a recording, find its
 * sounds, then cut, shape, normalize and encode each one-shot (through FFmpeg), with its waveform.
 * Knows nothing of where the recording came from or where the one-shots go.
 */
package app.littlebit.worker.pipeline;
