package io.leakwatch.testing;

import io.leakwatch.alerts.AlertLog;
import io.leakwatch.alerts.SeverityPolicy;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.ProvisioningChange;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.LeakwatchTopology;
import io.leakwatch.topology.TopologySettings;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The production topology on a {@link TopologyTestDriver}, with helpers that read like a script:
 * {@code contract(..).at(t)}, {@code invoice(..)}, then {@code alerts()}, {@code deadLetters()}.
 */
public final class TopologyHarness implements AutoCloseable {
    public static final BundledSchemaResolver SCHEMAS = new BundledSchemaResolver();

    private final TopologyTestDriver driver;
    private final WireFormat format;
    private final TestInputTopic<String, byte[]> contracts;
    private final TestInputTopic<String, byte[]> invoices;
    private final TestInputTopic<String, byte[]> usage;
    private final TestInputTopic<String, byte[]> payments;
    private final TestInputTopic<String, byte[]> provisioning;
    private final TestInputTopic<String, byte[]> feedback;
    private final TestOutputTopic<String, byte[]> alerts;
    private final TestOutputTopic<String, byte[]> deadLetters;
    private final EventCodec<Alert> alertCodec;
    private final Path stateDir;
    private java.util.Set<String> watched = java.util.Set.of();

    public TopologyHarness() {
        this(UnaryOperator.identity());
    }

    public TopologyHarness(UnaryOperator<TopologySettings> customize) {
        this(WireFormat.JSON, customize);
    }

    public TopologyHarness(WireFormat format, UnaryOperator<TopologySettings> customize) {
        this.format = format;
        TopicCatalog catalog = TopicCatalog.bundled();
        TopologySettings settings = customize.apply(TopologySettings.defaults(catalog, format, SCHEMAS)).withInputPartitions(1);
        try {
            stateDir = Files.createTempDirectory("leakwatch-ttd");
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "leakwatch-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        io.leakwatch.topology.DeadLetterHandlers.install(props, catalog.name(TopicCatalog.DEAD_LETTER));
        driver = new TopologyTestDriver(LeakwatchTopology.build(settings), props);
        contracts = driver.createInputTopic(catalog.name(TopicCatalog.CONTRACTS), new StringSerializer(), new ByteArraySerializer());
        invoices = driver.createInputTopic(catalog.name(TopicCatalog.INVOICES), new StringSerializer(), new ByteArraySerializer());
        usage = driver.createInputTopic(catalog.name(TopicCatalog.USAGE), new StringSerializer(), new ByteArraySerializer());
        payments = driver.createInputTopic(catalog.name(TopicCatalog.PAYMENTS), new StringSerializer(), new ByteArraySerializer());
        provisioning = driver.createInputTopic(catalog.name(TopicCatalog.PROVISIONING), new StringSerializer(), new ByteArraySerializer());
        feedback = driver.createInputTopic(catalog.name(TopicCatalog.ALERT_FEEDBACK), new StringSerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic(catalog.name(TopicCatalog.ALERTS), new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(catalog.name(TopicCatalog.DEAD_LETTER), new StringDeserializer(), new ByteArrayDeserializer());
        alertCodec = format.codec(EventType.ALERT, "alerts", SCHEMAS);
    }

    public TopologyHarness contract(Contract contract) {
        contracts.pipeInput(contract.getAccountId(), format.codec(EventType.CONTRACT, "contracts", SCHEMAS).encode(contract),
                contract.getSignedAt());
        return settle();
    }

    /**
     * Lets the wall clock pass the replay interval, so accounts that received a late record are judged again, as a
     * running processor does within a second. Every input helper calls it.
     */
    public TopologyHarness settle() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        return this;
    }

    public TopologyHarness invoice(InvoiceLine line) {
        invoices.pipeInput(line.getAccountId(), format.codec(EventType.INVOICE_LINE, "invoices", SCHEMAS).encode(line),
                line.getIssuedAt());
        return settle();
    }

    public TopologyHarness usage(UsageRecord record) {
        usage.pipeInput(record.getAccountId(), format.codec(EventType.USAGE, "usage", SCHEMAS).encode(record), record.getOccurredAt());
        return settle();
    }

    public TopologyHarness payment(Payment payment) {
        payments.pipeInput(payment.getAccountId(), format.codec(EventType.PAYMENT, "payments", SCHEMAS).encode(payment),
                payment.getAttemptedAt());
        return settle();
    }

    public TopologyHarness provisioning(ProvisioningChange change) {
        provisioning.pipeInput(change.getAccountId(), format.codec(EventType.PROVISIONING, "provisioning", SCHEMAS).encode(change),
                change.getEffectiveAt());
        return settle();
    }

    /** A person's decision about an alert, keyed by its account_id, at its given_at. */
    public TopologyHarness feedback(io.leakwatch.events.AlertFeedback decision) {
        feedback.pipeInput(decision.getAccountId(), format.codec(EventType.ALERT_FEEDBACK, "alert-feedback", SCHEMAS)
                .encode(decision), decision.getGivenAt());
        return settle();
    }

    /**
     * Advances stream time without business meaning: a usage record of a throw-away account at {@code time}.
     * Stream-time punctuations (period close, payment deadlines) fire when stream time passes them.
     */
    public TopologyHarness advanceStreamTimeTo(Instant time) {
        usage.pipeInput("clock", format.codec(EventType.USAGE, "usage", SCHEMAS).encode(UsageRecord.newBuilder()
                .setUsageId("clock-" + time.toEpochMilli()).setAccountId("clock").setService("clock")
                .setQuantity(new java.math.BigDecimal("0.000000")).setUnit("tick").setOccurredAt(time).build()), time);
        return settle();
    }

    /** A usage record whose record timestamp is not its occurred_at (a producer that stamps the send time). */
    public TopologyHarness usageAt(UsageRecord record, Instant timestamp) {
        usage.pipeInput(record.getAccountId(), format.codec(EventType.USAGE, "usage", SCHEMAS).encode(record), timestamp);
        return settle();
    }

    /** An invoice-topic record with arbitrary bytes, key and timestamp. */
    public TopologyHarness rawInvoice(String key, byte[] value, Instant timestamp) {
        invoices.pipeInput(new TestRecord<>(key, value, new RecordHeaders(), timestamp));
        return settle();
    }

    public TopologyHarness rawInvoice(String key, String json, Instant timestamp) {
        return rawInvoice(key, json.getBytes(StandardCharsets.UTF_8), timestamp);
    }

    public TopologyHarness rawContract(String key, String json, Instant timestamp) {
        contracts.pipeInput(new TestRecord<>(key, json.getBytes(StandardCharsets.UTF_8), new RecordHeaders(), timestamp));
        return settle();
    }

    /**
     * Only alerts of these types are returned by {@link #alerts()}: a test of one detector is not disturbed by
     * what the other detectors rightly say about its sparse data (an unpaid invoice, say).
     */
    public TopologyHarness watching(io.leakwatch.alerts.AlertType... types) {
        watched = java.util.Arrays.stream(types).map(Enum::name).collect(java.util.stream.Collectors.toSet());
        return this;
    }

    /** Alerts emitted since the last call, in emission order (only the watched types, if any are set). */
    public List<Alert> alerts() {
        return allAlerts().stream().filter(a -> watched.isEmpty() || watched.contains(a.getType())).toList();
    }

    /**
     * The alerts that stand at this point (latest revision per alert id, status OPEN) among every alert record
     * emitted since the harness started, whatever its type.
     */
    public List<Alert> standing() {
        return AlertLog.of(alertLog()).standing();
    }

    /** Every alert record emitted since the harness started, in emission order. */
    public List<Alert> alertLog() {
        allAlerts();
        return List.copyOf(log);
    }

    private final List<Alert> log = new java.util.ArrayList<>();

    /** Every alert emitted since the last call, whatever its type. */
    public List<Alert> allAlerts() {
        List<Alert> fresh = alerts.readRecordsToList().stream().map(r -> {
            try {
                return alertCodec.decode(r.value());
            } catch (EventDecodingException e) {
                throw new AssertionError("alert is not decodable: " + e.getMessage(), e);
            }
        }).toList();
        log.addAll(fresh);
        return fresh;
    }

    /** Raw alert records (key, bytes, headers) since the last call. */
    public List<TestRecord<String, byte[]>> alertRecords() {
        return alerts.readRecordsToList();
    }

    public List<TestRecord<String, byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    public static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    public static TopologySettings withSeverity(TopologySettings s, SeverityPolicy policy) {
        return s.withSeverity(policy);
    }

    @Override
    public void close() {
        driver.close();
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // best effort: a temp dir
        }
    }
}
