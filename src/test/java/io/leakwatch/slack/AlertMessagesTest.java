package io.leakwatch.slack;

import static io.leakwatch.slack.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
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
import io.leakwatch.events.Severity;
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
}
