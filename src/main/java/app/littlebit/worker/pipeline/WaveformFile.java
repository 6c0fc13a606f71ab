package app.littlebit.worker.pipeline;

import app.littlebit.worker.audio.Waveform;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A waveform as BBC audiowaveform writes it with {@code --output-format json} (version 2), so
 * peaks.js and other players read it as it is; the recording's also lists where each one-shot was
 * cut, which such players ignore.
 *
 * @param cuts the one-shots cut from the recording; absent in a one-shot's own file
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// The JSON document's shape for Jackson: written once, never compared or hashed.
@SuppressWarnings("ArrayRecordComponent")
public record WaveformFile(
        int version,
        int channels,
        @JsonProperty("sample_rate") int sampleRate,
        @JsonProperty("samples_per_pixel") int samplesPerPixel,
        int bits,
        int length,
        int[] data,
        List<Cut> cuts) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** The file name after {@code <name>-<index>} or {@code <name>-recording}. */
    public static final String SUFFIX = ".waveform.json";

    /** Where a one-shot lies in the recording, in ms: its first frame, its onset, one past its last frame. */
    record Cut(int index, double startMs, double onsetMs, double endMs) {}

    /** Writes the waveform, with the cuts if given (null: none). */
    static void write(Path file, Waveform waveform, List<Cut> cuts) throws IOException {
        // The builder averages the channels and quantizes to 8 bits: one channel, bits 8.
        JSON.writeValue(
                file.toFile(),
                new WaveformFile(
                        2,
                        1,
                        waveform.sampleRate(),
                        waveform.samplesPerPixel(),
                        8,
                        waveform.length(),
                        waveform.minMax(),
                        cuts));
    }
}
