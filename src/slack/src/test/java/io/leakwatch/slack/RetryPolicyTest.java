package io.leakwatch.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    @Test
    void shouldDoubleTheBackoffUpToTheCapAndGiveUpAfterMaxAttempts() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 5);
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.backoff(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.backoff(60)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.exhausted(4)).isFalse();
        assertThat(policy.exhausted(5)).isTrue();
    }

    @Test
    void shouldClassifySlackAnswers() {
        assertThat(SlackResponses.ofWebhook(200, "ok", null)).isInstanceOf(SendResult.Accepted.class);
        assertThat(SlackResponses.ofWebhook(429, "", java.util.Map.of("Retry-After", java.util.List.of("7"))))
                .isEqualTo(new SendResult.RetryAfter(Duration.ofSeconds(7)));
        assertThat(SlackResponses.ofWebhook(503, "", null)).isInstanceOf(SendResult.Transient.class);
        assertThat(SlackResponses.ofWebhook(404, "no_service", null)).isEqualTo(new SendResult.Permanent("HTTP 404 no_service"));
        assertThat(SlackResponses.ofWebhook(403, "invalid_token", null)).isInstanceOf(SendResult.Permanent.class);
        assertThat(SlackResponses.ofMethodError("channel_not_found", null)).isEqualTo(new SendResult.Permanent("channel_not_found"));
        assertThat(SlackResponses.ofMethodError("invalid_auth", null)).isInstanceOf(SendResult.Permanent.class);
        assertThat(SlackResponses.ofMethodError("internal_error", null)).isInstanceOf(SendResult.Transient.class);
        assertThat(SlackResponses.ofMethodError("ratelimited", null)).isEqualTo(new SendResult.RetryAfter(Duration.ofSeconds(1)));
    }
}
