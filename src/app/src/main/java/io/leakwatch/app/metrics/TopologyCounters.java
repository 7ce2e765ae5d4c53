package io.leakwatch.app.metrics;

import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.ingest.RejectReason;
import io.leakwatch.metrics.TopologyMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The topology's counts on a Micrometer registry (names as Prometheus shows them; docs/operations.md has the table):
 * <pre>
 * leakwatch_records_in_total{topic}                   records read from an input topic
 * leakwatch_alerts_raised_total{type,severity}        alert records opening an alert (revision 1)
 * leakwatch_alerts_revised_total{type,severity}       alert records of an open alert changed, or raised again
 * leakwatch_alerts_withdrawn_total{type,severity}     alert records withdrawing an alert
 * leakwatch_money_at_risk_raised_total{currency}      the amounts of the alerts opened
 * leakwatch_money_at_risk_withdrawn_total{currency}   the amounts of the alerts withdrawn
 * leakwatch_dead_letters_total{reason}                records written to the dead-letter topic by the topology
 * leakwatch_late_records_total                        of those, the records later than the late-data horizon
 * </pre>
 * Counted as the topology writes, on the stream threads: a task retried after a failed transaction counts its records
 * again (see {@link TopologyMeters}). Amounts are doubles here: a metric is a trend, the alert is the record of money.
 * The label values are few and bounded (topics, alert types, severities, ISO currencies, reasons); each meter is
 * kept once found, so that a record costs a map lookup and an add.
 */
public final class TopologyCounters implements TopologyMeters {
    public static final String RECORDS_IN = "leakwatch.records.in";
    public static final String ALERTS_RAISED = "leakwatch.alerts.raised";
    public static final String ALERTS_REVISED = "leakwatch.alerts.revised";
    public static final String ALERTS_WITHDRAWN = "leakwatch.alerts.withdrawn";
    public static final String MONEY_RAISED = "leakwatch.money.at.risk.raised";
    public static final String MONEY_WITHDRAWN = "leakwatch.money.at.risk.withdrawn";
    public static final String DEAD_LETTERS = "leakwatch.dead.letters";
    public static final String LATE_RECORDS = "leakwatch.late.records";

    private final MeterRegistry registry;
    private final Counter late;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** The counters of records in, by topic: the call made for every input record. */
    private final Map<String, Counter> recordsIn = new ConcurrentHashMap<>();

    public TopologyCounters(MeterRegistry registry) {
        this.registry = registry;
        this.late = Counter.builder(LATE_RECORDS)
                .description("records later than the late-data horizon, sent to the dead-letter topic")
                .register(registry);
    }

    @Override
    public void recordIn(String topic) {
        Counter counter = recordsIn.get(topic);
        if (counter == null) {
            counter = recordsIn.computeIfAbsent(topic, t -> counter(RECORDS_IN, "records read from an input topic", "topic", t));
        }
        counter.increment();
    }

    @Override
    public void alert(Alert alert) {
        String type = alert.getType();
        String severity = alert.getSeverity() == null ? "none" : alert.getSeverity().name().toLowerCase(Locale.ROOT);
        String currency = alert.getCurrency() == null ? "none" : alert.getCurrency();
        if (alert.getStatus() == AlertStatus.WITHDRAWN) {
            count(ALERTS_WITHDRAWN, "alert records withdrawing an alert", type, severity);
            money(MONEY_WITHDRAWN, "the amounts at risk of the alerts withdrawn", currency, alert.getAmount());
        } else if (alert.getRevision() <= 1) {
            count(ALERTS_RAISED, "alert records opening an alert", type, severity);
            money(MONEY_RAISED, "the amounts at risk of the alerts opened", currency, alert.getAmount());
        } else {
            count(ALERTS_REVISED, "alert records changing an open alert or raising a withdrawn one again", type, severity);
        }
    }

    @Override
    public void deadLetter(String reason) {
        counter(DEAD_LETTERS, "records written to the dead-letter topic by the topology", "reason", reason).increment();
        if (RejectReason.LATE.code().equals(reason)) {
            late.increment();
        }
    }

    private void count(String name, String description, String type, String severity) {
        counter(name, description, "type", type, "severity", severity).increment();
    }

    private void money(String name, String description, String currency, BigDecimal amount) {
        if (amount != null) {
            counter(name, description, "currency", currency).increment(amount.doubleValue());
        }
    }

    /** The counter of this name and these tags (key, value, key, value, ...), registered on first use. */
    private Counter counter(String name, String description, String... tags) {
        String key = name + '\0' + String.join("\0", tags);
        Counter counter = counters.get(key);
        return counter != null ? counter : counters.computeIfAbsent(key,
                k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }
}
