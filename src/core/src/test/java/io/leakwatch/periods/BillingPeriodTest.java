package io.leakwatch.periods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class BillingPeriodTest {

    @Test
    void shouldParseAPeriodNameAsYearMonthDoes() {
        for (String name : new String[] {"2024-03", "0000-01", "9999-12", "2026-10"}) {
            assertThat(BillingPeriod.parse(name).month()).as(name).isEqualTo(YearMonth.parse(name));
        }
        assertThat(BillingPeriod.parse("+10000-01").month()).isEqualTo(YearMonth.of(10000, 1));
    }

    @Test
    void shouldRefuseANameThatIsNotAPeriod() {
        for (String name : new String[] {"2024-13", "2024-00", "2024-1x", "2024/03", "24-03", ""}) {
            assertThatThrownBy(() -> BillingPeriod.parse(name)).as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + name + "' is not a billing period like 2024-03");
        }
    }

    @Test
    void shouldNameThePeriodItParses() {
        assertThat(BillingPeriod.parse("2024-03").name()).isEqualTo("2024-03");
    }
}
