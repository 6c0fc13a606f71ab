package app.littlebit.worker.audio;

/** Layout of decoded audio: interleaved 32-bit float frames at a sample rate. */
public record PcmFormat(int sampleRate, int channels) {
    public PcmFormat {
        if (sampleRate <= 0 || channels <= 0) {
            throw new IllegalArgumentException("sample rate and channels must be positive");
        }
    }

    public long framesFor(double millis) {
        return Math.round(millis * sampleRate / 1000.0);
    }

    public double millisFor(long frames) {
        return frames * 1000.0 / sampleRate;
    }
}
