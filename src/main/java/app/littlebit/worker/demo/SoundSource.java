package app.littlebit.worker.demo;

import java.util.Random;

/** Where a corpus takes its sounds from: a synthesizer or a library of recorded drum samples. */
public interface SoundSource {
    /** A sound at the given sample rate, chosen and varied with the given random source. */
    Sound next(Random random, int sampleRate);
}
