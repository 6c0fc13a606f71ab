package app.littlebit.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code process --demo --report}: the page is self-contained, and in headless Chromium (Debian
 * package chromium, which {@code .ci/run} installs) it loads without a single console message,
 * draws every waveform, has one player per one-shot, each playing a file that is there; a
 * screenshot at a phone's width shows the waveforms drawn.
 */
class ReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The report's waveform colour, --wave. */
    private static final int WAVE_RGB = 0x2f6fde;

    @TempDir
    static Path dir;

    private static Path out;
    private static JsonNode result;
    private static Path page;

    @BeforeAll
    static void runTheDemoWithAReport() throws Exception {
        out = dir.resolve("demo out");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Main.run(
                new String[] {"process", "--demo", "--out", out.toString(), "--report"},
                Map.of(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        result = JSON.readTree(bytes.toString(StandardCharsets.UTF_8));
        assertEquals(0, code, result.toString());
        page = out.resolve("report.html");
    }

    @Test
    void thePageIsSelfContained() throws Exception {
        String html = Files.readString(page);
        assertFalse(
                Pattern.compile("(src|href)\\s*=\\s*\"(https?:)?//", Pattern.CASE_INSENSITIVE)
                        .matcher(html)
                        .find(),
                "nothing is fetched from the network");
        assertFalse(html.contains("{{"), "every placeholder filled");
        for (JsonNode oneShot : result.get("oneShots")) {
            String file = Path.of(oneShot.get("path").asText()).getFileName().toString();
            assertTrue(html.contains("src=\"" + file + "\""), "player for " + file);
            assertTrue(
                    html.contains(String.format(
                            java.util.Locale.ROOT,
                            "%.1f LUFS",
                            oneShot.get("loudnessLufs").asDouble())),
                    "loudness of " + file);
        }
        assertTrue(html.contains("A3 +0 ¢") && html.contains("A4 +0 ¢"), "the pluck's and the tone's notes");
        assertTrue(html.contains("<dt>normalizeTo</dt><dd>rms</dd>"), "the params used");
    }

    @Test
    void chromiumLoadsItWithoutErrorsAndShowsAPlayerPerOneShot() throws Exception {
        Path chromium = chromium();
        Chromium run = chromium(chromium, "--dump-dom");
        assertEquals(List.of(), run.console, "console messages (errors, failed loads)");
        int oneShots = result.get("oneShots").size();
        List<String> players = all(Pattern.compile("<audio[^>]*\\ssrc=\"([^\"]+)\""), run.stdout);
        assertEquals(oneShots, players.size(), "players");
        for (String src : players) {
            assertTrue(Files.isRegularFile(out.resolve(URLDecoder.decode(src, StandardCharsets.UTF_8))), src);
        }
        assertEquals(
                oneShots + 1,
                all(Pattern.compile("(data-drawn=\"true\")"), run.stdout).size(),
                "the recording's waveform and every one-shot's were drawn by the page's script");
    }

    @Test
    void aScreenshotAtAPhonesWidthShowsTheWaveforms() throws Exception {
        Path chromium = chromium();
        Path screenshot = dir.resolve("report.png");
        Chromium run = chromium(chromium, "--screenshot=" + screenshot);
        assertEquals(List.of(), run.console);
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertEquals(412, image.getWidth());
        long wavePixels = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                wavePixels += (image.getRGB(x, y) & 0xffffff) == WAVE_RGB ? 1 : 0;
            }
        }
        assertTrue(wavePixels > 5_000, "waveform pixels on screen: " + wavePixels);
    }

    private record Chromium(String stdout, List<String> console) {}

    /** One headless run on the page, at a phone's size, with a profile of its own; its console messages. */
    private static Chromium chromium(Path chromium, String action) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=5000",
                "--window-size=412,1800",
                action,
                page.toUri().toString()));
        Path stdout = dir.resolve("chromium.out");
        Path stderr = dir.resolve("chromium.err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, process.exitValue(), Files.readString(stderr));
        List<String> console = Files.readAllLines(stderr).stream()
                .filter(line -> line.contains(":CONSOLE"))
                .toList();
        return new Chromium(Files.readString(stdout), console);
    }

    private static Path chromium() {
        List<String> names = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
        Optional<Path> found = Arrays.stream(
                        Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
                .flatMap(folder -> names.stream().map(name -> Path.of(folder, name)))
                .filter(Files::isExecutable)
                .findFirst();
        assumeTrue(
                found.isPresent(),
                "Chromium is not installed (Debian: apt-get install chromium); "
                        + "skipping the headless-browser checks of report.html");
        return found.get();
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
