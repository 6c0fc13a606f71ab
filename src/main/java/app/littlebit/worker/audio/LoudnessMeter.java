package app.littlebit.worker.audio;

/**
 * Measures a signal that arrives in parts: RMS, integrated loudness, sample peak and true peak,
 * each exactly as if the whole signal had been measured at once.
 */
final class LoudnessMeter implements PcmConsumer {
    private final int channels;
    private final TruePeakMeter truePeak;
    private final IntegratedLoudnessMeter loudness;
    private double sumOfSquares;
    private long samples;
    private double samplePeak;

    LoudnessMeter(PcmFormat format) {
        this.channels = format.channels();
        this.truePeak = new TruePeakMeter(channels);
        this.loudness = new IntegratedLoudnessMeter(format);
    }

    /**
     * Levels before any gain, dBFS; negative infinity for silence.
     *
     * @param rmsDbfs      RMS over all samples of all channels
     * @param loudnessLufs integrated loudness, LUFS
     * @param peakDbfs     sample peak
     * @param truePeakDbfs 4x-oversampled peak
     */
    record Levels(double rmsDbfs, double loudnessLufs, double peakDbfs, double truePeakDbfs) {}

    @Override
    public void accept(float[] interleaved, int frames) {
        int count = frames * channels;
        for (int i = 0; i < count; i++) {
            float s = interleaved[i];
            sumOfSquares += (double) s * s;
            samplePeak = Math.max(samplePeak, Math.abs(s));
        }
        samples += count;
        truePeak.accept(interleaved, frames);
        loudness.accept(interleaved, frames);
    }

    /** The levels of everything received; the meter takes no more after this. */
    Levels finish() {
        double rms = samples == 0 ? Double.NEGATIVE_INFINITY : dB(Math.sqrt(sumOfSquares / samples));
        return new Levels(rms, loudness.finish(), dB(samplePeak), dB(truePeak.finish()));
    }

    private static double dB(double amplitude) {
        return 20 * Math.log10(amplitude);
    }
}
