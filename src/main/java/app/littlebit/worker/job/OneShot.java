package app.littlebit.worker.job;

import static app.littlebit.worker.pipeline.OneShotPipeline.round;

import app.littlebit.worker.audio.OneShotCut;
import app.littlebit.worker.audio.OneShotLevels;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.Pitch;
import app.littlebit.worker.pipeline.OneShotPipeline;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * One finished one-shot, as reported to the app.
 *
 * @param bucket        S3 bucket (cloud jobs)
 * @param key           S3 key (cloud jobs)
 * @param path          file path (local runs)
 * @param index         1-based position in the recording
 * @param sourceStartMs where the one-shot starts in the recording (pre-roll included)
 * @param sourceEndMs   where it ends in the recording
 * @param durationMs    its length
 * @param peakDbfs      sample peak after normalization
 * @param truePeakDbfs  4x-oversampled peak after normalization
 * @param rmsDbfs       RMS level after normalization, dBFS; its JSON field is "loudnessDbfs" (named
 *                      before the LUFS figure existed; kept so the app's readers do not break)
 * @param gainDb        gain applied
 * @param bytes         file size
 * @param format        file type (extension)
 * @param loudnessLufs  integrated loudness after normalization, LUFS (ITU-R BS.1770-4; -70 at most
 *                      quiet, the absolute gate)
 * @param pitch         its note, written as {@code null} when it has none
 * @param waveformKey   S3 key of its waveform JSON, same bucket (cloud jobs)
 * @param waveformPath  path of its waveform JSON (local runs)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OneShot(
        String bucket,
        String key,
        String path,
        int index,
        double sourceStartMs,
        double sourceEndMs,
        double durationMs,
        double peakDbfs,
        double truePeakDbfs,
        @JsonProperty("loudnessDbfs") double rmsDbfs,
        double gainDb,
        long bytes,
        String format,
        double loudnessLufs,
        @JsonSerialize(using = PitchJson.class) Pitch pitch,
        String waveformKey,
        String waveformPath) {

    /** A one-shot the pipeline wrote to disk, as the result reports it (its path, its figures rounded). */
    static OneShot written(OneShotPipeline.Produced produced) {
        OneShotLevels levels = produced.levels();
        OneShotCut cut = produced.cut();
        PcmFormat format = produced.format();
        try {
            return new OneShot(
                    null,
                    null,
                    produced.file().toString(),
                    produced.index(),
                    round(format.millisFor(cut.startFrame())),
                    round(format.millisFor(cut.endFrame())),
                    round(format.millisFor(cut.frames())),
                    round(levels.peakDbfs()),
                    round(levels.truePeakDbfs()),
                    round(levels.rmsDbfs()),
                    round(levels.gainDb()),
                    Files.size(produced.file()),
                    produced.type().extension(),
                    round(Math.max(OneShotLevels.ABSOLUTE_GATE_LUFS, levels.loudnessLufs())),
                    produced.pitch(),
                    null,
                    produced.waveform().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same one-shot and its waveform, now stored in S3. */
    public OneShot storedAt(String bucket, String key, String waveformKey) {
        return new OneShot(
                bucket,
                key,
                null,
                index,
                sourceStartMs,
                sourceEndMs,
                durationMs,
                peakDbfs,
                truePeakDbfs,
                rmsDbfs,
                gainDb,
                bytes,
                format,
                loudnessLufs,
                pitch,
                waveformKey,
                null);
    }

    /**
     * A pitch as the app reads it: {@code {"hz":440.0,"midiNote":69,"note":"A4","cents":0.0,
     * "confidence":0.97}}, or {@code null} for an unpitched one-shot.
     */
    static final class PitchJson extends StdSerializer<Pitch> {
        PitchJson() {
            super(Pitch.class);
        }

        @Override
        public void serialize(Pitch pitch, JsonGenerator json, SerializerProvider provider) throws IOException {
            if (pitch instanceof Pitch.Pitched pitched) {
                json.writeStartObject();
                json.writeNumberField("hz", round(pitched.hertz()));
                json.writeNumberField("midiNote", pitched.midiNote());
                json.writeStringField("note", pitched.noteName());
                json.writeNumberField("cents", round(pitched.cents()));
                json.writeNumberField("confidence", round(pitched.confidence()));
                json.writeEndObject();
            } else {
                json.writeNull();
            }
        }
    }
}
