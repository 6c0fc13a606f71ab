package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** infra/ecr.yaml: the image repository. */
class EcrTemplateTest {
    private final JsonNode template = Repo.template("infra/ecr.yaml");
    private final JsonNode repository = template.path("Resources").path("Repository").path("Properties");

    @Test
    void imagesAreScannedOnPushAndTagsAreImmutable() {
        assertTrue(repository.path("ImageScanningConfiguration").path("ScanOnPush").asBoolean());
        assertEquals("IMMUTABLE", repository.path("ImageTagMutability").asText());
    }

    @Test
    void lifecyclePolicyExpiresUntaggedImagesAndKeepsEnoughForRollback() throws Exception {
        String text = repository.path("LifecyclePolicy").path("LifecyclePolicyText").path("Fn::Sub").asText()
                .replace("${KeepImages}", template.path("Parameters").path("KeepImages").path("Default").asText());
        JsonNode rules = Repo.JSON.readTree(text).path("rules");
        assertEquals(2, rules.size());
        assertEquals("untagged", rules.get(0).path("selection").path("tagStatus").asText());
        assertEquals("imageCountMoreThan", rules.get(1).path("selection").path("countType").asText());
        assertTrue(rules.get(1).path("selection").path("countNumber").asInt() >= 5);
        rules.forEach(rule -> assertEquals("expire", rule.path("action").path("type").asText()));
    }

    @Test
    void outputsTheRepositoryUri() {
        assertEquals("Repository", template.path("Outputs").path("RepositoryUri").path("Value")
                .path("Fn::GetAtt").get(0).asText());
        assertEquals("RepositoryUri", template.path("Outputs").path("RepositoryUri").path("Value")
                .path("Fn::GetAtt").get(1).asText());
    }
}
