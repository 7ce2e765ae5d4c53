package io.leakwatch.testing;

import io.leakwatch.alerts.AlertContent;
import io.leakwatch.events.Alert;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Comparing the alerts that stand after two runs: by id, and by content (lifecycle fields and detected_at aside). */
public final class StandingAlerts {
    private StandingAlerts() {
    }

    public static Map<String, Alert> byId(Collection<Alert> alerts) {
        Map<String, Alert> out = new TreeMap<>();
        alerts.forEach(a -> out.put(a.getAlertId(), a));
        return out;
    }

    /**
     * What differs, one line per alert id: missing, unexpected, or standing with other content; at most the first 20,
     * after a line saying how many there are.
     */
    public static List<String> difference(Map<String, Alert> expected, Map<String, Alert> actual) {
        List<String> lines = new ArrayList<>();
        Set<String> ids = new TreeSet<>(expected.keySet());
        ids.addAll(actual.keySet());
        for (String id : ids) {
            Alert e = expected.get(id);
            Alert a = actual.get(id);
            if (a == null) {
                lines.add("missing    " + describe(e));
            } else if (e == null) {
                lines.add("unexpected " + describe(a));
            } else if (AlertContent.hash(e) != AlertContent.hash(a)) {
                lines.add("content    " + describe(e) + "\n    expected: " + e.getExplanation() + " " + e.getEvidence()
                        + "\n    actual:   " + a.getExplanation() + " " + a.getEvidence());
            }
        }
        return lines.size() > 20 ? List.of(lines.size() + " differences, the first:\n" + String.join("\n", lines.subList(0, 20)))
                : lines;
    }

    private static String describe(Alert a) {
        return a.getType() + " " + a.getAccountId() + " " + a.getEvidenceKey() + " " + a.getAmount() + " " + a.getCurrency();
    }
}
