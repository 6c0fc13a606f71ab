package app.littlebit.worker.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Where the detector tells the onset locator to look: before the search, nothing of the sound. */
class LevelDetectorTest {
    /**
     * A shaker that creeps up out of a cymbal's ring for 15 ms before its steepest rise (a
     * soundfont cabasa over a crash, in the lab's tuning half). The onset search takes its first
     * 20 ms as the background it measures the attack against, so that stretch must lie wholly
     * before the creep; searched for from 30 ms before the steepest rise, it held the creep's
     * start, and the cabasa was placed 11 ms late.
     */
    @Test
    void aSoundCreepingInWithinAnotherIsSearchedForFromBeforeItsCreep() {
        PcmFormat format = new PcmFormat(48_000, 1);
        float[] samples = new float[format.sampleRate() * 3];
        Random random = new Random(3);
        long cymbal = format.framesFor(500);
        long shaker = format.framesFor(1800);
        for (int i = 0; i < samples.length; i++) {
            double ring = i < cymbal ? 0 : 0.1 * Math.exp(-(i - cymbal) / (1.5 * format.sampleRate()));
            double since = (i - shaker) / (double) format.sampleRate();
            // 3 dB over the ring in 15 ms, then 15 dB more in 10 ms, then a quick decay.
            double overRingDb =
                    since < 0.015 ? 3 * since / 0.015 : since < 0.025 ? 3 + 15 * (since - 0.015) / 0.01 : 18;
            double shakerGain = since < 0
                    ? 0
                    : Math.sqrt(Math.pow(10, overRingDb / 10) - 1)
                            * (since < 0.025 ? 1 : Math.exp(-(since - 0.025) / 0.04));
            samples[i] = (float) (ring * (1 + shakerGain) * random.nextGaussian() + 1e-4 * random.nextGaussian());
        }
        RecordingAnalyzer analyzer = new RecordingAnalyzer(format);
        analyzer.accept(samples, samples.length);
        RecordingAnalysis analysis = analyzer.finish();

        List<DetectedSound> sounds = new LevelDetector(Optional.empty(), 750, SplitMode.ONSETS)
                .detect(analysis)
                .sounds();

        assertEquals(2, sounds.size(), sounds.toString());
        long backgroundEnd = analysis.blockStartFrame(sounds.get(1).searchFromBlock())
                + format.framesFor(OnsetLocator.BACKGROUND_MILLIS);
        assertTrue(
                backgroundEnd <= shaker,
                "the onset search's background runs to " + format.millisFor(backgroundEnd) + " ms, into the shaker at "
                        + format.millisFor(shaker) + " ms");
    }
}
