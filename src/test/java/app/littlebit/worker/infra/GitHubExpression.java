package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of GitHub Actions' expression syntax the workflows' {@code if:} conditions use, read as
 * GitHub reads it, so tests can ask which steps and jobs run. Anything it cannot read fails the test
 * that asked: a condition the tests cannot evaluate is not taken as true.
 */
final class GitHubExpression {
    private GitHubExpression() {}

    /**
     * Whether an if: holds (GitHub's expression syntax, the part the workflows use): string
     * literals, context names, status functions, !, ==, !=, && and ||, parentheses. Strings compare
     * ignoring case, '' is false; env names not given are '', any other name must be given. As on
     * GitHub, a condition calling no status function is taken as "success() && (condition)".
     */
    static boolean holds(String condition, Map<String, String> names, Map<String, Boolean> status) {
        String expression = condition.strip();
        Matcher wrapped = Pattern.compile("\\$\\{\\{(.*)}}").matcher(expression);
        if (wrapped.matches()) {
            expression = wrapped.group(1);
        }
        if (expression.isBlank()) {
            expression = "success()";
        } else if (!Pattern.compile("\\b(success|failure|cancelled|always)\\(")
                .matcher(expression)
                .find()) {
            expression = "success() && (" + expression + ")";
        }
        Expression parsed = new Expression(expression, names, status);
        Object value = parsed.or();
        assertTrue(parsed.done(), "cannot read the rest of " + condition);
        return Expression.truthy(value);
    }

    /** A recursive-descent reading of an expression; its values are Strings and Booleans. */
    private static final class Expression {
        private static final Pattern TOKEN = Pattern.compile(
                "\\s*('(?:[^']|'')*'|&&|\\|\\||==|!=|!|\\(|\\)|[A-Za-z_][\\w.-]*\\(\\)|[A-Za-z_][\\w.-]*)\\s*");
        private final List<String> tokens = new ArrayList<>();
        private final Map<String, String> names;
        private final Map<String, Boolean> status;
        private int next;

        Expression(String text, Map<String, String> names, Map<String, Boolean> status) {
            this.names = names;
            this.status = status;
            Matcher token = TOKEN.matcher(text);
            int at = 0;
            while (at < text.length()) {
                assertTrue(token.find(at) && token.start() == at, "cannot read " + text.substring(at));
                tokens.add(token.group(1));
                at = token.end();
            }
        }

        boolean done() {
            return next == tokens.size();
        }

        private boolean take(String token) {
            if (next < tokens.size() && tokens.get(next).equals(token)) {
                next++;
                return true;
            }
            return false;
        }

        Object or() {
            return chain("||", this::and, true);
        }

        private Object and() {
            return chain("&&", this::comparison, false);
        }

        /** a || b is a if a is truthy, else b; a && b is a if a is falsy, else b (both read every operand). */
        private Object chain(String operator, Supplier<Object> operand, boolean keepTruthy) {
            Object value = operand.get();
            while (take(operator)) {
                Object right = operand.get();
                value = truthy(value) == keepTruthy ? value : right;
            }
            return value;
        }

        private Object comparison() {
            Object left = unary();
            boolean equals = take("==");
            if (equals || take("!=")) {
                Object right = unary();
                assertTrue(left instanceof String && right instanceof String, "compares " + left + " with " + right);
                return equals == ((String) left).equalsIgnoreCase((String) right);
            }
            return left;
        }

        private Object unary() {
            return take("!") ? !truthy(unary()) : primary();
        }

        private Object primary() {
            assertTrue(next < tokens.size(), "the expression ends too soon: " + tokens);
            String token = tokens.get(next++);
            if (token.equals("(")) {
                Object value = or();
                assertTrue(take(")"), "unclosed ( in " + tokens);
                return value;
            }
            if (token.startsWith("'")) {
                return token.substring(1, token.length() - 1).replace("''", "'");
            }
            if (token.endsWith("()")) {
                Boolean value = status.get(token.substring(0, token.length() - 2));
                assertTrue(value != null, "unknown function " + token);
                return value;
            }
            String value = names.get(token);
            if (value == null) {
                assertTrue(token.startsWith("env."), "unknown name " + token);
                return "";
            }
            return value;
        }

        static boolean truthy(Object value) {
            return value instanceof Boolean b ? b : !((String) value).isEmpty();
        }
    }
}
