package app.littlebit.worker.pipeline;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.OneShotCut;
import app.littlebit.worker.audio.OneShotLevels;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.Pitch;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * A one-shot on its way to a file: the levels normalization chose, how far the ceiling has
 * turned it down since, its peak as decoded (lossy files), and its pitch. Written by one encoding
 * thread at a time.
 */
final class PendingOneShot {
    final int index;
    final OneShotCut cut;
    final Path file;
    final Path waveform;
    OneShotLevels chosen;
    Pitch pitch;
    double turnDownDb;
    OptionalDouble decodedPeakDbfs = OptionalDouble.empty();

    PendingOneShot(int index, OneShotCut cut, Path file, Path waveform) {
        this.index = index;
        this.cut = cut;
        this.file = file;
        this.waveform = waveform;
    }

    OneShotLevels levels() {
        OneShotLevels turned = chosen.plus(-turnDownDb);
        return decodedPeakDbfs.isPresent() ? turned.withPeak(decodedPeakDbfs.getAsDouble()) : turned;
    }

    OneShotPipeline.Produced produced(AudioFileType type, PcmFormat format) {
        return new OneShotPipeline.Produced(index, file, type, cut, format, levels(), pitch, waveform);
    }
}
