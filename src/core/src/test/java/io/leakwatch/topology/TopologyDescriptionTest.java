package io.leakwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.scoring.StubRiskScorer;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rendered topologies, with risk scoring off and on, are under version control. A renamed processor or store is
 * lost state in production, so a change must be deliberate: run {@code ./leakwatch topology --write} and commit the
 * new files.
 */
class TopologyDescriptionTest {
    private static final TopologyDescription DESCRIPTION = TopologyVariant.DEFAULT.describe();

    @ParameterizedTest
    @EnumSource(TopologyVariant.class)
    void shouldMatchTheCommittedTopologyDescription(TopologyVariant variant) throws Exception {
        assertThat(variant.describe().toString())
                .as("topology/%s is stale: run ./leakwatch topology --write and review the diff", variant.file())
                .isEqualTo(Files.readString(Path.of("topology", variant.file())));
    }

    @ParameterizedTest
    @EnumSource(TopologyVariant.class)
    void shouldMatchTheCommittedDiagram(TopologyVariant variant) throws Exception {
        assertThat(Files.readString(Path.of("topology/TOPOLOGY.md")))
                .as("topology/TOPOLOGY.md is stale (%s): run ./leakwatch topology --write", variant.title())
                .contains("## " + variant.title() + "\n")
                .contains(TopologyDiagram.mermaid(variant.describe()));
    }

    @Test
    void shouldDescribeWithScoringOnWhatAnyScorerBuilds() {
        TopologySettings defaults = TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON,
                new BundledSchemaResolver());
        TopologyDescription withStub = LeakwatchTopology.build(
                defaults.withRisk(defaults.risk().withScorer(new StubRiskScorer()))).describe();

        assertThat(TopologyVariant.RISK_SCORING.describe().toString()).isEqualTo(withStub.toString());
    }

    @Test
    void shouldWriteScoresToAccountRiskOnlyWithScoringOn() {
        TopologyDescription scoring = TopologyVariant.RISK_SCORING.describe();

        assertThat(sinkTopics(subtopology(scoring, 0))).contains("account-risk");
        assertThat(sinkTopics(subtopology(DESCRIPTION, 0))).doesNotContain("account-risk");
        assertThat(stores(scoring)).as("the same state stores").isEqualTo(stores(DESCRIPTION));
    }

    @Test
    void shouldKeepEveryInputInOneSubTopologyRepartitioningOnlyMisroutedEvents() {
        TopologyDescription.Subtopology perAccount = subtopology(0);

        assertThat(sourceTopics(perAccount))
                .containsExactlyInAnyOrder("contracts", "invoices", "usage", "payments", "provisioning", "alert-feedback",
                        MISROUTED);
        assertThat(sinkTopics(perAccount))
                .containsExactlyInAnyOrder("alerts", "alert-state", "dead-letter", PARTIALS, MISROUTED);
    }

    @Test
    void shouldFeedTheUnattributedSummaryOnlyFromItsOneRepartitionTopic() {
        assertThat(DESCRIPTION.subtopologies()).hasSize(2);
        TopologyDescription.Subtopology summary = subtopology(1);

        assertThat(sourceTopics(summary)).containsExactly(PARTIALS);
        assertThat(sinkTopics(summary)).containsExactlyInAnyOrder("alerts", "alert-state");
        assertThat(DESCRIPTION.subtopologies().stream()
                .flatMap(sub -> java.util.stream.Stream.concat(sourceTopics(sub).stream(), sinkTopics(sub).stream()))
                .filter(topic -> topic.endsWith("-repartition")).distinct())
                .as("repartition topics").containsExactlyInAnyOrder(PARTIALS, MISROUTED);
    }

    @Test
    void shouldListOnlyTheInputTopicsAsSourcesToCreate() {
        assertThat(LeakwatchTopology.sourceTopics(LeakwatchTopology.build(TopologySettings.defaults(
                TopicCatalog.bundled(), WireFormat.JSON, new BundledSchemaResolver()))))
                .containsExactly("alert-feedback", "contracts", "invoices", "payments", "provisioning", "usage");
    }

    private static final String PARTIALS = "unattributed-partials-repartition";
    /** Events a producer put on another partition than the Java client would: back to their key's partition. */
    private static final String MISROUTED = "misrouted-events-repartition";

    private static TopologyDescription.Subtopology subtopology(int id) {
        return subtopology(DESCRIPTION, id);
    }

    private static TopologyDescription.Subtopology subtopology(TopologyDescription description, int id) {
        return description.subtopologies().stream().filter(s -> s.id() == id).findFirst().orElseThrow();
    }

    private static List<String> stores(TopologyDescription description) {
        return description.subtopologies().stream().flatMap(s -> s.nodes().stream())
                .filter(n -> n instanceof TopologyDescription.Processor)
                .flatMap(n -> ((TopologyDescription.Processor) n).stores().stream()).sorted().toList();
    }

    private static List<String> sourceTopics(TopologyDescription.Subtopology sub) {
        return sub.nodes().stream().filter(n -> n instanceof TopologyDescription.Source)
                .flatMap(n -> ((TopologyDescription.Source) n).topicSet().stream()).toList();
    }

    private static List<String> sinkTopics(TopologyDescription.Subtopology sub) {
        return sub.nodes().stream().filter(n -> n instanceof TopologyDescription.Sink)
                .map(n -> ((TopologyDescription.Sink) n).topic()).toList();
    }
}
