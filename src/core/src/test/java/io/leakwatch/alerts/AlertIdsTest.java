package io.leakwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code alert_id = hex(sha256(type|account|evidence_key))[0..32)}: stable across replays and restarts. */
class AlertIdsTest {

    @Test
    void shouldBeThirtyTwoLowercaseHexCharacters() {
        assertThat(AlertIds.of(AlertType.RATE_MISMATCH, "acct-1", "inv-1/L1")).matches("[0-9a-f]{32}");
    }

    @Test
    void shouldBeTheDocumentedHashPrefix() {
        // printf 'RATE_MISMATCH|6:acct-1|inv-1/L1' | sha256sum | cut -c1-32 (account length-prefixed)
        assertThat(AlertIds.of(AlertType.RATE_MISMATCH, "acct-1", "inv-1/L1"))
                .isEqualTo("ec1ad48f92897e403b330f63b7cbe521");
    }

    @Test
    void shouldBeDeterministicForTheSameFinding() {
        assertThat(AlertIds.of(AlertType.CHARGE_ARITHMETIC, "acct-7", "inv-9/L2"))
                .isEqualTo(AlertIds.of(AlertType.CHARGE_ARITHMETIC, "acct-7", "inv-9/L2"));
    }

    @Test
    void shouldDifferByType() {
        assertThat(AlertIds.of(AlertType.RATE_MISMATCH, "acct-1", "inv-1/L1"))
                .isNotEqualTo(AlertIds.of(AlertType.CHARGE_ARITHMETIC, "acct-1", "inv-1/L1"));
    }

    @Test
    void shouldDifferByAccount() {
        assertThat(AlertIds.of(AlertType.RATE_MISMATCH, "acct-1", "inv-1/L1"))
                .isNotEqualTo(AlertIds.of(AlertType.RATE_MISMATCH, "acct-2", "inv-1/L1"));
    }

    @Test
    void shouldDifferByEvidenceKey() {
        assertThat(AlertIds.of(AlertType.RATE_MISMATCH, "acct-1", "inv-1/L1"))
                .isNotEqualTo(AlertIds.of(AlertType.RATE_MISMATCH, "acct-1", "inv-1/L2"));
    }

    @Test
    void shouldDifferWhenSeparatorMovesBetweenAccountAndEvidenceKey() {
        assertThat(AlertIds.of(AlertType.RATE_MISMATCH, "acct|1", "inv-1/L1"))
                .isNotEqualTo(AlertIds.of(AlertType.RATE_MISMATCH, "acct", "1|inv-1/L1"));
    }
}
