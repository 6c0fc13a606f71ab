/**
 * The pure audio core: PCM in, figures and shaped samples out. Levels, loudness (LUFS), true peak,
 * pitch, sound detection and where to cut, fades, waveforms. No files of ours, no FFmpeg, no AWS:
 * it imports nothing from the rest of the worker (ArchitectureTest checks).
 */
package app.littlebit.worker.audio;
