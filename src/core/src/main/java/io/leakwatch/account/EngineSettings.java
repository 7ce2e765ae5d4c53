package io.leakwatch.account;

import io.leakwatch.alerts.DetectorSwitches;
import io.leakwatch.alerts.SeverityPolicy;
import io.leakwatch.detect.payment.PaymentTerms;
import io.leakwatch.scoring.RiskPolicy;
import io.leakwatch.scoring.RiskPublishing;
import io.leakwatch.scoring.RiskScorer;
import io.leakwatch.detect.baseline.BaselineSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * What the {@link AccountEngine} needs to judge an account, already parsed and validated.
 *
 * @param severity         severity from the amount at risk
 * @param horizon          how far back late data still re-judges what it affects; findings judged longer ago than this
 *                         are final
 * @param periodCloseGrace a billing period is judged at its end plus this
 * @param duplicateWindow  how far apart (by issue time) two lines can be and still be the same charge
 * @param paymentTerms     payment grace, retry window, default terms
 * @param baseline         revenue baselines
 * @param risk             account features and risk scoring ({@link Risk#OFF} = none)
 * @param switches         the alert types raised at all
 */
public record EngineSettings(SeverityPolicy severity, Duration horizon, Duration periodCloseGrace,
                             Duration duplicateWindow, PaymentTerms paymentTerms, BaselineSettings baseline,
                             Risk risk, DetectorSwitches switches) {
    public EngineSettings {
        Objects.requireNonNull(severity);
        Objects.requireNonNull(switches);
        Objects.requireNonNull(baseline);
        Objects.requireNonNull(risk);
        if (horizon.isNegative() || periodCloseGrace.isNegative() || duplicateWindow.isNegative()) {
            throw new IllegalArgumentException("engine durations must not be negative");
        }
    }

    /**
     * Account features and risk scoring.
     *
     * @param features           keep account features at all (scoring or period-end snapshots need them)
     * @param periodEndSnapshots a snapshot of every account under contract at each month boundary (training data)
     * @param scorer             null = no scoring
     * @param scoringInterval    prompt changes are scored at the next multiple of this (since the epoch, UTC)
     * @param routineDelay       how long a routine change may wait to be scored (never past the period end)
     */
    public record Risk(boolean features, boolean periodEndSnapshots, RiskScorer scorer, Duration scoringInterval,
                       Duration routineDelay, RiskPolicy policy, RiskPublishing publishing) {
        public static final Risk OFF = new Risk(false, false, null, Duration.ofDays(1), Duration.ofDays(31), null, null);

        public boolean scoring() {
            return scorer != null;
        }
    }
}
