package app.littlebit.worker.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** infra/ecr.yaml: the image repository. */
class EcrTemplateTest {
    private final JsonNode template = Repo.template("infra/ecr.yaml");
    private final JsonNode repository =
            template.path("Resources").path("Repository").path("Properties");

    @Test
    void imagesAreScannedOnPushAndTagsAreImmutable() {
        assertTrue(
                repository.path("ImageScanningConfiguration").path("ScanOnPush").asBoolean());
        assertEquals("IMMUTABLE", repository.path("ImageTagMutability").asText());
    }

    /** An image in the repository: its tags, and when it was pushed (a counter is enough). */
    private record Image(int pushed, Set<String> tags) {}

    /**
     * What ECR's lifecycle policy would expire, by its documented evaluation rules: rules apply
     * from the lowest rulePriority; an image matched by a rule is not expired by any lower-priority
     * rule; imageCountMoreThan keeps the newest pushes among the images a rule selects.
     */
    private static Set<Image> expired(JsonNode rules, List<Image> images) {
        List<JsonNode> ordered = new ArrayList<>();
        rules.forEach(ordered::add);
        ordered.sort(Comparator.comparingInt(r -> r.path("rulePriority").asInt()));
        Set<Image> claimed = new HashSet<>();
        Set<Image> expired = new HashSet<>();
        for (JsonNode rule : ordered) {
            JsonNode selection = rule.path("selection");
            List<Image> selected = images.stream()
                    .filter(i -> !claimed.contains(i))
                    .filter(i -> switch (selection.path("tagStatus").asText()) {
                        case "untagged" -> i.tags().isEmpty();
                        case "tagged" ->
                            StreamSupport.stream(selection.path("tagPrefixList").spliterator(), false)
                                    .allMatch(prefix -> i.tags().stream().anyMatch(t -> t.startsWith(prefix.asText())));
                        default -> true;
                    })
                    .sorted(Comparator.comparingInt(Image::pushed).reversed())
                    .toList();
            claimed.addAll(selected);
            assertTrue(Set.of("imageCountMoreThan", "sinceImagePushed")
                    .contains(selection.path("countType").asText()));
            if (selection.path("countType").asText().equals("imageCountMoreThan")) {
                expired.addAll(selected.subList(
                        Math.min(selected.size(), selection.path("countNumber").asInt()), selected.size()));
            }
        }
        return expired;
    }

    private JsonNode rules() throws Exception {
        return Repo.JSON
                .readTree(repository
                        .path("LifecyclePolicy")
                        .path("LifecyclePolicyText")
                        .asText())
                .path("rules");
    }

    @Test
    void theDeployedImageIsNeverExpiredHoweverManyImagesArePushedAfterIt() throws Exception {
        // Image 5 was deployed, then 60 more were pushed without a deploy (say, a week of failed approvals).
        List<Image> images = new ArrayList<>();
        for (int i = 1; i <= 65; i++) {
            images.add(new Image(i, i == 5 ? Set.of("sha" + i, "deployed-sha" + i) : Set.of("sha" + i)));
        }
        Set<Image> expired = expired(rules(), images);
        assertFalse(expired.contains(images.get(4)), "the running image would be deleted");
        assertEquals(65 - 1 - 30, expired.size(), "undeployed pushes beyond the newest 30 go");
    }

    @Test
    void lifecyclePolicyExpiresUntaggedImagesAndKeepsEnoughForRollback() throws Exception {
        JsonNode rules = rules();
        assertEquals(3, rules.size());
        assertEquals(
                List.of("deployed-"),
                List.of(rules.get(0)
                        .path("selection")
                        .path("tagPrefixList")
                        .get(0)
                        .asText()));
        assertTrue(
                rules.get(0).path("selection").path("countNumber").asInt() >= 10, "deployed images kept for rollback");
        assertEquals(
                "untagged", rules.get(1).path("selection").path("tagStatus").asText());
        assertEquals("any", rules.get(2).path("selection").path("tagStatus").asText(), "'any' must come last");
        rules.forEach(
                rule -> assertEquals("expire", rule.path("action").path("type").asText()));
        // The last 20 deployed images survive 100 later deploys' worth of pushes.
        List<Image> images = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            images.add(new Image(i, Set.of("sha" + i, "deployed-sha" + i)));
        }
        assertEquals(80, expired(rules, images).size());
        assertTrue(expired(rules, images).stream().allMatch(i -> i.pushed() <= 80));
    }

    @Test
    void outputsTheRepositoryUri() {
        assertEquals(
                "Repository",
                template.path("Outputs")
                        .path("RepositoryUri")
                        .path("Value")
                        .path("Fn::GetAtt")
                        .get(0)
                        .asText());
        assertEquals(
                "RepositoryUri",
                template.path("Outputs")
                        .path("RepositoryUri")
                        .path("Value")
                        .path("Fn::GetAtt")
                        .get(1)
                        .asText());
    }
}
