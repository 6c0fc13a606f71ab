package app.littlebit.worker.quality;

import app.littlebit.worker.demo.Sound;
import app.littlebit.worker.demo.SoundSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Excerpts of recorded music (Hedgewars' game music, {@code hedgewars-data}): a band's whole mix
 * for a faint music bed, where the other beds play one soundfont note at a time. Each excerpt is 3
 * to 6 s of one channel, faded in and out so that its edges are not attacks of their own.
 */
final class MusicExcerpts implements SoundSource {
    static final Path HEDGEWARS_MUSIC = Path.of("/usr/share/games/hedgewars/Data/Music");
    /** Tracks kept decoded: a few minutes of audio each, so not all 26. */
    private static final int TRACKS = 4;
    /** Past a track's intro, which may be quiet. */
    private static final double SKIP_SECONDS = 5;

    private static final double FADE_SECONDS = 0.2;

    private final List<Path> tracks;
    private final Map<String, float[]> decoded = new HashMap<>();

    private MusicExcerpts(List<Path> tracks) {
        this.tracks = tracks;
    }

    /** The first few of Hedgewars' tracks, or empty if it is not installed. */
    static Optional<MusicExcerpts> hedgewars() {
        return in(HEDGEWARS_MUSIC);
    }

    /** The first few tracks (Ogg or WAV files) in the folder, by name, or empty if it has none. */
    static Optional<MusicExcerpts> in(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> tracks = files.filter(p -> p.toString().matches(".*\\.(ogg|wav)"))
                    .sorted()
                    .limit(TRACKS)
                    .toList();
            return tracks.isEmpty() ? Optional.empty() : Optional.of(new MusicExcerpts(tracks));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Sound next(Random random, int sampleRate) {
        Path track = tracks.get(random.nextInt(tracks.size()));
        float[] music =
                decoded.computeIfAbsent(track + "@" + sampleRate, key -> SoundFiles.decode(track, sampleRate)[0]);
        int length = (int) ((3 + 3 * random.nextDouble()) * sampleRate);
        int skip = (int) Math.min(SKIP_SECONDS * sampleRate, Math.max(0, music.length - length));
        int start = skip + random.nextInt(Math.max(1, music.length - length - skip));
        float[] excerpt = Arrays.copyOfRange(music, start, Math.min(music.length, start + length));
        int fade = (int) Math.min(FADE_SECONDS * sampleRate, excerpt.length / 2.0);
        for (int f = 0; f < fade; f++) {
            float gain = (float) (0.5 - 0.5 * Math.cos(Math.PI * (f + 0.5) / fade));
            excerpt[f] *= gain;
            excerpt[excerpt.length - 1 - f] *= gain;
        }
        return new Sound(track.getFileName() + " excerpt", new float[][] {excerpt});
    }
}
