package app.littlebit.worker.job;

import static app.littlebit.worker.pipeline.OneShotPipeline.round;

import app.littlebit.worker.audio.OneShotCut;
import app.littlebit.worker.audio.OneShotLevels;
import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.Pitch;
import app.littlebit.worker.pipeline.OneShotPipeline;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.util.NameTransformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One finished one-shot, as reported to the app: where it is, its figures, and where its waveform
 * is. Written flat, as the README's schema has it: {@code bucket}+{@code key} or {@code path},
 * the figures, then {@code waveformKey} (same bucket) or {@code waveformPath}.
 *
 * @param location where the one-shot is
 * @param figures  what it is
 * @param waveform where its waveform JSON is: beside it, in the same bucket or on disk
 */
@JsonSerialize(using = OneShot.Json.class)
public record OneShot(Location location, Figures figures, Location waveform) {
    public OneShot {
        boolean beside = location instanceof Location.InBucket object
                ? waveform instanceof Location.InBucket waveformObject
                        && waveformObject.bucket().equals(object.bucket())
                : waveform instanceof Location.OnDisk;
        if (!beside) {
            throw new IllegalArgumentException(
                    "A one-shot's waveform is stored beside it: " + location + ", " + waveform);
        }
    }

    /**
     * What a one-shot is, wherever it is stored.
     *
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
     */
    public record Figures(
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
            @JsonSerialize(using = PitchJson.class) Pitch pitch) {

        /** The figures of a one-shot the pipeline wrote to disk, rounded as the result reports them. */
        static Figures of(OneShotPipeline.Produced produced) {
            OneShotLevels levels = produced.levels();
            OneShotCut cut = produced.cut();
            PcmFormat format = produced.format();
            try {
                return new Figures(
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
                        produced.pitch());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A one-shot the pipeline wrote to disk, where it lies (a local run). */
    static OneShot written(OneShotPipeline.Produced produced) {
        return new OneShot(
                Location.OnDisk.of(produced.file()), Figures.of(produced), Location.OnDisk.of(produced.waveform()));
    }

    /** The one-shot's file, for a local run's report. */
    public Path file() {
        return onDisk(location);
    }

    /** Its waveform's file, for a local run's report. */
    public Path waveformFile() {
        return onDisk(waveform);
    }

    private static Path onDisk(Location location) {
        if (location instanceof Location.OnDisk file) {
            return Path.of(file.path());
        }
        throw new IllegalStateException("Not a file on disk but " + location);
    }

    /** The flat shape the README documents. */
    static final class Json extends StdSerializer<OneShot> {
        Json() {
            super(OneShot.class);
        }

        @Override
        public void serialize(OneShot oneShot, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeStartObject();
            flat(oneShot.location(), json, provider);
            flat(oneShot.figures(), json, provider);
            if (oneShot.waveform() instanceof Location.InBucket object) {
                json.writeStringField("waveformKey", object.key());
            } else if (oneShot.waveform() instanceof Location.OnDisk file) {
                json.writeStringField("waveformPath", file.path());
            }
            json.writeEndObject();
        }

        private static void flat(Object value, JsonGenerator json, SerializerProvider provider) throws IOException {
            provider.findValueSerializer(value.getClass())
                    .unwrappingSerializer(NameTransformer.NOP)
                    .serialize(value, json, provider);
        }
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
