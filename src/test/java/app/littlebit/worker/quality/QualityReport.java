package app.littlebit.worker.quality;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.demo.SynthesizedTake;
import app.littlebit.worker.demo.TakeSynthesizer;
import app.littlebit.worker.job.ProcessingParams;
import app.littlebit.worker.job.ProcessingParamsParser;
import app.littlebit.worker.support.TestAudio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Measures the worker against the seed's algorithm and writes the results into docs/quality.md
 * (between its result markers) and the cut-points picture docs/quality-cuts.svg. Run it with
 * docs/quality.sh; everything is seeded, so the same code gives the same table.
 *
 * <p>Arguments: {@code [--synthetic-takes N] [--kit-takes N] [--docs DIR]}.
 */
public final class QualityReport {
    static final long SYNTHETIC_SEED = 2024;
    static final long KIT_SEED = 77;
    static final long BACKGROUND_SEED = 5;
    static final String START_MARKER = "<!-- quality-results:start -->";
    static final String END_MARKER = "<!-- quality-results:end -->";
    private static final String HEADER = "| Corpus | Cut by | Sounds | Recall | One-shots | Merged | False | "
            + "Attacks cut | Tails cut | Pre-roll median / max (ms) | Peak median / max (dBFS) | Clipped files |\n"
            + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";

    private QualityReport() {
    }

    public static void main(String[] args) throws IOException {
        int syntheticTakes = intArgument(args, "--synthetic-takes", 60);
        int kitTakes = intArgument(args, "--kit-takes", 30);
        Path docs = Path.of(stringArgument(args, "--docs", "docs"));
        Path work = Files.createTempDirectory("quality-");
        ProcessingParams defaults = ProcessingParams.defaults();
        WorkerRunner worker = new WorkerRunner(defaults, AudioFileType.M4A);
        WorkerRunner silenceMode = new WorkerRunner(
                ProcessingParamsParser.parse(Optional.of("{\"splitMode\":\"silence\"}")), AudioFileType.M4A);

        StringBuilder table = new StringBuilder(HEADER);
        String synthetic = "Synthetic, " + syntheticTakes * Corpus.HITS_PER_TAKE + " hits";
        List<CorpusTake> syntheticCorpus = Corpus.phoneTakes("synthetic", new SynthKit(), syntheticTakes, SYNTHETIC_SEED);
        List<QualityLab.TakeResult> results = QualityLab.run(syntheticCorpus, worker, work);
        table.append(row(synthetic, "this worker", QualityLab.total(results, QualityLab.TakeResult::workerScore)));
        table.append(row(synthetic, "seed (PyDub)", QualityLab.total(results, QualityLab.TakeResult::seedScore)));
        List<QualityLab.TakeResult> silence = QualityLab.run(syntheticCorpus, silenceMode, work);
        table.append(row(synthetic, "this worker, splitMode silence",
                QualityLab.total(silence, QualityLab.TakeResult::workerScore)));

        Optional<DrumkitSamples> kits = DrumkitSamples.installed(DrumkitSamples.DEBIAN_KITS);
        if (kits.isPresent()) {
            String kit = "Hydrogen drum-kit samples, " + kitTakes * Corpus.HITS_PER_TAKE + " hits";
            List<QualityLab.TakeResult> kitResults = QualityLab.run(
                    Corpus.phoneTakes("kits", kits.get(), kitTakes, KIT_SEED), worker, work);
            table.append(row(kit, "this worker", QualityLab.total(kitResults, QualityLab.TakeResult::workerScore)));
            table.append(row(kit, "seed (PyDub)", QualityLab.total(kitResults, QualityLab.TakeResult::seedScore)));
        } else {
            System.err.println("Drum kits not installed (apt-get install hydrogen-drumkits): real-drum rows left out");
        }

        List<QualityLab.TakeResult> backgrounds = QualityLab.run(Corpus.backgroundsOnly(BACKGROUND_SEED), worker, work);
        String background = "Hiss and hum only, " + backgrounds.size() + " recordings";
        table.append(row(background, "this worker", QualityLab.total(backgrounds, QualityLab.TakeResult::workerScore)));
        table.append(row(background, "seed (PyDub)", QualityLab.total(backgrounds, QualityLab.TakeResult::seedScore)));

        System.out.print(table);
        Path doc = docs.resolve("quality.md");
        Files.writeString(doc, withResults(Files.readString(doc), table.toString()));
        Files.writeString(docs.resolve("quality-cuts.svg"), demoPicture(worker, work));
        System.out.println("Wrote " + doc + " and " + docs.resolve("quality-cuts.svg"));
    }

    /** The demo take, the one that showed the merging problem, with both cutters' one-shots. */
    static String demoPicture(WorkerRunner worker, Path work) throws IOException {
        SynthesizedTake take = TakeSynthesizer.demo();
        Path recording = PhoneRecorder.save(take, Files.createDirectories(work).resolve("demo.m4a"));
        float[] decoded = TestAudio.decode(recording);
        List<Slice> workerSlices = worker.run(recording, work.resolve("demo"));
        List<Slice> seedSlices = new SeedSplitter(decoded, take.format()).split();
        Files.delete(recording);
        return WaveformSvg.render("The demo take (8 hits 1.2-2.4 s apart, AAC 128 kbit/s): where each cutter cuts",
                take, decoded, List.of(
                        new WaveformSvg.Lane("this worker: " + workerSlices.size(), "#1f5fbf", workerSlices),
                        new WaveformSvg.Lane("seed (PyDub): " + seedSlices.size(), "#c0392b", seedSlices)));
    }

    static String row(String corpus, String cutter, Score score) {
        return String.format(Locale.ROOT, "| %s | %s | %d | %.3f | %d | %d | %d | %d | %d (%.1f %%) | %s / %s | %s / %s | %d |%n",
                corpus, cutter, score.sounds(), score.recall(), score.oneShots(), score.merged(),
                score.falseOneShots(), score.attacksCut(), score.tailsCut(), 100 * score.tailCutRate(),
                number(score.medianPreRollMillis()), number(score.maxPreRollMillis()),
                number(score.medianPeakDbfs()), number(score.maxPeakDbfs()), score.clipped());
    }

    /** The document with the text between its result markers replaced. */
    static String withResults(String document, String results) {
        int start = document.indexOf(START_MARKER);
        int end = document.indexOf(END_MARKER);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("the document has no " + START_MARKER + " ... " + END_MARKER + " section");
        }
        return document.substring(0, start + START_MARKER.length()) + "\n" + results + document.substring(end);
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static int intArgument(String[] args, String name, int fallback) {
        return Integer.parseInt(stringArgument(args, name, Integer.toString(fallback)));
    }

    private static String stringArgument(String[] args, String name, String fallback) {
        List<String> list = new ArrayList<>(List.of(args));
        int at = list.indexOf(name);
        return at >= 0 && at + 1 < list.size() ? list.get(at + 1) : fallback;
    }
}
