package io.leakwatch.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.topics.TopicSettingsCheck.Result;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up rules on topic settings: what would delete history is refused, what could is warned about. */
class TopicSettingsCheckTest {
    private static final Duration HORIZON = Duration.ofDays(7);
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    private final TopicCatalog catalog = TopicCatalog.bundled();

    /** Every catalog topic with the settings the catalog creates it with. */
    private Map<String, Map<String, String>> asShipped() {
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        catalog.all().forEach(spec -> configs.put(spec.name(), new LinkedHashMap<>(spec.topicConfigs())));
        return configs;
    }

    private Map<String, Map<String, String>> with(String topic, String key, String value) {
        Map<String, Map<String, String>> configs = asShipped();
        configs.get(topic).put(key, value);
        return configs;
    }

    @Test
    void shouldFindNothingInTheCatalogAsItShips() {
        Result result = TopicSettingsCheck.check(catalog, asShipped(), HORIZON);

        assertThat(result.refusals()).isEmpty();
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void shouldRefuseCompactedContractsNamingTopicSettingAndFix() {
        Map<String, Map<String, String>> configs = with("contracts", "cleanup.policy", "compact");
        configs.get("contracts").put("min.compaction.lag.ms", "34560000000");

        Result result = TopicSettingsCheck.check(catalog, configs, HORIZON);

        assertThat(result.refused()).isTrue();
        assertThat(result.refusals()).singleElement().asString()
                .startsWith("input topic 'contracts' has cleanup.policy=compact: ")
                .endsWith("set cleanup.policy=delete");
    }

    @Test
    void shouldRefuseInputThatCompactsAndDeletes() {
        Result result = TopicSettingsCheck.check(catalog, with("usage", "cleanup.policy", "delete, compact"), HORIZON);

        assertThat(result.refusals()).singleElement().asString().startsWith("input topic 'usage' has cleanup.policy=");
    }

    @Test
    void shouldRefuseInputStampedWithLogAppendTime() {
        Result result = TopicSettingsCheck.check(catalog, with("payments", "message.timestamp.type", "LogAppendTime"),
                HORIZON);

        assertThat(result.refusals()).singleElement().asString()
                .startsWith("input topic 'payments' has message.timestamp.type=LogAppendTime: ")
                .contains("event time is lost")
                .endsWith("set message.timestamp.type=CreateTime");
    }

    @Test
    void shouldRefuseInputRetentionShorterThanTheHorizon() {
        Result result = TopicSettingsCheck.check(catalog, with("invoices", "retention.ms", Long.toString(6 * DAY_MS)),
                HORIZON);

        assertThat(result.refusals()).singleElement().asString()
                .startsWith("input topic 'invoices' has retention.ms=518400000 (P6D), shorter than the late-data"
                        + " horizon P7D: ")
                .endsWith("set retention.ms=-1 (or at least 604800000)");
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void shouldOnlyWarnAboutInputRetentionOfAtLeastTheHorizon() {
        Result result = TopicSettingsCheck.check(catalog, with("invoices", "retention.ms", Long.toString(7 * DAY_MS)),
                HORIZON);

        assertThat(result.refusals()).isEmpty();
        assertThat(result.warnings()).singleElement().asString()
                .startsWith("input topic 'invoices' has retention.ms=604800000 (P7D): ")
                .contains("deleted as soon as they are written");
    }

    @Test
    void shouldRefuseEveryOffendingSettingOfAnInputAtOnce() {
        Map<String, Map<String, String>> configs = with("provisioning", "retention.ms", "1000");
        configs.get("provisioning").put("message.timestamp.type", "LogAppendTime");

        Result result = TopicSettingsCheck.check(catalog, configs, HORIZON);

        assertThat(result.refusals()).hasSize(2).allMatch(line -> line.startsWith("input topic 'provisioning' has "));
    }

    @Test
    void shouldWarnWhenInputHasRetentionBytes() {
        Result result = TopicSettingsCheck.check(catalog, with("usage", "retention.bytes", "1073741824"), HORIZON);

        assertThat(result.refusals()).isEmpty();
        assertThat(result.warnings()).singleElement().asString()
                .startsWith("input topic 'usage' has retention.bytes=1073741824: ")
                .endsWith("retention.bytes=-1 keeps them");
    }

    @Test
    void shouldWarnWhenDeadLettersExpireCountedFromTheirOwnTimestamps() {
        Map<String, Map<String, String>> configs = with("dead-letter", "retention.ms", Long.toString(30 * DAY_MS));
        configs.get("dead-letter").put("message.timestamp.type", "CreateTime");

        Result result = TopicSettingsCheck.check(catalog, configs, HORIZON);

        assertThat(result.refusals()).isEmpty();
        assertThat(result.warnings()).singleElement().asString()
                .startsWith("dead-letter topic 'dead-letter' has retention.ms=2592000000 (P30D): ")
                .contains("each record's own timestamp")
                .endsWith("retention.ms=-1 keeps them");
    }

    @Test
    void shouldWarnWhenDeadLettersExpireCountedFromWhenTheyWereWritten() {
        Result result = TopicSettingsCheck.check(catalog, with("dead-letter", "retention.ms", Long.toString(30 * DAY_MS)),
                HORIZON);

        assertThat(result.warnings()).singleElement().asString().contains("counted from when each was dead-lettered");
    }

    @Test
    void shouldWarnWhenAlertStateIsNotCompacted() {
        Result result = TopicSettingsCheck.check(catalog, with("alert-state", "cleanup.policy", "delete"), HORIZON);

        assertThat(result.refusals()).isEmpty();
        assertThat(result.warnings()).singleElement().asString()
                .startsWith("alert-state topic 'alert-state' has cleanup.policy=delete: ")
                .endsWith("set cleanup.policy=compact");
    }

    @Test
    void shouldWarnWhenAlertStateIsAlsoDeletedByTime() {
        Map<String, Map<String, String>> configs = with("alert-state", "cleanup.policy", "compact,delete");
        configs.get("alert-state").put("retention.ms", Long.toString(DAY_MS));

        Result result = TopicSettingsCheck.check(catalog, configs, HORIZON);

        assertThat(result.warnings()).singleElement().asString()
                .startsWith("alert-state topic 'alert-state' has cleanup.policy=compact,delete and retention.ms=86400000");
    }

    @Test
    void shouldIgnoreRetentionOfATopicThatOnlyCompacts() {
        // the broker applies retention.ms and retention.bytes only to topics whose cleanup.policy contains delete
        Map<String, Map<String, String>> configs = with("alert-state", "retention.ms", "1000");
        configs.get("alert-state").put("retention.bytes", "1000");

        Result result = TopicSettingsCheck.check(catalog, configs, HORIZON);

        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void shouldSkipCatalogTopicsThatDoNotExist() {
        Map<String, Map<String, String>> configs = asShipped();
        configs.remove("alert-state");
        configs.remove("contracts");

        Result result = TopicSettingsCheck.check(catalog, configs, HORIZON);

        assertThat(result.refusals()).isEmpty();
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void shouldJudgeTopicsByTheirDeploymentNames() {
        TopicCatalog renamed = catalog.map(s -> s.withName("billing." + s.name()));
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        renamed.all().forEach(spec -> configs.put(spec.name(), new LinkedHashMap<>(spec.topicConfigs())));
        configs.get("billing.invoices").put("cleanup.policy", "compact");
        configs.put("invoices", Map.of("cleanup.policy", "compact"));

        Result result = TopicSettingsCheck.check(renamed, configs, HORIZON);

        assertThat(result.refusals()).singleElement().asString().startsWith("input topic 'billing.invoices' ");
    }

    @Test
    void shouldSpellWholeDaysAsTheConfigKeysDo() {
        assertThat(TopicSettingsCheck.iso(Duration.ofDays(400))).isEqualTo("P400D");
        assertThat(TopicSettingsCheck.iso(Duration.ofHours(36))).isEqualTo("PT36H");
        assertThat(TopicSettingsCheck.iso(Duration.ZERO)).isEqualTo("PT0S");
    }

    @Test
    void shouldSayEveryFindingInOneLine() {
        Map<String, Map<String, String>> configs = with("contracts", "cleanup.policy", "compact");
        configs.get("invoices").put("retention.ms", "1");
        configs.get("usage").put("retention.bytes", "1");
        configs.get("dead-letter").put("retention.ms", "1");
        configs.get("alert-state").put("cleanup.policy", "delete");

        Result result = TopicSettingsCheck.check(catalog, configs, HORIZON);

        assertThat(result.refusals()).hasSize(2);
        assertThat(result.warnings()).hasSize(3);
        assertThat(result.refusals()).allMatch(line -> !line.contains("\n"));
        assertThat(result.warnings()).allMatch(line -> !line.contains("\n"));
    }
}
