package io.leakwatch.slack;

import static io.leakwatch.slack.TestAlerts.alert;
import static io.leakwatch.slack.TestAlerts.revised;
import static io.leakwatch.slack.TestAlerts.revision;
import static io.leakwatch.slack.TestAlerts.withdrawn;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.element.ButtonElement;
import com.slack.api.util.json.GsonFactory;
import com.slack.api.webhook.Payload;
import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.Severity;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Payloads are parsed back with the SDK's own Gson and Block Kit model, so a malformed block fails here. */
class AlertMessagesTest {
    private static final Gson GSON = GsonFactory.createSnakeCase();
    private final AlertMessages messages = new AlertMessages(Optional.of(
            new LinkTemplate("https://billing.example.com/accounts/{account_id}/invoices/{invoice_id}")));

    private static Payload roundTrip(Destination d, SlackMessage m) {
        return GSON.fromJson(SlackPayloads.json(d, m), Payload.class);
    }

    private static String markdown(List<LayoutBlock> blocks) {
        return blocks.stream().map(b -> {
            if (b instanceof SectionBlock s) {
                String fields = s.getFields() == null ? "" : s.getFields().stream()
                        .map(f -> ((MarkdownTextObject) f).getText()).collect(Collectors.joining("\n"));
                return (s.getText() == null ? "" : ((MarkdownTextObject) s.getText()).getText()) + "\n" + fields;
            }
            if (b instanceof HeaderBlock h) {
                return h.getText().getText();
            }
            if (b instanceof ContextBlock c) {
                return ((MarkdownTextObject) c.getElements().get(0)).getText();
            }
            return "";
        }).collect(Collectors.joining("\n"));
    }

    @Test
    void shouldShowSeverityTypeAccountAmountExplanationEvidenceActionAndLink() {
        Alert a = alert("abc123", "RATE_MISMATCH", Severity.HIGH, "ACME & Co", "1234.5", "USD");

        Payload payload = roundTrip(new Destination.Channel("#ops"), messages.single(a));

        assertThat(payload.getChannel()).isEqualTo("#ops");
        assertThat(payload.getText()).isEqualTo("HIGH RATE_MISMATCH on ACME & Co: USD 1,234.50 at risk");
        List<LayoutBlock> blocks = payload.getBlocks();
        assertThat(blocks.get(0)).isInstanceOf(HeaderBlock.class);
        assertThat(((HeaderBlock) blocks.get(0)).getText().getText()).isEqualTo(":large_orange_circle: HIGH · RATE_MISMATCH");
        String text = markdown(blocks);
        assertThat(text).contains("*Account*\nACME &amp; Co", "*Amount at risk*\nUSD 1,234.50", "*Severity*\nHIGH",
                "contract says 0.10 &lt;since 2024&gt;.", "*invoice_id*\nINV-abc123", "*billed_unit_rate*\n0.08",
                "*Recommended action:* Issue a supplementary invoice", "alert `abc123`", "2024-03-01T00:00:00Z");
        ButtonElement button = (ButtonElement) blocks.stream().filter(ActionsBlock.class::isInstance)
                .map(b -> ((ActionsBlock) b).getElements().get(0)).findFirst().orElseThrow();
        assertThat(button.getUrl()).isEqualTo("https://billing.example.com/accounts/ACME%20%26%20Co/invoices/INV-abc123");
    }

    @Test
    void shouldOmitTheLinkWhenAPlaceholderHasNoValue() {
        AlertMessages withContract = new AlertMessages(Optional.of(new LinkTemplate("https://b.example.com/c/{contract_id}")));
        Payload payload = roundTrip(new Destination.Channel("#ops"), withContract.single(alert("x", Severity.LOW, "A", "1")));
        assertThat(payload.getBlocks()).noneMatch(ActionsBlock.class::isInstance);
    }

    @Test
    void shouldMarkOverBillingAsSuch() {
        Payload payload = roundTrip(new Destination.Channel("#ops"), messages.single(alert("x", Severity.LOW, "A", "-12")));
        assertThat(markdown(payload.getBlocks())).contains("-USD 12.00 (over-billed)");
    }

    @Test
    void shouldListAStormInOneDigestWithTotalsPerCurrency() {
        List<Alert> storm = List.of(
                alert("s1", "RATE_MISMATCH", Severity.HIGH, "A", "100.10", "USD"),
                alert("s2", "RATE_MISMATCH", Severity.HIGH, "B", "-0.10", "USD"),
                alert("s3", "RATE_MISMATCH", Severity.HIGH, "C", "5000", "JPY"));

        SlackMessage digest = messages.digest(storm, 10, Duration.ofMinutes(1));
        Payload payload = roundTrip(new Destination.Channel("#ops"), digest);

        assertThat(digest.alertIds()).containsExactly("s1", "s2", "s3");
        assertThat(((HeaderBlock) payload.getBlocks().get(0)).getText().getText()).contains("Alert storm: 3 alerts");
        assertThat(markdown(payload.getBlocks())).contains("*Total at risk:* JPY 5,000 · USD 100.00", "`s1`", "`s2`", "`s3`",
                "<https://billing.example.com/accounts/A/invoices/INV-s1|INV-s1/L1>", "More than 10 alerts", "within a minute");
    }

    @Test
    void shouldCapTheDigestListAndSayHowManyMore() {
        List<Alert> storm = java.util.stream.IntStream.range(0, 60)
                .mapToObj(i -> alert("id" + i, Severity.HIGH, "A", "1")).toList();
        Payload payload = roundTrip(new Destination.Channel("#ops"), messages.digest(storm, 10, Duration.ofMinutes(1)));
        String text = markdown(payload.getBlocks());
        long shown = text.lines().filter(l -> l.startsWith("• ")).count();
        assertThat(shown).isBetween(10L, (long) AlertMessages.DIGEST_LINES);
        assertThat(text).contains("… and " + (60 - shown) + " more").contains("USD 60.00");
        payload.getBlocks().stream().filter(SectionBlock.class::isInstance)
                .forEach(b -> assertThat(((SectionBlock) b).getText().getText().length()).isLessThanOrEqualTo(3000));
    }

    // --- later revisions of an alert Slack shows ---

    private static final String LATE_CONTRACT = "Contract ctr-acct-00165 v2, signed 2024-04-23, reached us after the line "
            + "was checked; the line matches v2's rate of 51.198.";
    private static final MessageRef POSTED = new MessageRef("C0OPS", "1700000000.000100");

    private static Delivery posted(Alert a, String amount) {
        return new Delivery(a.getAlertId(), "channel:#ops", 1, AlertStatus.OPEN, Optional.of(POSTED),
                new BigDecimal(amount), a.getCurrency());
    }

    private static Payload roundTrip(SlackMessage m) {
        return GSON.fromJson(SlackPayloads.updateJson(POSTED, m), Payload.class);
    }

    @Test
    void shouldStrikeThroughTheHeaderAndSummaryAndShowTheReasonWhenAWithdrawnMessageIsEdited() {
        // Given a posted alert, withdrawn in revision 2
        Alert a = alert("abc123", "RATE_MISMATCH", Severity.HIGH, "ACME & Co", "1234.5", "USD");

        // When
        SlackMessage edit = messages.edited(withdrawn(a, 2, LATE_CONTRACT), posted(a, "1234.5"));
        Payload payload = roundTrip(edit);

        // Then the message opens with the marker and the struck header; the summary is struck; the evidence is not
        assertThat(edit.kind()).isEqualTo(SlackMessage.Kind.EDIT);
        assertThat(payload.getBlocks()).noneMatch(HeaderBlock.class::isInstance);
        String first = ((MarkdownTextObject) ((SectionBlock) payload.getBlocks().get(0)).getText()).getText();
        assertThat(first).isEqualTo("*:leftwards_arrow_with_hook: Withdrawn* · ~:large_orange_circle: HIGH · RATE_MISMATCH~");
        String text = markdown(payload.getBlocks());
        assertThat(text).contains("*Reason:* Contract ctr-acct-00165 v2, signed 2024-04-23, reached us after the line was "
                        + "checked; the line matches v2's rate of 51.198.",
                "*Account*\n~ACME &amp; Co~", "*Amount at risk*\n~USD 1,234.50~", "*Severity*\n~HIGH~",
                "*Recommended action:* ~Issue a supplementary invoice for the difference.~",
                "contract says 0.10 &lt;since 2024&gt;.", "*invoice_id*\nINV-abc123", "*billed_unit_rate*\n0.08",
                "alert `abc123` · revision 2 · withdrawn");
        assertThat(payload.getText()).isEqualTo("Withdrawn: HIGH RATE_MISMATCH on ACME & Co (USD 1,234.50). " + LATE_CONTRACT);
    }

    @Test
    void shouldSendChatUpdateTheChannelIdAndTsOfTheMessagePostedEarlier() {
        Alert a = alert("abc123", Severity.HIGH, "A", "10");

        JsonObject update = GSON.fromJson(SlackPayloads.updateJson(POSTED,
                messages.edited(withdrawn(a, 2, "late contract"), posted(a, "10"))), JsonObject.class);

        assertThat(update.get("channel").getAsString()).isEqualTo("C0OPS");
        assertThat(update.get("ts").getAsString()).isEqualTo("1700000000.000100");
        assertThat(update.get("text").getAsString()).startsWith("Withdrawn:");
        assertThat(update.getAsJsonArray("blocks")).isNotEmpty();
    }

    @Test
    void shouldQuoteTheOriginalInAFollowUpToAWithdrawal() {
        // Given an alert posted through a webhook (no message to edit) with USD 1,234.50, withdrawn in revision 2
        Alert a = alert("abc123", "RATE_MISMATCH", Severity.HIGH, "ACME & Co", "1234.5", "USD");
        Delivery webhook = new Delivery("abc123", "webhook:1a2b3c4d", 1, AlertStatus.OPEN, Optional.empty(),
                new BigDecimal("1234.5000"), "USD");

        // When
        SlackMessage followUp = messages.followUp(withdrawn(a, 2, LATE_CONTRACT), webhook);
        Payload payload = roundTrip(new Destination.Channel("#ops"), followUp);

        // Then
        assertThat(followUp.kind()).isEqualTo(SlackMessage.Kind.FOLLOW_UP);
        String text = markdown(payload.getBlocks());
        assertThat(text).contains("*:leftwards_arrow_with_hook: Withdrawn:* Contract ctr-acct-00165 v2",
                "> ~:large_orange_circle: HIGH · RATE_MISMATCH~\n> ~Account ACME &amp; Co · USD 1,234.50 at risk · INV-abc123/L1~",
                "alert `abc123` · revision 2");
        assertThat(payload.getText()).isEqualTo("Withdrawn: HIGH RATE_MISMATCH on ACME & Co (USD 1,234.50). " + LATE_CONTRACT);
    }

    @Test
    void shouldQuoteTheAmountTheOriginalShowedWhenALaterRevisionChangedIt() {
        Alert a = alert("abc123", Severity.HIGH, "A", "150");
        Delivery showed = new Delivery("abc123", "webhook:1a2b3c4d", 1, AlertStatus.OPEN, Optional.empty(),
                new BigDecimal("100"), "USD");

        SlackMessage followUp = messages.followUp(withdrawn(a, 3, "late contract"), showed);

        assertThat(markdown(roundTrip(new Destination.Channel("#ops"), followUp).getBlocks())).contains("USD 100.00 at risk");
    }

    @Test
    void shouldShowTheNewContentUnderARevisedLineWithTheAmountShownBefore() {
        Alert a = alert("abc123", Severity.HIGH, "A", "100");

        Payload payload = roundTrip(messages.edited(revised(a, 2, "150", "Usage for March was corrected upwards."),
                posted(a, "100")));

        assertThat(payload.getBlocks().get(0)).isInstanceOf(HeaderBlock.class);
        String text = markdown(payload.getBlocks());
        assertThat(text).contains("*:pencil2: Revised (revision 2):* Usage for March was corrected upwards."
                        + "\nAmount at risk was USD 100.00, now USD 150.00.",
                "*Amount at risk*\nUSD 150.00", "alert `abc123` · revision 2 · event time").doesNotContain("~");
        assertThat(payload.getText()).isEqualTo("Revised: HIGH RATE_MISMATCH on A: USD 150.00 at risk (was USD 100.00)");
    }

    @Test
    void shouldSayReopenedWhenAnAlertShownWithdrawnIsOpenAgain() {
        Alert a = alert("abc123", Severity.HIGH, "A", "100");
        Delivery shownWithdrawn = new Delivery("abc123", "channel:#ops", 2, AlertStatus.WITHDRAWN, Optional.of(POSTED),
                new BigDecimal("100"), "USD");

        Payload payload = roundTrip(messages.edited(revision(a, 3, AlertStatus.OPEN, "Contract v3 restores the old rate."),
                shownWithdrawn));

        assertThat(markdown(payload.getBlocks())).contains("*:repeat: Reopened (revision 3):* Contract v3 restores the old rate.")
                .doesNotContain("~");
    }

    @Test
    void shouldNameTheStatusButStrikeNothingWhenAnAlertIsAcknowledged() {
        Alert a = alert("abc123", Severity.HIGH, "A", "100");

        Payload payload = roundTrip(messages.edited(revision(a, 2, AlertStatus.ACKNOWLEDGED, "Finance is on it."),
                posted(a, "100")));

        String text = markdown(payload.getBlocks());
        assertThat(text).contains("*:eyes: Acknowledged* · :large_orange_circle: HIGH · RATE_MISMATCH",
                "*Reason:* Finance is on it.", "*Amount at risk*\nUSD 100.00").doesNotContain("~");
    }

    @Test
    void shouldStrikeThroughAResolvedAndAFalsePositiveAlertAndNameTheStatus() {
        Alert a = alert("abc123", Severity.HIGH, "A", "100");

        String resolved = markdown(roundTrip(messages.edited(revision(a, 2, AlertStatus.RESOLVED, "Credit note CN-7 issued."),
                posted(a, "100"))).getBlocks());
        String falsePositive = markdown(roundTrip(new Destination.Channel("#ops"), messages.followUp(revision(a, 2,
                AlertStatus.FALSE_POSITIVE, "The discount was agreed by email."), posted(a, "100"))).getBlocks());

        assertThat(resolved).contains("*:white_check_mark: Resolved* · ~:large_orange_circle: HIGH · RATE_MISMATCH~",
                "*Amount at risk*\n~USD 100.00~");
        assertThat(falsePositive).contains("*:no_entry_sign: False positive:* The discount was agreed by email.",
                "> ~:large_orange_circle: HIGH · RATE_MISMATCH~");
    }

    @Test
    void shouldListABurstOfWithdrawalsInOneDigestWithTotalsPerCurrency() {
        List<AlertMessages.Change> burst = java.util.stream.Stream.of(
                        alert("s1", "RATE_MISMATCH", Severity.HIGH, "A", "100.10", "USD"),
                        alert("s2", "RATE_MISMATCH", Severity.HIGH, "B", "-0.10", "USD"),
                        alert("s3", "RATE_MISMATCH", Severity.CRITICAL, "C", "5000", "JPY"))
                .map(a -> new AlertMessages.Change(withdrawn(a, 2, LATE_CONTRACT), posted(a, "1"))).toList();

        SlackMessage digest = messages.updateDigest(burst, 10, Duration.ofMinutes(1), true);
        Payload payload = roundTrip(new Destination.Channel("#ops"), digest);

        assertThat(digest.kind()).isEqualTo(SlackMessage.Kind.UPDATE_DIGEST);
        assertThat(digest.alertIds()).containsExactly("s1", "s2", "s3");
        assertThat(((HeaderBlock) payload.getBlocks().get(0)).getText().getText()).isEqualTo(":leftwards_arrow_with_hook: 3 alerts withdrawn");
        assertThat(markdown(payload.getBlocks())).contains("*Withdrawn:* JPY 5,000 · USD 100.00",
                "• *Withdrawn* ~:red_circle: CRITICAL RATE_MISMATCH · C · JPY 5,000~ · "
                        + "<https://billing.example.com/accounts/C/invoices/INV-s3|INV-s3/L1> · `s3` — Contract ctr-acct-00165 v2",
                "`s1`", "`s2`", "More than 10 alert messages for this channel within a minute",
                "The messages posted earlier for these alerts are updated too.");
        assertThat(payload.getText()).isEqualTo("3 alerts withdrawn: Withdrawn JPY 5,000, USD 100.00");
    }

    @Test
    void shouldCountEachStatusInADigestOfMixedChanges() {
        Alert a = alert("m1", Severity.HIGH, "A", "10");
        Alert b = alert("m2", Severity.HIGH, "B", "20");
        Alert c = alert("m3", Severity.HIGH, "C", "30");
        List<AlertMessages.Change> changes = List.of(
                new AlertMessages.Change(withdrawn(a, 2, "late contract"), posted(a, "10")),
                new AlertMessages.Change(revised(b, 2, "25", "usage corrected"), posted(b, "20")),
                new AlertMessages.Change(withdrawn(c, 2, "late contract"), posted(c, "30")));

        Payload payload = roundTrip(new Destination.Channel("#ops"), messages.updateDigest(changes, 2, Duration.ofMinutes(1), false));

        assertThat(((HeaderBlock) payload.getBlocks().get(0)).getText().getText()).isEqualTo(":arrows_counterclockwise: 3 alerts changed");
        assertThat(markdown(payload.getBlocks())).contains("2 withdrawn · 1 revised", "*Withdrawn:* USD 40.00", "*Revised:* USD 25.00",
                "• *Revised* :large_orange_circle: HIGH RATE_MISMATCH · B · USD 25.00").doesNotContain("updated too");
    }

    @Test
    void shouldCapTheDigestOfChangesAndSayHowManyMore() {
        List<AlertMessages.Change> burst = java.util.stream.IntStream.range(0, 60)
                .mapToObj(i -> alert("id" + i, Severity.HIGH, "A", "1"))
                .map(a -> new AlertMessages.Change(withdrawn(a, 2, LATE_CONTRACT), posted(a, "1"))).toList();

        Payload payload = roundTrip(new Destination.Channel("#ops"), messages.updateDigest(burst, 10, Duration.ofMinutes(1), true));

        String text = markdown(payload.getBlocks());
        long shown = text.lines().filter(l -> l.startsWith("• ")).count();
        assertThat(shown).isBetween(5L, (long) AlertMessages.DIGEST_LINES);
        assertThat(text).contains("… and " + (60 - shown) + " more", "*Withdrawn:* USD 60.00");
        payload.getBlocks().stream().filter(SectionBlock.class::isInstance)
                .forEach(b -> assertThat(((SectionBlock) b).getText().getText().length()).isLessThanOrEqualTo(3000));
    }
}
