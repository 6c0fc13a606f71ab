package app.littlebit.worker.quality;

import app.littlebit.worker.demo.Room;
import app.littlebit.worker.demo.SynthesizedTake;

/**
 * One recording of a corpus with its truth.
 *
 * @param name unique within the corpus, used for file names
 * @param room where and how it was recorded
 * @param take the audio and the truth about every hit
 */
public record CorpusTake(String name, Room room, SynthesizedTake take) {}
