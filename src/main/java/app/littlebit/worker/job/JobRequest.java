package app.littlebit.worker.job;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.pipeline.ProcessingParams;
import app.littlebit.worker.pipeline.WaveformFile;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * One validated request to turn a recording in S3 into one-shots.
 *
 * @param bucket        the app's storage bucket
 * @param recordingKey  {@code public/unprocessed/<userId>/<name>.<ext>}
 * @param userId        the owner of the recording, who also owns every output
 * @param params        what the app asked for
 * @param statusTarget  where processing status is written, if anywhere
 * @param maxInputBytes recordings larger than this are refused before download
 * @param maxRun        the job's time limit (MAX_RUN_SECONDS); empty: sized from the recording's length
 * @param logLevel      how much the worker logs
 */
public record JobRequest(
        String bucket,
        String recordingKey,
        String userId,
        ProcessingParams params,
        Optional<StatusTarget> statusTarget,
        long maxInputBytes,
        Optional<Duration> maxRun,
        Level logLevel) {

    static final String UNPROCESSED_PREFIX = "public/unprocessed/";
    static final String PROCESSED_PREFIX = "public/processed/";

    /** The file name without folder and extension, e.g. {@code kick} for {@code .../kick.m4a}. */
    public String recordingName() {
        String file = recordingKey.substring(recordingKey.lastIndexOf('/') + 1);
        return file.substring(0, file.lastIndexOf('.'));
    }

    public AudioFileType recordingType() {
        String extension = recordingKey.substring(recordingKey.lastIndexOf('.') + 1);
        return AudioFileType.fromExtension(extension).orElseThrow();
    }

    /** Where this user's one-shots go: {@code public/processed/<userId>/}. */
    public String outputPrefix() {
        return PROCESSED_PREFIX + userId + "/";
    }

    /** The key of one-shot {@code index} (1-based): {@code public/processed/<userId>/<name>-<index>.<ext>}. */
    public String oneShotKey(int index, AudioFileType type) {
        return outputPrefix() + recordingName() + "-" + index + "." + type.extension();
    }

    /** The key of one-shot {@code index}'s waveform: {@code <outputPrefix><name>-<index>.waveform.json}. */
    public String oneShotWaveformKey(int index) {
        return outputPrefix() + recordingName() + "-" + index + WaveformFile.SUFFIX;
    }

    /** The key of the recording's waveform, with the cuts: {@code <outputPrefix><name>-recording.waveform.json}. */
    public String recordingWaveformKey() {
        return outputPrefix() + recordingName() + "-recording" + WaveformFile.SUFFIX;
    }

    /** The key of the untouched copy: {@code public/processed/<userId>/<name>-original.<ext>}. */
    public String originalKey() {
        return outputPrefix() + recordingName() + "-original." + recordingType().extension();
    }
}
