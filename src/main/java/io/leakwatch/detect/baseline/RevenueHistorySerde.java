package io.leakwatch.detect.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leakwatch.detect.baseline.RevenueHistory.Mark;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON for the {@code revenue-history} store and its changelog:
 * <pre>
 * {"v":1,"currency":"USD","capacity":24,"first":"2024-01","judged_through":"2024-09",
 *  "revenue":{"2024-01":"1200.00",...},"marks":{"2024-07":"DROP",...}}
 * </pre>
 * Amounts are strings so no JSON number ever rounds them.
 */
public final class RevenueHistorySerde implements Serde<RevenueHistory> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public Serializer<RevenueHistory> serializer() {
        return (topic, h) -> h == null ? null : toJson(h);
    }

    @Override
    public Deserializer<RevenueHistory> deserializer() {
        return (topic, bytes) -> bytes == null ? null : fromJson(bytes);
    }

    static byte[] toJson(RevenueHistory h) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("v", 1);
        node.put("currency", h.currency());
        node.put("capacity", h.capacity());
        node.put("first", h.first() == null ? null : h.first().toString());
        node.put("judged_through", h.judgedThrough() == null ? null : h.judgedThrough().toString());
        ObjectNode revenue = node.putObject("revenue");
        h.recorded().forEach((p, v) -> revenue.put(p.toString(), v.toPlainString()));
        ObjectNode marks = node.putObject("marks");
        new TreeMap<>(h.marks()).forEach((p, m) -> marks.put(p.toString(), m.name()));
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new SerializationException("cannot write revenue history", e);
        }
    }

    static RevenueHistory fromJson(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            Map<YearMonth, BigDecimal> revenue = new TreeMap<>();
            node.get("revenue").fields().forEachRemaining(e ->
                    revenue.put(YearMonth.parse(e.getKey()), new BigDecimal(e.getValue().asText())));
            Map<YearMonth, Mark> marks = new TreeMap<>();
            node.get("marks").fields().forEachRemaining(e ->
                    marks.put(YearMonth.parse(e.getKey()), Mark.valueOf(e.getValue().asText())));
            return RevenueHistory.restore(node.get("currency").asText(), node.get("capacity").asInt(),
                    month(node.get("first")), month(node.get("judged_through")), revenue, marks);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read revenue history: " + e.getMessage(), e);
        }
    }

    private static YearMonth month(JsonNode node) {
        return node == null || node.isNull() ? null : YearMonth.parse(node.asText());
    }
}
