package app.littlebit.worker.quality;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.SplitMode;
import app.littlebit.worker.demo.Room;
import app.littlebit.worker.demo.SynthKit;
import app.littlebit.worker.demo.SynthesizedTake;
import app.littlebit.worker.demo.TakeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decays are kept until they have sunk into the floor, and the fade-out comes only after that; the
 * silence the user asks to keep is added on top. No codec here, so the decay end is exact.
 */
class TailTest {
    /**
     * Longest a one-shot may run past the decay end: the last few dB of decay under the floor, the
     * tail hold, the window's reach, the fade and the kept silence.
     */
    static final double MAX_OVERHANG_MILLIS = 600;

    @ParameterizedTest
    @ValueSource(strings = {"kick", "tom", "pluck", "tone", "open-hat", "crash", "snare"})
    void theTailRunsIntoTheFloorBeforeTheFadeOut(String kind) {
        List<Executable> checks = new ArrayList<>();
        Room[] rooms = {
            new Room(new PcmFormat(44_100, 1), -70, 0, 50, 0), new Room(new PcmFormat(48_000, 2), -48, 0.6, 50, 0)
        };
        for (Room room : rooms) {
            for (double[] peaks : new double[][] {{-60, -60}, {-6, -3}}) {
                SynthesizedTake take =
                        new TakeBuilder(room, new SynthKit(List.of(kind)), 5, peaks[0], peaks[1]).record(3);
                List<Slice> slices = DirectCutter.defaults().slices(take.samples(), take.format());
                for (int h = 0; h < take.hits().size(); h++) {
                    SynthesizedTake.Hit hit = take.hits().get(h);
                    // The next hit or the recording's end cuts a tail that is still ringing.
                    long cutOff = h + 1 < take.hits().size()
                            ? take.hits().get(h + 1).onsetFrame()
                            : take.samples().length / take.format().channels();
                    checks.add(() -> assertTailKept(hit, cutOff, slices, take.format(), room));
                }
            }
        }
        assertAll(checks);
    }

    private static void assertTailKept(
            SynthesizedTake.Hit hit, long cutOff, List<Slice> slices, PcmFormat format, Room room) {
        Slice slice = slices.stream()
                .filter(s -> s.startFrame() <= hit.onsetFrame() && hit.onsetFrame() < s.endFrame())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no one-shot holds the " + hit.kind() + " in " + room));
        String where =
                hit.kind() + " at " + format.millisFor(hit.onsetFrame()) + " ms, " + hit.peakDbfs() + " dBFS, " + room;
        long needed = Math.min(hit.decayEndFrame(), cutOff - format.framesFor(Scorer.OVERLAP_ALLOWANCE_MILLIS));
        assertTrue(
                slice.endFrame() - slice.fadeOutFrames() >= needed,
                "tail faded " + format.millisFor(needed - slice.endFrame() + slice.fadeOutFrames()) + " ms too early: "
                        + where);
        assertTrue(
                slice.endFrame() <= hit.decayEndFrame() + format.framesFor(MAX_OVERHANG_MILLIS),
                "runs " + format.millisFor(slice.endFrame() - hit.decayEndFrame()) + " ms past the decay: " + where);
    }

    @Test
    void keptSilenceLengthensTheOneShotBehindTheTail() {
        Room room = new Room(new PcmFormat(44_100, 1), -60, 0, 50, 0);
        SynthesizedTake take = new TakeBuilder(room, new SynthKit(List.of("snare")), 3, -12, -12).record(2);
        Slice none = new DirectCutter(Optional.empty(), 750, SplitMode.ONSETS, 0)
                .slices(take.samples(), take.format())
                .get(0);
        Slice some = new DirectCutter(Optional.empty(), 750, SplitMode.ONSETS, 300)
                .slices(take.samples(), take.format())
                .get(0);
        assertTrue(none.startFrame() == some.startFrame(), "keepSilence must not move the attack");
        assertTrue(
                Math.abs(take.format().millisFor(some.endFrame() - none.endFrame()) - 300) < 1,
                "keepSilence adds its length after the tail");
    }
}
