package io.leakwatch.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leakwatch.money.MoneyFormat;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Objects;

/**
 * Ground truth for one injected error: the finding a correct detector must report for it.
 *
 * <p>{@code type}, {@code accountId}, {@code evidenceKey}, {@code amount} and {@code currency} are exactly
 * what the detector's finding carries; the rest says where and why. JSON form ({@link #toJsonLine()}):
 * snake_case fields in record order, amount as a plain decimal string without trailing zeros.
 *
 * @param type        RATE_MISMATCH or CHARGE_ARITHMETIC (an {@link io.leakwatch.alerts.AlertType} name)
 * @param evidenceKey {@code invoice_id/line_id}
 * @param amount      money at risk, rounded HALF_EVEN to the currency's minor unit; positive = under-billed
 * @param period      the billed month, {@code yyyy-MM}
 * @param cause       what went wrong, in a few words
 */
public record Label(String type, String accountId, String evidenceKey, BigDecimal amount, String currency,
                    String invoiceId, String lineId, String period, String cause) {

    /** Labels are listed by period, then account, then evidence key. */
    public static final Comparator<Label> ORDER = Comparator.comparing(Label::period)
            .thenComparing(Label::accountId)
            .thenComparing(Label::evidenceKey);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Label {
        Objects.requireNonNull(type);
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(evidenceKey);
        Objects.requireNonNull(amount);
        Objects.requireNonNull(currency);
        Objects.requireNonNull(invoiceId);
        Objects.requireNonNull(lineId);
        Objects.requireNonNull(period);
        Objects.requireNonNull(cause);
    }

    /** One line of {@code labels.jsonl}, without the line break. */
    public String toJsonLine() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", type);
        node.put("account_id", accountId);
        node.put("evidence_key", evidenceKey);
        node.put("amount", MoneyFormat.plain(amount));
        node.put("currency", currency);
        node.put("invoice_id", invoiceId);
        node.put("line_id", lineId);
        node.put("period", period);
        node.put("cause", cause);
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
