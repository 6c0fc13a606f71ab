package app.littlebit.worker.pipeline;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.audio.LoudnessNormalizer;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.PcmSpool;
import app.littlebit.worker.audio.PitchEstimator;
import app.littlebit.worker.audio.RecordingAnalysis;
import app.littlebit.worker.audio.WaveformBuilder;
import app.littlebit.worker.ffmpeg.OneShotEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one-shots of one recording, a batch per FFmpeg run: cuts, shapes and normalizes each from
 * the spool, applies the ceiling's turn-downs so far, and streams it to the encoder a chunk at a
 * time, so a one-shot as long as the whole recording takes no more memory than a short one. The
 * gain is chosen by a first pass over the one-shot, once, which also finds its pitch; a retry
 * reads the spool again rather than holding a batch in memory. The waveform is drawn from exactly
 * what goes to the encoder, so it shows the gain the file has.
 */
final class OneShotWriter {
    private final OneShotEncoder encoder;
    private final AudioFileType type;
    private final RecordingAnalysis analysis;
    private final PcmSpool spool;
    private final LoudnessNormalizer normalizer;

    OneShotWriter(
            OneShotEncoder encoder,
            AudioFileType type,
            RecordingAnalysis analysis,
            PcmSpool spool,
            LoudnessNormalizer normalizer) {
        this.encoder = encoder;
        this.type = type;
        this.analysis = analysis;
        this.spool = spool;
        this.normalizer = normalizer;
    }

    AudioFileType type() {
        return type;
    }

    PcmFormat format() {
        return analysis.format();
    }

    /** Writes the batch's files and waveforms in one FFmpeg run. */
    void write(List<PendingOneShot> oneShots) {
        PcmFormat format = analysis.format();
        long[] frames = oneShots.stream().mapToLong(o -> o.cut.frames()).toArray();
        List<Path> files = oneShots.stream().map(o -> o.file).toList();
        List<WaveformBuilder> waveforms = new ArrayList<>();
        try (OneShotEncoder.Batch batch = encoder.batch(format, type, frames, files)) {
            for (PendingOneShot oneShot : oneShots) {
                if (oneShot.chosen == null) {
                    PitchEstimator pitch =
                            new PitchEstimator(format, oneShot.cut.onsetFrame() - oneShot.cut.startFrame());
                    oneShot.chosen = normalizer.measure(oneShot.cut, analysis, spool, type.lossy(), pitch);
                    oneShot.pitch = pitch.finish();
                }
                WaveformBuilder waveform = new WaveformBuilder(format);
                waveforms.add(waveform);
                LoudnessNormalizer.apply(
                        oneShot.cut, analysis, spool, oneShot.levels().gainDb(), (samples, count) -> {
                            waveform.accept(samples, count);
                            batch.add(samples, count * format.channels());
                        });
            }
            batch.finish();
            for (int i = 0; i < oneShots.size(); i++) {
                WaveformFile.write(oneShots.get(i).waveform, waveforms.get(i).finish(), null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
