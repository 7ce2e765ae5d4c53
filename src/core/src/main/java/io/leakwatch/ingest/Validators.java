package io.leakwatch.ingest;

import io.leakwatch.events.AlertFeedback;
import io.leakwatch.events.Contract;
import io.leakwatch.events.FeedbackAction;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.RateLine;
import io.leakwatch.events.Tier;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.money.Currencies;
import io.leakwatch.serde.Texts;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The validation rules of each input event type. A record breaking any of them goes to the dead-letter topic with
 * reason {@code invalid} and every problem named.
 *
 * <p>Besides what each type requires, every value must be plausible for billing, so that no single record can
 * overflow a computation, fill a state store or stand for an amount no business bills:
 * <pre>
 * ids, names, codes (account, invoice, line, usage, payment, change, contract ids; service, unit, plan)  1..{@value #MAX_ID} characters
 * free text (failure reason, description)                                                              at most {@value #MAX_TEXT} characters
 * times inside an event (periods, due dates, effective dates, signed_at ...)   from {@link #EARLIEST} to before {@link #LATEST}
 * quantities, levels, tier thresholds, commitments                             0 .. {@link #MAX_QUANTITY}
 * invoice line quantities (a credit's is negative)                            -{@link #MAX_QUANTITY} .. {@link #MAX_QUANTITY}
 * unit rates                                                                   0 .. {@link #MAX_RATE}
 * payment amounts                                                              0 .. {@link #MAX_AMOUNT} (major units)
 * line totals (a credit is negative)                                           -{@link #MAX_AMOUNT} .. {@link #MAX_AMOUNT}
 * an invoice line's total                                                      the sign of quantity x unit_rate (or either 0)
 * a contract's rate lines                                                      1 .. {@value #MAX_RATE_LINES}, each at most {@value #MAX_TIERS} tiers
 * </pre>
 * A line with a positive quantity at a positive rate and a negative total (or the reverse) says two things at once and
 * is refused; a credit (credit note, cancellation) says one: a negative quantity at the contracted rate, for a negative
 * total. These rules hold for every line, with or without an account, so unattributed revenue counts the same lines
 * any other rule would.
 * Decimal places beyond each field's scale, and digits beyond its precision, are refused while decoding, before any
 * arithmetic (see {@code JsonAvro}).
 */
public final class Validators {
    public static final int MAX_ID = 200;
    public static final int MAX_TEXT = 2_000;
    public static final Instant EARLIEST = Instant.parse("1990-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
    public static final BigDecimal MAX_QUANTITY = new BigDecimal("1000000000000");
    public static final BigDecimal MAX_RATE = new BigDecimal("1000000000");
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("10000000000000");
    public static final int MAX_RATE_LINES = 1_000;
    public static final int MAX_TIERS = 100;

    private Validators() {
    }

    public static final EventValidator<Contract> CONTRACT = c -> {
        List<String> p = new ArrayList<>();
        id(p, "contract_id", c.getContractId());
        id(p, "account_id", c.getAccountId());
        time(p, "signed_at", c.getSignedAt());
        if (c.getVersion() < 1) {
            p.add("version must be >= 1");
        }
        if (c.getLines().isEmpty()) {
            p.add("a contract needs at least one rate line");
        }
        if (c.getLines().size() > MAX_RATE_LINES) {
            p.add("a contract may have at most " + MAX_RATE_LINES + " rate lines, not " + c.getLines().size());
            return p;
        }
        for (int i = 0; i < c.getLines().size(); i++) {
            RateLine line = c.getLines().get(i);
            String at = "lines[" + i + "].";
            id(p, at + "service", line.getService());
            optionalId(p, at + "unit", line.getUnit());
            currency(p, at + "currency", line.getCurrency());
            range(p, at + "unit_rate", line.getUnitRate(), MAX_RATE);
            time(p, at + "effective_from", line.getEffectiveFrom());
            if (line.getEffectiveTo() != null) {
                time(p, at + "effective_to", line.getEffectiveTo());
                if (!line.getEffectiveTo().isAfter(line.getEffectiveFrom())) {
                    p.add(at + "effective_to must be after effective_from");
                }
            }
            if (line.getCommittedQuantity() != null) {
                range(p, at + "committed_quantity", line.getCommittedQuantity(), MAX_QUANTITY);
            }
            if (line.getTiers().size() > MAX_TIERS) {
                p.add(at + "tiers: at most " + MAX_TIERS + ", not " + line.getTiers().size());
                continue;
            }
            for (Tier tier : line.getTiers()) {
                range(p, at + "tiers.from_quantity", tier.getFromQuantity(), MAX_QUANTITY);
                range(p, at + "tiers.unit_rate", tier.getUnitRate(), MAX_RATE);
            }
        }
        return p;
    };

    /**
     * An invoice line may lack its account_id: billed to nobody we know, it is unattributed revenue
     * (docs/detectors.md, UNATTRIBUTED_REVENUE), not bad input. Everything else is required.
     */
    public static final EventValidator<InvoiceLine> INVOICE_LINE = l -> {
        List<String> p = new ArrayList<>();
        id(p, "invoice_id", l.getInvoiceId());
        id(p, "line_id", l.getLineId());
        optionalId(p, "account_id", l.getAccountId());
        id(p, "service", l.getService());
        text(p, "description", l.getDescription());
        currency(p, "currency", l.getCurrency());
        magnitude(p, "quantity", l.getQuantity(), MAX_QUANTITY);
        range(p, "unit_rate", l.getUnitRate(), MAX_RATE);
        magnitude(p, "line_total", l.getLineTotal(), MAX_AMOUNT);
        if (l.getQuantity() != null && l.getUnitRate() != null && l.getLineTotal() != null) {
            int charged = l.getQuantity().signum() * l.getUnitRate().signum();
            int total = l.getLineTotal().signum();
            if (charged != 0 && total != 0 && charged != total) {
                p.add("line_total " + l.getLineTotal().stripTrailingZeros().toPlainString()
                        + " has the opposite sign of quantity x unit_rate ("
                        + l.getQuantity().stripTrailingZeros().toPlainString() + " x "
                        + l.getUnitRate().stripTrailingZeros().toPlainString()
                        + "): a credit has a negative quantity and a negative total");
            }
        }
        boolean times = time(p, "service_period_start", l.getServicePeriodStart())
                & time(p, "service_period_end", l.getServicePeriodEnd())
                & time(p, "issued_at", l.getIssuedAt());
        if (l.getDueAt() != null) {
            time(p, "due_at", l.getDueAt());
        }
        if (times) {
            period(p, l.getServicePeriodStart(), l.getServicePeriodEnd());
        }
        return p;
    };

    public static final EventValidator<UsageRecord> USAGE = u -> {
        List<String> p = new ArrayList<>();
        id(p, "usage_id", u.getUsageId());
        id(p, "account_id", u.getAccountId());
        id(p, "service", u.getService());
        optionalId(p, "unit", u.getUnit());
        range(p, "quantity", u.getQuantity(), MAX_QUANTITY);
        time(p, "occurred_at", u.getOccurredAt());
        return p;
    };

    public static final EventValidator<Payment> PAYMENT = pay -> {
        List<String> p = new ArrayList<>();
        id(p, "payment_id", pay.getPaymentId());
        id(p, "account_id", pay.getAccountId());
        optionalId(p, "invoice_id", pay.getInvoiceId());
        currency(p, "currency", pay.getCurrency());
        range(p, "amount", pay.getAmount(), MAX_AMOUNT);
        text(p, "failure_reason", pay.getFailureReason());
        time(p, "attempted_at", pay.getAttemptedAt());
        return p;
    };

    public static final EventValidator<ProvisioningChange> PROVISIONING = c -> {
        List<String> p = new ArrayList<>();
        id(p, "change_id", c.getChangeId());
        id(p, "account_id", c.getAccountId());
        id(p, "service", c.getService());
        optionalId(p, "plan", c.getPlan());
        range(p, "level", c.getLevel(), MAX_QUANTITY);
        time(p, "effective_at", c.getEffectiveAt());
        return p;
    };

    /** A false positive needs a comment saying why: it is the evidence a rule change is judged by. */
    public static final EventValidator<AlertFeedback> ALERT_FEEDBACK = f -> {
        List<String> p = new ArrayList<>();
        id(p, "feedback_id", f.getFeedbackId());
        id(p, "alert_id", f.getAlertId());
        id(p, "account_id", f.getAccountId());
        if (f.getAction() == null) {
            p.add("missing action");
        }
        id(p, "by", f.getBy());
        text(p, "comment", f.getComment());
        if (f.getAction() == FeedbackAction.FALSE_POSITIVE && (f.getComment() == null || f.getComment().isBlank())) {
            p.add("a false positive needs a comment saying why");
        }
        time(p, "given_at", f.getGivenAt());
        return p;
    };

    private static void id(List<String> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add("missing " + field);
        } else {
            optionalId(problems, field, value);
        }
    }

    private static void optionalId(List<String> problems, String field, String value) {
        if (value != null && value.length() > MAX_ID) {
            problems.add(field + " " + Texts.quote(value) + " is longer than " + MAX_ID + " characters");
        }
    }

    private static void text(List<String> problems, String field, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            problems.add(field + " is longer than " + MAX_TEXT + " characters (" + String.format("%,d", value.length()) + ")");
        }
    }

    private static void currency(List<String> problems, String field, String code) {
        if (!Currencies.isKnown(code)) {
            problems.add(field + " " + Texts.quote(code) + " is not an ISO-4217 currency");
        }
    }

    private static void range(List<String> problems, String field, BigDecimal value, BigDecimal max) {
        if (value.signum() < 0) {
            problems.add(field + " must not be negative (" + value.stripTrailingZeros().toPlainString() + ")");
        } else if (value.compareTo(max) > 0) {
            problems.add(field + " " + value.stripTrailingZeros().toPlainString() + " is more than "
                    + max.toPlainString() + ", beyond anything billed");
        }
    }

    private static void magnitude(List<String> problems, String field, BigDecimal value, BigDecimal max) {
        if (value.abs().compareTo(max) > 0) {
            problems.add(field + " " + value.stripTrailingZeros().toPlainString() + " is more than "
                    + max.toPlainString() + " either way, beyond anything billed");
        }
    }

    /** True when the time is within the plausible range. */
    private static boolean time(List<String> problems, String field, Instant value) {
        if (value.isBefore(EARLIEST) || !value.isBefore(LATEST)) {
            problems.add(field + " " + value + " is outside " + EARLIEST.toString().substring(0, 10) + " .. "
                    + LATEST.toString().substring(0, 10));
            return false;
        }
        return true;
    }

    private static void period(List<String> problems, Instant start, Instant end) {
        if (!end.isAfter(start)) {
            problems.add("service_period_end must be after service_period_start");
        }
    }
}
