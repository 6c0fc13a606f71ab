package app.littlebit.worker.quality;

import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.RecordingInfo;
import app.littlebit.worker.ffmpeg.FfmpegDecoder;
import app.littlebit.worker.support.TestAudio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Real drum recordings: the one-shot samples of Hydrogen's drum kits (Debian package
 * hydrogen-drumkits), decoded at the take's sample rate. Unlike the synthesizer they bring real
 * attacks, room tails and the kits' own recording noise.
 *
 * <p>Files holding more than one strike (drags, ruffs, "flink" and "swish" cymbals, patterns) are
 * left out: the truth is one sound per file, and for those it would be wrong. A file has a second
 * strike when, more than {@link #SAME_STRIKE_MILLIS} after its loudest point so far, its 10 ms level
 * climbs {@link #SECOND_STRIKE_RISE_DB} out of a dip of at least as much. Swells are left out too
 * (a slice of a crescendo in a loop): a file whose loudest 10 ms come more than
 * {@link #MAX_ATTACK_MILLIS} after it starts to sound has no attack to cut, only a rise.
 */
public final class DrumkitSamples implements SoundSource {
    public static final Path DEBIAN_KITS = Path.of("/usr/share/hydrogen/data/drumkits");
    /** Longer files are loops or cymbals left to ring far past any take's spacing. */
    private static final double MAX_SECONDS = 4;
    static final double SAME_STRIKE_MILLIS = 30;
    static final double SECOND_STRIKE_RISE_DB = 6;
    /** A strike is loudest within this long of its first sound; the slowest, a soft mallet on a big drum, well within. */
    static final double MAX_ATTACK_MILLIS = 100;
    /** Wiggles this far under the peak are the sample's own noise, not a strike. */
    private static final double STRIKE_RANGE_DB = 50;

    private final List<Path> files;
    private final Map<String, Sound> decoded = new HashMap<>();

    private DrumkitSamples(List<Path> files) {
        this.files = files;
    }

    /** The kits installed under the folder, or empty if there are none. */
    public static Optional<DrumkitSamples> installed(Path kits) {
        if (!Files.isDirectory(kits)) {
            return Optional.empty();
        }
        try (Stream<Path> walk = Files.walk(kits)) {
            List<Path> audio = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(wav|flac|aiff)"))
                    .sorted()
                    .toList();
            return audio.isEmpty() ? Optional.empty() : Optional.of(new DrumkitSamples(audio));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Sound next(Random random, int sampleRate) {
        for (int attempt = 0; ; attempt++) {
            Path file = files.get(random.nextInt(files.size()));
            Sound sound = decoded.computeIfAbsent(file + "@" + sampleRate, key -> decode(file, sampleRate));
            if (sound.frames() > 0 && sound.frames() <= MAX_SECONDS * sampleRate && isOneStrike(sound, sampleRate)) {
                return sound;
            }
            if (attempt > 1000) {
                throw new IllegalStateException("no drum sample shorter than " + MAX_SECONDS + " s");
            }
        }
    }

    /** Whether the file is one strike: no second one, and no swell (see the class comment). */
    static boolean isOneStrike(Sound sound, int sampleRate) {
        int hop = sampleRate / 200;
        double millisPerWindow = 1000.0 * hop / sampleRate;
        double[] levels = levels(sound, hop, sampleRate / 100);
        double peak = Arrays.stream(levels).max().orElse(Double.NEGATIVE_INFINITY);
        int firstSound = 0;
        while (firstSound < levels.length && levels[firstSound] < peak - STRIKE_RANGE_DB) {
            firstSound++;
        }
        double loudest = Double.NEGATIVE_INFINITY;
        int loudestAt = 0;
        double dip = Double.POSITIVE_INFINITY;
        for (int w = 0; w < levels.length; w++) {
            if (levels[w] == peak && (w - firstSound) * millisPerWindow > MAX_ATTACK_MILLIS) {
                return false;
            }
            boolean rose = levels[w] >= dip + SECOND_STRIKE_RISE_DB && dip <= loudest - SECOND_STRIKE_RISE_DB;
            if (rose && (w - loudestAt) * millisPerWindow > SAME_STRIKE_MILLIS && levels[w] >= peak - STRIKE_RANGE_DB) {
                return false;
            }
            if (levels[w] > loudest) {
                loudest = levels[w];
                loudestAt = w;
                dip = levels[w];
            } else {
                dip = Math.min(dip, levels[w]);
            }
        }
        return true;
    }

    /** The level of each window of {@code window} frames, {@code hop} apart, over all channels, in dB. */
    private static double[] levels(Sound sound, int hop, int window) {
        int windows = Math.max(0, (sound.frames() - window) / hop + 1);
        double[] levels = new double[windows];
        for (int w = 0; w < windows; w++) {
            double sum = 0;
            for (float[] channel : sound.channels()) {
                for (int f = w * hop; f < w * hop + window; f++) {
                    sum += (double) channel[f] * channel[f];
                }
            }
            levels[w] = 10 * Math.log10(sum / (window * sound.channels().length) + 1e-20);
        }
        return levels;
    }

    private static Sound decode(Path file, int sampleRate) {
        FfmpegDecoder decoder = new FfmpegDecoder(TestAudio.ffmpeg());
        RecordingInfo info = decoder.probe(file);
        int channels = Math.min(2, info.channels());
        List<float[]> buffers = new ArrayList<>();
        decoder.decode(file, new PcmFormat(sampleRate, channels),
                (samples, frames) -> buffers.add(Arrays.copyOf(samples, frames * channels)));
        int total = buffers.stream().mapToInt(b -> b.length / channels).sum();
        float[][] out = new float[channels][total];
        int frame = 0;
        for (float[] buffer : buffers) {
            for (int f = 0; f < buffer.length / channels; f++, frame++) {
                for (int c = 0; c < channels; c++) {
                    out[c][frame] = buffer[f * channels + c];
                }
            }
        }
        Path kit = file.getParent().getFileName();
        return new Sound(kit + "/" + file.getFileName(), out);
    }
}
