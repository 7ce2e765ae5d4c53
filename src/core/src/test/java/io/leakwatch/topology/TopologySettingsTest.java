package io.leakwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings built one component at a time: a copy changes what it is told to and keeps the rest. */
class TopologySettingsTest {
    private final TopologySettings defaults =
            TopologySettings.defaults(TopicCatalog.bundled(), WireFormat.JSON, new BundledSchemaResolver());

    @Test
    void shouldBuildTheDefaultsFromTheNamedConstants() {
        assertThat(defaults.horizon()).isEqualTo(TopologySettings.DEFAULT_HORIZON);
        assertThat(defaults.alertDedupeRetention()).isEqualTo(TopologySettings.DEFAULT_ALERT_DEDUPE);
        assertThat(defaults.earliestPlausible()).isEqualTo(TopologySettings.DEFAULT_EARLIEST);
        assertThat(defaults.maxAhead()).isEqualTo(TopologySettings.DEFAULT_MAX_AHEAD);
        assertThat(defaults.replayInterval()).isEqualTo(TopologySettings.DEFAULT_REPLAY_INTERVAL);
        assertThat(defaults.risk()).isEqualTo(RiskSettings.off());
        assertThat(defaults.detection()).isEqualTo(DetectionSettings.defaults());
    }

    @Test
    void shouldCopyEveryComponentThroughTheBuilder() {
        TopologySettings changed = defaults.toBuilder().horizon(Duration.ofDays(2)).maxAhead(Duration.ofDays(3))
                .replayInterval(Duration.ofSeconds(5)).build();

        assertThat(changed.toBuilder().build()).isEqualTo(changed);
        assertThat(changed.withWireFormat(WireFormat.AVRO))
                .isEqualTo(changed.toBuilder().wireFormat(WireFormat.AVRO).build())
                .extracting(TopologySettings::horizon, TopologySettings::maxAhead, TopologySettings::replayInterval)
                .containsExactly(Duration.ofDays(2), Duration.ofDays(3), Duration.ofSeconds(5));
    }

    @Test
    void shouldCheckWhatItBuildsAsTheRecordDoes() {
        assertThatThrownBy(() -> defaults.toBuilder().replayInterval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replay interval");
    }
}
