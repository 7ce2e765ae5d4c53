package io.leakwatch.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.topics.TopicCatalog.CatalogException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topic catalog: the bundled copy is a real guard (co-partitioning), and a bad file fails with one line. */
class TopicCatalogTest {
    @TempDir
    Path dir;

    private Path write(String name, String json) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    private static String topic(String role, String extra) {
        return "{\"role\": \"" + role + "\", \"name\": \"" + role + "\", \"partitions\": 2" + extra + "}";
    }

    @Test
    void shouldLoadBundledCatalogWithEveryRole() {
        TopicCatalog catalog = TopicCatalog.bundled();

        assertThat(catalog.roles()).containsExactlyInAnyOrder(TopicCatalog.CONTRACTS, TopicCatalog.INVOICES,
                TopicCatalog.USAGE, TopicCatalog.PAYMENTS, TopicCatalog.PROVISIONING, TopicCatalog.ALERT_FEEDBACK,
                TopicCatalog.ALERTS, TopicCatalog.ALERT_STATE, TopicCatalog.ACCOUNT_RISK, TopicCatalog.ACCOUNT_FEATURES,
                TopicCatalog.DEAD_LETTER, TopicCatalog.LABELS);
    }

    @Test
    void shouldMarkTheFiveEventTopicsAndAlertFeedbackOfBundledCatalogAsInputs() {
        assertThat(TopicCatalog.bundled().inputs()).extracting(TopicSpec::role).containsExactlyInAnyOrder(
                TopicCatalog.CONTRACTS, TopicCatalog.INVOICES, TopicCatalog.USAGE, TopicCatalog.PAYMENTS,
                TopicCatalog.PROVISIONING, TopicCatalog.ALERT_FEEDBACK);
    }

    @Test
    void shouldCoPartitionEveryInputTopicOfBundledCatalog() {
        // Per-account joins and stores are only local when every input topic has the same partition count
        assertThat(TopicCatalog.bundled().inputs()).extracting(TopicSpec::partitions).containsOnly(
                TopicCatalog.bundled().role(TopicCatalog.CONTRACTS).partitions());
    }

    @Test
    void shouldKeepEveryContractVersionOfBundledCatalog() {
        // compaction keeps one record per key, and contracts are keyed by account: one version per account would be left
        TopicSpec contracts = TopicCatalog.bundled().role(TopicCatalog.CONTRACTS);

        assertThat(contracts.topicConfigs()).containsEntry("cleanup.policy", "delete").containsEntry("retention.ms", "-1")
                .doesNotContainKey("min.compaction.lag.ms");
    }

    @Test
    void shouldKeepEveryInputOfBundledCatalogForever() {
        assertThat(TopicCatalog.bundled().inputs()).allSatisfy(input -> {
            assertThat(input.topicConfigs()).as(input.role()).containsEntry("retention.ms", "-1")
                    .containsEntry("cleanup.policy", "delete").doesNotContainKey("message.timestamp.type");
        });
    }

    @Test
    void shouldKeepDeadLettersAndAlertsOfBundledCatalogForever() {
        TopicCatalog catalog = TopicCatalog.bundled();

        assertThat(catalog.role(TopicCatalog.DEAD_LETTER).topicConfigs()).containsEntry("retention.ms", "-1");
        assertThat(catalog.role(TopicCatalog.ALERTS).topicConfigs()).containsEntry("retention.ms", "-1");
    }

    @Test
    void shouldStampEveryTopicLeakwatchWritesWithLogAppendTime() {
        TopicCatalog catalog = TopicCatalog.bundled();

        for (String role : List.of(TopicCatalog.ALERTS, TopicCatalog.ALERT_STATE, TopicCatalog.ACCOUNT_RISK,
                TopicCatalog.ACCOUNT_FEATURES, TopicCatalog.DEAD_LETTER)) {
            assertThat(catalog.role(role).topicConfigs()).as(role).containsEntry("message.timestamp.type", "LogAppendTime");
        }
    }

    @Test
    void shouldCompactAlertStateByAlertIdWithoutLagAndNeverDeleteIt() {
        TopicSpec state = TopicCatalog.bundled().role(TopicCatalog.ALERT_STATE);

        assertThat(state.input()).isFalse();
        assertThat(state.topicConfigs()).containsEntry("cleanup.policy", "compact").containsEntry("retention.ms", "-1")
                .containsEntry("min.compaction.lag.ms", "0");
    }

    @Test
    void shouldParseRetentionAsIsoDuration() {
        TopicSpec features = TopicCatalog.bundled().role(TopicCatalog.ACCOUNT_FEATURES);

        assertThat(features.retention()).contains(Duration.ofDays(400));
        assertThat(features.topicConfigs()).containsEntry("retention.ms", Long.toString(Duration.ofDays(400).toMillis()));
    }

    @Test
    void shouldLoadCatalogFileWithDefaultsForOmittedFields() throws IOException {
        Path file = write("topics.json", "{\"topics\": [{\"role\": \"invoices\", \"name\": \"prod.invoices\"}]}");

        TopicSpec spec = TopicCatalog.load(file).role("invoices");

        assertThat(spec.name()).isEqualTo("prod.invoices");
        assertThat(spec.partitions()).isEqualTo(1);
        assertThat(spec.replicationFactor()).isEqualTo((short) 1);
        assertThat(spec.cleanupPolicy()).isEqualTo("delete");
        assertThat(spec.retention()).isEqualTo(Optional.empty());
        assertThat(spec.input()).isFalse();
        assertThat(spec.optional()).isFalse();
    }

    @Test
    void shouldFailWithOneLineNamingTheFileWhenFileIsMissing() {
        Path missing = dir.resolve("no-such-topics.json");

        assertThatThrownBy(() -> TopicCatalog.load(missing))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining(missing.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void shouldFailWithCatalogExceptionNamingTheFileWhenJsonIsMalformed() throws IOException {
        Path file = write("broken.json", "{\"topics\": [ {\"role\": \"invoices\",\n  \"name\": }\n]}");

        assertThatThrownBy(() -> TopicCatalog.load(file))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("cannot read topic catalog " + file + ": ");
    }

    @Test
    void shouldFailWithOneLineNamingTheFileWhenJsonIsMalformed() throws IOException {
        Path file = write("broken.json", "{\"topics\": [ {\"role\": \"invoices\",\n  \"name\": }\n]}");

        assertThatThrownBy(() -> TopicCatalog.load(file))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining(file.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void shouldFailNamingFileWhenTopicsArrayIsMissing() throws IOException {
        Path file = write("empty.json", "{\"topic\": []}");

        assertThatThrownBy(() -> TopicCatalog.load(file))
                .isInstanceOf(CatalogException.class)
                .hasMessage(file + ": expected an object with a \"topics\" array");
    }

    @Test
    void shouldFailNamingFileAndRoleWhenRoleIsListedTwice() throws IOException {
        Path file = write("dup.json", "{\"topics\": [" + topic("invoices", "") + ", " + topic("invoices", "") + "]}");

        assertThatThrownBy(() -> TopicCatalog.load(file))
                .isInstanceOf(CatalogException.class)
                .hasMessage(file + ": topic role 'invoices' is listed twice");
    }

    @Test
    void shouldFailNamingFileAndRoleWhenRetentionIsNotADuration() throws IOException {
        Path file = write("retention.json", "{\"topics\": [" + topic("invoices", ", \"retention\": \"400 days\"") + "]}");

        assertThatThrownBy(() -> TopicCatalog.load(file))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith(file + ": retention of 'invoices'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void shouldFailNamingFileWhenPartitionsAreZero() throws IOException {
        Path file = write("zero.json", "{\"topics\": [{\"role\": \"usage\", \"name\": \"usage\", \"partitions\": 0}]}");

        assertThatThrownBy(() -> TopicCatalog.load(file))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith(file + ": topic role 'usage' needs partitions");
    }

    @Test
    void shouldFailNamingFileWhenTopicHasNoName() throws IOException {
        Path file = write("noname.json", "{\"topics\": [{\"role\": \"usage\", \"name\": \"  \"}]}");

        assertThatThrownBy(() -> TopicCatalog.load(file))
                .isInstanceOf(CatalogException.class)
                .hasMessage(file + ": every topic needs a \"name\"");
    }

    @Test
    void shouldFailForUnknownRole() {
        assertThatThrownBy(() -> TopicCatalog.bundled().role("ledger"))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("'ledger'");
    }

    @Test
    void shouldApplyMapToEveryTopicAndLeaveOriginalUnchanged() {
        TopicCatalog original = TopicCatalog.bundled();

        TopicCatalog mapped = original.map(s -> s.withName("prod." + s.name()).withReplicationFactor((short) 3));

        assertThat(mapped.name(TopicCatalog.INVOICES)).isEqualTo("prod.invoices");
        assertThat(mapped.all()).extracting(TopicSpec::replicationFactor).containsOnly((short) 3);
        assertThat(mapped.roles()).isEqualTo(original.roles());
        assertThat(original.name(TopicCatalog.INVOICES)).isEqualTo("invoices");
        assertThat(original.role(TopicCatalog.INVOICES).replicationFactor()).isEqualTo((short) 1);
    }

    @Test
    void shouldKeepEverythingButTheChangedFieldWhenMapped() {
        TopicSpec before = TopicCatalog.bundled().role(TopicCatalog.CONTRACTS);

        TopicSpec after = TopicCatalog.bundled().map(s -> s.withPartitions(12)).role(TopicCatalog.CONTRACTS);

        assertThat(after.partitions()).isEqualTo(12);
        assertThat(after).isEqualTo(before.withPartitions(12));
        assertThat(after.configs()).isEqualTo(before.configs());
    }
}
