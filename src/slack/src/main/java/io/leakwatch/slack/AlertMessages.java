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
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.Severity;
import io.leakwatch.money.MoneyFormat;
import io.leakwatch.slack.SlackMessage.Kind;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Block Kit messages for alerts and their changes, built with the Slack SDK's block builders.
 *
 * <p>One alert: header (severity and type), fields (account, amount at risk, severity, type), the explanation,
 * the evidence as fields, the recommended action, a button into the billing system (when the link template can
 * be filled), and a context line with the alert id and event time.
 *
 * <p>A digest (storm control): header with the count, the total at risk per currency
 * ({@code Σ amount} grouped by currency, exact), and one line per alert, at most {@link #DIGEST_LINES}.
 *
 * <p>A later revision of an alert already posted, by status:
 * <ul>
 *   <li>{@link #edited} (chat.update of the message posted): for WITHDRAWN, RESOLVED and FALSE_POSITIVE the
 *   header and the summary fields struck through ({@code ~text~}), the status and its reason on top, the
 *   recommended action struck through; the explanation and the evidence stay readable. ACKNOWLEDGED is shown
 *   the same way but nothing is struck: the money is still at risk, someone is on it. OPEN (a revised amount or
 *   evidence, or reopened after a withdrawal): the new content under a "Revised (revision N)" or
 *   "Reopened (revision N)" line with the reason and the amount the message showed before.</li>
 *   <li>{@link #followUp} (a new post, for messages that cannot be edited: webhooks, alerts posted in a
 *   digest): the status and the reason, and a quote of the original (severity, type, account, amount, evidence
 *   key), struck through as above; for OPEN, the whole new alert under the "Revised" line.</li>
 *   <li>{@link #updateDigest} (storm control for changes): one line per change, the status, struck-through
 *   summary and reason, with totals per status and currency.</li>
 * </ul>
 */
public final class AlertMessages {
    /** Slack's limits: header text 150 chars, section text 3000, field text 2000, 10 fields per section. */
    static final int HEADER_MAX = 150;
    static final int SECTION_MAX = 3000;
    static final int FIELD_MAX = 2000;
    static final int FIELDS_PER_SECTION = 10;
    static final int DIGEST_LINES = 25;
    /** A reason on one line of a digest of changes is cut here; the alert's own message has it whole. */
    static final int DIGEST_REASON_MAX = 120;

    /** A later revision of an alert, and what Slack showed for it before. */
    public record Change(Alert alert, Delivery prior) {
    }

    private final Optional<LinkTemplate> link;

    public AlertMessages(Optional<LinkTemplate> link) {
        this.link = link;
    }

    public SlackMessage single(Alert alert) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(headerBlock("", alert));
        blocks.addAll(body(alert, false));
        return new SlackMessage(Kind.ALERT, summary(alert), blocks, List.of(alert.getAlertId()));
    }

    /** The new content of the message posted for {@code prior}, for chat.update. */
    public SlackMessage edited(Alert alert, Delivery prior) {
        List<LayoutBlock> blocks = new ArrayList<>();
        String text;
        if (alert.getStatus() == AlertStatus.OPEN) {
            blocks.add(headerBlock("", alert));
            blocks.add(section(s -> s.text(markdownText(cut(revisedLine(alert, prior), SECTION_MAX)))));
            text = label(alert, prior) + ": " + summary(alert) + wasText(alert, prior);
        } else {
            boolean struck = closes(alert.getStatus());
            blocks.add(section(s -> s.text(markdownText(cut("*" + statusEmoji(alert, prior) + " " + label(alert, prior)
                    + "* · " + strikeIf(struck, escape(headerText(alert))), SECTION_MAX)))));
            blocks.add(section(s -> s.text(markdownText(cut("*Reason:* " + reason(alert), SECTION_MAX)))));
            text = changeText(alert, prior);
        }
        blocks.addAll(body(alert, closes(alert.getStatus())));
        return new SlackMessage(Kind.EDIT, cut(text, SECTION_MAX), blocks, List.of(alert.getAlertId()));
    }

    /** A new message about a change to {@code prior}'s message, which cannot be edited; it quotes the original. */
    public SlackMessage followUp(Alert alert, Delivery prior) {
        List<LayoutBlock> blocks = new ArrayList<>();
        String text;
        String quote = quote(alert, prior, closes(alert.getStatus()));
        if (alert.getStatus() == AlertStatus.OPEN) {
            blocks.add(headerBlock(statusEmoji(alert, prior) + " " + label(alert, prior) + " · ", alert));
            blocks.add(section(s -> s.text(markdownText(cut(revisedLine(alert, prior) + "\n" + quote, SECTION_MAX)))));
            blocks.addAll(body(alert, false));
            text = label(alert, prior) + ": " + summary(alert) + wasText(alert, prior);
        } else {
            blocks.add(section(s -> s.text(markdownText(cut("*" + statusEmoji(alert, prior) + " " + label(alert, prior)
                    + ":* " + reason(alert), SECTION_MAX)))));
            blocks.add(section(s -> s.text(markdownText(cut(quote, SECTION_MAX)))));
            blocks.add(context(List.of(markdownText("alert `" + alert.getAlertId() + "` · revision " + alert.getRevision()
                    + " · about the message posted earlier for this alert"))));
            text = changeText(alert, prior);
        }
        return new SlackMessage(Kind.FOLLOW_UP, cut(text, SECTION_MAX), blocks, List.of(alert.getAlertId()));
    }

    /** One message standing for many changes during a storm; {@code threshold} and {@code window} say why. */
    public SlackMessage updateDigest(List<Change> changes, int threshold, Duration window, boolean originalsEdited) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Map<String, BigDecimal>> totals = new LinkedHashMap<>();
        for (Change c : changes) {
            String label = label(c.alert(), c.prior());
            counts.merge(label, 1, Integer::sum);
            totals.computeIfAbsent(label, k -> new TreeMap<>()).merge(c.alert().getCurrency(), c.alert().getAmount(), BigDecimal::add);
        }
        boolean allWithdrawn = changes.stream().allMatch(c -> c.alert().getStatus() == AlertStatus.WITHDRAWN);
        String title = allWithdrawn ? plural(changes.size(), "alert") + " withdrawn" : plural(changes.size(), "alert") + " changed";
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(cut((allWithdrawn ? ":leftwards_arrow_with_hook: " : ":arrows_counterclockwise: ")
                + title, HEADER_MAX), true))));
        StringBuilder summary = new StringBuilder();
        if (!allWithdrawn) {
            summary.append(counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(" · "))).append('\n');
        }
        List<String> totalLines = new ArrayList<>();
        totals.forEach((label, byCurrency) -> totalLines.add("*" + label + ":* " + byCurrency.entrySet().stream()
                .map(e -> MoneyFormat.format(e.getValue(), e.getKey())).collect(Collectors.joining(" · "))));
        summary.append(String.join("\n", totalLines));
        blocks.add(section(s -> s.text(markdownText(cut(summary.toString(), SECTION_MAX)))));
        StringBuilder lines = new StringBuilder();
        int shown = 0;
        for (Change c : changes) {
            Alert a = c.alert();
            boolean struck = closes(a.getStatus());
            String line = "• *" + label(a, c.prior()) + "* " + strikeIf(struck, emoji(a.getSeverity()) + " " + a.getSeverity() + " "
                    + escape(a.getType()) + " · " + escape(a.getAccountId()) + " · " + MoneyFormat.format(a.getAmount(), a.getCurrency()))
                    + " · " + linkOrKey(a) + " · `" + a.getAlertId() + "` — " + cut(reason(a), DIGEST_REASON_MAX) + "\n";
            if (shown == DIGEST_LINES || lines.length() + line.length() > SECTION_MAX - 40) {
                break;
            }
            lines.append(line);
            shown++;
        }
        if (shown < changes.size()) {
            lines.append("… and ").append(changes.size() - shown).append(" more");
        }
        blocks.add(divider());
        blocks.add(section(s -> s.text(markdownText(lines.toString().stripTrailing()))));
        blocks.add(context(List.of(markdownText("More than " + threshold + " alert messages for this channel within "
                + human(window) + ": these changes are listed in one message."
                + (originalsEdited ? " The messages posted earlier for these alerts are updated too." : "")))));
        String text = title + ": " + totals.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().entrySet().stream()
                .map(t -> MoneyFormat.format(t.getValue(), t.getKey())).collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "));
        return new SlackMessage(Kind.UPDATE_DIGEST, cut(text, SECTION_MAX), blocks,
                changes.stream().map(c -> c.alert().getAlertId()).toList());
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
        return new SlackMessage(Kind.DIGEST, text, blocks, alerts.stream().map(Alert::getAlertId).toList());
    }

    /** Fields, explanation, evidence, recommended action, link and context: the body every alert message shares. */
    private List<LayoutBlock> body(Alert alert, boolean struck) {
        String amount = MoneyFormat.format(alert.getAmount(), alert.getCurrency());
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.fields(List.of(
                field("Account", strikeIf(struck, escape(alert.getAccountId()))),
                field("Amount at risk", strikeIf(struck, amount + direction(alert.getAmount()))),
                field("Severity", strikeIf(struck, alert.getSeverity().name())),
                field("Type", strikeIf(struck, escape(alert.getType())))))));
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
                + strikeIf(struck, escape(alert.getRecommendedAction())), SECTION_MAX)))));
        link.flatMap(l -> l.expand(alert)).ifPresent(url -> blocks.add(actions(List.of(button(b -> b
                .text(plainText("Open in billing"))
                .url(url)
                .actionId("open-billing"))))));
        String revision = alert.getRevision() > 1 ? " · revision " + alert.getRevision() : "";
        String status = alert.getStatus() == AlertStatus.OPEN ? "" : " · " + alert.getStatus().name().toLowerCase(Locale.ROOT);
        blocks.add(context(List.of(markdownText("alert `" + alert.getAlertId() + "`" + revision + status + " · event time "
                + alert.getEventTime() + " · detected at " + alert.getDetectedAt()))));
        return blocks;
    }

    private static LayoutBlock headerBlock(String prefix, Alert alert) {
        return header(h -> h.text(plainText(cut(prefix + headerText(alert), HEADER_MAX), true)));
    }

    private static String headerText(Alert alert) {
        return emoji(alert.getSeverity()) + " " + alert.getSeverity() + " · " + alert.getType();
    }

    private static String summary(Alert alert) {
        return alert.getSeverity() + " " + alert.getType() + " on " + alert.getAccountId() + ": "
                + MoneyFormat.format(alert.getAmount(), alert.getCurrency()) + " at risk";
    }

    /** "Revised (revision 3): reason" and, when the amount changed, what the message showed before. */
    private static String revisedLine(Alert alert, Delivery prior) {
        String now = MoneyFormat.format(alert.getAmount(), alert.getCurrency());
        String was = prior.shownAmount().filter(w -> !w.equals(now))
                .map(w -> "\nAmount at risk was " + w + ", now " + now + ".").orElse("");
        return "*" + statusEmoji(alert, prior) + " " + label(alert, prior) + " (revision " + alert.getRevision() + "):* "
                + reason(alert) + was;
    }

    /** The fallback text of a change that is not OPEN: "Withdrawn: HIGH RATE_MISMATCH on A (USD 10.00). reason". */
    private static String changeText(Alert alert, Delivery prior) {
        return label(alert, prior) + ": " + alert.getSeverity() + " " + alert.getType() + " on " + alert.getAccountId()
                + " (" + shownAmount(alert, prior) + "). " + plainReason(alert);
    }

    private static String wasText(Alert alert, Delivery prior) {
        String now = MoneyFormat.format(alert.getAmount(), alert.getCurrency());
        return prior.shownAmount().filter(w -> !w.equals(now)).map(w -> " (was " + w + ")").orElse("");
    }

    /** The original message in a mrkdwn quote: severity and type, account, amount shown, evidence key. */
    private static String quote(Alert alert, Delivery prior, boolean struck) {
        return "> " + strikeIf(struck, escape(headerText(alert))) + "\n> " + strikeIf(struck, "Account " + escape(alert.getAccountId())
                + " · " + shownAmount(alert, prior) + " at risk · " + escape(alert.getEvidenceKey()));
    }

    private static String shownAmount(Alert alert, Delivery prior) {
        return prior.shownAmount().orElseGet(() -> MoneyFormat.format(alert.getAmount(), alert.getCurrency()));
    }

    /** The status as people read it; an OPEN revision is "Reopened" when the message showed it closed. */
    static String label(Alert alert, Delivery prior) {
        return switch (alert.getStatus()) {
            case OPEN -> prior.status() == AlertStatus.OPEN ? "Revised" : "Reopened";
            case WITHDRAWN -> "Withdrawn";
            case ACKNOWLEDGED -> "Acknowledged";
            case RESOLVED -> "Resolved";
            case FALSE_POSITIVE -> "False positive";
        };
    }

    private static String statusEmoji(Alert alert, Delivery prior) {
        return switch (alert.getStatus()) {
            case OPEN -> prior.status() == AlertStatus.OPEN ? ":pencil2:" : ":repeat:";
            case WITHDRAWN -> ":leftwards_arrow_with_hook:";
            case ACKNOWLEDGED -> ":eyes:";
            case RESOLVED -> ":white_check_mark:";
            case FALSE_POSITIVE -> ":no_entry_sign:";
        };
    }

    /** The statuses that take the money off the table: the finding does not hold, or was put right. */
    static boolean closes(AlertStatus status) {
        return status == AlertStatus.WITHDRAWN || status == AlertStatus.RESOLVED || status == AlertStatus.FALSE_POSITIVE;
    }

    private static String reason(Alert alert) {
        return escape(plainReason(alert));
    }

    private static String plainReason(Alert alert) {
        String reason = alert.getStatusReason();
        return reason == null || reason.isBlank() ? "no reason given" : reason.strip();
    }

    /** mrkdwn strike-through: {@code ~text~} does not span lines, so each line is struck on its own. */
    static String strikeIf(boolean struck, String text) {
        if (!struck) {
            return text;
        }
        return text.lines().map(String::strip).map(l -> l.isEmpty() ? l : "~" + l + "~").collect(Collectors.joining("\n"));
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
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
