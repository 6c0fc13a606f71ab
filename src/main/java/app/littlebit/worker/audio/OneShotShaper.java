package app.littlebit.worker.audio;

import java.io.IOException;

/** Cuts a one-shot out of the recording: removes DC offset and applies the click-free fades. */
public final class OneShotShaper {
    private OneShotShaper() {
    }

    public static float[] shape(OneShotCut cut, RecordingAnalysis analysis, PcmSource pcm) throws IOException {
        int channels = analysis.format().channels();
        float[] samples = pcm.read(cut.startFrame(), Math.toIntExact(cut.frames()));
        int frames = samples.length / channels;
        double[] dc = analysis.dcOffsets();
        for (int f = 0; f < frames; f++) {
            double gain = fadeGain(f, frames, cut.fadeInFrames(), cut.fadeOutFrames());
            for (int c = 0; c < channels; c++) {
                int i = f * channels + c;
                samples[i] = (float) ((samples[i] - dc[c]) * gain);
            }
        }
        return samples;
    }

    /** Raised-cosine fades: no corner at either end, so no click. */
    private static double fadeGain(int frame, int frames, int fadeIn, int fadeOut) {
        double gain = 1;
        if (frame < fadeIn) {
            gain *= halfCosine((frame + 0.5) / fadeIn);
        }
        int fromEnd = frames - 1 - frame;
        if (fromEnd < fadeOut) {
            gain *= halfCosine((fromEnd + 0.5) / fadeOut);
        }
        return gain;
    }

    private static double halfCosine(double position) {
        return 0.5 - 0.5 * Math.cos(Math.PI * position);
    }
}
