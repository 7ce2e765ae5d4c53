package io.leakwatch.ingest;

import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.RateLine;
import io.leakwatch.events.Tier;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.money.Currencies;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The validation rules of each input event type. A record breaking any of them goes to the dead-letter topic. */
public final class Validators {
    private Validators() {
    }

    public static final EventValidator<Contract> CONTRACT = c -> {
        List<String> p = new ArrayList<>();
        required(p, "contract_id", c.getContractId());
        required(p, "account_id", c.getAccountId());
        if (c.getVersion() < 1) {
            p.add("version must be >= 1");
        }
        if (c.getLines().isEmpty()) {
            p.add("a contract needs at least one rate line");
        }
        for (int i = 0; i < c.getLines().size(); i++) {
            RateLine line = c.getLines().get(i);
            String at = "lines[" + i + "].";
            required(p, at + "service", line.getService());
            currency(p, at + "currency", line.getCurrency());
            notNegative(p, at + "unit_rate", line.getUnitRate());
            if (line.getEffectiveTo() != null && !line.getEffectiveTo().isAfter(line.getEffectiveFrom())) {
                p.add(at + "effective_to must be after effective_from");
            }
            if (line.getCommittedQuantity() != null) {
                notNegative(p, at + "committed_quantity", line.getCommittedQuantity());
            }
            for (Tier tier : line.getTiers()) {
                notNegative(p, at + "tiers.from_quantity", tier.getFromQuantity());
                notNegative(p, at + "tiers.unit_rate", tier.getUnitRate());
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
        required(p, "invoice_id", l.getInvoiceId());
        required(p, "line_id", l.getLineId());
        required(p, "service", l.getService());
        currency(p, "currency", l.getCurrency());
        notNegative(p, "quantity", l.getQuantity());
        notNegative(p, "unit_rate", l.getUnitRate());
        period(p, l.getServicePeriodStart(), l.getServicePeriodEnd());
        return p;
    };

    public static final EventValidator<UsageRecord> USAGE = u -> {
        List<String> p = new ArrayList<>();
        required(p, "usage_id", u.getUsageId());
        required(p, "account_id", u.getAccountId());
        required(p, "service", u.getService());
        notNegative(p, "quantity", u.getQuantity());
        return p;
    };

    public static final EventValidator<Payment> PAYMENT = pay -> {
        List<String> p = new ArrayList<>();
        required(p, "payment_id", pay.getPaymentId());
        required(p, "account_id", pay.getAccountId());
        currency(p, "currency", pay.getCurrency());
        notNegative(p, "amount", pay.getAmount());
        return p;
    };

    public static final EventValidator<ProvisioningChange> PROVISIONING = c -> {
        List<String> p = new ArrayList<>();
        required(p, "change_id", c.getChangeId());
        required(p, "account_id", c.getAccountId());
        required(p, "service", c.getService());
        notNegative(p, "level", c.getLevel());
        return p;
    };

    private static void required(List<String> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add("missing " + field);
        }
    }

    private static void currency(List<String> problems, String field, String code) {
        if (!Currencies.isKnown(code)) {
            problems.add(field + " '" + code + "' is not an ISO-4217 currency");
        }
    }

    private static void notNegative(List<String> problems, String field, BigDecimal value) {
        if (value.signum() < 0) {
            problems.add(field + " must not be negative (" + value.stripTrailingZeros().toPlainString() + ")");
        }
    }

    private static void period(List<String> problems, Instant start, Instant end) {
        if (!end.isAfter(start)) {
            problems.add("service_period_end must be after service_period_start");
        }
    }
}
