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
 * <p>Judgement time: a label is only written when the finding's judgement instant is at or before the last
 * record timestamp of the world (where stream time ends), so the labels are exactly what a perfect detector
 * can see. Judgement instants: per-line findings and DUPLICATE_CHARGE at the line's {@code issued_at};
 * UNBILLED_USAGE, MISSING_INVOICE and PROVISIONING_MISMATCH at the period close {@code end(P) + 5 days};
 * FAILED_PAYMENT_NOT_RECOVERED at {@code first unrecovered failure + 7 days}; UNPAID_INVOICE and UNDERPAYMENT
 * at {@code due + 3 days}; UNATTRIBUTED_REVENUE when the next period closes, {@code end(P + 1) + 5 days}.
 *
 * @param type        an {@link io.leakwatch.alerts.AlertType} name
 * @param accountId   the account; {@code UNATTRIBUTED} for UNATTRIBUTED_REVENUE
 * @param evidenceKey per type, as in {@code docs/detectors.md}: {@code invoice_id/line_id} (line findings,
 *                    DUPLICATE_CHARGE: the copy), {@code service/yyyy-MM} (UNBILLED_USAGE,
 *                    PROVISIONING_MISMATCH), {@code yyyy-MM} (MISSING_INVOICE), {@code invoice_id} (payment
 *                    findings), {@code yyyy-MM/CCY} (UNATTRIBUTED_REVENUE)
 * @param amount      money at risk, rounded HALF_EVEN to the currency's minor unit; positive = under-billed
 * @param invoiceId   the invoice the finding is about; null for per-period findings
 * @param lineId      the line the finding is about; null unless it is about one line
 * @param period      the billing period of the finding, {@code yyyy-MM} (for payment findings: the period the
 *                    invoice bills)
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
