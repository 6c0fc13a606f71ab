package app.littlebit.worker.audio;

/** What the probe found in a recording file before decoding it. */
public record RecordingInfo(String codec, int sampleRate, int channels, long durationMs) {
    public PcmFormat pcmFormat() {
        return new PcmFormat(sampleRate, channels);
    }
}
