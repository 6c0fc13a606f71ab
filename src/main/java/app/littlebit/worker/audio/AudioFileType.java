package app.littlebit.worker.audio;

import java.util.Locale;
import java.util.Optional;

/** The audio file types a recording may arrive in and a one-shot may be written as. */
public enum AudioFileType {
    M4A("m4a", "audio/mp4", true),
    AAC("aac", "audio/aac", true),
    MP3("mp3", "audio/mpeg", true),
    WAV("wav", "audio/wav", false),
    FLAC("flac", "audio/flac", false);

    private final String extension;
    private final String contentType;
    private final boolean lossy;

    AudioFileType(String extension, String contentType, boolean lossy) {
        this.extension = extension;
        this.contentType = contentType;
        this.lossy = lossy;
    }

    /** The type for a file extension, case-insensitive, without the dot. */
    public static Optional<AudioFileType> fromExtension(String extension) {
        String wanted = extension.toLowerCase(Locale.ROOT);
        for (AudioFileType type : values()) {
            if (type.extension.equals(wanted)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** Lossy encoders can overshoot between samples, so their peaks are measured as true peaks. */
    public boolean lossy() {
        return lossy;
    }
}
