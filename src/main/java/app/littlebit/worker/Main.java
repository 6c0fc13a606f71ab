package app.littlebit.worker;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.demo.SynthesizedTake;
import app.littlebit.worker.demo.TakeSynthesizer;
import app.littlebit.worker.failure.ErrorCategory;
import app.littlebit.worker.failure.FailureLog;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.ffmpeg.FfmpegProcesses;
import app.littlebit.worker.ffmpeg.FfmpegTools;
import app.littlebit.worker.ffmpeg.OneShotEncoder;
import app.littlebit.worker.job.Cancellation;
import app.littlebit.worker.job.JobResult;
import app.littlebit.worker.job.LocalJob;
import app.littlebit.worker.job.ProcessingParamsParser;
import app.littlebit.worker.pipeline.OneShotPipeline;
import app.littlebit.worker.pipeline.ProcessingParams;
import app.littlebit.worker.report.ReportPage;
import app.littlebit.worker.serve.Enqueue;
import app.littlebit.worker.serve.Serve;
import ch.qos.logback.classic.Level;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's entry point. With no arguments it runs the cloud job described by the environment
 * (the ECS task); {@code process <file>|--demo --out <dir> [--params <json>] [--report]} runs the
 * same pipeline on a local file, and with {@code --report} writes a page to look at and listen to
 * the one-shots. Either way it prints one JSON result line on stdout and exits with the code of
 * its {@link ErrorCategory}.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);
    static final String USAGE = """
            usage: audio-worker                       (cloud job, configured by environment)
                   audio-worker process <file> --out <dir> [--params '<json>'] [--report]
                   audio-worker process --demo --out <dir> [--params '<json>'] [--report]
                   audio-worker serve                 (service mode: jobs from the SQS queue in QUEUE_URL)
                   audio-worker enqueue ...           (send jobs to the queue; audio-worker enqueue --help)
              --report  also write <dir>/report.html: waveforms, cuts, a player and the figures of each one-shot""";

    private Main() {}

    public static void main(String[] args) {
        PrintStream stdout = utf8Stdout();
        if (args.length > 0 && args[0].equals("serve")) {
            try (CloudJobs jobs = new CloudJobs(System.getenv())) {
                System.exit(Serve.run(System.getenv(), new QueueJobRunner(jobs, stdout)));
            }
        }
        if (args.length > 0 && args[0].equals("enqueue")) {
            System.exit(Enqueue.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), stdout));
        }
        if (args.length > 0) {
            System.exit(run(args, System.getenv(), stdout));
        }
        // A cloud job is stopped by SIGTERM (scale-in, Spot): it must still record FAILED and exit 75.
        GracefulShutdown shutdown = GracefulShutdown.install(Thread.currentThread());
        int code = ErrorCategory.INTERNAL.exitCode();
        try {
            code = run(args, System.getenv(), stdout, shutdown.cancellation());
        } catch (RuntimeException | Error e) {
            log.atError().setCause(e).log("Unexpected failure; no result was printed");
        }
        shutdown.exit(code);
    }

    /**
     * The result line is UTF-8 whatever the platform's locale. System.out encodes in the locale's
     * charset (from Java 19 on even with -Dfile.encoding=UTF-8: stdout.encoding), so with no locale,
     * as in the container (Java 21) and on a fresh machine, an "ñ" in a key came out as "?".
     */
    private static PrintStream utf8Stdout() {
        return new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    }

    /** The whole program: arguments and environment in, the result printed on {@code out}, exit code back. */
    public static int run(String[] args, Map<String, String> env, PrintStream out) {
        return run(args, env, out, new Cancellation());
    }

    /** As {@link #run(String[], Map, PrintStream)}, for a cloud job that {@code cancellation} can stop. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, Cancellation cancellation) {
        return run(args, env, out, System.err, cancellation);
    }

    /** As {@link #run(String[], Map, PrintStream, Cancellation)}, with the metrics line printed on {@code metrics}. */
    static int run(
            String[] args, Map<String, String> env, PrintStream out, PrintStream metrics, Cancellation cancellation) {
        if (args.length > 0) {
            return answer(() -> runLocal(args, env), "local", out, metrics);
        }
        try (CloudJobs jobs = new CloudJobs(env)) {
            return runCloudJob(jobs, env, out, metrics, cancellation);
        }
    }

    /** One cloud job on {@code jobs}' shared parts: its result line on {@code out}, its exit code back. */
    static int runCloudJob(
            CloudJobs jobs, Map<String, String> env, PrintStream out, PrintStream metrics, Cancellation cancellation) {
        return answer(() -> jobs.run(env, cancellation), "cloud", out, metrics);
    }

    /** Runs a job and says how it went: the result line, then the metrics line, then the exit code. */
    private static int answer(
            java.util.function.Supplier<JobResult> job, String mode, PrintStream out, PrintStream metrics) {
        long start = System.nanoTime();
        JobResult result;
        try {
            result = job.get();
        } catch (WorkerException e) {
            // A refused request (a missing file, bad params) is expected: a warning, as for a failed job.
            FailureLog.log(e);
            result = JobResult.Failed.refused(e);
        }
        out.println(result.toJson());
        out.flush();
        // After the result: the metrics line must never delay or replace the job's own answer.
        metrics.println(JobMetrics.emf(result, mode, Duration.ofNanos(System.nanoTime() - start), Instant.now()));
        metrics.flush();
        return result instanceof JobResult.Failed failed
                ? failed.error().category().exitCode()
                : ErrorCategory.EXIT_OK;
    }

    private static JobResult runLocal(String[] args, Map<String, String> env) {
        Deque<String> rest = new ArrayDeque<>(Arrays.asList(args));
        if (!"process".equals(rest.poll())) {
            throw WorkerException.of(FailureReason.BAD_REQUEST, "Unknown command. " + USAGE);
        }
        Optional.ofNullable(env.get("LOG_LEVEL")).filter(v -> !v.isBlank()).ifPresent(Main::setLogLevel);
        String input = null;
        String outDir = null;
        Optional<String> params = Optional.empty();
        boolean report = false;
        while (!rest.isEmpty()) {
            String arg = rest.poll();
            switch (arg) {
                case "--out" -> outDir = value(rest, arg);
                case "--params" -> params = Optional.of(value(rest, arg));
                case "--report" -> report = true;
                default -> {
                    if (input != null || (arg.startsWith("--") && !arg.equals("--demo"))) {
                        throw WorkerException.of(
                                FailureReason.BAD_REQUEST, "Unexpected argument '" + arg + "'. " + USAGE);
                    }
                    input = arg;
                }
            }
        }
        if (input == null || outDir == null) {
            throw WorkerException.of(
                    FailureReason.BAD_REQUEST, "A recording (or --demo) and --out are required. " + USAGE);
        }
        ProcessingParams processingParams = ProcessingParamsParser.parse(params);
        FfmpegTools tools = FfmpegTools.locate(env);
        Path output = Path.of(outDir);
        Path recording = input.equals("--demo") ? writeDemoRecording(tools, output) : Path.of(input);
        JobResult result = new LocalJob(pipeline(tools)).run(recording, output, processingParams);
        if (report && result instanceof JobResult.Completed completed) {
            writeReport(completed, output);
        }
        return result;
    }

    private static void writeReport(JobResult.Completed result, Path outputDir) {
        try {
            Path page = ReportPage.write(result, outputDir);
            log.atInfo().addKeyValue("file", page.toString()).log("Report written");
        } catch (java.io.IOException e) {
            throw WorkerException.of(
                    FailureReason.WORK_FILES,
                    "The one-shots were written, but the report could not be: " + e.getMessage(),
                    e);
        }
    }

    /** The README's first command: a synthesized take of eight hits, as a phone would record it. */
    private static Path writeDemoRecording(FfmpegTools tools, Path outputDir) {
        try {
            Files.createDirectories(outputDir);
        } catch (java.io.IOException e) {
            throw WorkerException.of(
                    FailureReason.BAD_REQUEST, "Cannot create the output folder " + outputDir + ": " + e.getMessage());
        }
        SynthesizedTake take = TakeSynthesizer.demo();
        Path recording = outputDir.resolve("demo-take.m4a");
        // Written before any job, so nothing but its own end stops this FFmpeg.
        new OneShotEncoder(tools, new FfmpegProcesses())
                .encode(take.samples(), take.format(), AudioFileType.M4A, recording);
        log.atInfo()
                .addKeyValue("file", recording.toString())
                .addKeyValue("hits", take.hits().size())
                .log("Demo recording written");
        return recording;
    }

    static OneShotPipeline pipeline(FfmpegTools tools) {
        return new OneShotPipeline(tools);
    }

    private static String value(Deque<String> rest, String option) {
        String value = rest.poll();
        if (value == null) {
            throw WorkerException.of(FailureReason.BAD_REQUEST, option + " needs a value. " + USAGE);
        }
        return value;
    }

    static void setLogLevel(String level) {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.toLevel(level, Level.INFO));
    }
}
