package app.littlebit.worker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.Pitch;
import app.littlebit.worker.failure.FailureReason;
import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.pipeline.DetectionSummary;
import app.littlebit.worker.pipeline.ProcessingParams;
import app.littlebit.worker.support.EarlierOneShots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The result line is the app's contract: byte for byte as the README shows it. The completed cloud
 * result is compared with the README's own example; the other shapes with the fields the README's
 * table lists for them.
 */
class ResultJsonTest {
    private static final String BUCKET = "little-bit-storage";
    private static final String PREFIX = "public/processed/user123/";
    private static final EffectiveParams PARAMS = EffectiveParams.of(ProcessingParams.defaults(), AudioFileType.M4A);
    private static final String PARAMS_JSON = "{\"createOneShot\":true,\"thresholdMode\":\"adaptive\","
            + "\"silenceThreshold\":null,\"minSilenceDuration\":750,\"keepSilence\":50,\"targetDbfs\":-20.0,"
            + "\"normalizeAudio\":true,\"preserveOriginal\":true,\"outputFormat\":\"m4a\",\"autoDetectThreshold\":false,"
            + "\"processingVersion\":null,\"uiVersion\":null,\"splitMode\":\"onsets\",\"normalizeTo\":\"rms\"}";

    @Test
    void aCompletedCloudResultIsTheReadmesExample() throws IOException {
        JobResult.Source source = JobResult.Source.at(
                        new Location.InBucket(BUCKET, "public/unprocessed/user123/kick.m4a"))
                .withBytes(369273)
                .decoded(new app.littlebit.worker.audio.RecordingInfo("aac", 44100, 1, 15209));
        List<OneShot> oneShots = List.of(
                new StoredOneShot(
                                PREFIX + "kick-1.m4a",
                                PREFIX + "kick-1.waveform.json",
                                new OneShot.Figures(
                                        1,
                                        596.1,
                                        1795.62,
                                        1199.52,
                                        -4.7,
                                        -4.48,
                                        -20.0,
                                        1.35,
                                        30075,
                                        "m4a",
                                        -22.2,
                                        new Pitch.Unpitched()))
                        .in(BUCKET),
                new StoredOneShot(
                                PREFIX + "kick-5.m4a",
                                PREFIX + "kick-5.waveform.json",
                                new OneShot.Figures(
                                        5,
                                        7197.03,
                                        8996.53,
                                        1799.5,
                                        -5.46,
                                        -5.45,
                                        -20.0,
                                        3.52,
                                        44552,
                                        "m4a",
                                        -20.76,
                                        Pitch.Pitched.of(220.0, 1.0)))
                        .in(BUCKET));
        JobResult result = new JobResult.Completed(
                new JobResult.Job("0.1.0", "s-1", "user123", source, PARAMS),
                new DetectionSummary("adaptive", -58.66, -52.73, 8),
                oneShots,
                new JobResult.StoredFile(new Location.InBucket(BUCKET, PREFIX + "kick-original.m4a"), 369273),
                new JobResult.StoredFile(new Location.InBucket(BUCKET, PREFIX + "kick-recording.waveform.json"), 14195),
                timings(155, 134, 136, 595, 87, 255, 1427));

        assertEquals(readmeExample(), result.toJson());
    }

    @Test
    void aOneShotsWaveformIsStoredBesideIt() {
        OneShot.Figures figures =
                new OneShot.Figures(1, 0, 10, 10, -1, -1, -20, 0, 100, "wav", -20, new Pitch.Unpitched());
        assertThrows(
                IllegalArgumentException.class,
                () -> new OneShot(
                        new Location.InBucket(BUCKET, PREFIX + "a.wav"),
                        figures,
                        new Location.OnDisk("a.waveform.json")));
        assertThrows(
                IllegalArgumentException.class,
                () -> new OneShot(
                        new Location.InBucket(BUCKET, PREFIX + "a.wav"),
                        figures,
                        new Location.InBucket("another-bucket", PREFIX + "a.waveform.json")));
        assertThrows(
                IllegalArgumentException.class,
                () -> new OneShot(
                        new Location.OnDisk("a.wav"),
                        figures,
                        new Location.InBucket(BUCKET, PREFIX + "a.waveform.json")));
    }

    @Test
    void aFailedCloudResultHasTheErrorAndNoOutputs() {
        JobResult.Source source =
                JobResult.Source.at(new Location.InBucket(BUCKET, "public/unprocessed/user123/kick.m4a"));
        JobResult result = new JobResult.Failed(
                new JobResult.Job("0.1.0", "s-1", "user123", source, PARAMS),
                timings(0, 0, 0, 0, 0, 12, 40),
                JobResult.Failure.of(WorkerException.of(
                        FailureReason.NOT_FOUND,
                        "The recording s3://little-bit-storage/public/unprocessed/user123/"
                                + "kick.m4a does not exist or may not be read (no such bucket or key)")));

        assertEquals(
                "{\"status\":\"FAILED\",\"workerVersion\":\"0.1.0\",\"sampleId\":\"s-1\",\"userId\":\"user123\","
                        + "\"source\":{\"bucket\":\"little-bit-storage\",\"key\":\"public/unprocessed/user123/kick.m4a\"},"
                        + "\"params\":" + PARAMS_JSON + ",\"oneShots\":[],"
                        + "\"timingsMs\":{\"download\":0,\"decode\":0,\"analyze\":0,\"encode\":0,\"upload\":0,\"status\":12,"
                        + "\"total\":40},"
                        + "\"error\":{\"category\":\"BAD_INPUT\",\"reason\":\"not-found\",\"message\":\"The recording "
                        + "s3://little-bit-storage/public/unprocessed/user123/kick.m4a does not exist or may not be read "
                        + "(no such bucket or key)\",\"retryable\":false}}",
                result.toJson());
    }

    @Test
    void aCompletedLocalResultHasPathsWhereTheCloudHasBucketsAndKeys() {
        JobResult result = localResult(new JobResult.StoredFile(new Location.OnDisk("out/kick-original.wav"), 88244));

        assertEquals(localJson(ORIGINAL_ON_DISK_JSON), result.toJson());
    }

    /** Without {@code preserveOriginal} there is no copy: the field is left out, not written as null. */
    @Test
    void aCompletedResultWithoutTheOriginalLeavesItOut() {
        assertEquals(localJson(""), localResult(null).toJson());
    }

    private static final String ORIGINAL_ON_DISK_JSON =
            "\"original\":{\"path\":\"out/kick-original.wav\",\"bytes\":88244},";

    private static JobResult localResult(JobResult.StoredFile original) {
        JobResult.Source source = JobResult.Source.at(new Location.OnDisk("takes/kick.wav"))
                .withBytes(88244)
                .decoded(new app.littlebit.worker.audio.RecordingInfo("pcm_s16le", 44100, 1, 1000));
        OneShot oneShot = new OneShot(
                new Location.OnDisk("out/kick-1.wav"),
                new OneShot.Figures(
                        1, 98.0, 620.5, 522.5, -1.0, -0.98, -20.0, 2.5, 46126, "wav", -19.1, new Pitch.Unpitched()),
                new Location.OnDisk("out/kick-1.waveform.json"));
        return new JobResult.Completed(
                new JobResult.Job(
                        "dev", null, null, source, EffectiveParams.of(ProcessingParams.defaults(), AudioFileType.WAV)),
                new DetectionSummary("adaptive", -60.0, -50.0, 1),
                List.of(oneShot),
                original,
                new JobResult.StoredFile(new Location.OnDisk("out/kick-recording.waveform.json"), 2048),
                timings(0, 30, 2, 40, 0, 0, 80));
    }

    /** {@link #localResult}'s line, with {@code originalJson} (the field and its comma, or nothing). */
    private static String localJson(String originalJson) {
        return "{\"status\":\"COMPLETED\",\"workerVersion\":\"dev\","
                + "\"source\":{\"path\":\"takes/kick.wav\",\"bytes\":88244,\"durationMs\":1000,\"codec\":\"pcm_s16le\","
                + "\"sampleRate\":44100,\"channels\":1},"
                + "\"params\":" + PARAMS_JSON.replace("\"outputFormat\":\"m4a\"", "\"outputFormat\":\"wav\"")
                + ","
                + "\"detection\":{\"thresholdMode\":\"adaptive\",\"noiseFloorDbfs\":-60.0,\"thresholdDbfs\":-50.0,"
                + "\"soundsFound\":1},"
                + "\"oneShots\":[{\"path\":\"out/kick-1.wav\",\"index\":1,\"sourceStartMs\":98.0,\"sourceEndMs\":620.5,"
                + "\"durationMs\":522.5,\"peakDbfs\":-1.0,\"truePeakDbfs\":-0.98,\"loudnessDbfs\":-20.0,\"gainDb\":2.5,"
                + "\"bytes\":46126,\"format\":\"wav\",\"loudnessLufs\":-19.1,\"pitch\":null,"
                + "\"waveformPath\":\"out/kick-1.waveform.json\"}],"
                + originalJson
                + "\"recordingWaveform\":{\"path\":\"out/kick-recording.waveform.json\",\"bytes\":2048},"
                + "\"timingsMs\":{\"download\":0,\"decode\":30,\"analyze\":2,\"encode\":40,\"upload\":0,\"status\":0,"
                + "\"total\":80}}";
    }

    @Test
    void anAlreadyCompletedResultHasTheEarlierRunsOneShotsAndItsId() {
        OneShot earlier = EarlierOneShots.kick(BUCKET, PREFIX);
        JobResult result = new JobResult.AlreadyCompleted(
                new JobResult.Job(
                        "0.1.0",
                        "s-1",
                        "user123",
                        JobResult.Source.at(new Location.InBucket(BUCKET, "public/unprocessed/user123/kick.m4a")),
                        PARAMS),
                List.of(earlier),
                timings(0, 0, 0, 0, 0, 9, 15),
                "earlier-run");

        assertEquals(
                "{\"status\":\"COMPLETED\",\"workerVersion\":\"0.1.0\",\"sampleId\":\"s-1\",\"userId\":\"user123\","
                        + "\"source\":{\"bucket\":\"little-bit-storage\",\"key\":\"public/unprocessed/user123/kick.m4a\"},"
                        + "\"params\":" + PARAMS_JSON + ","
                        + "\"oneShots\":[{\"bucket\":\"little-bit-storage\",\"key\":\"public/processed/user123/kick-1.m4a\","
                        + "\"index\":1,\"sourceStartMs\":10.0,\"sourceEndMs\":300.0,\"durationMs\":290.0,\"peakDbfs\":-1.0,"
                        + "\"truePeakDbfs\":-0.9,\"loudnessDbfs\":-20.0,\"gainDb\":3.0,\"bytes\":1234,\"format\":\"m4a\","
                        + "\"loudnessLufs\":-18.0,\"pitch\":null,"
                        + "\"waveformKey\":\"public/processed/user123/kick-1.waveform.json\"}],"
                        + "\"timingsMs\":{\"download\":0,\"decode\":0,\"analyze\":0,\"encode\":0,\"upload\":0,\"status\":9,"
                        + "\"total\":15},"
                        + "\"alreadyCompletedBy\":\"earlier-run\"}",
                result.toJson());
    }

    @Test
    void aRefusedLocalRequestHasOnlyTheError() {
        JobResult result = JobResult.Failed.refused(WorkerException.of(
                FailureReason.BAD_PARAMS, "PROCESSING_PARAMS is invalid: targetDbfs must be -30 to -10, got 5"));

        assertEquals(
                "{\"status\":\"FAILED\",\"workerVersion\":\"" + WorkerVersion.get() + "\",\"oneShots\":[],"
                        + "\"error\":{\"category\":\"BAD_INPUT\",\"reason\":\"bad-params\",\"message\":\"PROCESSING_PARAMS is "
                        + "invalid: targetDbfs must be -30 to -10, got 5\",\"retryable\":false}}",
                result.toJson());
    }

    /** The README's example result, joined back into the one line the worker prints. */
    private static String readmeExample() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## The result (one JSON line on stdout)");
        int start = readme.indexOf("```json\n", section) + "```json\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        return block.lines().map(String::strip).reduce("", String::concat);
    }

    private static Map<String, Long> timings(
            long download, long decode, long analyze, long encode, long upload, long status, long total) {
        Map<String, Long> timings = new LinkedHashMap<>();
        timings.put("download", download);
        timings.put("decode", decode);
        timings.put("analyze", analyze);
        timings.put("encode", encode);
        timings.put("upload", upload);
        timings.put("status", status);
        timings.put("total", total);
        return timings;
    }
}
