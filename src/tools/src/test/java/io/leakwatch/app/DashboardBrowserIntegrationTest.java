package io.leakwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leakwatch.account.AccountView;
import io.leakwatch.alerts.AlertLog;
import io.leakwatch.alerts.AlertType;
import io.leakwatch.app.http.Dashboard;
import io.leakwatch.app.http.HttpEndpoint;
import io.leakwatch.backtest.JsonLinesProducer;
import io.leakwatch.broker.BrokerBacked;
import io.leakwatch.broker.TestBroker;
import io.leakwatch.broker.TestBrokers;
import io.leakwatch.config.LeakwatchKeys;
import io.leakwatch.demo.ProcessingWatcher;
import io.leakwatch.events.Alert;
import io.leakwatch.generator.GeneratorOptions;
import io.leakwatch.generator.WorldFiles;
import io.leakwatch.generator.WorldGenerator;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.testing.CommittedRecords;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.LeakwatchTopology;
import io.leakwatch.topology.TopologySettings;
import java.io.File;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's Chromium, headless, driven through its chromedriver (both given by path,
 * so Selenium never looks for or downloads a browser), against {@code run}'s endpoint over a small generated world on
 * the test broker. The numbers the pages show are checked against the alerts topic; the pages are saved as
 * screenshots under {@code src/tools/target/screenshots}. Skipped where Chromium or its driver is not installed.
 */
@BrokerBacked
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIntegrationTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String APP_ID = "dashboard-it";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private Path screenshots;
    private TestBroker kafka;
    private RunMetrics metrics;
    private StreamsRunner runner;
    private HttpEndpoint endpoint;
    private ChromeDriver browser;
    private WebDriverWait wait;
    /** The alerts that stand, as the alerts topic says once the processor has read everything. */
    private List<Alert> standing;

    @BeforeAll
    void startTheWorldTheProcessorAndTheBrowser() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no Chromium here: the browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                        + CHROMEDRIVER + "); apt-get install chromium chromium-driver");
        dir = Files.createTempDirectory("dashboard-it");
        screenshots = Path.of(DashboardBrowserIntegrationTest.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).getParent().resolve("screenshots");
        Files.createDirectories(screenshots);

        // Given a small world on the broker, processed by run's runner with its HTTP endpoint
        WorldFiles.write(WorldGenerator.generate(GeneratorOptions.defaults(40, 8, 5)), dir.resolve("world"));
        kafka = TestBrokers.start();
        LeakwatchConfig config = new LeakwatchConfig(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "application.id", APP_ID,
                "state.dir", dir.resolve("state").toString(),
                "commit.interval.ms", "200",
                StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest",
                LeakwatchKeys.WIRE_FORMAT, "json",
                LeakwatchKeys.HTTP_BIND, "127.0.0.1",
                LeakwatchKeys.HTTP_PORT, "0"));
        TopologySettings settings = config.topologySettings();
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            new TopicAdmin(admin, Duration.ofSeconds(30)).apply(config.catalog());
            new JsonLinesProducer(config.kafkaProperties(), config.catalog(), WireFormat.JSON)
                    .produce(dir.resolve("world"), Progress.silent());
            metrics = new RunMetrics();
            RiskScoringRuntime scoring = RiskScoringRuntime.open(config.scoring(), settings, false);
            runner = new StreamsRunner(config.kafkaProperties(), metrics.instrument(scoring.apply(settings), scoring))
                    .withMetrics(metrics.registry());
            endpoint = metrics.serve(config.http(), runner);
            runner.start();
            Set<String> inputs = LeakwatchTopology.sourceTopics(LeakwatchTopology.build(settings));
            assertThat(new ProcessingWatcher(admin, APP_ID, inputs).awaitSettled(runner.streams(),
                    Duration.ofMillis(1500), Duration.ofSeconds(120))).as("input processed").isTrue();
        }
        String alertsTopic = config.catalog().name(TopicCatalog.ALERTS);
        EventCodec<Alert> codec = WireFormat.JSON.codec(EventType.ALERT, alertsTopic, settings.schemas());
        List<Alert> records = new ArrayList<>();
        for (var r : CommittedRecords.readAll(kafka.clientProperties(), alertsTopic)) {
            records.add(codec.decode(r.value()));
        }
        standing = AlertLog.of(records).standing();
        assertThat(standing).as("the world's alerts").isNotEmpty();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1400",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (runner != null) {
            runner.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void shouldShowTheAlertsTopicsOpenAlertsAndMoneyAtRiskOnEveryPage() throws Exception {
        List<Alert> findings = standing.stream().filter(a -> !AlertType.valueOf(a.getType()).isPrediction()).toList();
        Map<String, BigDecimal> money = new TreeMap<>(AccountView.moneyAtRisk(findings));

        // When the overview is opened from the endpoint's root, as a browser does
        browser.get(endpoint.url() + "/");
        wait.until(d -> d.getCurrentUrl().endsWith(Dashboard.PATH) && !text("open-alerts").equals("…"));

        // Then it shows as many open alerts, and as much money at risk in each currency, as the alerts topic holds
        // (the predictions' amounts are expectations, not money found: left out)
        assertThat(text("open-alerts")).isEqualTo(String.valueOf(standing.size()));
        List<WebElement> amounts = browser.findElements(By.cssSelector("#money-at-risk li[data-currency]"));
        Map<String, BigDecimal> shown = new TreeMap<>();
        amounts.forEach(li -> shown.put(li.getDomAttribute("data-currency"), new BigDecimal(li.getDomAttribute("data-amount"))));
        assertThat(shown.keySet()).isEqualTo(money.keySet());
        money.forEach((currency, amount) -> assertThat(shown.get(currency)).as(currency).isEqualByComparingTo(amount));
        assertThat(amounts.get(0).getText()).startsWith(amounts.get(0).getDomAttribute("data-currency") + " ");
        wait.until(d -> !d.findElements(By.cssSelector("#alerts-chart canvas")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("#top-accounts table"))).isNotEmpty();
        screenshot("overview");

        // And the account with the most money at risk shows its revenue chart and each of its open alerts
        WebElement top = browser.findElement(By.cssSelector("#top-accounts tbody tr[data-account-id] a"));
        String account = top.getText();
        top.click();
        wait.until(d -> !d.findElements(By.cssSelector("#revenue-chart canvas")).isEmpty()
                && !d.findElements(By.cssSelector("#alerts .alert")).isEmpty());
        List<String> expected = standing.stream().filter(a -> a.getAccountId().equals(account))
                .map(Alert::getAlertId).sorted().toList();
        assertThat(browser.findElements(By.cssSelector("#alerts .alert")).stream()
                .map(e -> e.getDomAttribute("data-alert-id")).sorted().toList()).isEqualTo(expected);
        // (its money at risk is the account view's, which is what the alerts topic holds open for it)
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> viewMoney = (List<Map<String, Object>>) api("/api/accounts/" + account)
                .get("money_at_risk");
        Map<String, BigDecimal> topicMoney = AccountView.moneyAtRisk(standing.stream()
                .filter(a -> a.getAccountId().equals(account)).toList());
        assertThat(viewMoney).hasSize(topicMoney.size());
        viewMoney.forEach(m -> assertThat(new BigDecimal((String) m.get("amount"))).as((String) m.get("currency"))
                .isEqualByComparingTo(topicMoney.get((String) m.get("currency"))));
        assertThat(text("money-at-risk")).isEqualTo(viewMoney.stream()
                .map(m -> m.get("currency") + " " + grouped((String) m.get("amount")))
                .reduce((x, y) -> x + " · " + y).orElse("none"));
        screenshot("account");

        // And the feed lists the open alerts newest first, as the API does
        browser.get(endpoint.url() + Dashboard.PATH + "alerts.html");
        wait.until(d -> !d.findElements(By.cssSelector("#alerts .alert")).isEmpty());
        Map<String, Object> api = api("/api/alerts?status=OPEN,ACKNOWLEDGED&limit=100");
        assertThat(api.get("total")).isEqualTo(standing.size());
        @SuppressWarnings("unchecked")
        List<Object> apiIds = ((List<Map<String, Object>>) api.get("alerts")).stream()
                .map(a -> a.get("alert_id")).toList();
        assertThat(browser.findElements(By.cssSelector("#alerts .alert")).stream()
                .map(e -> (Object) e.getDomAttribute("data-alert-id")).toList()).isEqualTo(apiIds);
        screenshot("feed");
    }

    /**
     * Needs {@code POST /api/alerts/{id}/feedback} and the alert lifecycle that applies it (the {@code alert-feedback}
     * topic): until a server takes feedback, the page says so and this fails with that sentence.
     */
    @Test
    @Order(2)
    void shouldShowAnAlertAsFalsePositiveOnceItsFeedbackHasGoneThroughKafka() throws Exception {
        // Given the feed with every status shown, so the alert stays in it once it changes
        browser.get(endpoint.url() + Dashboard.PATH + "alerts.html");
        wait.until(d -> !d.findElements(By.cssSelector("#alerts .alert")).isEmpty());
        new Select(browser.findElement(By.id("status"))).selectByValue("");
        wait.until(d -> d.findElements(By.cssSelector("#alerts .alert")).size()
                >= Math.min(100, standing.size()));
        WebElement alert = browser.findElement(By.cssSelector("#alerts .alert[data-status=OPEN]"));
        String id = alert.getDomAttribute("data-alert-id");

        // When an analyst marks it a false positive, with a comment
        alert.findElement(By.cssSelector("textarea.comment")).sendKeys("the customer has a side letter");
        alert.findElement(By.cssSelector("input.by")).sendKeys("browser test");
        alert.findElement(By.cssSelector("button[data-action=FALSE_POSITIVE]")).click();

        // Then, once the feedback has gone through Kafka, the feed and the API show it as a false positive
        By changed = By.cssSelector("#alerts .alert[data-alert-id='" + id + "'][data-status=FALSE_POSITIVE]");
        By refused = By.cssSelector("#alerts .alert[data-alert-id='" + id + "'] .feedback-note.error");
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d ->
                !d.findElements(changed).isEmpty() || !d.findElements(refused).isEmpty());
        screenshot("feedback");
        assertThat(browser.findElements(refused)).as("the page's answer to the feedback: %s",
                browser.findElements(refused).stream().map(WebElement::getText).toList()).isEmpty();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) api("/api/alerts?status=FALSE_POSITIVE").get("alerts");
        assertThat(rows).extracting(r -> r.get("alert_id")).contains(id);
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** What the page shows of a decimal: its whole part grouped by thousands with commas. */
    private static String grouped(String decimal) {
        int dot = decimal.indexOf('.');
        String whole = dot < 0 ? decimal : decimal.substring(0, dot);
        String sign = whole.startsWith("-") ? "-" : "";
        whole = whole.substring(sign.length());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < whole.length(); i++) {
            if (i > 0 && (whole.length() - i) % 3 == 0) {
                out.append(',');
            }
            out.append(whole.charAt(i));
        }
        return sign + out + (dot < 0 ? "" : decimal.substring(dot));
    }

    private Map<String, Object> api(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(endpoint.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readValue(response.body(), new TypeReference<>() { });
    }

    private void screenshot(String name) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
