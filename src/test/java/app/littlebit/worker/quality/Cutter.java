package app.littlebit.worker.quality;

import app.littlebit.worker.audio.PcmFormat;
import java.nio.file.Path;
import java.util.List;

/** Something that cuts a recording into one-shots: the worker, or a peer it is compared with. */
public interface Cutter {
    /** How the quality table names it. */
    String name();

    /**
     * The one-shots cut from the recording.
     *
     * @param recording the phone's file (AAC in M4A)
     * @param decoded   the same file decoded, interleaved
     * @param format    its rate and channels
     * @param workDir   a folder of its own, deleted afterwards by the caller if it wishes
     */
    List<Slice> cut(Path recording, float[] decoded, PcmFormat format, Path workDir);

    /** The seed worker's PyDub algorithm. */
    Cutter SEED = new Cutter() {
        @Override
        public String name() {
            return "seed (PyDub)";
        }

        @Override
        public List<Slice> cut(Path recording, float[] decoded, PcmFormat format, Path workDir) {
            return new SeedSplitter(decoded, format).split();
        }
    };
}
