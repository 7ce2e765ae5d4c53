package io.leakwatch.app.query;

import io.leakwatch.account.AccountView;
import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The alerts a request asks for, Kafka-free: each alert as last written to {@code alerts} (every status, withdrawn
 * ones too), filtered and ordered, as JSON rows that travel between instances and are ordered again where gathered.
 * <pre>
 * keep   : status ∈ statuses (all when none named) ∧ type ∈ types (all when none named) ∧ account = account (any when null)
 * order  : detected_at newest first, then alert_id (so the order is the same on every instance and every request)
 * answer : the first limit rows; total = how many matched before the limit
 * </pre>
 *
 * @param statuses the statuses kept (empty: all)
 * @param types    the alert types kept (empty: all)
 * @param account  the only account kept, or null
 * @param limit    how many rows at most
 */
record AlertListing(Set<AlertStatus> statuses, Set<String> types, String account, int limit) {
    static final int MAX_LIMIT = 1000;
    static final int DEFAULT_LIMIT = 100;

    /** Rows newest first (by the detected_at their JSON carries), then by alert id. */
    static final Comparator<Map<String, Object>> NEWEST_FIRST = Comparator
            .<Map<String, Object>, Instant>comparing(row -> Instant.parse((String) row.get("detected_at")))
            .reversed().thenComparing(row -> (String) row.get("alert_id"));

    AlertListing {
        statuses = Set.copyOf(statuses);
        types = Set.copyOf(types);
    }

    /**
     * The listing asked for by these query parameters (each null when absent): {@code status} and {@code type} are
     * comma-separated lists, {@code limit} 1 to {@value #MAX_LIMIT}.
     *
     * @throws QueryApi.Refusal 400 for an unknown status or a bad limit
     */
    static AlertListing parse(String status, String type, String account, String limit) {
        Set<AlertStatus> statuses = new LinkedHashSet<>();
        for (String name : list(status)) {
            try {
                statuses.add(AlertStatus.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new QueryApi.Refusal(400, "status must be one or more of " + Arrays.stream(AlertStatus.values())
                        .map(Enum::name).collect(Collectors.joining(", ")) + ", not '" + name + "'");
            }
        }
        Set<String> types = list(type).stream().map(t -> t.toUpperCase(Locale.ROOT))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        String only = account == null || account.isBlank() ? null : account.trim();
        return new AlertListing(statuses, types, only, QueryApi.whole("limit", limit, DEFAULT_LIMIT, MAX_LIMIT));
    }

    private static List<String> list(String value) {
        return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    boolean keeps(Alert alert) {
        return (statuses.isEmpty() || statuses.contains(alert.getStatus()))
                && (types.isEmpty() || types.contains(alert.getType()))
                && (account == null || account.equals(alert.getAccountId()));
    }

    /** The query string that asks another instance for the same listing ({@code status=..&type=..&limit=..}). */
    String query() {
        StringBuilder q = new StringBuilder("limit=").append(limit);
        if (!statuses.isEmpty()) {
            q.append("&status=").append(statuses.stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
        }
        if (!types.isEmpty()) {
            q.append("&type=").append(QueryApi.encode(types.stream().sorted().collect(Collectors.joining(","))));
        }
        if (account != null) {
            q.append("&account=").append(QueryApi.encode(account));
        }
        return q.toString();
    }

    /** The rows of the alerts kept, ordered, at most {@link #limit}; and how many were kept. */
    Page select(Collection<Alert> alerts) {
        List<Map<String, Object>> rows = alerts.stream().filter(this::keeps).map(AlertListing::row).toList();
        return page(rows, rows.size());
    }

    /** Rows gathered from several instances (each already filtered), ordered and cut to the limit. */
    Page page(Collection<Map<String, Object>> rows, long total) {
        return new Page(rows.stream().sorted(NEWEST_FIRST).limit(limit).toList(), total);
    }

    /** One alert as a row: its id and account, then what the account view shows of an alert. */
    static Map<String, Object> row(Alert alert) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("alert_id", alert.getAlertId());
        row.put("account_id", alert.getAccountId());
        row.putAll(AccountView.alert(alert));
        return row;
    }

    /** The rows shown and how many matched. */
    record Page(List<Map<String, Object>> alerts, long total) {
        Map<String, Object> toJson() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("total", total);
            body.put("alerts", alerts);
            return body;
        }
    }
}
