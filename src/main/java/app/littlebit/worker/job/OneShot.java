package app.littlebit.worker.job;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One finished one-shot, as reported to the app.
 *
 * @param bucket        S3 bucket (cloud jobs)
 * @param key           S3 key (cloud jobs)
 * @param path          file path (local runs)
 * @param index         1-based position in the recording
 * @param sourceStartMs where the one-shot starts in the recording (pre-roll included)
 * @param sourceEndMs   where it ends in the recording
 * @param durationMs    its length
 * @param peakDbfs      sample peak after normalization
 * @param truePeakDbfs  4x-oversampled peak after normalization
 * @param loudnessDbfs  RMS loudness after normalization
 * @param gainDb        gain applied
 * @param bytes         file size
 * @param format        file type (extension)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OneShot(
        String bucket,
        String key,
        String path,
        int index,
        double sourceStartMs,
        double sourceEndMs,
        double durationMs,
        double peakDbfs,
        double truePeakDbfs,
        double loudnessDbfs,
        double gainDb,
        long bytes,
        String format) {

    /** The same one-shot, now stored in S3. */
    public OneShot storedAt(String bucket, String key) {
        return new OneShot(bucket, key, null, index, sourceStartMs, sourceEndMs, durationMs, peakDbfs,
                truePeakDbfs, loudnessDbfs, gainDb, bytes, format);
    }
}
