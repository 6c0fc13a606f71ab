package app.littlebit.worker.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.failure.WorkerException;
import app.littlebit.worker.job.EnvironmentParser;
import app.littlebit.worker.job.JobRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobMessageTest {
    private static final Map<String, String> SERVICE = Map.of(
            "STATUS_TABLE", "Sample-abc", "LOG_LEVEL", "DEBUG", "S3_KEY", "public/unprocessed/service/not-this.m4a");

    private static JobMessage.Job job(String body) {
        return assertInstanceOf(JobMessage.Job.class, JobMessage.parse(body, SERVICE));
    }

    @Test
    void aMessageBecomesTheSameRequestAsATaskWithThoseVariables() {
        JobMessage.Job job = job(
                "{\"S3_BUCKET\":\"little-bit-storage\",\"S3_KEY\":\"public/unprocessed/u-1/kick.m4a\","
                        + "\"USER_ID\":\"u-1\",\"SAMPLE_ID\":\"s-1\",\"PROCESSING_PARAMS\":{\"outputFormat\":\"wav\",\"keepSilence\":80}}");
        JobRequest request = EnvironmentParser.parse(job.environment());
        assertEquals("public/unprocessed/u-1/kick.m4a", request.recordingKey());
        assertEquals("Sample-abc", request.statusTarget().orElseThrow().table());
        assertEquals("s-1", request.statusTarget().orElseThrow().sampleId());
        assertEquals(80, request.params().keepSilenceMs());
        assertEquals(Optional.of("s-1"), job.sampleId());
        assertEquals("DEBUG", job.environment().get("LOG_LEVEL"), "service settings are kept");
    }

    @Test
    void paramsMayAlsoBeAJsonString() {
        JobMessage.Job job = job("{\"S3_BUCKET\":\"b-1\",\"S3_KEY\":\"public/unprocessed/u/a.wav\",\"USER_ID\":\"u\","
                + "\"PROCESSING_PARAMS\":\"{\\\"outputFormat\\\":\\\"flac\\\"}\"}");
        assertEquals("{\"outputFormat\":\"flac\"}", job.environment().get("PROCESSING_PARAMS"));
    }

    @Test
    void wrongTypesReachValidationAsTextAndFailThereNamingTheVariable() {
        JobMessage.Job job = job("{\"S3_BUCKET\":\"b-1\",\"S3_KEY\":42,\"USER_ID\":\"u\",\"SAMPLE_ID\":\"s-2\"}");
        WorkerException e = assertThrows(WorkerException.class, () -> EnvironmentParser.parse(job.environment()));
        assertTrue(e.getMessage().contains("S3_KEY"), e.getMessage());
        assertEquals(Optional.of("s-2"), job.sampleId(), "the sample is known, so it can be marked FAILED");
        assertTrue(EnvironmentParser.statusTargetOnly(job.environment()).isPresent());
    }

    @Test
    void theServiceDecidesEverythingButTheFiveJobVariables() {
        JobMessage.Job job = job("{\"S3_BUCKET\":\"b-1\",\"S3_KEY\":\"public/unprocessed/u/a.wav\",\"USER_ID\":\"u\","
                + "\"STATUS_TABLE\":\"Other\",\"LOG_LEVEL\":\"TRACE\",\"AWS_ENDPOINT_URL\":\"http://x\"}");
        assertEquals("DEBUG", job.environment().get("LOG_LEVEL"));
        assertFalse(job.environment().containsKey("AWS_ENDPOINT_URL"));
        assertFalse(job.environment().containsKey("STATUS_TABLE"), "no SAMPLE_ID: untracked, not another table");
        assertEquals(List.of("AWS_ENDPOINT_URL", "LOG_LEVEL", "STATUS_TABLE"), job.unknownFields());
    }

    @Test
    void aBodyThatIsNoJsonObjectIsUnreadable() {
        for (String body : List.of("", "not json", "[1,2]", "\"text\"", "{\"S3_KEY\":\"a\",\"S3_KEY\":\"b\"}")) {
            assertInstanceOf(JobMessage.Unreadable.class, JobMessage.parse(body, SERVICE), body);
        }
    }
}
