package app.littlebit.worker.audio;

import java.util.List;

/**
 * What the {@link LevelDetector} found.
 *
 * @param noiseFloorDbfs the recording's background level (RMS, dBFS)
 * @param noiseSpreadDb  how much the background's level over 10 ms fluctuates (dB)
 * @param highNoiseSpreadDb the same above the hum (a brown room's rumble swings far more than its hiss)
 * @param thresholdDbfs  the level a sound had to reach to be found
 * @param sounds         the sounds, in time order, not overlapping
 * @param backgroundCeilingDbfs what the background between the sounds stays under over 5 ms, but
 *                  for its loudest 0.5 % ({@link BackgroundCeiling}); {@link BlockLevels#SILENCE_DB}
 *                  when that is not known (too little between them, or the user's threshold)
 * @param highBackgroundCeilingDbfs the same above the hum
 */
public record Detection(
        double noiseFloorDbfs,
        double noiseSpreadDb,
        double highNoiseSpreadDb,
        double thresholdDbfs,
        List<DetectedSound> sounds,
        double backgroundCeilingDbfs,
        double highBackgroundCeilingDbfs) {
    public Detection {
        sounds = List.copyOf(sounds);
    }
}
