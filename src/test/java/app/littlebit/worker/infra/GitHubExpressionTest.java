package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opentest4j.AssertionFailedError;

/** The if: reader the workflow tests rely on reads conditions as GitHub does. */
class GitHubExpressionTest {
    private static final Map<String, Boolean> SUCCEEDED =
            Map.of("success", true, "always", true, "failure", false, "cancelled", false);
    private static final Map<String, Boolean> FAILED =
            Map.of("success", false, "always", true, "failure", true, "cancelled", false);
    private static final Map<String, String> NAMES = Map.of("vars.STACK", "worker", "needs.a.result", "skipped");

    @ParameterizedTest(name = "{0} after success: {1}, after a failure: {2}")
    @CsvSource(
            delimiter = ';',
            quoteCharacter = '"',
            value = {
                // No status function: GitHub adds success() in front, so a failure skips the step.
                "vars.STACK != '' ; true ; false",
                "${{ vars.STACK == 'WORKER' }} ; true ; false",
                "'' ; false ; false",
                "env.NOT_SET ; false ; false",
                "always() ; true ; true",
                "failure() ; false ; true",
                "!cancelled() && vars.STACK == 'other' ; false ; false",
                // && binds tighter than ||.
                "always() || vars.STACK == 'other' && failure() ; true ; true",
                "(always() || vars.STACK == 'other') && failure() ; false ; true",
                "!cancelled() && (needs.a.result == 'success' || needs.a.result == 'skipped') ; true ; true",
                "'it''s' == 'IT''S' ; true ; false",
            })
    void readsConditionsAsGitHubDoes(String condition, boolean afterSuccess, boolean afterFailure) {
        assertEquals(afterSuccess, GitHubExpression.holds(condition, NAMES, SUCCEEDED));
        assertEquals(afterFailure, GitHubExpression.holds(condition, NAMES, FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            quoteCharacter = '"',
            value = {
                "vars.UNKNOWN == 'x'",
                "nosuch() && true",
                "(vars.STACK == 'x'",
                "vars.STACK ==",
                "vars.STACK ~ 'x'"
            })
    void refusesWhatItCannotRead(String condition) {
        assertThrows(AssertionFailedError.class, () -> GitHubExpression.holds(condition, NAMES, SUCCEEDED));
    }
}
