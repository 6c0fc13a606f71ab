package app.littlebit.worker.serve;

import app.littlebit.worker.failure.ErrorCategory;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Serve mode's loop: long-polls the queue for as many messages as it has free job slots, runs each
 * as one job, and settles its message by the job's outcome, after the job has written its status:
 * <ul>
 *   <li>done, or failed for good (exit 64, 65, 70), or taken over by another run that records the
 *       outcome (73): deleted;</li>
 *   <li>failed TEMPORARY (75): left on the queue, visible again after the retry delay; after the
 *       queue's {@code maxReceiveCount} receives SQS moves it to the dead-letter queue;</li>
 *   <li>not a JSON object: deleted (logged), so it never blocks the queue.</li>
 * </ul>
 * While a job runs, a heartbeat keeps its message hidden. {@link #stop()} stops receiving; jobs
 * get the drain time to finish, then are abandoned: asked to stop (they record FAILED/TEMPORARY)
 * and their messages made visible at once for another task.
 */
public final class QueueWorker {
    private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);
    /** SQS returns at most 10 messages per receive. */
    private static final int MAX_BATCH = 10;
    /** How long an abandoned job may take to record FAILED (as RunTask mode's GracefulShutdown allows). */
    private static final Duration ABANDON_GRACE = Duration.ofSeconds(25);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final SqsClient sqs;
    private final ServeSettings settings;
    private final Map<String, String> service;
    private final JobRunner runner;
    private final ExecutorService jobs;
    private final Semaphore freeSlots;
    private final ScheduledExecutorService heartbeat;
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger started = new AtomicInteger();
    private volatile boolean stopping;
    private volatile Thread receiver;

    /** A received message whose job is running. */
    private record InFlight(Message message, StopRequest stop) {}

    /**
     * A worker on {@code sqs} for the queue in {@code settings}.
     *
     * @param service the service's environment, the base of every job's environment
     */
    public QueueWorker(SqsClient sqs, ServeSettings settings, Map<String, String> service, JobRunner runner) {
        this.sqs = sqs;
        this.settings = settings;
        this.service = Map.copyOf(service);
        this.runner = runner;
        this.freeSlots = new Semaphore(settings.concurrency());
        AtomicInteger threads = new AtomicInteger();
        this.jobs = Executors.newFixedThreadPool(
                settings.concurrency(), task -> new Thread(task, "job-" + threads.incrementAndGet()));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "visibility-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Runs until {@link #stop()}, then drains: returns once every job has ended or been abandoned.
     *
     * @throws WorkerException BAD_INPUT if the queue does not exist
     */
    public void run() {
        receiver = Thread.currentThread();
        long period = Math.max(settings.heartbeat().toMillis(), 1000);
        ScheduledFuture<?> beats =
                heartbeat.scheduleAtFixedRate(this::extendVisibility, period, period, TimeUnit.MILLISECONDS);
        log.atInfo()
                .addKeyValue("queueUrl", settings.queueUrl().toString())
                .addKeyValue("concurrency", settings.concurrency())
                .addKeyValue("visibilitySeconds", settings.visibility().toSeconds())
                .log("Serving jobs from the queue");
        try {
            receiveUntilStopped();
        } finally {
            drain();
            beats.cancel(false);
            heartbeat.shutdownNow();
            log.atInfo().addKeyValue("jobs", started.get()).log("Stopped serving");
        }
    }

    /** Stops taking messages; {@link #run()} then drains and returns. Safe from any thread. */
    public synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        Thread thread = receiver;
        if (thread != null) {
            thread.interrupt(); // ends a long poll at once rather than after up to 20 s
        }
    }

    private void receiveUntilStopped() {
        Duration backoff = Duration.ofSeconds(1);
        while (!stopping) {
            int slots;
            try {
                freeSlots.acquire();
            } catch (InterruptedException e) {
                break;
            }
            slots = 1 + freeSlots.drainPermits();
            int asked = Math.min(slots, MAX_BATCH);
            freeSlots.release(slots - asked);
            List<Message> messages;
            try {
                messages = receive(asked);
                backoff = Duration.ofSeconds(1);
            } catch (QueueDoesNotExistException e) {
                freeSlots.release(asked);
                throw WorkerException.of(FailureReason.BAD_REQUEST, "QUEUE_URL names no queue: " + settings.queueUrl());
            } catch (SdkException e) {
                freeSlots.release(asked);
                if (stopping) {
                    break;
                }
                log.atWarn()
                        .log("Receiving from the queue failed; trying again in " + backoff.toSeconds() + " s: "
                                + e.getMessage());
                if (!sleep(backoff)) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                continue;
            }
            freeSlots.release(asked - messages.size());
            for (Message message : messages) {
                if (stopping) {
                    // Received as the stop came: another task takes it now, not after the visibility timeout.
                    release(message, Duration.ZERO, "received while stopping");
                    freeSlots.release();
                } else {
                    start(message);
                }
            }
        }
        Thread.interrupted(); // the stop's interrupt is spent; draining must be able to wait
    }

    private List<Message> receive(int count) {
        return sqs.receiveMessage(r -> r.queueUrl(settings.queueUrl().toString())
                        .maxNumberOfMessages(count)
                        .waitTimeSeconds((int) settings.longPoll().toSeconds())
                        .visibilityTimeout((int) settings.visibility().toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
    }

    private void start(Message message) {
        InFlight job = new InFlight(message, new StopRequest());
        inFlight.put(message.messageId(), job);
        started.incrementAndGet();
        jobs.execute(() -> {
            try {
                settle(job, run(job));
            } finally {
                inFlight.remove(message.messageId());
                freeSlots.release();
            }
        });
    }

    /** The job's exit code, or empty if it failed in a way no exit code describes (a bug). */
    private OptionalInt run(InFlight job) {
        Message message = job.message();
        String receives = message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "?");
        JobMessage parsed = JobMessage.parse(message.body(), service);
        if (parsed instanceof JobMessage.Unreadable unreadable) {
            log.atError()
                    .addKeyValue("messageId", message.messageId())
                    .log("Message is not a job and is deleted: " + unreadable.problem());
            return OptionalInt.of(ErrorCategory.BAD_INPUT.exitCode());
        }
        JobMessage.Job request = (JobMessage.Job) parsed;
        var received =
                log.atInfo().addKeyValue("messageId", message.messageId()).addKeyValue("receiveCount", receives);
        if (request.sampleId().isPresent()) {
            received = received.addKeyValue("sampleId", request.sampleId().get());
        }
        received.log("Job received from the queue");
        if (!request.unknownFields().isEmpty()) {
            log.atWarn()
                    .addKeyValue("messageId", message.messageId())
                    .log("Message fields ignored (not job variables): " + request.unknownFields());
        }
        try {
            return OptionalInt.of(runner.run(request.environment(), job.stop()));
        } catch (RuntimeException e) {
            log.atError()
                    .setCause(e)
                    .addKeyValue("messageId", message.messageId())
                    .log("The job ended without an outcome; its message is left for redelivery");
            return OptionalInt.empty();
        }
    }

    private void settle(InFlight job, OptionalInt exitCode) {
        Message message = job.message();
        inFlight.remove(message.messageId()); // no heartbeat for a settled message
        if (exitCode.isEmpty()) {
            return; // visible again when its visibility timeout runs out; the DLQ catches a repeat
        }
        if (!retryable(exitCode.getAsInt())) {
            delete(message, exitCode.getAsInt());
        } else if (job.stop().requested()) {
            release(message, Duration.ZERO, "abandoned: the service is stopping");
        } else {
            release(message, settings.retryDelay(), "TEMPORARY failure, to be received again");
        }
    }

    /** Whether a retry can help a job that exited so: ErrorCategory decides, as for tasks. */
    private static boolean retryable(int exitCode) {
        return Arrays.stream(ErrorCategory.values()).anyMatch(c -> c.exitCode() == exitCode && c.retryable());
    }

    private void delete(Message message, int exitCode) {
        try {
            sqs.deleteMessage(r -> r.queueUrl(settings.queueUrl().toString()).receiptHandle(message.receiptHandle()));
            log.atInfo()
                    .addKeyValue("messageId", message.messageId())
                    .addKeyValue("exitCode", exitCode)
                    .log("Message deleted");
        } catch (SdkException e) {
            // It will be received again; the job then finds its sample COMPLETED or FAILED and the
            // status item, not the queue, stays the truth.
            log.atWarn()
                    .addKeyValue("messageId", message.messageId())
                    .log("Could not delete the message; it will be received again: " + e.getMessage());
        }
    }

    /** Makes the message visible again after {@code delay}. */
    private void release(Message message, Duration delay, String why) {
        try {
            sqs.changeMessageVisibility(r -> r.queueUrl(settings.queueUrl().toString())
                    .receiptHandle(message.receiptHandle())
                    .visibilityTimeout((int) delay.toSeconds()));
            log.atInfo()
                    .addKeyValue("messageId", message.messageId())
                    .addKeyValue("visibleInSeconds", delay.toSeconds())
                    .log("Message left on the queue: " + why);
        } catch (SdkException e) {
            log.atWarn()
                    .addKeyValue("messageId", message.messageId())
                    .log("Could not change the message's visibility; it is received again when it times out: "
                            + e.getMessage());
        }
    }

    /** Keeps every running job's message hidden for another visibility timeout. */
    private void extendVisibility() {
        for (InFlight job : inFlight.values()) {
            Message message = job.message();
            try {
                sqs.changeMessageVisibility(r -> r.queueUrl(settings.queueUrl().toString())
                        .receiptHandle(message.receiptHandle())
                        .visibilityTimeout((int) settings.visibility().toSeconds()));
                log.atDebug().addKeyValue("messageId", message.messageId()).log("Message visibility extended");
            } catch (RuntimeException e) {
                // Caught whatever it is: an exception would end the scheduled heartbeat for good.
                log.atWarn()
                        .addKeyValue("messageId", message.messageId())
                        .log("Could not extend the message's visibility; another task may receive it: "
                                + e.getMessage());
            }
        }
    }

    private void drain() {
        jobs.shutdown();
        try {
            if (!jobs.awaitTermination(settings.drain().toMillis(), TimeUnit.MILLISECONDS)) {
                log.atWarn()
                        .addKeyValue("jobs", inFlight.size())
                        .log("Jobs still running after the drain time of "
                                + settings.drain().toSeconds() + " s: abandoning them");
                inFlight.values().forEach(job -> job.stop().request("the service is stopping (SIGTERM)"));
                if (!jobs.awaitTermination(ABANDON_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    // E.g. stuck in a network read, which an interrupt does not end. The process ends
                    // now, so their samples stay PROCESSING until another task takes the message.
                    log.atError()
                            .addKeyValue("jobs", inFlight.size())
                            .log("Abandoned jobs did not stop within " + ABANDON_GRACE.toSeconds()
                                    + " s; their messages are made visible for another task");
                    inFlight.values().forEach(job -> release(job.message(), Duration.ZERO, "abandoned, not stopped"));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
