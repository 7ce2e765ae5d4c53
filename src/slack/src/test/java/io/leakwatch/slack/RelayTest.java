package io.leakwatch.slack;

import static io.leakwatch.slack.TestAlerts.alert;
import static io.leakwatch.slack.TestAlerts.revised;
import static io.leakwatch.slack.TestAlerts.withdrawn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import io.leakwatch.config.SecretResolver;
import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.Severity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay end to end, without Kafka: records go in, the SDK makes real HTTP calls to the loopback
 * {@link FakeSlack}, and the tests check the payloads Slack received. The delivered store is in memory and
 * outlives a relay, as {@code slack-delivered} outlives a bridge; the clock is driven by hand.
 */
class RelayTest {
    private static final Map<String, String> ENV = Map.of("SLACK_BOT_TOKEN", "xoxb-test-token",
            "BILLING_KEY", "billing=key&0042", "OPS_CHANNEL", "#revenue-ops-private");
    private static final String LATE_CONTRACT = "Contract ctr-acct-00165 v2, signed 2024-04-23, reached us after the line "
            + "was checked; the line matches v2's rate of 51.198.";

    /** What slack-delivered would hold. */
    private static final class MemoryStore implements DeliveredStore {
        final Map<String, Delivery> records = new HashMap<>();
        int writes;

        @Override
        public void catchUp() {
        }

        @Override
        public Optional<Delivery> get(String alertId) {
            return Optional.ofNullable(records.get(alertId));
        }

        @Override
        public void record(Collection<Delivery> deliveries) {
            deliveries.forEach(d -> records.put(d.alertId(), d));
            writes += deliveries.size();
        }
    }

    private FakeSlack slack;
    private Instant now = Instant.parse("2024-04-24T09:00:00Z");
    private final InstantSource clock = () -> now;
    private final MemoryStore store = new MemoryStore();
    private final List<SourceRef> settled = new ArrayList<>();
    private final List<String> deadLetters = new ArrayList<>();
    private final Relay.Settlement settlement = new Relay.Settlement() {
        @Override
        public void settled(SourceRef source) {
            settled.add(source);
        }

        @Override
        public void deadLetter(SourceRef source, String reason, Destination destination, String route) {
            deadLetters.add(source.offset() + ":" + reason);
        }
    };
    private long offset;

    @BeforeEach
    void startSlack() throws Exception {
        slack = new FakeSlack();
    }

    @AfterEach
    void stopSlack() {
        slack.close();
    }

    private SlackBridgeConfig config(String... lines) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", "localhost:9");
        p.setProperty("slack.api-url", slack.apiUrl());
        p.setProperty("slack.bot-token", "${env:SLACK_BOT_TOKEN}");
        p.setProperty("slack.storm.threshold", "10");
        p.setProperty("slack.storm.window", "1m");
        for (String line : lines) {
            int eq = line.indexOf('=');
            p.setProperty(line.substring(0, eq), line.substring(eq + 1));
        }
        return SlackBridgeConfig.parse(p, new SecretResolver(ENV::get));
    }

    private Relay relay(SlackBridgeConfig config) {
        return new Relay(config, new SdkSlackSender(config.apiUrl(), config.botToken(), config.redactor(), Duration.ofSeconds(5)),
                store, settlement, new BridgeStats(false), false, clock);
    }

    private Relay botRelay() {
        return relay(config("slack.default.channel=#revenue-ops"));
    }

    private Relay webhookRelay() {
        return relay(config("slack.default.webhook=" + slack.webhook("finance")));
    }

    private SourceRef accept(Relay relay, Alert alert) {
        SourceRef source = new SourceRef("alerts", 0, offset++, null, null);
        relay.accept(alert, source);
        return source;
    }

    /** A payload as people would read it: the SDK's Gson escapes {@code >} and {@code '} as {@code \\u003e}, {@code \\u0027}. */
    private static String readable(String json) {
        return new GsonBuilder().disableHtmlEscaping().create().toJson(JsonParser.parseString(json));
    }

    /** Makes every call due, moving the clock to each next wake-up, until nothing waits. */
    private void drain(Relay relay) {
        for (int i = 0; i < 1000 && relay.pending() > 0; i++) {
            relay.dispatch();
            relay.nextWakeup().filter(t -> t.isAfter(now)).ifPresent(t -> now = t);
        }
        assertThat(relay.pending()).as("waiting after drain").isZero();
    }

    /** Posts each alert on its own: a window apart, so no storm collapses them. */
    private void postOneByOne(Relay relay, List<Alert> alerts) {
        for (Alert a : alerts) {
            accept(relay, a);
            drain(relay);
            now = now.plus(Duration.ofMinutes(2));
        }
    }

    @Test
    void shouldEditTheOriginalMessageInPlaceWhenABotTokenAlertIsWithdrawn() {
        // Given an alert posted with the bot token
        Relay relay = botRelay();
        Alert critical = alert("a1", "RATE_MISMATCH", Severity.CRITICAL, "acct-00165", "2500", "USD");
        accept(relay, critical);
        drain(relay);
        FakeSlack.Request post = slack.accepted(FakeSlack.POST).get(0);

        // When its withdrawal is read
        accept(relay, withdrawn(critical, 2, LATE_CONTRACT));
        drain(relay);

        // Then Slack got one chat.update of that message (same channel id and ts), struck through with the reason
        assertThat(slack.accepted(FakeSlack.POST)).hasSize(1);
        assertThat(slack.accepted(FakeSlack.UPDATE)).singleElement().satisfies(update -> {
            assertThat(update.form()).containsEntry("channel", "C-REVENUE-OPS")
                    .containsEntry("ts", post.response().replaceAll(".*\"ts\":\"([^\"]+)\".*", "$1"));
            assertThat(readable(update.form().get("blocks"))).contains("Withdrawn", "~:red_circle: CRITICAL · RATE_MISMATCH~",
                    "~USD 2,500.00~", "Contract ctr-acct-00165 v2, signed 2024-04-23", "INV-a1");
        });
        assertThat(store.get("a1")).hasValueSatisfying(d -> {
            assertThat(d.revision()).isEqualTo(2);
            assertThat(d.status()).isEqualTo(AlertStatus.WITHDRAWN);
            assertThat(d.message()).contains(new MessageRef("C-REVENUE-OPS", "1700000000.000001"));
        });
        assertThat(settled).extracting(SourceRef::offset).containsExactly(0L, 1L);
    }

    @Test
    void shouldPostAFollowUpQuotingTheOriginalWhenAWebhookAlertIsWithdrawn() {
        Relay relay = webhookRelay();
        Alert critical = alert("a1", "RATE_MISMATCH", Severity.CRITICAL, "acct-00165", "2500", "USD");
        accept(relay, critical);
        drain(relay);

        accept(relay, withdrawn(critical, 2, LATE_CONTRACT));
        drain(relay);

        List<FakeSlack.Request> posts = slack.accepted("/hooks/finance");
        assertThat(posts).hasSize(2);
        assertThat(readable(posts.get(1).body())).contains("Withdrawn:* Contract ctr-acct-00165 v2",
                "> ~:red_circle: CRITICAL · RATE_MISMATCH~\\n> ~Account acct-00165 · USD 2,500.00 at risk · INV-a1/L1~",
                "\"text\":\"Withdrawn: CRITICAL RATE_MISMATCH on acct-00165 (USD 2,500.00). Contract");
        assertThat(slack.requests()).noneMatch(r -> r.path().startsWith("/api/"));
        assertThat(store.get("a1")).hasValueSatisfying(d -> assertThat(d.revision()).isEqualTo(2));
    }

    @Test
    void shouldRewriteTheMessageWithTheNewAmountWhenABotTokenAlertIsRevised() {
        Relay relay = botRelay();
        Alert a = alert("a1", Severity.HIGH, "acct-7", "100");
        accept(relay, a);
        drain(relay);

        accept(relay, revised(a, 2, "150", "Usage for March was corrected upwards."));
        drain(relay);

        assertThat(slack.accepted(FakeSlack.POST)).hasSize(1);
        assertThat(slack.accepted(FakeSlack.UPDATE)).singleElement().satisfies(update -> {
            assertThat(update.form()).containsEntry("ts", "1700000000.000001");
            assertThat(readable(update.form().get("blocks"))).contains("Revised (revision 2):* Usage for March was corrected upwards.",
                    "Amount at risk was USD 100.00, now USD 150.00.", "USD 150.00").doesNotContain("~");
        });
    }

    @Test
    void shouldPostARevisedFollowUpWhenAWebhookAlertIsRevised() {
        Relay relay = webhookRelay();
        Alert a = alert("a1", Severity.HIGH, "acct-7", "100");
        accept(relay, a);
        drain(relay);

        accept(relay, revised(a, 2, "150", "Usage for March was corrected upwards."));
        drain(relay);

        List<FakeSlack.Request> posts = slack.accepted("/hooks/finance");
        assertThat(posts).hasSize(2);
        assertThat(readable(posts.get(1).body())).contains(":pencil2: Revised · :large_orange_circle: HIGH · RATE_MISMATCH",
                "Revised (revision 2):* Usage for March was corrected upwards.", "> Account acct-7 · USD 100.00 at risk",
                "*Amount at risk*\\nUSD 150.00");
    }

    @Test
    void shouldNotUpdateAgainWhenAWithdrawalIsReadAgainNorAfterARestart() {
        // Given an alert posted and withdrawn
        Relay relay = botRelay();
        Alert a = alert("a1", Severity.CRITICAL, "acct-1", "2500");
        Alert withdrawal = withdrawn(a, 2, LATE_CONTRACT);
        accept(relay, a);
        drain(relay);
        accept(relay, withdrawal);
        drain(relay);

        // When the withdrawal is read again, then a restarted relay reads the whole log again
        accept(relay, withdrawal);
        drain(relay);
        Relay restarted = botRelay();
        accept(restarted, a);
        accept(restarted, withdrawal);
        drain(restarted);

        // Then Slack saw one post and one update, and every record settled
        assertThat(slack.requests()).extracting(FakeSlack.Request::path).containsExactly(FakeSlack.POST, FakeSlack.UPDATE);
        assertThat(store.writes).isEqualTo(2);
        assertThat(settled).hasSize(5);
    }

    @Test
    void shouldSendNothingWhenAnAlertSlackNeverShowedIsWithdrawn() {
        // Given one alert below the floor, and one withdrawn before the bridge ever read it
        Relay relay = relay(config("slack.default.channel=#revenue-ops", "slack.floor.min-severity=HIGH"));
        Alert filtered = alert("low", Severity.LOW, "acct-1", "5");
        accept(relay, filtered);

        // When both withdrawals are read
        accept(relay, withdrawn(filtered, 2, LATE_CONTRACT));
        accept(relay, withdrawn(alert("never", Severity.CRITICAL, "acct-2", "9000"), 2, LATE_CONTRACT));
        drain(relay);

        // Then nothing reached Slack and every record settled
        assertThat(slack.requests()).isEmpty();
        assertThat(store.records).isEmpty();
        assertThat(settled).hasSize(3);
    }

    @Test
    void shouldNotPostAnAlertWithdrawnWhileItsPostWaited() {
        // Given an alert waiting for the channel's token behind another
        Relay relay = relay(config("slack.default.channel=#revenue-ops", "slack.rate.per-second=1"));
        accept(relay, alert("first", Severity.HIGH, "acct-1", "10"));
        relay.dispatch();
        Alert waiting = alert("second", Severity.HIGH, "acct-2", "20");
        accept(relay, waiting);

        // When its withdrawal arrives before it is posted
        accept(relay, withdrawn(waiting, 2, LATE_CONTRACT));
        drain(relay);

        // Then only the first alert was posted, and both records of the second settled
        assertThat(slack.requests()).singleElement().satisfies(r -> assertThat(r.text()).contains("`first`"));
        assertThat(settled).extracting(SourceRef::offset).containsExactlyInAnyOrder(0L, 1L, 2L);
    }

    @Test
    void shouldPostOneDigestForABurstOfWebhookWithdrawals() {
        // Given twelve alerts posted one by one through the webhook
        Relay relay = webhookRelay();
        List<Alert> alerts = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            alerts.add(alert("b" + i, Severity.HIGH, "acct-" + i, "100.25"));
        }
        postOneByOne(relay, alerts);
        int before = slack.requests().size();

        // When all twelve are withdrawn at once (a late contract)
        alerts.forEach(a -> accept(relay, withdrawn(a, 2, LATE_CONTRACT)));
        drain(relay);

        // Then the channel gets one digest, not twelve follow-ups
        List<FakeSlack.Request> after = slack.requests().subList(before, slack.requests().size());
        assertThat(after).singleElement().satisfies(digest -> assertThat(readable(digest.body()))
                .contains("12 alerts withdrawn", "*Withdrawn:* USD 1,203.00", "`b1`", "`b12`", "Contract ctr-acct-00165 v2")
                .doesNotContain("updated too"));
        assertThat(store.records.values()).allSatisfy(d -> assertThat(d.status()).isEqualTo(AlertStatus.WITHDRAWN));
    }

    @Test
    void shouldEditEveryMessageAndPostOneDigestForABurstOfBotTokenWithdrawals() {
        Relay relay = botRelay();
        List<Alert> alerts = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            alerts.add(alert("b" + i, Severity.HIGH, "acct-" + i, "100.25"));
        }
        postOneByOne(relay, alerts);

        alerts.forEach(a -> accept(relay, withdrawn(a, 2, LATE_CONTRACT)));
        drain(relay);

        assertThat(slack.accepted(FakeSlack.UPDATE)).hasSize(12)
                .extracting(r -> r.form().get("ts")).doesNotHaveDuplicates();
        List<FakeSlack.Request> posts = slack.accepted(FakeSlack.POST);
        assertThat(posts).hasSize(13);
        assertThat(posts.get(12).text()).contains("12 alerts withdrawn", "updated too");
    }

    @Test
    void shouldWaitForRetryAfterWhenChatUpdateAnswers429() {
        Relay relay = botRelay();
        Alert a = alert("a1", Severity.CRITICAL, "acct-1", "2500");
        accept(relay, a);
        drain(relay);
        slack.script(FakeSlack.UPDATE, FakeSlack.Reply.retryAfter(30));

        Instant withdrawnAt = now;
        accept(relay, withdrawn(a, 2, LATE_CONTRACT));
        drain(relay);

        assertThat(slack.requests()).extracting(FakeSlack.Request::path, FakeSlack.Request::answered).containsExactly(
                tuple(FakeSlack.POST, 200), tuple(FakeSlack.UPDATE, 429), tuple(FakeSlack.UPDATE, 200));
        assertThat(now).isAfterOrEqualTo(withdrawnAt.plusSeconds(30));
    }

    @Test
    void shouldDeadLetterAWithdrawalWhoseMessageSlackNoLongerHas() {
        Relay relay = botRelay();
        Alert a = alert("a1", Severity.CRITICAL, "acct-1", "2500");
        accept(relay, a);
        drain(relay);
        slack.always(FakeSlack.UPDATE, FakeSlack.Reply.status(200, "message_not_found"));

        SourceRef withdrawal = accept(relay, withdrawn(a, 2, LATE_CONTRACT));
        drain(relay);

        assertThat(deadLetters).containsExactly(withdrawal.offset() + ":slack: message_not_found");
        assertThat(store.get("a1")).hasValueSatisfying(d -> assertThat(d.revision()).isEqualTo(1));
        assertThat(settled).contains(withdrawal);
    }

    @Test
    void shouldPrintTheChatUpdateItWouldSendInADryRunAndSendNothing() {
        SlackBridgeConfig config = config("slack.default.channel=#revenue-ops");
        StringWriter printed = new StringWriter();
        BridgeStats stats = new BridgeStats(true);
        Relay relay = new Relay(config, new DryRunSender(new PrintWriter(printed), config.redactor()), store, settlement,
                stats, true, clock);
        Alert a = alert("a1", Severity.CRITICAL, "acct-1", "2500");

        accept(relay, a);
        drain(relay);
        accept(relay, withdrawn(a, 2, LATE_CONTRACT));
        drain(relay);

        assertThat(slack.requests()).isEmpty();
        assertThat(printed.toString()).contains("# channel:#revenue-ops\n", "# chat.update #revenue-ops/not-posted-dry-run (alert a1)\n",
                "{\"channel\":\"#revenue-ops\",\"ts\":\"not-posted-dry-run\",\"text\":\"Withdrawn: CRITICAL");
        assertThat(stats.toString()).startsWith("dry run, nothing sent");
    }

    @Test
    void shouldMaskValuesFromTheEnvironmentInWhatADryRunPrints() {
        // Given a link template carrying a key and a channel name, both from the environment
        SlackBridgeConfig config = config("slack.default.channel=${env:OPS_CHANNEL}",
                "slack.link-template=https://billing.example.com/accounts/{account_id}?key=${env:BILLING_KEY}");
        StringWriter printed = new StringWriter();
        Relay relay = new Relay(config, new DryRunSender(new PrintWriter(printed), config.redactor()), store, settlement,
                new BridgeStats(true), true, clock);

        // When an alert is printed instead of sent
        accept(relay, alert("a1", Severity.CRITICAL, "acct-1", "2500"));
        drain(relay);

        // Then the payload is there, its secrets are not
        assertThat(printed.toString()).contains("# channel:****\n", "\"channel\":\"****\"",
                        "https://billing.example.com/accounts/acct-1?key\\u003d****")
                .doesNotContain("0042").doesNotContain("revenue-ops-private");
        assertThat(slack.requests()).isEmpty();
    }
}
