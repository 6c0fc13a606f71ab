package app.littlebit.worker.job;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.pipeline.ProcessingParams;
import app.littlebit.worker.pipeline.SilenceThreshold;

/** The params a job actually ran with, defaults filled in, as echoed in the result. */
public record EffectiveParams(
        boolean createOneShot,
        String thresholdMode,
        Double silenceThreshold,
        int minSilenceDuration,
        int keepSilence,
        double targetDbfs,
        boolean normalizeAudio,
        boolean preserveOriginal,
        String outputFormat,
        boolean autoDetectThreshold,
        String processingVersion,
        String uiVersion,
        String splitMode,
        String normalizeTo) {

    public static EffectiveParams of(ProcessingParams params, AudioFileType outputType) {
        SilenceThreshold threshold = params.silenceThreshold();
        return new EffectiveParams(
                params.createOneShot(),
                threshold.mode(),
                threshold.sentDbfs().orElse(null),
                params.minSilenceMs(),
                params.keepSilenceMs(),
                params.targetDbfs(),
                params.normalizeAudio(),
                params.preserveOriginal(),
                outputType.extension(),
                threshold.autoDetectRequested(),
                params.processingVersion().orElse(null),
                params.uiVersion().orElse(null),
                params.splitMode().paramName(),
                params.normalizeTo().paramName());
    }
}
