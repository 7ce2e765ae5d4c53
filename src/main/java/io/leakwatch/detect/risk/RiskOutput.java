package io.leakwatch.detect.risk;

import io.leakwatch.events.AccountRisk;
import io.leakwatch.events.Alert;

/** One output of {@link RiskScoringProcessor}: an account's scores (to {@code account-risk}) or a risk alert. */
public record RiskOutput(AccountRisk risk, Alert alert) {
    public static RiskOutput of(AccountRisk risk) {
        return new RiskOutput(risk, null);
    }

    public static RiskOutput of(Alert alert) {
        return new RiskOutput(null, alert);
    }

    public boolean isAlert() {
        return alert != null;
    }
}
