package app.littlebit.worker.quality;

import app.littlebit.worker.audio.AudioFileType;
import app.littlebit.worker.demo.SynthesizedTake;
import app.littlebit.worker.demo.TakeSynthesizer;
import app.littlebit.worker.pipeline.ProcessingParams;
import app.littlebit.worker.support.TestAudio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures the worker against the seed's algorithm and writes the results into docs/quality.md
 * (between its result markers) and the cut-points picture docs/quality-cuts.svg. Run it with
 * docs/quality.sh; everything is seeded, so the same code gives the same table.
 *
 * <p>Arguments: {@code [--half tuning|validation|both] [--scale X] [--direct] [--verbose] [--no-write]
 * [--docs DIR]}: {@code --scale} multiplies every family's takes; {@code --direct} scores only the
 * worker's cut points, without FFmpeg's encode or the peers (quick, for tuning); {@code --verbose}
 * lists every false, merged and missed one-shot.
 */
public final class QualityReport {
    static final Markers TUNING_MARKERS = new Markers("<!-- tuning-results:start -->", "<!-- tuning-results:end -->");
    static final Markers VALIDATION_MARKERS =
            new Markers("<!-- validation-results:start -->", "<!-- validation-results:end -->");
    static final Markers UNSEEN_MARKERS = new Markers("<!-- unseen-results:start -->", "<!-- unseen-results:end -->");
    private static final String HEADER =
            "| Corpus | Cut by | Sounds | Recall | One-shots | Precision | Merged | False | "
                    + "Attacks cut | Tails cut | Pre-roll median / max (ms) | Peak median / max (dBFS) | Clipped files |\n"
                    + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";

    /** Where a generated table starts and ends in a document. */
    record Markers(String start, String end) {}

    private QualityReport() {}

    public static void main(String[] args) throws IOException {
        double scale = Double.parseDouble(stringArgument(args, "--scale", "1"));
        String half = stringArgument(args, "--half", "both");
        boolean direct = List.of(args).contains("--direct");
        boolean verbose = List.of(args).contains("--verbose");
        boolean write = !List.of(args).contains("--no-write");
        Path docs = Path.of(stringArgument(args, "--docs", "docs"));
        Path work = Files.createTempDirectory("quality-");
        WorkerRunner worker = new WorkerRunner(ProcessingParams.defaults(), AudioFileType.M4A);
        List<Cutter> cutters = new ArrayList<>();
        if (direct) {
            cutters.add(DirectCutter.defaults());
        } else {
            cutters.add(worker);
            cutters.add(Cutter.SEED);
            AubioCutter.installed()
                    .ifPresentOrElse(
                            cutters::add,
                            () -> System.err.println(
                                    "aubiocut not installed (apt-get install aubio-tools): its rows are left out"));
        }
        String document = write ? Files.readString(docs.resolve("quality.md")) : "";
        if (!List.of("tuning", "validation", "both", "unseen").contains(half)) {
            throw new IllegalArgumentException("--half takes tuning, validation, both or unseen, not " + half);
        }
        if (half.equals("tuning") || half.equals("both")) {
            String table = halfTable(LabCorpora.tuning(scale), cutters, work, verbose);
            System.out.println("Tuning half\n" + table);
            document = write ? withResults(document, TUNING_MARKERS, table) : document;
        }
        if (half.equals("validation") || half.equals("both")) {
            String table = halfTable(LabCorpora.validation(scale), cutters, work, verbose);
            System.out.println("Validation half\n" + table);
            document = write ? withResults(document, VALIDATION_MARKERS, table) : document;
        }
        if (half.equals("unseen")) {
            String table = halfTable(LabCorpora.unseen(scale), cutters, work, verbose);
            System.out.println("Unseen recordings\n" + table);
            document = write ? withResults(document, UNSEEN_MARKERS, table) : document;
        }
        if (write) {
            Files.writeString(docs.resolve("quality.md"), document);
            Files.writeString(docs.resolve("quality-cuts.svg"), demoPicture(worker, work));
            System.out.println("Wrote " + docs.resolve("quality.md") + " and " + docs.resolve("quality-cuts.svg"));
        }
    }

    /**
     * One half's table: the worker on each family, then every cutter on the whole half.
     */
    static String halfTable(List<LabCorpora.Family> families, List<Cutter> cutters, Path work, boolean verbose) {
        StringBuilder rows = new StringBuilder();
        List<Score> totals = new ArrayList<>();
        for (int c = 0; c < cutters.size(); c++) {
            totals.add(Score.empty());
        }
        for (LabCorpora.Family family : families) {
            long started = System.nanoTime();
            List<CorpusTake> takes = family.takes().get();
            List<QualityLab.TakeResult> results = QualityLab.run(takes, cutters, work);
            for (int c = 0; c < cutters.size(); c++) {
                int cutter = c;
                Score score = QualityLab.total(results, r -> r.score(cutter));
                totals.set(c, totals.get(c).plus(score));
                if (c == 0) {
                    rows.append(row(
                            family.name() + ", " + takes.size() + " takes",
                            cutters.get(c).name(),
                            score));
                }
            }
            System.err.printf(
                    Locale.ROOT,
                    "%s: %d takes in %.0f s%n",
                    family.name(),
                    takes.size(),
                    (System.nanoTime() - started) / 1e9);
            if (verbose) {
                for (QualityLab.TakeResult result : results) {
                    for (String problem :
                            Scorer.problems(result.take().take(), result.cuts().get(0))) {
                        System.err.println("  " + result.take().name() + " ("
                                + result.take().room().noise()
                                + String.format(
                                        Locale.ROOT,
                                        " %.0f dBFS",
                                        result.take().room().floorDbfs()) + "): "
                                + problem);
                    }
                }
            }
        }
        for (int c = 0; c < cutters.size(); c++) {
            rows.append(row("**All of this half**", "**" + cutters.get(c).name() + "**", totals.get(c)));
        }
        return HEADER + rows;
    }

    /** The demo take, the one that showed the merging problem, with both cutters' one-shots. */
    static String demoPicture(WorkerRunner worker, Path work) throws IOException {
        SynthesizedTake take = TakeSynthesizer.demo();
        Path recording = PhoneRecorder.save(take, Files.createDirectories(work).resolve("demo.m4a"));
        float[] decoded = TestAudio.decode(recording);
        List<Slice> workerSlices = worker.run(recording, work.resolve("demo"));
        List<Slice> seedSlices = new SeedSplitter(decoded, take.format()).split();
        Files.delete(recording);
        return WaveformSvg.render(
                "The demo take (8 hits 1.2-2.4 s apart, AAC 128 kbit/s): where each cutter cuts",
                take,
                decoded,
                List.of(
                        new WaveformSvg.Lane("this worker: " + workerSlices.size(), "#1f5fbf", workerSlices),
                        new WaveformSvg.Lane("seed (PyDub): " + seedSlices.size(), "#c0392b", seedSlices)));
    }

    static String row(String corpus, String cutter, Score score) {
        return String.format(
                Locale.ROOT,
                "| %s | %s | %d | %.3f | %d | %.3f | %d | %d | %s | %d (%.1f %%) | %s / %s | %s / %s | %d |%n",
                corpus,
                cutter,
                score.sounds(),
                score.recall(),
                score.oneShots(),
                score.precision(),
                score.merged(),
                score.falseOneShots(),
                attacksCut(score),
                score.tailsCut(),
                100 * score.tailCutRate(),
                number(score.medianPreRollMillis()),
                number(score.maxPreRollMillis()),
                number(score.medianPeakDbfs()),
                number(score.maxPeakDbfs()),
                score.clipped());
    }

    /** The attacks cut, and how many of them were cut only where the background masked them. */
    private static String attacksCut(Score score) {
        return score.attacksCutMasked() == 0
                ? Integer.toString(score.attacksCut())
                : score.attacksCut() + " (" + score.attacksCutMasked() + " masked)";
    }

    /** The document with the text between its result markers replaced. */
    static String withResults(String document, Markers markers, String results) {
        int start = document.indexOf(markers.start());
        int end = document.indexOf(markers.end());
        if (start < 0 || end < start) {
            throw new IllegalArgumentException(
                    "the document has no " + markers.start() + " ... " + markers.end() + " section");
        }
        return document.substring(0, start + markers.start().length()) + "\n" + results + document.substring(end);
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String stringArgument(String[] args, String name, String fallback) {
        List<String> list = new ArrayList<>(List.of(args));
        int at = list.indexOf(name);
        return at >= 0 && at + 1 < list.size() ? list.get(at + 1) : fallback;
    }
}
