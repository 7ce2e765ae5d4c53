package io.leakwatch.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.periods.BillingPeriod;
import io.leakwatch.topology.DetectionSettings;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What is still unjudged when a replay's input ends (default graces: close P5D, payments P3D, retry P7D). */
class OpenAtEndTest {
    @Test
    void shouldLeaveTheLastMonthOpenWhenTheInputEndsBeforeItsCloseGracePassed() {
        OpenAtEnd open = OpenAtEnd.of(Instant.parse("2024-06-04T10:00:00Z"), DetectionSettings.defaults());

        assertThat(open.firstOpenPeriod()).isEqualTo(BillingPeriod.parse("2024-05"));
        assertThat(open.periodCloses()).isEqualTo(Instant.parse("2024-06-06T00:00:00Z"));
        assertThat(open.dueAfter()).isEqualTo(Instant.parse("2024-06-01T10:00:00Z"));
        assertThat(open.failedAfter()).isEqualTo(Instant.parse("2024-05-28T10:00:00Z"));
    }

    @Test
    void shouldCountAPeriodJudgedWhenTheInputEndsExactlyAtItsClose() {
        OpenAtEnd open = OpenAtEnd.of(Instant.parse("2024-06-06T00:00:00Z"), DetectionSettings.defaults());

        assertThat(open.firstOpenPeriod()).isEqualTo(BillingPeriod.parse("2024-06"));
        assertThat(open.describe()).element(1).asString().isEqualTo("  billing periods from 2024-06: a period is"
                + " judged at its end + 5 days (2024-06 at 2024-07-06T00:00:00Z); MISSING_INVOICE, UNBILLED_USAGE,"
                + " PROVISIONING_MISMATCH, UNATTRIBUTED_REVENUE and the revenue checks wait for it");
    }
}
