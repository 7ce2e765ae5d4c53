package io.leakwatch.account;

import io.leakwatch.detect.unattributed.PeriodTotals;
import io.leakwatch.events.AccountRisk;
import io.leakwatch.events.Alert;
import io.leakwatch.features.FeatureSnapshot;

/**
 * Where the {@link AccountEngine} reports what its judgements change. The live processor turns these into records;
 * a replay collects them and reports only the difference to what was said before.
 */
public interface EngineSink {
    /** A finding was raised, or its content changed (a revision), or it stands again after a withdrawal. */
    void raised(String unit, Alert alert);

    /**
     * A unit was judged again and no longer finds {@code alertId}.
     *
     * @param now what the unit's judgement says now, in words (why the finding no longer holds)
     */
    void withdrawn(String unit, String alertId, long judgedAt, String now);

    /** A change to the account's totals of a closed period, for the unattributed-revenue summary. */
    void contribution(PeriodTotals delta);

    /** A risk score to publish to {@code account-risk}. */
    void published(AccountRisk risk);

    /** A period-end feature snapshot (training data). */
    void snapshot(FeatureSnapshot snapshot);

    /** The account's state, as it is now, is its state at the start of the month beginning at {@code boundary}. */
    void checkpoint(long boundary);

    /** Whether to report every judged unit's verdict in words (a replay, to explain what it withdraws). */
    default boolean explains() {
        return false;
    }

    /** What a unit's latest judgement (at {@code judgedAt}) says, in words; only called when {@link #explains()}. */
    default void verdict(String unit, long judgedAt, String sentence) {
    }

    /** A sink that ignores everything. */
    EngineSink NONE = new EngineSink() {
        @Override
        public void raised(String unit, Alert alert) {
        }

        @Override
        public void withdrawn(String unit, String alertId, long judgedAt, String now) {
        }

        @Override
        public void contribution(PeriodTotals delta) {
        }

        @Override
        public void published(AccountRisk risk) {
        }

        @Override
        public void snapshot(FeatureSnapshot snapshot) {
        }

        @Override
        public void checkpoint(long boundary) {
        }
    };
}
