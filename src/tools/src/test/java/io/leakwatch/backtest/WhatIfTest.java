package io.leakwatch.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.events.Alert;
import io.leakwatch.events.Severity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WhatIfTest {

    private static Alert alert(String type, String account, String amount, String currency, Severity severity) {
        return Alert.newBuilder()
                .setAlertId(type + "-" + account)
                .setType(type)
                .setSeverity(severity)
                .setAccountId(account)
                .setEvidenceKey("2026-02")
                .setAmount(new BigDecimal(amount))
                .setCurrency(currency)
                .setExplanation("x")
                .setRecommendedAction("y")
                .setEventTime(Instant.parse("2026-02-01T00:00:00Z"))
                .setDetectedAt(Instant.parse("2026-03-01T00:00:00Z"))
                .setEvidence(Map.of())
                .build();
    }

    private static final Alert RATE_A = alert("RATE_MISMATCH", "a", "10.00", "USD", Severity.LOW);
    private static final Alert RATE_B = alert("RATE_MISMATCH", "b", "7.5", "EUR", Severity.LOW);
    private static final Alert DROP_C = alert("REVENUE_DROP", "c", "400", "USD", Severity.MEDIUM);

    @Test
    void shouldMatchAlertsByIdAndNameWhatOnlyOneSideRaised() {
        Alert spike = alert("REVENUE_SPIKE", "d", "90", "USD", Severity.LOW);

        WhatIf compared = WhatIf.compare(new WhatIf.Side("a.properties", List.of(RATE_A, RATE_B, DROP_C), null),
                new WhatIf.Side("b.properties", List.of(RATE_A, RATE_B, spike), null));

        assertThat(compared.onlyIn(WhatIf.BASE)).containsExactly(DROP_C);
        assertThat(compared.onlyIn(WhatIf.WHAT_IF)).containsExactly(spike);
        assertThat(compared.changed()).isEmpty();
    }

    @Test
    void shouldTellAFindingBothRaisedWithAnotherSeverityFromTheSameFindingAtAnotherScale() {
        Alert sameAtOtherScale = alert("RATE_MISMATCH", "a", "10.0000", "USD", Severity.LOW);
        Alert moreSevere = alert("REVENUE_DROP", "c", "400", "USD", Severity.HIGH);

        WhatIf compared = WhatIf.compare(new WhatIf.Side("a", List.of(RATE_A, DROP_C), null),
                new WhatIf.Side("b", List.of(sameAtOtherScale, moreSevere), null));

        assertThat(compared.changed()).singleElement()
                .satisfies(d -> assertThat(d.other().getSeverity()).isEqualTo(Severity.HIGH));
        assertThat(compared.toTable(10)).contains("USD 400.00 -> USD 400.00 (MEDIUM -> HIGH)");
    }

    @Test
    void shouldSumMoneyAtRiskPerTypeAndCurrencyNeverAcrossCurrencies() {
        Alert rateA2 = alert("RATE_MISMATCH", "e", "5", "USD", Severity.LOW);

        WhatIf compared = WhatIf.compare(new WhatIf.Side("a", List.of(RATE_A, RATE_B, rateA2), null),
                new WhatIf.Side("b", List.of(RATE_B), null));

        WhatIf.TypeRow rate = compared.rows().get(0);
        assertThat(rate.baseAlerts()).isEqualTo(3);
        assertThat(rate.baseMoney()).containsExactly(Map.entry("EUR", new BigDecimal("7.5")),
                Map.entry("USD", new BigDecimal("15.00")));
        assertThat(rate.whatIfMoney()).containsOnlyKeys("EUR");
        assertThat(compared.toJson()).contains("\"only_base\" : 2");
    }
}
