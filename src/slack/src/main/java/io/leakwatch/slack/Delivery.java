package io.leakwatch.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.money.MoneyFormat;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What Slack shows for one alert_id, as the bridge last left it: where the alert went, the last revision
 * applied there and its status, the message the bot token posted (so it can be edited), and the amount that
 * message shows (so a revision can say what it was).
 *
 * <p>The value on {@code slack-delivered} (key: alert_id) is this record as JSON:
 * <pre>
 * {"destination":"channel:#revenue-ops","delivered_at":"2026-01-05T10:00:00Z","revision":2,"status":"WITHDRAWN",
 *  "channel":"C0123ABCD","ts":"1767607200.000100","amount":"2500.0000","currency":"USD"}
 * </pre>
 * {@code delivered_at} is when Slack accepted the revision recorded. {@code channel} and {@code ts} are absent
 * for webhooks and for alerts posted inside a digest (neither can be edited one by one). A value without
 * {@code revision}, or one that is not JSON at all (a note written before alerts had revisions), reads as
 * delivered, revision 1, OPEN, with no message to edit.
 *
 * @param amount   the amount the message shows; null when not recorded
 * @param currency its currency; null when not recorded
 */
public record Delivery(String alertId, String destination, int revision, AlertStatus status,
                       Optional<MessageRef> message, BigDecimal amount, String currency) {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String UNKNOWN_DESTINATION = "unknown";

    public Delivery {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be >= 1, was " + revision);
        }
        if ((amount == null) != (currency == null)) {
            throw new IllegalArgumentException("amount and currency go together");
        }
    }

    /** The amount the message shows, formatted ("USD 2,500.00"), when it was recorded. */
    public Optional<String> shownAmount() {
        return amount == null ? Optional.empty() : Optional.of(MoneyFormat.format(amount, currency));
    }

    /** The JSON value written to {@code slack-delivered}; {@code at} is when Slack accepted this revision. */
    public String toJson(Instant at) {
        ObjectNode node = JSON.createObjectNode();
        node.put("destination", destination);
        node.put("delivered_at", at.toString());
        node.put("revision", revision);
        node.put("status", status.name());
        message.ifPresent(m -> node.put("channel", m.channel()).put("ts", m.ts()));
        if (amount != null) {
            node.put("amount", amount.toPlainString()).put("currency", currency);
        }
        return node.toString();
    }

    /**
     * Reads a value of {@code slack-delivered}. Never fails: anything that is not a JSON object with a positive
     * {@code revision} is the note of an alert delivered before revisions existed, which is what it means.
     * Repeated strings (destinations, channels, currencies) are interned: the store holds one entry per alert.
     */
    public static Delivery parse(String alertId, String value) {
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            return legacy(alertId, UNKNOWN_DESTINATION);
        }
        String destination = text(node, "destination").map(String::intern).orElse(UNKNOWN_DESTINATION);
        JsonNode revision = node.get("revision");
        if (revision == null || !revision.canConvertToInt() || revision.asInt() < 1) {
            return legacy(alertId, destination);
        }
        AlertStatus status = text(node, "status").flatMap(Delivery::status).orElse(AlertStatus.OPEN);
        Optional<String> channel = text(node, "channel");
        Optional<String> ts = text(node, "ts");
        Optional<MessageRef> message = channel.isPresent() && ts.isPresent()
                ? Optional.of(new MessageRef(channel.get().intern(), ts.get())) : Optional.empty();
        BigDecimal amount = text(node, "amount").flatMap(Delivery::decimal).orElse(null);
        String currency = text(node, "currency").map(String::intern).orElse(null);
        if (amount == null || currency == null) {
            amount = null;
            currency = null;
        }
        return new Delivery(alertId, destination, revision.asInt(), status, message, amount, currency);
    }

    private static Delivery legacy(String alertId, String destination) {
        return new Delivery(alertId, destination, 1, AlertStatus.OPEN, Optional.empty(), null, null);
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() || v.asText().isEmpty() ? Optional.empty() : Optional.of(v.asText());
    }

    private static Optional<AlertStatus> status(String name) {
        try {
            return Optional.of(AlertStatus.valueOf(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<BigDecimal> decimal(String text) {
        try {
            return Optional.of(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
