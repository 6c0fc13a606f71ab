package app.littlebit.worker.audio;

/** Finds the separate sounds in an analysed recording. */
public interface SoundDetector {
    Detection detect(RecordingAnalysis analysis);
}
