package app.littlebit.worker.audio;

/**
 * What a player draws: for each pixel, the lowest and highest sample in it, channels averaged and
 * scaled to 8 bits (-128 … 127). The data of BBC audiowaveform's format, version 2, as peaks.js reads it.
 *
 * @param sampleRate      of the audio it was made from
 * @param samplesPerPixel frames per pixel
 * @param minMax          min, max, min, max, … one pair per pixel
 */
// Pixels handed along to be written, never compared or hashed; a waveform has up to 8192 of them.
@SuppressWarnings("ArrayRecordComponent")
public record Waveform(int sampleRate, int samplesPerPixel, int[] minMax) {
    /** Pixels. */
    public int length() {
        return minMax.length / 2;
    }
}
