/**
 * FFmpeg as a library of processes: finding a working build, probing and decoding a recording
 * to PCM, encoding one-shots in batches and measuring what a player will decode.
 */
package app.littlebit.worker.ffmpeg;
