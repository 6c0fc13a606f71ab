package app.littlebit.worker.pipeline;

import app.littlebit.worker.audio.LoudnessNormalizer;
import app.littlebit.worker.ffmpeg.OneShotEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Lossy codecs add their own overshoot on top of the true peak, so the encoded files are decoded
 * and measured; a one-shot that went over the ceiling is turned down by the excess and encoded
 * again, with the others that did. The peak reported is the one a player will see.
 */
final class PeakCeiling {
    private static final int MAX_ATTEMPTS = 6;
    private static final double MARGIN_DB = 0.25;
    /** What digital silence reads as, rather than negative infinity. */
    private static final double SILENCE_DBFS = -180;

    private final OneShotEncoder encoder;

    PeakCeiling(OneShotEncoder encoder) {
        this.encoder = encoder;
    }

    /** Measures the batch as decoded, and writes again, turned down, what went over the ceiling. */
    void keepUnder(List<PendingOneShot> batch, OneShotWriter writer) {
        List<PendingOneShot> unmeasured = batch;
        for (int attempt = 0; !unmeasured.isEmpty(); attempt++) {
            double[] peaks = encoder.decodedPeaksDbfs(
                    unmeasured.stream().map(o -> o.file).toList());
            List<PendingOneShot> over = new ArrayList<>();
            for (int i = 0; i < peaks.length; i++) {
                PendingOneShot oneShot = unmeasured.get(i);
                double decodedPeak = Math.max(peaks[i], SILENCE_DBFS);
                oneShot.decodedPeakDbfs = OptionalDouble.of(decodedPeak);
                double excess = decodedPeak - LoudnessNormalizer.PEAK_CEILING_DBFS;
                if (excess > 0 && attempt < MAX_ATTEMPTS) {
                    // The codec's overshoot moves a little with every encode, so each retry backs off further.
                    oneShot.turnDownDb += excess + MARGIN_DB * (attempt + 1);
                    over.add(oneShot);
                }
            }
            if (!over.isEmpty()) {
                writer.write(over);
            }
            unmeasured = over;
        }
    }
}
