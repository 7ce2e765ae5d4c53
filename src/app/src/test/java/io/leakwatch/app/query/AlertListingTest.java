package io.leakwatch.app.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.Severity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which alerts a request gets, in which order, and what a bad request is told. */
class AlertListingTest {
    static Alert alert(String id, String account, String type, AlertStatus status, String amount, String currency,
                       String detectedAt) {
        return Alert.newBuilder().setAlertId(id).setType(type).setSeverity(Severity.MEDIUM).setAccountId(account)
                .setEvidenceKey("inv-1/L1").setAmount(new BigDecimal(amount)).setCurrency(currency)
                .setExplanation("billed below contract").setRecommendedAction("invoice the difference")
                .setEventTime(Instant.parse(detectedAt)).setDetectedAt(Instant.parse(detectedAt))
                .setEvidence(Map.of("rate", "9.00")).setStatus(status).build();
    }

    private static final List<Alert> ALERTS = List.of(
            alert("a1", "acct-1", "RATE_MISMATCH", AlertStatus.OPEN, "10.0000", "EUR", "2026-03-02T00:00:00Z"),
            alert("a2", "acct-2", "UNBILLED_USAGE", AlertStatus.WITHDRAWN, "5.0000", "EUR", "2026-04-02T00:00:00Z"),
            alert("a3", "acct-1", "UNBILLED_USAGE", AlertStatus.FALSE_POSITIVE, "7.5000", "GBP", "2026-04-02T00:00:00.500Z"),
            alert("a0", "acct-3", "RATE_MISMATCH", AlertStatus.OPEN, "1.0000", "USD", "2026-04-02T00:00:00Z"));

    private static List<Object> ids(AlertListing.Page page) {
        return page.alerts().stream().map(row -> row.get("alert_id")).toList();
    }

    @Test
    void shouldListEveryAlertNewestFirstThenByIdWhenNothingIsFiltered() {
        AlertListing.Page page = AlertListing.parse(null, null, null, null).select(ALERTS);

        assertThat(ids(page)).containsExactly("a3", "a0", "a2", "a1");
        assertThat(page.total()).isEqualTo(4);
    }

    @Test
    void shouldKeepOnlyTheStatusesTypesAndAccountAskedFor() {
        assertThat(ids(AlertListing.parse("open,false_positive", null, null, null).select(ALERTS)))
                .containsExactly("a3", "a0", "a1");
        assertThat(ids(AlertListing.parse(null, "UNBILLED_USAGE", "acct-1", null).select(ALERTS)))
                .containsExactly("a3");
    }

    @Test
    void shouldCountEveryMatchButShowOnlyTheLimit() {
        AlertListing.Page page = AlertListing.parse(null, null, null, "2").select(ALERTS);

        assertThat(ids(page)).containsExactly("a3", "a0");
        assertThat(page.total()).isEqualTo(4);
    }

    @Test
    void shouldShowMoneyAsADecimalStringWithItsCurrencyAndTheAlertsAccount() {
        Map<String, Object> row = AlertListing.parse(null, null, "acct-3", null).select(ALERTS).alerts().get(0);

        assertThat(row).containsEntry("account_id", "acct-3").containsEntry("status", "OPEN")
                .containsEntry("money_at_risk", Map.of("amount", "1.00", "currency", "USD"))
                .containsEntry("detected_at", "2026-04-02T00:00:00Z").containsEntry("revision", 1)
                .containsKeys("explanation", "recommended_action", "evidence", "status_reason", "severity", "type");
    }

    @Test
    void shouldOrderRowsGatheredFromSeveralInstancesAndKeepTheirTotal() {
        AlertListing listing = AlertListing.parse(null, null, null, "2");
        List<Map<String, Object>> rows = new java.util.ArrayList<>(listing.select(ALERTS.subList(0, 2)).alerts());
        rows.addAll(listing.select(ALERTS.subList(2, 4)).alerts());

        AlertListing.Page page = listing.page(rows, 4);

        assertThat(ids(page)).containsExactly("a3", "a0");
        assertThat(page.total()).isEqualTo(4);
    }

    @Test
    void shouldRefuseAnUnknownStatusOrABadLimitWith400() {
        assertThatThrownBy(() -> AlertListing.parse("CLOSED", null, null, null))
                .isInstanceOf(QueryApi.Refusal.class).hasMessageContaining("status must be one or more of OPEN,")
                .hasMessageContaining("not 'CLOSED'");
        assertThatThrownBy(() -> AlertListing.parse(null, null, null, "0"))
                .hasMessage("limit must be a whole number from 1 to 1000, not '0'");
    }

    @Test
    void shouldAskAnotherInstanceForTheSameListing() {
        assertThat(AlertListing.parse("OPEN", "RATE_MISMATCH", "acct 1", "5").query())
                .isEqualTo("limit=5&status=OPEN&type=RATE_MISMATCH&account=acct%201");
    }
}
