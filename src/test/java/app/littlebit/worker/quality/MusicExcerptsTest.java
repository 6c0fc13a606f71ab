package app.littlebit.worker.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.demo.Sound;
import app.littlebit.worker.support.TestAudio;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The music bed of the unseen recordings: whole mixes, in excerpts whose edges are no attacks. */
class MusicExcerptsTest {
    private static final int RATE = 48_000;

    @Test
    void excerptsLastThreeToSixSecondsAndFadeInAndOut(@TempDir Path folder) {
        // A 20 s organ chord at a steady -12 dBFS: any sudden edge of an excerpt would be its own cut.
        float[] chord = new float[20 * RATE];
        for (int f = 0; f < chord.length; f++) {
            double t = (double) f / RATE;
            chord[f] = (float) (0.25 * (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 330 * t)));
        }
        TestAudio.write(chord, new PcmFormat(RATE, 1), AudioFileType.WAV, folder.resolve("track.wav"));
        MusicExcerpts music = MusicExcerpts.in(folder).orElseThrow();
        Random random = new Random(11);
        for (int draw = 0; draw < 10; draw++) {
            Sound excerpt = music.next(random, RATE);
            float[] samples = excerpt.channels()[0];
            assertEquals(1, excerpt.channels().length);
            double seconds = (double) samples.length / RATE;
            assertTrue(seconds >= 3 && seconds <= 6, "lasts " + seconds + " s");
            assertTrue(Math.abs(samples[0]) < 1e-3 && Math.abs(samples[samples.length - 1]) < 1e-3, "edges not faded");
            double middle = 0;
            for (int f = samples.length / 2; f < samples.length / 2 + RATE / 10; f++) {
                middle = Math.max(middle, Math.abs(samples[f]));
            }
            assertTrue(middle > 0.4, "the music itself is kept at its level: " + middle);
        }
    }
}
