package io.leakwatch.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.TextObject;
import io.leakwatch.events.Alert;
import io.leakwatch.events.Severity;
import io.leakwatch.money.MoneyFormat;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Block Kit messages for alerts, built with the Slack SDK's block builders.
 *
 * <p>One alert: header (severity and type), fields (account, amount at risk, severity, type), the explanation,
 * the evidence as fields, the recommended action, a button into the billing system (when the link template can
 * be filled), and a context line with the alert id and event time.
 *
 * <p>A digest (storm control): header with the count, the total at risk per currency
 * ({@code Σ amount} grouped by currency, exact), and one line per alert, at most {@link #DIGEST_LINES}.
 */
public final class AlertMessages {
    /** Slack's limits: header text 150 chars, section text 3000, field text 2000, 10 fields per section. */
    static final int HEADER_MAX = 150;
    static final int SECTION_MAX = 3000;
    static final int FIELD_MAX = 2000;
    static final int FIELDS_PER_SECTION = 10;
    static final int DIGEST_LINES = 25;

    private final Optional<LinkTemplate> link;

    public AlertMessages(Optional<LinkTemplate> link) {
        this.link = link;
    }

    public SlackMessage single(Alert alert) {
        String amount = MoneyFormat.format(alert.getAmount(), alert.getCurrency());
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(cut(emoji(alert.getSeverity()) + " " + alert.getSeverity() + " · "
                + alert.getType(), HEADER_MAX), true))));
        blocks.add(section(s -> s.fields(List.of(
                field("Account", escape(alert.getAccountId())),
                field("Amount at risk", amount + direction(alert.getAmount())),
                field("Severity", alert.getSeverity().name()),
                field("Type", escape(alert.getType()))))));
        blocks.add(section(s -> s.text(markdownText(cut(escape(alert.getExplanation()), SECTION_MAX)))));
        List<TextObject> evidence = new ArrayList<>();
        evidence.add(field("evidence_key", escape(alert.getEvidenceKey())));
        for (Map.Entry<String, String> e : new TreeMap<>(alert.getEvidence()).entrySet()) {
            if (evidence.size() == FIELDS_PER_SECTION) {
                break;
            }
            evidence.add(field(e.getKey(), escape(e.getValue())));
        }
        blocks.add(section(s -> s.text(markdownText("*Evidence*")).fields(evidence)));
        blocks.add(section(s -> s.text(markdownText(cut("*Recommended action:* "
                + escape(alert.getRecommendedAction()), SECTION_MAX)))));
        link.flatMap(l -> l.expand(alert)).ifPresent(url -> blocks.add(actions(List.of(button(b -> b
                .text(plainText("Open in billing"))
                .url(url)
                .actionId("open-billing"))))));
        blocks.add(context(List.of(markdownText("alert `" + alert.getAlertId() + "` · event time "
                + alert.getEventTime() + " · detected at " + alert.getDetectedAt()))));
        String text = alert.getSeverity() + " " + alert.getType() + " on " + alert.getAccountId() + ": "
                + amount + " at risk";
        return new SlackMessage(text, blocks, List.of(alert.getAlertId()));
    }

    /** One message standing for many alerts of a storm; {@code threshold} and {@code window} say why. */
    public SlackMessage digest(List<Alert> alerts, int threshold, Duration window) {
        Map<String, BigDecimal> totals = new TreeMap<>();
        for (Alert a : alerts) {
            totals.merge(a.getCurrency(), a.getAmount(), BigDecimal::add);
        }
        List<String> totalTexts = totals.entrySet().stream().map(e -> MoneyFormat.format(e.getValue(), e.getKey())).toList();
        String totalLine = String.join(" · ", totalTexts);
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(cut(":rotating_light: Alert storm: " + alerts.size() + " alerts", HEADER_MAX), true))));
        blocks.add(section(s -> s.text(markdownText("*Total at risk:* " + totalLine))));
        StringBuilder lines = new StringBuilder();
        int shown = 0;
        for (Alert a : alerts) {
            String line = "• " + emoji(a.getSeverity()) + " *" + a.getSeverity() + "* " + escape(a.getType()) + " · "
                    + escape(a.getAccountId()) + " · " + MoneyFormat.format(a.getAmount(), a.getCurrency()) + " · "
                    + linkOrKey(a) + " · `" + a.getAlertId() + "`\n";
            if (shown == DIGEST_LINES || lines.length() + line.length() > SECTION_MAX - 40) {
                break;
            }
            lines.append(line);
            shown++;
        }
        if (shown < alerts.size()) {
            lines.append("… and ").append(alerts.size() - shown).append(" more");
        }
        blocks.add(divider());
        blocks.add(section(s -> s.text(markdownText(lines.toString().stripTrailing()))));
        blocks.add(context(List.of(markdownText("More than " + threshold + " alerts for this channel within "
                + human(window) + " are collapsed into one digest. Every alert is also on the alerts topic."))));
        String text = "Alert storm: " + alerts.size() + " alerts, " + totalLine + " at risk";
        return new SlackMessage(text, blocks, alerts.stream().map(Alert::getAlertId).toList());
    }

    private String linkOrKey(Alert a) {
        String key = escape(a.getEvidenceKey());
        return link.flatMap(l -> l.expand(a)).map(url -> "<" + url + "|" + key + ">").orElse(key);
    }

    private static TextObject field(String name, String value) {
        return markdownText(cut("*" + escape(name) + "*\n" + value, FIELD_MAX));
    }

    private static String direction(BigDecimal amount) {
        return amount.signum() < 0 ? " (over-billed)" : "";
    }

    static String emoji(Severity severity) {
        return switch (severity) {
            case CRITICAL -> ":red_circle:";
            case HIGH -> ":large_orange_circle:";
            case MEDIUM -> ":large_yellow_circle:";
            case LOW -> ":large_blue_circle:";
            case INFO -> ":white_circle:";
        };
    }

    /** Slack mrkdwn control characters: &, < and > must be escaped in user-provided text. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String human(Duration window) {
        if (window.toSeconds() % 60 == 0 && window.toMinutes() > 0) {
            return window.toMinutes() == 1 ? "a minute" : window.toMinutes() + " minutes";
        }
        return window.toMillis() % 1000 == 0 ? window.toSeconds() + " s" : window.toMillis() + " ms";
    }
}
