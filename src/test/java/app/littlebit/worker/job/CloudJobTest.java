package app.littlebit.worker.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.failure.ErrorCategory;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.pipeline.OneShotPipeline;
import app.littlebit.worker.pipeline.ProcessingParams;
import app.littlebit.worker.support.TestAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * Every branch of a cloud job against in-memory storage with the real stores' semantics (the
 * S3Proxy/DynamoDB Local ITs prove the AWS adapters have them), on a real take and the real
 * pipeline: fast enough to cover each way a job can end.
 */
class CloudJobTest {
    private static final String BUCKET = "little-bit-storage";
    private static final String USER = "user-1";
    private static final String KEY = "public/unprocessed/" + USER + "/kick.wav";
    private static final String SAMPLE = "sample-1";
    private static final StatusTarget TARGET = new StatusTarget("Sample-test", SAMPLE);
    /** Three hits: three one-shots, each with a waveform, and the recording's waveform. */
    private static final int HITS = 3;

    private static final int UPLOADS = 2 * HITS + 1;

    @TempDir
    Path dir;

    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final InMemoryStatusStore statuses = new InMemoryStatusStore();
    private final Cancellation cancellation = new Cancellation();
    private byte[] recording;
    private CloudJob job;

    @BeforeEach
    void setUp() throws Exception {
        recording = Files.readAllBytes(TestAudio.write(
                TestAudio.take(new PcmFormat(44_100, 1), -60, 0.6, -12, -9, -6),
                AudioFileType.WAV,
                dir.resolve("kick.wav")));
        objects.put(BUCKET, KEY, recording);
        statuses.create(SAMPLE);
        OneShotPipeline pipeline = new OneShotPipeline(TestAudio.ffmpeg());
        job = new CloudJob(pipeline, objects, statuses, Clock.systemUTC(), Files.createDirectories(dir.resolve("tmp")));
    }

    private static JobRequest request() {
        return new JobRequest(
                BUCKET,
                KEY,
                USER,
                ProcessingParams.defaults(),
                Optional.of(TARGET),
                10_000_000,
                Optional.of(Duration.ofMinutes(5)),
                Level.INFO);
    }

    @Test
    void aRecordingBecomesOneShotsInTheBucketAndTheSampleIsCompleted() {
        JobResult result = job.run(request(), cancellation);

        assertEquals(ProcessingStatus.COMPLETED, result.status(), result.toJson());
        assertEquals(HITS, result.oneShots().size());
        String prefix = "public/processed/" + USER + "/kick";
        assertEquals(
                Set.of(
                        KEY,
                        prefix + "-1.wav",
                        prefix + "-2.wav",
                        prefix + "-3.wav",
                        prefix + "-1.waveform.json",
                        prefix + "-2.waveform.json",
                        prefix + "-3.waveform.json",
                        prefix + "-recording.waveform.json",
                        prefix + "-original.wav"),
                objects.keys(BUCKET));
        assertArrayEquals(recording, objects.get(BUCKET, KEY), "the original is never touched");
        assertEquals(SAMPLE, objects.metadata(BUCKET, prefix + "-2.wav").get("sample-id"));
        InMemoryStatusStore.Item item = statuses.item(SAMPLE);
        assertEquals(ProcessingStatus.COMPLETED, item.status());
        assertEquals(
                List.of(prefix + "-1.wav", prefix + "-2.wav", prefix + "-3.wav"),
                item.outputs().stream().map(StoredOneShot::key).toList());
        assertEquals(prefix + "-recording.waveform.json", item.waveformKey());
        assertEquals(new Location.InBucket(BUCKET, KEY), result.job().source().location());
        assertEquals(recording.length, result.job().source().bytes());
    }

    @Test
    void aSampleAlreadyCompletedIsReportedAsItWasAndNothingIsWritten() {
        StoredOneShot earlier = new StoredOneShot(
                "public/processed/" + USER + "/kick-1.wav",
                "public/processed/" + USER + "/kick-1.waveform.json",
                new OneShot.Figures(
                        1,
                        10,
                        300,
                        290,
                        -1,
                        -0.9,
                        -20,
                        3,
                        1234,
                        "wav",
                        -18,
                        new app.littlebit.worker.audio.Pitch.Unpitched()));
        statuses.completedBy(SAMPLE, "earlier-run", List.of(earlier), "w");

        JobResult.AlreadyCompleted result =
                assertInstanceOf(JobResult.AlreadyCompleted.class, job.run(request(), cancellation));

        assertEquals(ProcessingStatus.COMPLETED, result.status());
        assertEquals("earlier-run", result.alreadyCompletedBy());
        assertEquals(
                new Location.InBucket(BUCKET, earlier.key()),
                result.oneShots().get(0).location(),
                "the stored one-shots are reported with their bucket");
        assertEquals(
                new Location.InBucket(BUCKET, earlier.waveformKey()),
                result.oneShots().get(0).waveform());
        assertEquals(earlier.figures(), result.oneShots().get(0).figures());
        assertEquals(Set.of(KEY), objects.keys(BUCKET), "nothing was downloaded to be processed or written");
        assertEquals("earlier-run", statuses.item(SAMPLE).runId());
    }

    @Test
    void aRunTakenOverMidJobRecordsNothingAndSaysSoAsAConflict() {
        objects.afterUpload(count -> {
            if (count == 1) {
                statuses.claimBy(SAMPLE, "newer-run");
            }
        });

        JobResult.Failed result = assertInstanceOf(JobResult.Failed.class, job.run(request(), cancellation));

        assertEquals(ProcessingStatus.FAILED, result.status());
        assertEquals(ErrorCategory.CONFLICT, result.error().category());
        assertEquals(FailureReason.TAKEN_OVER, result.error().reason());
        assertEquals(73, result.error().category().exitCode());
        assertTrue(
                result.error().message().contains("taken over by another run (newer-run)"),
                result.error().message());
        InMemoryStatusStore.Item item = statuses.item(SAMPLE);
        assertEquals(ProcessingStatus.PROCESSING, item.status(), "neither COMPLETED nor FAILED was written");
        assertEquals("newer-run", item.runId());
    }

    @Test
    void aStopAfterTheUploadsEndsFailedAndRetryableNotCompleted() {
        objects.afterUpload(count -> {
            if (count == UPLOADS) {
                cancellation.cancel("SIGTERM received");
            }
        });

        JobResult.Failed result = assertInstanceOf(JobResult.Failed.class, job.run(request(), cancellation));

        assertEquals(ProcessingStatus.FAILED, result.status());
        assertEquals(FailureReason.STOPPED, result.error().reason());
        assertTrue(result.error().retryable());
        InMemoryStatusStore.Item item = statuses.item(SAMPLE);
        assertEquals(ProcessingStatus.FAILED, item.status());
        assertEquals("stopped", item.reason());
        assertEquals("TEMPORARY", item.category());
    }

    @Test
    void whenTheFailedWriteItselfFailsTheResultStillTellsTheFirstFailure() {
        objects.put(BUCKET, KEY, new byte[0]);
        statuses.failFailedWrites();

        JobResult.Failed result = assertInstanceOf(JobResult.Failed.class, job.run(request(), cancellation));

        assertEquals(ProcessingStatus.FAILED, result.status());
        assertEquals(FailureReason.EMPTY, result.error().reason());
        assertEquals(ErrorCategory.BAD_DATA, result.error().category());
        assertEquals(ProcessingStatus.PROCESSING, statuses.item(SAMPLE).status(), "the FAILED write did not happen");
    }

    @Test
    void anUploadFailureAfterSomeOneShotsEndsFailedTemporaryAndRecordsWhy() {
        objects.failUploadsAfter(2);

        JobResult.Failed result = assertInstanceOf(JobResult.Failed.class, job.run(request(), cancellation));

        assertEquals(ProcessingStatus.FAILED, result.status());
        assertEquals(FailureReason.UNAVAILABLE, result.error().reason());
        assertEquals(ErrorCategory.TEMPORARY, result.error().category());
        assertTrue(result.oneShots().isEmpty());
        InMemoryStatusStore.Item item = statuses.item(SAMPLE);
        assertEquals(ProcessingStatus.FAILED, item.status());
        assertEquals("unavailable", item.reason());
        assertNull(item.outputs(), "no outputs are recorded for a failed run");
    }

    @Test
    void aMissingRecordingIsNotFoundAndRecordedOnTheSample() {
        JobRequest missing = new JobRequest(
                BUCKET,
                "public/unprocessed/" + USER + "/gone.wav",
                USER,
                ProcessingParams.defaults(),
                Optional.of(TARGET),
                10_000_000,
                Optional.of(Duration.ofMinutes(5)),
                Level.INFO);

        JobResult.Failed result = assertInstanceOf(JobResult.Failed.class, job.run(missing, cancellation));

        assertEquals(FailureReason.NOT_FOUND, result.error().reason());
        assertEquals(64, result.error().category().exitCode());
        assertEquals("not-found", statuses.item(SAMPLE).reason());
    }

    @Test
    void theSameJobRunsOneRequestAfterAnother() {
        assertEquals(
                ProcessingStatus.COMPLETED, job.run(request(), cancellation).status());
        statuses.create("sample-2");
        JobRequest second = new JobRequest(
                BUCKET,
                KEY,
                USER,
                ProcessingParams.defaults(),
                Optional.of(new StatusTarget("Sample-test", "sample-2")),
                10_000_000,
                Optional.of(Duration.ofMinutes(5)),
                Level.INFO);

        JobResult result = job.run(second, new Cancellation());

        assertEquals(ProcessingStatus.COMPLETED, result.status());
        assertEquals("sample-2", result.job().sampleId());
        assertEquals(ProcessingStatus.COMPLETED, statuses.item("sample-2").status());
    }
}
