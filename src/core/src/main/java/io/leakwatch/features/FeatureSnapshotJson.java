package io.leakwatch.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One snapshot as one JSON line (the {@code account-features} topic):
 * <pre>
 * {"account_id":"acct-00001","as_of":"2024-03-01T00:00:00Z","currency":"USD","monthly_revenue":"1234.50",
 *  "features":{"payment_failures_90d":0.0, ...every Feature in catalog order}}
 * </pre>
 * Money is a string (never a JSON number that could round); feature values are numbers.
 */
public final class FeatureSnapshotJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FeatureSnapshotJson() {
    }

    public static String toJson(FeatureSnapshot s) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("account_id", s.accountId());
        node.put("as_of", s.asOf().toString());
        node.put("currency", s.currency());
        node.put("monthly_revenue", s.monthlyRevenue().toPlainString());
        ObjectNode features = node.putObject("features");
        for (Feature f : Feature.values()) {
            features.put(f.featureName(), s.value(f));
        }
        try {
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FeatureSnapshot fromJson(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            double[] values = new double[Feature.COUNT];
            JsonNode features = node.path("features");
            for (Feature f : Feature.values()) {
                values[f.ordinal()] = features.path(f.featureName()).asDouble(f.defaultValue());
            }
            return new FeatureSnapshot(node.get("account_id").asText(), Instant.parse(node.get("as_of").asText()),
                    node.get("currency").asText(), new BigDecimal(node.get("monthly_revenue").asText()), values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
