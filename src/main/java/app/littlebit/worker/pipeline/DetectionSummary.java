package app.littlebit.worker.pipeline;

/** How sounds were found, as the result reports it. */
public record DetectionSummary(String thresholdMode, double noiseFloorDbfs, double thresholdDbfs, int soundsFound) {}
