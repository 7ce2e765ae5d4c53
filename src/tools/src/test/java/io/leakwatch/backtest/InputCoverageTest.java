package io.leakwatch.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.alerts.AlertType;
import io.leakwatch.topics.TopicCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputCoverageTest {
    @TempDir
    Path dir;

    private InputCoverage with(String... files) throws IOException {
        for (String file : files) {
            Files.writeString(dir.resolve(file), "");
        }
        return InputCoverage.of(dir, TopicCatalog.bundled());
    }

    @Test
    void shouldRunEveryDetectorWithEveryInput() throws IOException {
        InputCoverage coverage = with("contracts.jsonl", "provisioning.jsonl", "usage.jsonl", "invoices.jsonl",
                "payments.jsonl");

        assertThat(coverage.off()).isEmpty();
        assertThat(coverage.describe()).isEmpty();
    }

    @Test
    void shouldTurnOffThePaymentDetectorsAndThePredictionsWithoutPayments() throws IOException {
        InputCoverage coverage = with("contracts.jsonl", "provisioning.jsonl", "usage.jsonl", "invoices.jsonl");

        assertThat(coverage.off().keySet()).containsExactlyInAnyOrder(AlertType.UNPAID_INVOICE,
                AlertType.UNDERPAYMENT, AlertType.FAILED_PAYMENT_NOT_RECOVERED, AlertType.HIGH_LEAKAGE_RISK,
                AlertType.HIGH_CHURN_RISK);
        assertThat(coverage.off().get(AlertType.UNPAID_INVOICE)).containsExactly("payments.jsonl");
        assertThat(coverage.missingFiles()).containsExactly("payments.jsonl");
    }

    @Test
    void shouldTurnOffEveryPerLineAndPeriodCheckWithoutContracts() throws IOException {
        InputCoverage coverage = with("provisioning.jsonl", "usage.jsonl", "invoices.jsonl", "payments.jsonl");

        assertThat(coverage.off().keySet()).contains(AlertType.RATE_MISMATCH, AlertType.CHARGE_ARITHMETIC,
                AlertType.NO_ACTIVE_CONTRACT, AlertType.CURRENCY_MISMATCH, AlertType.CONTRACT_OVERLAP,
                AlertType.MISSING_INVOICE,
                AlertType.UNBILLED_USAGE, AlertType.PROVISIONING_MISMATCH, AlertType.UNATTRIBUTED_REVENUE);
        assertThat(coverage.ran(AlertType.DUPLICATE_CHARGE)).isTrue();
        assertThat(coverage.ran(AlertType.UNPAID_INVOICE)).isTrue();
        assertThat(coverage.ran(AlertType.REVENUE_DROP)).isTrue();
    }

    @Test
    void shouldNameTheDetectorsEachMissingInputTurnsOffOneLineEach() throws IOException {
        InputCoverage coverage = with("contracts.jsonl", "invoices.jsonl", "payments.jsonl");

        assertThat(coverage.describe()).containsExactly(
                "input provisioning.jsonl is missing: HIGH_CHURN_RISK, HIGH_LEAKAGE_RISK, PROVISIONING_MISMATCH need it"
                        + " and are off for this run (their alerts are not written or scored)",
                "input usage.jsonl is missing: HIGH_CHURN_RISK, HIGH_LEAKAGE_RISK, UNBILLED_USAGE need it and are off"
                        + " for this run (their alerts are not written or scored)");
    }

    @Test
    void shouldLookForTheFilesUnderTheConfiguredTopicNames() throws IOException {
        TopicCatalog renamed = TopicCatalog.bundled().map(t -> t.role().equals(TopicCatalog.PAYMENTS)
                ? t.withName("billing.payments") : t);
        with("contracts.jsonl", "provisioning.jsonl", "usage.jsonl", "invoices.jsonl", "payments.jsonl");

        InputCoverage coverage = InputCoverage.of(dir, renamed);

        assertThat(coverage.missingFiles()).isEqualTo(List.of("billing.payments.jsonl"));
    }
}
