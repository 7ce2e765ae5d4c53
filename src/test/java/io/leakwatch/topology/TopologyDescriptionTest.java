package io.leakwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * The rendered topology is under version control. A renamed processor or store is lost state in production,
 * so a change must be deliberate: run {@code ./leakwatch topology --write} and commit the new files.
 */
class TopologyDescriptionTest {
    private static final TopologyDescription DESCRIPTION = LeakwatchTopology.build(TopologySettings.defaults(
            TopicCatalog.bundled(), WireFormat.JSON, new BundledSchemaResolver())).describe();

    @Test
    void shouldMatchTheCommittedTopologyDescription() throws Exception {
        assertThat(DESCRIPTION.toString())
                .as("topology/topology.txt is stale: run ./leakwatch topology --write and review the diff")
                .isEqualTo(Files.readString(Path.of("topology/topology.txt")));
    }

    @Test
    void shouldMatchTheCommittedDiagram() throws Exception {
        assertThat(Files.readString(Path.of("topology/TOPOLOGY.md")))
                .as("topology/TOPOLOGY.md is stale: run ./leakwatch topology --write")
                .contains(TopologyDiagram.mermaid(DESCRIPTION));
    }

    @Test
    void shouldKeepEveryInputInOneSubTopologyWithoutRepartitioning() {
        assertThat(DESCRIPTION.subtopologies()).hasSize(1);
        assertThat(DESCRIPTION.toString()).doesNotContain("repartition");
    }
}
