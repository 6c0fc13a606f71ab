package app.littlebit.worker.audio;

/** The band the detector listens to above the hum, for the quality lab to hear a take the same way. */
public final class AboveTheHum {
    private AboveTheHum() {}

    /** Interleaved samples high-passed at {@link RecordingAnalyzer#HIGH_BAND_HERTZ}, channel by channel. */
    public static float[] of(float[] interleaved, PcmFormat format) {
        return Biquad.highPassed(
                interleaved, format.channels(), format.sampleRate(), RecordingAnalyzer.HIGH_BAND_HERTZ);
    }
}
