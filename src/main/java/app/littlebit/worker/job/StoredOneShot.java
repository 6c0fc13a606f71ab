package app.littlebit.worker.job;

/**
 * A one-shot as the status item records it: its key and its waveform's key in the app's bucket
 * (the bucket is the job's, so the item does not repeat it), and its figures.
 */
public record StoredOneShot(String key, String waveformKey, OneShot.Figures figures) {
    /** The one-shot as the result reports it, in the given bucket. */
    public OneShot in(String bucket) {
        return new OneShot(new Location.InBucket(bucket, key), figures, new Location.InBucket(bucket, waveformKey));
    }
}
