package app.littlebit.worker.ffmpeg;

import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One run of ffmpeg or ffprobe, talking to it over plain pipes: stdin and stdout carry audio (or
 * nothing), stderr its log, which a thread collects so a chatty FFmpeg can never block on a full
 * pipe. Closing it kills FFmpeg if it is still running, so an interrupted job or an exception
 * never leaves one behind.
 */
final class FfmpegProcess implements AutoCloseable {
    /** Enough for every line a batch of one-shots logs; a broken file's endless errors are cut off. */
    private static final int MAX_LOG_LINES = 4096;

    private final Process process;
    private final FfmpegProcesses processes;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Thread logReader;

    private FfmpegProcess(Process process, FfmpegProcesses processes) {
        this.process = process;
        this.processes = processes;
        processes.started(process);
        this.logReader = new Thread(this::collectLog, "ffmpeg-log");
        logReader.setDaemon(true);
        logReader.start();
    }

    /**
     * @param processes   the job's processes, which this one joins until it is closed
     * @param command     the executable and its arguments
     * @param pipeStdin   give FFmpeg a pipe to read from; else it reads an empty stdin
     * @param pipeStdout  give FFmpeg a pipe to write to; else what it writes there is dropped
     */
    static FfmpegProcess start(FfmpegProcesses processes, List<String> command, boolean pipeStdin, boolean pipeStdout) {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (!pipeStdin) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        if (!pipeStdout) {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        try {
            return new FfmpegProcess(builder.start(), processes);
        } catch (IOException e) {
            throw WorkerException.of(
                    FailureReason.FFMPEG, "Could not start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The format of audio on a pipe, for FFmpeg's arguments: the 32-bit little-endian floats, frames
     * interleaved, that the decoder reads and the encoder writes, written once for both.
     */
    static List<String> pcmPipe(PcmFormat format) {
        return List.of(
                "-f",
                "f32le",
                "-ar",
                Integer.toString(format.sampleRate()),
                "-ac",
                Integer.toString(format.channels()));
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    InputStream stdout() {
        return process.getInputStream();
    }

    /**
     * Waits for FFmpeg to exit and its log to be read in full.
     *
     * @return the exit code
     */
    int waitFor() {
        try {
            int exit = process.waitFor();
            logReader.join();
            return exit;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        }
    }

    /** Stops a job that was asked to stop; {@link #close()} then kills FFmpeg. */
    static void checkInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw interrupted();
        }
    }

    private static WorkerException interrupted() {
        return WorkerException.of(FailureReason.STOPPED, "Interrupted while FFmpeg was running");
    }

    /** Every log line, in order (the first {@value #MAX_LOG_LINES}). */
    List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    private void collectLog() {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (log.size() < MAX_LOG_LINES) {
                    log.add(line);
                }
            }
        } catch (IOException e) {
            // The process was killed and its pipe closed under us: there is nothing more to read.
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        processes.ended(process);
    }
}
