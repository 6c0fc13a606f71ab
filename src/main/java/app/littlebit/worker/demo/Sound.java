package app.littlebit.worker.demo;

/**
 * One clean one-shot before it is placed in a take: no noise, its own level.
 *
 * @param kind     what it is (kick, snare, … or a drum-kit sample's file name)
 * @param channels one array per channel (1 or 2), all the same length
 */
// Audio buffers handed along, never compared or hashed: copying them per access would cost per sample.
@SuppressWarnings("ArrayRecordComponent")
public record Sound(String kind, float[][] channels) {
    public int frames() {
        return channels[0].length;
    }
}
