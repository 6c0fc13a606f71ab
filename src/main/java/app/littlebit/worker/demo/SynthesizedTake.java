package app.littlebit.worker.demo;

import app.littlebit.worker.audio.PcmFormat;
import java.util.List;

/**
 * A synthesized recording and the truth about it: where each sound starts and where its decay
 * sinks into the noise.
 *
 * @param format  sample rate and channels
 * @param samples interleaved float samples
 * @param hits    every sound, in time order
 */
// Audio buffers handed along, never compared or hashed: copying them per access would cost per sample.
@SuppressWarnings("ArrayRecordComponent")
public record SynthesizedTake(PcmFormat format, float[] samples, List<Hit> hits) {
    public SynthesizedTake {
        hits = List.copyOf(hits);
    }

    /**
     * One sound in the take.
     *
     * @param kind          kick, snare, hat, clap, pluck or tone
     * @param onsetFrame    first frame of the sound
     * @param decayEndFrame last frame where the sound is above the noise floor
     * @param peakDbfs      the sound's own peak level
     */
    public record Hit(String kind, long onsetFrame, long decayEndFrame, double peakDbfs) {}
}
