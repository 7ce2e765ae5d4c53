package io.leakwatch.slack;

import io.leakwatch.events.Alert;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A link into the user's billing system, e.g.
 * {@code https://billing.example.com/accounts/{account_id}/invoices/{invoice_id}}. Placeholders name alert
 * fields ({@code alert_id, type, severity, account_id, evidence_key, currency}) or evidence keys
 * ({@code invoice_id, line_id, contract_id, ...}); evidence wins when both exist. Values are URL-encoded.
 * When a placeholder has no value for an alert, there is no link (better none than a broken one).
 */
public final class LinkTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");

    private final String template;

    public LinkTemplate(String template) {
        if (!template.startsWith("https://") && !template.startsWith("http://")) {
            throw new IllegalArgumentException("a link template must start with https:// or http://");
        }
        this.template = template;
    }

    public String template() {
        return template;
    }

    public Optional<String> expand(Alert alert) {
        Map<String, String> values = new HashMap<>();
        values.put("alert_id", alert.getAlertId());
        values.put("type", alert.getType());
        values.put("severity", alert.getSeverity().name());
        values.put("account_id", alert.getAccountId());
        values.put("evidence_key", alert.getEvidenceKey());
        values.put("currency", alert.getCurrency());
        values.putAll(alert.getEvidence());
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null || value.isEmpty()) {
                return Optional.empty();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(
                    URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        m.appendTail(out);
        return Optional.of(out.toString());
    }
}
