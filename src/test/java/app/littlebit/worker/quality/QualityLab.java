package app.littlebit.worker.quality;

import app.littlebit.worker.support.TestAudio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs the worker and the seed's algorithm side by side on the same phone recordings: each take
 * is saved as AAC the way a phone saves it, then both cut the same file.
 */
public final class QualityLab {
    private QualityLab() {}

    /**
     * One take's outcome.
     *
     * @param take the take and its truth
     * @param cuts each cutter's one-shots, in the order the cutters were given
     */
    public record TakeResult(CorpusTake take, List<List<Slice>> cuts) {
        public Score score(int cutter) {
            return Scorer.score(take.take(), cuts.get(cutter));
        }

        /** The first cutter's score (the worker's, when run with {@link #run(List, WorkerRunner, Path)}). */
        public Score workerScore() {
            return score(0);
        }

        /** The seed algorithm's score, when run with {@link #run(List, WorkerRunner, Path)}. */
        public Score seedScore() {
            return score(1);
        }
    }

    /** The worker and the seed's algorithm on every take. */
    public static List<TakeResult> run(List<CorpusTake> corpus, WorkerRunner worker, Path workDir) {
        return run(corpus, List.of(worker, Cutter.SEED), workDir);
    }

    /** Every cutter on every take, each take saved as a phone saves it and decoded once. */
    public static List<TakeResult> run(List<CorpusTake> corpus, List<Cutter> cutters, Path workDir) {
        List<TakeResult> results = new ArrayList<>();
        try {
            Files.createDirectories(workDir);
            for (CorpusTake take : corpus) {
                Path recording = PhoneRecorder.save(take.take(), workDir.resolve(take.name() + ".m4a"));
                float[] decoded = TestAudio.decode(recording);
                List<List<Slice>> cuts = new ArrayList<>();
                for (Cutter cutter : cutters) {
                    Path own = Files.createDirectories(workDir.resolve(take.name() + "-" + cuts.size()));
                    cuts.add(cutter.cut(recording, decoded, take.room().format(), own));
                    deleteTree(own);
                }
                Files.delete(recording);
                results.add(new TakeResult(take, cuts));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return results;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    public static Score total(List<TakeResult> results, Function<TakeResult, Score> score) {
        return results.stream().map(score).reduce(Score.empty(), Score::plus);
    }
}
