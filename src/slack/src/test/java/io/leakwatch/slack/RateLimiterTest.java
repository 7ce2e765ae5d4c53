package io.leakwatch.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");

    @Test
    void shouldAllowOneMessagePerSecondPerChannel() {
        RateLimiter limiter = new RateLimiter(1, 1);
        assertThat(limiter.tryAcquire("#a", T0)).isTrue();
        assertThat(limiter.tryAcquire("#a", T0.plusMillis(500))).isFalse();
        assertThat(limiter.nextAllowed("#a", T0.plusMillis(500))).isEqualTo(T0.plusSeconds(1));
        assertThat(limiter.tryAcquire("#a", T0.plusMillis(1000))).isTrue();
    }

    @Test
    void shouldKeepChannelsIndependent() {
        RateLimiter limiter = new RateLimiter(1, 1);
        assertThat(limiter.tryAcquire("#a", T0)).isTrue();
        assertThat(limiter.tryAcquire("#b", T0)).isTrue();
        assertThat(limiter.tryAcquire("#a", T0)).isFalse();
    }

    @Test
    void shouldRefillUpToTheBurstOnly() {
        RateLimiter limiter = new RateLimiter(1, 2);
        assertThat(limiter.tryAcquire("#a", T0)).isTrue();
        assertThat(limiter.tryAcquire("#a", T0)).isTrue();
        assertThat(limiter.tryAcquire("#a", T0)).isFalse();
        Instant later = T0.plus(Duration.ofMinutes(10));
        assertThat(limiter.tryAcquire("#a", later)).isTrue();
        assertThat(limiter.tryAcquire("#a", later)).isTrue();
        assertThat(limiter.tryAcquire("#a", later)).isFalse();
    }

    @Test
    void shouldNeverHoldBackACallWhenUnlimitedEvenWithinTheSameInstant() {
        RateLimiter limiter = RateLimiter.unlimited();
        assertThat(limiter.tryAcquire("#a", T0)).isTrue();
        assertThat(limiter.tryAcquire("#a", T0)).isTrue();
        assertThat(limiter.nextAllowed("#a", T0)).isEqualTo(T0);
    }
}
