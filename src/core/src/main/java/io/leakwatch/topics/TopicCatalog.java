package io.leakwatch.topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The topic catalog ({@code topology/topics.json}): names, partitions, replication, cleanup policy and
 * retention of every topic, by role. Loaded from a file or from the copy bundled in the jar.
 */
public final class TopicCatalog {
    public static final String CONTRACTS = "contracts";
    public static final String INVOICES = "invoices";
    public static final String USAGE = "usage";
    public static final String PAYMENTS = "payments";
    public static final String PROVISIONING = "provisioning";
    public static final String ALERT_FEEDBACK = "alert-feedback";
    public static final String ALERTS = "alerts";
    public static final String ALERT_STATE = "alert-state";
    public static final String ACCOUNT_RISK = "account-risk";
    public static final String ACCOUNT_FEATURES = "account-features";
    public static final String DEAD_LETTER = "dead-letter";
    public static final String LABELS = "labels";

    private static final String BUNDLED = "topology/topics.json";

    private final Map<String, TopicSpec> byRole;

    private TopicCatalog(Map<String, TopicSpec> byRole) {
        this.byRole = byRole;
    }

    /** The catalog bundled with this build. */
    public static TopicCatalog bundled() {
        try (InputStream in = TopicCatalog.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled resource " + BUNDLED);
            }
            return parse(new ObjectMapper().readTree(in), BUNDLED);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bundled " + BUNDLED + ": " + e.getMessage(), e);
        }
    }

    /** A catalog file; {@link CatalogException} with one clear line when it is unreadable or malformed. */
    public static TopicCatalog load(Path file) {
        try {
            return parse(new ObjectMapper().readTree(Files.readAllBytes(file)), file.toString());
        } catch (IOException e) {
            throw new CatalogException("cannot read topic catalog " + file + ": " + io.leakwatch.serde.JsonErrors.oneLine(e));
        }
    }

    static TopicCatalog parse(JsonNode root, String source) {
        JsonNode topics = root == null ? null : root.get("topics");
        if (topics == null || !topics.isArray()) {
            throw new CatalogException(source + ": expected an object with a \"topics\" array");
        }
        Map<String, TopicSpec> byRole = new LinkedHashMap<>();
        for (JsonNode t : topics) {
            String role = text(t, "role", source);
            Map<String, String> configs = new LinkedHashMap<>();
            if (t.has("configs")) {
                t.get("configs").fields().forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
            }
            TopicSpec spec = new TopicSpec(role, text(t, "name", source), t.path("partitions").asInt(1),
                    (short) t.path("replication_factor").asInt(1), t.path("cleanup_policy").asText("delete"),
                    retention(t.path("retention").asText("infinite"), source, role), t.path("input").asBoolean(false),
                    t.path("optional").asBoolean(false), configs);
            if (spec.partitions() < 1 || spec.replicationFactor() < 1) {
                throw new CatalogException(source + ": topic role '" + role + "' needs partitions and replication_factor >= 1");
            }
            if (byRole.put(role, spec) != null) {
                throw new CatalogException(source + ": topic role '" + role + "' is listed twice");
            }
        }
        return new TopicCatalog(byRole);
    }

    private static String text(JsonNode node, String field, String source) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new CatalogException(source + ": every topic needs a \"" + field + "\"");
        }
        return value.asText();
    }

    private static Optional<Duration> retention(String text, String source, String role) {
        if (text.equals("infinite")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.parse(text));
        } catch (DateTimeParseException e) {
            throw new CatalogException(source + ": retention of '" + role + "' must be an ISO-8601 duration or \"infinite\"");
        }
    }

    public TopicSpec role(String role) {
        TopicSpec spec = byRole.get(role);
        if (spec == null) {
            throw new CatalogException("the topic catalog has no topic with role '" + role + "'");
        }
        return spec;
    }

    public String name(String role) {
        return role(role).name();
    }

    public List<TopicSpec> all() {
        return List.copyOf(byRole.values());
    }

    public List<TopicSpec> inputs() {
        return byRole.values().stream().filter(TopicSpec::input).toList();
    }

    /** A copy with every topic changed by {@code change} (name overrides, replication for production, ...). */
    public TopicCatalog map(UnaryOperator<TopicSpec> change) {
        Map<String, TopicSpec> copy = new LinkedHashMap<>();
        byRole.forEach((role, spec) -> copy.put(role, change.apply(spec)));
        return new TopicCatalog(copy);
    }

    public List<String> roles() {
        return new ArrayList<>(byRole.keySet());
    }

    /** A catalog that cannot be used; the message is one line for the user. */
    public static final class CatalogException extends RuntimeException {
        public CatalogException(String message) {
            super(message);
        }
    }
}
