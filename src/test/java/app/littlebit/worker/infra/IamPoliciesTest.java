package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Least privilege, checked on every IAM statement of every template. */
class IamPoliciesTest {
    /** APIs without resource-level permissions: "*" is the only resource IAM accepts for them. */
    private static final Set<String> RESOURCELESS_ACTIONS = Set.of("ecr:GetAuthorizationToken");

    @ParameterizedTest
    @ValueSource(strings = {"infra/ecr.yaml", "infra/worker.yaml", "infra/task-stopped.yaml", "infra/github-oidc.yaml"})
    void noWildcardActionsAndNoWildcardResourcesOrPrincipals(String file) {
        List<JsonNode> statements = Repo.statements(Repo.template(file));
        for (JsonNode statement : statements) {
            assertEquals("Allow", statement.path("Effect").asText(), file + ": " + statement);
            assertTrue(statement.path("NotAction").isMissingNode(), file + ": NotAction grants everything else");
            assertTrue(statement.path("NotResource").isMissingNode(), file + ": NotResource in " + statement);
            List<String> actions = Repo.list(statement.path("Action")).stream().map(JsonNode::asText).toList();
            assertFalse(actions.isEmpty(), file + ": statement without Action " + statement);
            for (String action : actions) {
                assertFalse(action.contains("*"), file + ": wildcard action " + action);
                assertTrue(action.matches("[a-z0-9-]+:[A-Za-z]+"), file + ": malformed action " + action);
            }
            for (JsonNode resource : Repo.list(statement.path("Resource"))) {
                if (resource.isTextual() && resource.asText().equals("*")) {
                    assertTrue(RESOURCELESS_ACTIONS.containsAll(actions),
                            file + ": Resource \"*\" for " + actions);
                }
            }
            JsonNode principal = statement.path("Principal");
            if (!principal.isMissingNode()) {
                assertFalse(principal.isTextual(), file + ": Principal \"*\" trusts everyone");
                assertTrue(principal.path("AWS").isMissingNode(), file + ": trust must name a service or OIDC provider");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"infra/worker.yaml", "infra/task-stopped.yaml", "infra/github-oidc.yaml"})
    void rolesHaveOnlyInlineLeastPrivilegePolicies(String file) {
        Repo.template(file).path("Resources").forEach(resource -> {
            if (resource.path("Type").asText().equals("AWS::IAM::Role")) {
                assertTrue(resource.path("Properties").path("ManagedPolicyArns").isMissingNode(),
                        file + ": AWS managed policies grant more than the role needs");
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"infra/github-oidc.yaml"})
    void githubRolesTrustOnlyThisRepositoryWithPinnedAudience(String file) {
        JsonNode resources = Repo.template(file).path("Resources");
        for (String role : List.of("ImagePushRole", "DeployRole")) {
            JsonNode trust = resources.path(role).path("Properties").path("AssumeRolePolicyDocument").path("Statement").get(0);
            assertEquals("sts:AssumeRoleWithWebIdentity", trust.path("Action").asText());
            JsonNode equals = trust.path("Condition").path("StringEquals");
            assertEquals("sts.amazonaws.com", equals.path("token.actions.githubusercontent.com:aud").asText());
            // StringEquals, not StringLike: no wildcard lets another branch or environment in.
            String sub = equals.path("token.actions.githubusercontent.com:sub").path("Fn::Sub").asText();
            assertTrue(sub.startsWith("repo:${GitHubRepository}:"), role + ": " + sub);
            assertFalse(sub.contains("*"), role + ": " + sub);
        }
        String push = resources.path("ImagePushRole").path("Properties").path("AssumeRolePolicyDocument")
                .path("Statement").get(0).path("Condition").path("StringEquals")
                .path("token.actions.githubusercontent.com:sub").path("Fn::Sub").asText();
        String deploy = resources.path("DeployRole").path("Properties").path("AssumeRolePolicyDocument")
                .path("Statement").get(0).path("Condition").path("StringEquals")
                .path("token.actions.githubusercontent.com:sub").path("Fn::Sub").asText();
        assertEquals("repo:${GitHubRepository}:ref:refs/heads/main", push);
        assertEquals("repo:${GitHubRepository}:environment:production", deploy);
    }
}
