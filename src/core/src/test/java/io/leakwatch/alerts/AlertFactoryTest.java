package io.leakwatch.alerts;

import static io.leakwatch.testing.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Alert;
import io.leakwatch.events.Severity;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A {@link Finding} becomes an {@link Alert} with a deterministic id, a severity and the given detection time. */
class AlertFactoryTest {
    private final AlertFactory factory = new AlertFactory(SeverityPolicy.standard());

    private static Finding finding(String amount, String currency) {
        return new Finding(AlertType.RATE_MISMATCH, "acct-1", "inv-1/L1", new BigDecimal(amount), currency,
                at("2026-02-01T00:00:00Z"), Map.of("invoice_id", "inv-1", "billed_unit_rate", "11"),
                "Invoice inv-1 under-billed by USD 150.00.", "Issue a supplementary invoice.");
    }

    @Test
    void shouldDeriveAlertIdFromTypeAccountAndEvidenceKey() {
        Alert alert = factory.toAlert(finding("150", "USD"), at("2026-03-01T06:00:00Z"));

        assertThat(alert.getAlertId()).isEqualTo(AlertIds.of(AlertType.RATE_MISMATCH, "acct-1", "inv-1/L1"));
        assertThat(alert.getType()).isEqualTo("RATE_MISMATCH");
        assertThat(alert.getAccountId()).isEqualTo("acct-1");
        assertThat(alert.getEvidenceKey()).isEqualTo("inv-1/L1");
    }

    @Test
    void shouldGiveSameAlertIdWhateverTheDetectionTime() {
        Alert first = factory.toAlert(finding("150", "USD"), at("2026-03-01T06:00:00Z"));
        Alert replayed = factory.toAlert(finding("150", "USD"), at("2026-04-01T00:00:00Z"));

        assertThat(replayed.getAlertId()).isEqualTo(first.getAlertId());
    }

    @Test
    void shouldTakeSeverityFromPolicyInTheFindingsCurrency() {
        assertThat(factory.toAlert(finding("150", "USD"), at("2026-03-01T06:00:00Z")).getSeverity())
                .isEqualTo(Severity.MEDIUM);
        assertThat(factory.toAlert(finding("150", "JPY"), at("2026-03-01T06:00:00Z")).getSeverity())
                .isEqualTo(Severity.LOW);
    }

    @Test
    void shouldUseGivenDetectionTimeAndFindingsEventTime() {
        Alert alert = factory.toAlert(finding("150", "USD"), at("2026-03-01T06:00:00Z"));

        assertThat(alert.getDetectedAt()).isEqualTo(at("2026-03-01T06:00:00Z"));
        assertThat(alert.getEventTime()).isEqualTo(at("2026-02-01T00:00:00Z"));
    }

    @Test
    void shouldWriteAmountAtScaleFour() {
        Alert alert = factory.toAlert(finding("15.5", "USD"), at("2026-03-01T06:00:00Z"));

        assertThat(alert.getAmount()).isEqualTo(new BigDecimal("15.5000"));
    }

    @Test
    void shouldWriteNegativeAmountAtScaleFour() {
        Alert alert = factory.toAlert(finding("-200", "USD"), at("2026-03-01T06:00:00Z"));

        assertThat(alert.getAmount()).isEqualTo(new BigDecimal("-200.0000"));
    }

    @Test
    void shouldCarryCurrencyEvidenceExplanationAndAction() {
        Alert alert = factory.toAlert(finding("150", "USD"), at("2026-03-01T06:00:00Z"));

        assertThat(alert.getCurrency()).isEqualTo("USD");
        assertThat(alert.getEvidence()).containsExactlyEntriesOf(
                new java.util.TreeMap<>(Map.of("billed_unit_rate", "11", "invoice_id", "inv-1")));
        assertThat(alert.getExplanation()).isEqualTo("Invoice inv-1 under-billed by USD 150.00.");
        assertThat(alert.getRecommendedAction()).isEqualTo("Issue a supplementary invoice.");
    }
}
