/**
 * FFmpeg as a library of processes: finding a working build, probing and decoding a recording
 * to PCM, encoding one-shots in batches and measuring what a player will decode. Each job's
 * processes are tracked ({@code FfmpegProcesses}) so that its time limit stops them and no other's.
 */
package app.littlebit.worker.ffmpeg;
