package app.littlebit.worker.quality;

import app.littlebit.worker.audio.PcmFormat;
import app.littlebit.worker.demo.SynthesizedTake;
import java.util.List;
import java.util.Locale;

/**
 * Draws a recording's waveform with the true onsets and two sets of one-shots under it, as a
 * plain-text SVG that lives in git like any other source. The waveform is drawn on a dB scale
 * (peak per pixel column, from -72 dBFS up), so soft hits and decays into the floor are visible.
 */
public final class WaveformSvg {
    private static final int WIDTH = 1200;
    private static final int WAVE_HEIGHT = 220;
    private static final int LANE_HEIGHT = 34;
    private static final int LEFT = 150;
    private static final int TOP = 36;
    private static final double FLOOR_DB = -72;

    private WaveformSvg() {}

    /** A lane of one-shots with its label and colour. */
    public record Lane(String label, String colour, List<Slice> slices) {}

    public static String render(String title, SynthesizedTake take, float[] decoded, List<Lane> lanes) {
        PcmFormat format = take.format();
        long frames = decoded.length / format.channels();
        int plotWidth = WIDTH - LEFT - 20;
        int height = TOP + WAVE_HEIGHT + lanes.size() * LANE_HEIGHT + 50;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                height,
                WIDTH,
                height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                LEFT,
                escape(title)));
        svg.append(waveform(decoded, format.channels(), frames, plotWidth));
        for (SynthesizedTake.Hit hit : take.hits()) {
            double x = LEFT + (double) hit.onsetFrame() / frames * plotWidth;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#2a9d2a\" "
                            + "stroke-width=\"1\" stroke-dasharray=\"3,2\"/>%n",
                    x,
                    TOP,
                    x,
                    TOP + WAVE_HEIGHT + lanes.size() * LANE_HEIGHT));
        }
        svg.append(String.format(
                Locale.ROOT, "<text x=\"8\" y=\"%d\" fill=\"#2a9d2a\">true onsets (dashed)</text>%n", TOP + 14));
        svg.append(String.format(
                Locale.ROOT, "<text x=\"8\" y=\"%d\" fill=\"#555\">level, %d..0 dBFS</text>%n", TOP + 30, (int)
                        FLOOR_DB));
        for (int l = 0; l < lanes.size(); l++) {
            Lane lane = lanes.get(l);
            int y = TOP + WAVE_HEIGHT + l * LANE_HEIGHT + 6;
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"8\" y=\"%d\" fill=\"%s\">%s</text>%n",
                    y + 16,
                    lane.colour(),
                    escape(lane.label())));
            for (Slice slice : lane.slices()) {
                double x0 = LEFT + (double) slice.startFrame() / frames * plotWidth;
                double x1 = LEFT + (double) slice.endFrame() / frames * plotWidth;
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" "
                                + "fill-opacity=\"0.35\" stroke=\"%s\"/>%n",
                        x0,
                        y,
                        Math.max(1, x1 - x0),
                        LANE_HEIGHT - 12,
                        lane.colour(),
                        lane.colour()));
            }
        }
        int axisY = TOP + WAVE_HEIGHT + lanes.size() * LANE_HEIGHT + 16;
        double seconds = format.millisFor(frames) / 1000;
        for (int s = 0; s <= (int) seconds; s++) {
            double x = LEFT + s / seconds * plotWidth;
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%d s</text>%n",
                    x,
                    axisY,
                    s));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** The peak of each pixel column, in dB above the floor of the scale, mirrored about the centre line. */
    private static String waveform(float[] samples, int channels, long frames, int plotWidth) {
        StringBuilder top = new StringBuilder();
        StringBuilder bottom = new StringBuilder();
        double centre = TOP + WAVE_HEIGHT / 2.0;
        for (int x = 0; x < plotWidth; x++) {
            long from = frames * x / plotWidth;
            long to = Math.max(from + 1, frames * (x + 1) / plotWidth);
            double peak = 0;
            for (long f = from; f < to; f++) {
                for (int c = 0; c < channels; c++) {
                    peak = Math.max(peak, Math.abs(samples[(int) (f * channels + c)]));
                }
            }
            double db = Math.max(FLOOR_DB, 20 * Math.log10(Math.max(peak, 1e-9)));
            double half = (db - FLOOR_DB) / -FLOOR_DB * WAVE_HEIGHT / 2;
            top.append(String.format(Locale.ROOT, "%s%d,%.1f", x == 0 ? "M" : " L", LEFT + x, centre - half));
            bottom.insert(0, String.format(Locale.ROOT, " L%d,%.1f", LEFT + x, centre + half));
        }
        return String.format(Locale.ROOT, "<path d=\"%s%s Z\" fill=\"#7a8794\" stroke=\"none\"/>%n", top, bottom);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
