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
    private QualityLab() {
    }

    /**
     * One take's outcome.
     *
     * @param take   the take and its truth
     * @param worker the worker's one-shots
     * @param seed   the seed algorithm's one-shots
     */
    public record TakeResult(CorpusTake take, List<Slice> worker, List<Slice> seed) {
        public Score workerScore() {
            return Scorer.score(take.take(), worker);
        }

        public Score seedScore() {
            return Scorer.score(take.take(), seed);
        }
    }

    public static List<TakeResult> run(List<CorpusTake> corpus, WorkerRunner worker, Path workDir) {
        List<TakeResult> results = new ArrayList<>();
        try {
            Files.createDirectories(workDir);
            for (CorpusTake take : corpus) {
                Path recording = PhoneRecorder.save(take.take(), workDir.resolve(take.name() + ".m4a"));
                List<Slice> workerSlices = worker.run(recording, workDir.resolve(take.name()));
                List<Slice> seedSlices = new SeedSplitter(TestAudio.decode(recording), take.room().format()).split();
                Files.delete(recording);
                results.add(new TakeResult(take, workerSlices, seedSlices));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return results;
    }

    public static Score total(List<TakeResult> results, Function<TakeResult, Score> score) {
        return results.stream().map(score).reduce(Score.empty(), Score::plus);
    }
}
