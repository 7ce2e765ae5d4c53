package io.leakwatch.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which records and findings a replay of a time range keeps. */
class ReplayRangeTest {
    private static final Instant MARCH = Instant.parse("2024-03-01T00:00:00Z");
    private static final Instant JUNE = Instant.parse("2024-06-01T00:00:00Z");
    private static final ReplayRange SPRING = new ReplayRange(MARCH, JUNE);

    @Test
    void shouldReadEventsFromTheStartInclusiveToTheEndExclusive() {
        assertThat(SPRING.reads(MARCH.toEpochMilli() - 1, false)).isFalse();
        assertThat(SPRING.reads(MARCH.toEpochMilli(), false)).isTrue();
        assertThat(SPRING.reads(JUNE.toEpochMilli() - 1, false)).isTrue();
        assertThat(SPRING.reads(JUNE.toEpochMilli(), false)).isFalse();
    }

    @Test
    void shouldReadStandingInputsFromTheStartOfHistoryWhenTheRangeStartsLater() {
        assertThat(SPRING.reads(Instant.parse("2020-01-01T00:00:00Z").toEpochMilli(), true)).isTrue();
        assertThat(SPRING.reads(JUNE.toEpochMilli(), true)).as("not past the end").isFalse();
        assertThat(SPRING.holds(MARCH.toEpochMilli() - 1)).as("read, but not in the range").isFalse();
    }

    @Test
    void shouldJudgeOnlyFindingsFromTheStartOfTheRange() {
        assertThat(SPRING.judges(Instant.parse("2024-02-01T00:00:00Z"))).isFalse();
        assertThat(SPRING.judges(MARCH)).isTrue();
        assertThat(ReplayRange.ALL.judges(Instant.EPOCH)).isTrue();
    }

    @Test
    void shouldSelectTheRecordsOfTheRangeInTheirOrderAndKeepContractsSignedBeforeIt() {
        ReplayInput input = new ReplayInput(List.of(
                record("contracts", "2023-12-15T00:00:00Z", 1),
                record("invoices", "2024-02-01T00:00:00Z", 1),
                record("invoices", "2024-03-01T00:00:00Z", 2),
                record("invoices", "2024-06-01T00:00:00Z", 3)), null);

        ReplayInput selected = SPRING.select(input, Set.of("contracts", "provisioning"));

        assertThat(selected.records().toList()).extracting(r -> r.topic() + " " + Instant.ofEpochMilli(r.timestamp()))
                .containsExactly("contracts 2023-12-15T00:00:00Z", "invoices 2024-03-01T00:00:00Z");
        assertThat(selected.range()).isEqualTo(SPRING);
    }

    @Test
    void shouldReadADateAsItsStartInUtcAndAnInstantAsItIs() {
        assertThat(ReplayRange.parseTime("2024-03-01")).isEqualTo(MARCH);
        assertThat(ReplayRange.parseTime("2024-03-01T12:30:00Z")).isEqualTo(Instant.parse("2024-03-01T12:30:00Z"));
        assertThatThrownBy(() -> ReplayRange.parseTime("March")).hasMessage("'March' is not a time: give a date"
                + " (2024-03-01, its start in UTC) or an instant (2024-03-01T00:00:00Z)");
    }

    @Test
    void shouldRefuseARangeThatEndsBeforeItStarts() {
        assertThatThrownBy(() -> new ReplayRange(JUNE, MARCH)).hasMessage("the range is empty: --from"
                + " 2024-06-01T00:00:00Z is not before --to 2024-03-01T00:00:00Z");
    }

    private static ReplayRecord record(String topic, String at, int line) {
        return new ReplayRecord(topic, 0, "acct-1", "{}".getBytes(StandardCharsets.UTF_8),
                Instant.parse(at).toEpochMilli(), line);
    }
}
