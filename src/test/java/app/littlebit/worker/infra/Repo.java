package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/** Files of the repository, and readers for the deployment files among them. */
final class Repo {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final ObjectMapper JSON = new ObjectMapper();

    private Repo() {}

    /** Surefire runs in the module directory; {@code basedir} says so explicitly when set. */
    static Path path(String relative) {
        Path file = Path.of(System.getProperty("basedir", ".")).resolve(relative);
        assertTrue(Files.exists(file), relative + " is missing");
        return file;
    }

    static String text(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String relative) {
        try {
            return JSON.readTree(text(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A CloudFormation template with its short-form intrinsics turned into the long form that
     * CloudFormation itself uses ({@code !Ref X} into {"Ref": "X"}, {@code !Sub s} into
     * {"Fn::Sub": s}, {@code !GetAtt A.B} into {"Fn::GetAtt": ["A", "B"]}). Jackson's plain
     * readTree would keep the value and silently drop the tag.
     */
    static JsonNode template(String relative) {
        try (YAMLParser parser = new YAMLFactory().createParser(text(relative))) {
            parser.nextToken();
            return read(parser);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Plain YAML (workflows): no CloudFormation tags to keep. */
    static JsonNode yaml(String relative) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(text(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(YAMLParser parser) throws IOException {
        String tag = parser.getTypeId(); // the tag sits on the value's first token
        JsonNode value;
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, read(parser));
                }
                value = object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser));
                }
                value = array;
            }
            case VALUE_STRING -> value = NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> value = NODES.numberNode(parser.getLongValue());
            case VALUE_NUMBER_FLOAT -> value = NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE, VALUE_FALSE -> value = NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> value = NODES.nullNode();
            default -> throw new IOException("unexpected " + token);
        }
        return tag == null || tag.startsWith("tag:yaml.org") ? value : intrinsic(tag, value);
    }

    private static JsonNode intrinsic(String tag, JsonNode value) {
        ObjectNode wrapped = NODES.objectNode();
        switch (tag) {
            case "Ref", "Condition" -> wrapped.set(tag, value);
            case "GetAtt" -> {
                if (value.isTextual()) {
                    String[] parts = value.asText().split("\\.", 2);
                    wrapped.set("Fn::GetAtt", NODES.arrayNode().add(parts[0]).add(parts[1]));
                } else {
                    wrapped.set("Fn::GetAtt", value);
                }
            }
            default -> wrapped.set("Fn::" + tag, value);
        }
        return wrapped;
    }

    /** Elements of an array, or the node itself when IAM's single-value shorthand is used. */
    static List<JsonNode> list(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return List.of();
        }
        return node.isArray() ? StreamSupport.stream(node.spliterator(), false).toList() : List.of(node);
    }

    /** Every IAM policy statement in a template: role inline policies, managed policies, trust policies. */
    static List<JsonNode> statements(JsonNode template) {
        List<JsonNode> statements = new ArrayList<>();
        template.path("Resources").forEach(resource -> collect(resource, statements));
        return statements;
    }

    /**
     * The statements of a role's inline policies, those behind a condition ({@code !If}) included;
     * not its trust policy.
     */
    static List<JsonNode> roleStatements(JsonNode template, String role) {
        List<JsonNode> statements = new ArrayList<>();
        collect(template.path("Resources").path(role).path("Properties").path("Policies"), statements);
        assertTrue(!statements.isEmpty(), role + " has no policy statements");
        return statements;
    }

    private static void collect(JsonNode node, List<JsonNode> statements) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().endsWith("PolicyDocument")) {
                    statements.addAll(list(field.getValue().path("Statement")));
                } else {
                    collect(field.getValue(), statements);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, statements));
        }
    }

    /** An executable on PATH, for tests that run a tool only when the machine has it. */
    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator, -1)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Where .ci/install-linters.sh puts cfn-guard, its rules and actionlint. */
    static Path linters() {
        String home = System.getenv("LINTERS_HOME");
        return home != null && !home.isBlank()
                ? Path.of(home)
                : Path.of(System.getProperty("user.home"), ".cache", "little-bit-linters");
    }

    /**
     * A test that needs a tool: skipped where it is missing, but in CI (CI=true, as .ci/run runs
     * after installing every tool) a missing tool is a failure, so a linter can never silently not run.
     */
    static void requireTool(String tool, boolean available) {
        if (!available && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(tool + " is missing: run .ci/install-linters.sh");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(available, tool + " is not installed (.ci/install-linters.sh)");
    }

    /** Output and exit code of a command run in the repository root. */
    record Run(int exitCode, String output) {}

    static Run run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(Path.of(System.getProperty("basedir", ".")).toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in 120 s");
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
