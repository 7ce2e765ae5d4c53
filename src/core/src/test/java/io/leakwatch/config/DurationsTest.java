package io.leakwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void shouldReadTheShortFormsAndIso8601Alike() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse(" 5 m ")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("90d")).isEqualTo(Duration.ofDays(90)).isEqualTo(Durations.parse("P90D"));
        assertThat(Durations.parse("pt1m")).isEqualTo(Duration.ofMinutes(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "5 weeks", "-3s", "P1M", "99999999999999999999d"})
    void shouldRefuseWhatIsNotADurationWithOneLineThatSaysWhatWould(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.trim().isEmpty() ? "duration" : text.trim());
    }
}
