package io.leakwatch.detect.duplicate;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.alerts.Finding;
import io.leakwatch.events.InvoiceLine;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DuplicateRuleTest {
    private static final Duration WINDOW = Duration.ofDays(62);
    private final DuplicateRule rule = new DuplicateRule(WINDOW);

    @Test
    void shouldCallAFirstSightingNew() {
        assertThat(rule.judge(line("inv-1", "L1", "2026-03-01T06:00:00Z"), null, null))
                .isInstanceOf(DuplicateRule.Verdict.New.class);
    }

    @Test
    void shouldCallTheSameIdAndIssueTimeARedelivery() {
        InvoiceLine line = line("inv-1", "L1", "2026-03-01T06:00:00Z");

        assertThat(rule.judge(line, seen("2026-03-01T06:00:00Z", null), LineRef.of(line)))
                .isInstanceOf(DuplicateRule.Verdict.Redelivery.class);
    }

    @Test
    void shouldCallTheSameIdWithAnotherIssueTimeADuplicateOfItsFirstIssue() {
        InvoiceLine reissued = line("inv-1", "L1", "2026-03-02T06:00:00Z");

        assertThat(rule.judge(reissued, seen("2026-03-01T06:00:00Z", null), null))
                .isEqualTo(new DuplicateRule.Verdict.Duplicate(ref("inv-1", "L1", "2026-03-01T06:00:00Z")));
    }

    @Test
    void shouldCallASignatureHeldByAnotherLineWithinTheWindowADuplicate() {
        LineRef original = ref("inv-1", "L1", "2026-03-01T06:00:00Z");

        assertThat(rule.judge(line("inv-2", "L3", "2026-05-02T06:00:00Z"), null, original))
                .isEqualTo(new DuplicateRule.Verdict.Duplicate(original));
    }

    @Test
    void shouldCallASignatureHeldByAnotherLineBeyondTheWindowNew() {
        LineRef original = ref("inv-1", "L1", "2026-03-01T06:00:00Z");

        assertThat(rule.judge(line("inv-2", "L3", "2026-05-02T06:00:00.001Z"), null, original))
                .isInstanceOf(DuplicateRule.Verdict.New.class);
    }

    @Test
    void shouldKeepARedeliveredDuplicateADuplicate() {
        LineRef original = ref("inv-1", "L1", "2026-03-01T06:00:00Z");
        InvoiceLine copy = line("inv-2", "L1", "2026-03-10T06:00:00Z");

        assertThat(rule.judge(copy, seen("2026-03-10T06:00:00Z", original), original))
                .isEqualTo(new DuplicateRule.Verdict.Duplicate(original));
    }

    @Test
    void shouldForgetOnlyWhatNoAcceptedLineCanBeNear() {
        long oldestAccepted = Instant.parse("2026-05-02T06:00:00Z").toEpochMilli();

        assertThat(rule.expired(Instant.parse("2026-03-01T06:00:00Z").toEpochMilli(), oldestAccepted)).isFalse();
        assertThat(rule.expired(Instant.parse("2026-03-01T05:59:59.999Z").toEpochMilli(), oldestAccepted)).isTrue();
    }

    @Test
    void shouldReportMinusTheLineTotalAndNameTheOriginal() {
        Finding finding = rule.finding(line("inv-2", "L3", "2026-03-10T06:00:00Z"), ref("inv-1", "L1", "2026-03-01T06:00:00Z"));

        assertThat(finding.type()).isEqualTo(AlertType.DUPLICATE_CHARGE);
        assertThat(finding.accountId()).isEqualTo("acct-1");
        assertThat(finding.evidenceKey()).isEqualTo("inv-2/L3");
        assertThat(finding.amount()).isEqualByComparingTo("-30");
        assertThat(finding.evidence()).containsEntry("original_invoice_id", "inv-1").containsEntry("original_line_id", "L1")
                .containsEntry("original_issued_at", "2026-03-01T06:00:00Z");
        assertThat(finding.explanation()).contains("inv-1").contains("USD 30.00");
    }

    @Test
    void shouldGiveEqualSignaturesToEqualChargesWrittenWithDifferentScales() {
        InvoiceLine a = line("inv-1", "L1", "2026-03-01T06:00:00Z");
        InvoiceLine b = line("inv-2", "L9", "2026-03-02T06:00:00Z");
        b.setLineTotal(new java.math.BigDecimal("30.0000"));
        a.setLineTotal(new java.math.BigDecimal("30.00"));

        assertThat(LineSignature.of(a)).isEqualTo(LineSignature.of(b));
    }

    @Test
    void shouldGiveDifferentSignaturesToAnotherServicePeriod() {
        InvoiceLine a = line("inv-1", "L1", "2026-03-01T06:00:00Z");
        InvoiceLine b = line("inv-2", "L1", "2026-03-01T06:00:00Z");
        b.setServicePeriodStart(Instant.parse("2026-02-02T00:00:00Z"));

        assertThat(LineSignature.of(a)).isNotEqualTo(LineSignature.of(b));
    }

    private static InvoiceLine line(String invoiceId, String lineId, String issuedAt) {
        return io.leakwatch.testing.Events.line("acct-1", invoiceId, lineId, "seats", "2026-02-01T00:00:00Z",
                "2026-03-01T00:00:00Z", "3", "10", "30.00", "USD", issuedAt);
    }

    private static SeenLine seen(String issuedAt, LineRef duplicateOf) {
        return new SeenLine(Instant.parse(issuedAt).toEpochMilli(), duplicateOf);
    }

    private static LineRef ref(String invoiceId, String lineId, String issuedAt) {
        return new LineRef(invoiceId, lineId, Instant.parse(issuedAt).toEpochMilli());
    }
}
