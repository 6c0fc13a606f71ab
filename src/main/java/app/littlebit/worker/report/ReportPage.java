package app.littlebit.worker.report;

import app.littlebit.worker.audio.Pitch;
import app.littlebit.worker.job.JobResult;
import app.littlebit.worker.job.Location;
import app.littlebit.worker.job.OneShot;
import app.littlebit.worker.pipeline.DetectionSummary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one page to look at and listen to what a local run made. The recording's
 * waveform with every cut drawn on it, then each one-shot with its waveform, a player and its
 * figures, then the params used. Self-contained: the styles, the script and the waveform data are
 * inline, the audio is referenced by file name, so the folder can be opened, copied or served as
 * it is, with no network. Laid out for a phone's width first.
 */
public final class ReportPage {
    public static final String FILE_NAME = "report.html";
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String TEMPLATE = "report-template.html";

    private ReportPage() {}

    /** Writes the page for a completed local run into {@code outputDir}; returns its path. */
    public static Path write(JobResult.Completed result, Path outputDir) throws IOException {
        String page = template()
                .replace("{{title}}", html(title(result)))
                .replace("{{summary}}", summary(result))
                .replace("{{oneShots}}", oneShots(result))
                .replace("{{params}}", params(result))
                .replace("{{data}}", scriptSafe(JSON.writeValueAsString(data(result))));
        Path file = outputDir.resolve(FILE_NAME);
        Files.writeString(file, page, StandardCharsets.UTF_8);
        return file;
    }

    /** The report is written for local runs, whose files are on disk. */
    private static Path path(Location location) {
        if (location instanceof Location.OnDisk file) {
            return Path.of(file.path());
        }
        throw new IllegalArgumentException("A report is written for a local run, not for " + location);
    }

    private static String template() throws IOException {
        try (InputStream in = ReportPage.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IOException("the report template " + TEMPLATE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String title(JobResult.Completed result) {
        return path(result.job().source().location()).getFileName().toString();
    }

    private static String summary(JobResult.Completed result) {
        JobResult.Source source = result.job().source();
        DetectionSummary detection = result.detection();
        return "<p>" + fmt("%.2f s", source.durationMs() / 1000.0) + " · " + html(source.codec()) + " · "
                + source.sampleRate() + " Hz · " + (source.channels() == 1 ? "mono" : source.channels() + " channels")
                + "</p><p>" + result.oneShots().size() + " one-shots from " + detection.soundsFound()
                + " sounds · noise floor " + fmt("%.1f dBFS", detection.noiseFloorDbfs()) + " · threshold "
                + fmt("%.1f dBFS", detection.thresholdDbfs()) + " (" + html(detection.thresholdMode()) + ")</p>";
    }

    private static String oneShots(JobResult.Completed result) {
        StringBuilder out = new StringBuilder();
        for (OneShot oneShot : result.oneShots()) {
            String file = oneShot.file().getFileName().toString();
            OneShot.Figures figures = oneShot.figures();
            out.append("<section class=\"one-shot\" id=\"one-shot-")
                    .append(figures.index())
                    .append("\">")
                    .append("<h3>#")
                    .append(figures.index())
                    .append(" <span class=\"file\">")
                    .append(html(file))
                    .append("</span></h3>")
                    .append("<canvas class=\"waveform\" data-one-shot=\"")
                    .append(figures.index() - 1)
                    .append("\" height=\"80\"></canvas>")
                    .append("<audio controls preload=\"none\" src=\"")
                    .append(html(relativeUrl(file)))
                    .append("\"></audio>")
                    .append("<dl>")
                    .append(figure("duration", fmt("%.0f ms", figures.durationMs())))
                    .append(figure("pitch", pitch(figures.pitch())))
                    .append(figure("loudness", fmt("%.1f LUFS", figures.loudnessLufs())))
                    .append(figure("RMS", fmt("%.1f dBFS", figures.rmsDbfs())))
                    .append(figure("peak", fmt("%.1f dBFS", figures.peakDbfs())))
                    .append(figure("true peak", fmt("%.1f dBTP", figures.truePeakDbfs())))
                    .append(figure("gain", fmt("%+.1f dB", figures.gainDb())))
                    .append(figure(
                            "in the recording", fmt("%.0f – %.0f ms", figures.sourceStartMs(), figures.sourceEndMs())))
                    .append("</dl></section>\n");
        }
        return out.toString();
    }

    private static String pitch(Pitch pitch) {
        if (pitch instanceof Pitch.Pitched pitched) {
            return html(pitched.noteName())
                    + fmt(
                            " %+d ¢ · %.1f Hz · confidence %.2f",
                            Math.round(pitched.cents()), pitched.hertz(), pitched.confidence());
        }
        return "unpitched";
    }

    private static String params(JobResult.Completed result) {
        StringBuilder out = new StringBuilder("<dl>");
        for (Iterator<Map.Entry<String, JsonNode>> fields =
                        JSON.valueToTree(result.job().params()).fields();
                fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            out.append(figure(
                    field.getKey(),
                    html(field.getValue().isNull() ? "—" : field.getValue().asText())));
        }
        return out.append("</dl>").toString();
    }

    /** What the script draws: the recording's waveform with its cuts, and each one-shot's. */
    private static ObjectNode data(JobResult.Completed result) throws IOException {
        ObjectNode data = JSON.createObjectNode();
        data.set(
                "recording",
                JSON.readTree(path(result.recordingWaveform().location()).toFile()));
        ArrayNode oneShots = data.putArray("oneShots");
        for (OneShot oneShot : result.oneShots()) {
            oneShots.add(JSON.readTree(oneShot.waveformFile().toFile()));
        }
        return data;
    }

    private static String figure(String name, String valueHtml) {
        return "<div><dt>" + html(name) + "</dt><dd>" + valueHtml + "</dd></div>";
    }

    /** A file beside the page, as a relative URL: spaces, #, ? and the like escaped. */
    private static String relativeUrl(String fileName) {
        try {
            return new URI(null, null, fileName, null).toASCIIString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a file name: " + fileName, e);
        }
    }

    private static String html(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** JSON inside a script element: nothing in it may close the element. */
    private static String scriptSafe(String json) {
        return json.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    private static String fmt(String format, Object... values) {
        return String.format(Locale.ROOT, format, values);
    }
}
