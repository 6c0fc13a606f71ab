package app.littlebit.worker.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.audio.SplitMode;
import app.littlebit.worker.demo.Room;
import app.littlebit.worker.demo.SynthKit;
import app.littlebit.worker.demo.SynthesizedTake;
import app.littlebit.worker.demo.TakeBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The user's fixed threshold decides which sounds are found (only what reaches it), but their cut
 * points are refined exactly as in adaptive mode: onset from the samples, tail into the floor.
 */
class FixedThresholdTest {
    @Test
    void onlySoundsReachingTheThresholdAreFoundAndTheyAreCutTheSameWay() {
        Room room = new Room(new PcmFormat(44_100, 2), -65, 0, 50, 0);
        SynthesizedTake soft = new TakeBuilder(room, new SynthKit(List.of("snare", "kick")), 4, -40, -40).record(4);
        SynthesizedTake loud = new TakeBuilder(room, new SynthKit(List.of("snare", "kick")), 4, -6, -6).record(4);
        DirectCutter fixed = new DirectCutter(Optional.of(-30.0), 750, SplitMode.ONSETS, 50);

        assertEquals(List.of(), fixed.slices(soft.samples(), soft.format()), "soft hits stay under -30 dBFS");
        List<Slice> fixedCuts = fixed.slices(loud.samples(), loud.format());
        List<Slice> adaptiveCuts = DirectCutter.defaults().slices(loud.samples(), loud.format());
        Score score = Scorer.score(loud, fixedCuts);
        assertEquals(4, score.found());
        assertEquals(0, score.attacksCut() + score.tailsCut());
        assertEquals(adaptiveCuts.size(), fixedCuts.size());
        for (int i = 0; i < fixedCuts.size(); i++) {
            assertEquals(adaptiveCuts.get(i).endFrame(), fixedCuts.get(i).endFrame(), "tail " + i);
            assertTrue(
                    Math.abs(adaptiveCuts.get(i).startFrame() - fixedCuts.get(i).startFrame())
                            <= loud.format().framesFor(1),
                    "onset " + i);
        }
    }
}
