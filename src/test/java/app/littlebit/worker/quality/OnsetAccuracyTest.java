package app.littlebit.worker.quality;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.demo.SynthesizedTake;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of sound, soft (20 dB over the floor) and loud, in a quiet mono room and a noisy
 * stereo one with hum: each one-shot starts before the sound's onset, never after it, and no more
 * than a few ms before. No codec here: the onset is exact, so the test is too.
 */
class OnsetAccuracyTest {
    /** A sharp attack's one-shot may start at most this long before it. */
    static final double MAX_PRE_ROLL_MILLIS = 5;
    /** A synth note fading in over up to 20 ms gets a wider safety margin. */
    static final double MAX_PRE_ROLL_SLOW_ATTACK_MILLIS = 10;

    static List<String> kinds() {
        return SynthKit.KINDS;
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void oneShotsStartAtOrJustBeforeTheOnset(String kind) {
        List<Executable> checks = new ArrayList<>();
        Room[] rooms = {
            new Room(new PcmFormat(44_100, 1), -70, 0, 50, 0),
            new Room(new PcmFormat(48_000, 2), -50, 0.5, 60, 0)};
        for (Room room : rooms) {
            for (double[] peaks : new double[][] {{-60, -60}, {-6, -3}}) {
                SynthesizedTake take = new TakeBuilder(room, new SynthKit(List.of(kind)), 11, peaks[0], peaks[1]).record(3);
                List<Slice> slices = DirectCutter.defaults().slices(take.samples(), take.format());
                double maxPreRoll = kind.equals("tone") ? MAX_PRE_ROLL_SLOW_ATTACK_MILLIS : MAX_PRE_ROLL_MILLIS;
                for (SynthesizedTake.Hit hit : take.hits()) {
                    checks.add(() -> assertStartsJustBefore(hit, slices, take.format(), maxPreRoll, room));
                }
            }
        }
        assertAll(checks);
    }

    private static void assertStartsJustBefore(SynthesizedTake.Hit hit, List<Slice> slices, PcmFormat format,
                                               double maxPreRollMillis, Room room) {
        Slice slice = slices.stream().filter(s -> s.startFrame() <= hit.onsetFrame() && hit.onsetFrame() < s.endFrame())
                .findFirst().orElseThrow(() -> new AssertionError("no one-shot holds the " + hit.kind() + " at "
                        + format.millisFor(hit.onsetFrame()) + " ms (" + room + ", " + hit.peakDbfs() + " dBFS)"));
        double preRoll = format.millisFor(hit.onsetFrame() - slice.startFrame());
        String where = hit.kind() + " at " + format.millisFor(hit.onsetFrame()) + " ms, " + hit.peakDbfs() + " dBFS, "
                + room;
        assertTrue(slice.fullGainFrame() <= hit.onsetFrame(), "attack faded or cut: " + where + ", full gain from "
                + format.millisFor(slice.fullGainFrame()) + " ms");
        assertTrue(preRoll <= maxPreRollMillis, "starts " + preRoll + " ms early: " + where);
    }
}
