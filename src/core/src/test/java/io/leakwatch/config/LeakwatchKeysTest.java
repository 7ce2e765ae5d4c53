package io.leakwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.detect.baseline.BaselineSettings;
import io.leakwatch.scoring.RiskPublishing;
import io.leakwatch.scoring.RiskThresholds;
import io.leakwatch.topology.DetectionSettings;
import io.leakwatch.topology.RiskSettings;
import io.leakwatch.topology.TopologySettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one definition of the leakwatch.* keys: types, defaults, validation and one-line errors. */
class LeakwatchKeysTest {
    private static ParsedConfig parse(String... keyValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return LeakwatchKeys.DEFINITION.parse(ConfigValues.of(values));
    }

    @Test
    void shouldGiveTheCodesOwnDefaultsWhenNoKeyIsSet() {
        ParsedConfig config = parse();
        DetectionSettings d = DetectionSettings.defaults();
        BaselineSettings b = d.baseline();

        assertThat(config.duration(LeakwatchKeys.HORIZON)).isEqualTo(TopologySettings.DEFAULT_HORIZON);
        assertThat(config.duration(LeakwatchKeys.REPLAY_INTERVAL)).isEqualTo(TopologySettings.DEFAULT_REPLAY_INTERVAL);
        assertThat(config.duration(LeakwatchKeys.DEDUPE)).isEqualTo(TopologySettings.DEFAULT_ALERT_DEDUPE);
        assertThat(config.instant(LeakwatchKeys.EARLIEST)).isEqualTo(TopologySettings.DEFAULT_EARLIEST);
        assertThat(config.duration(LeakwatchKeys.PERIOD_CLOSE_GRACE)).isEqualTo(d.periodCloseGrace());
        assertThat(config.decimal(LeakwatchKeys.UNATTRIBUTED_MIN_SHARE)).isEqualTo(d.unattributedMinShare());
        assertThat(config.decimal(LeakwatchKeys.UNATTRIBUTED_MIN_AMOUNT)).isEqualTo(d.unattributedMinAmount());
        assertThat(config.integer(LeakwatchKeys.BASELINE_WINDOW)).isEqualTo(b.window());
        assertThat(config.decimal(LeakwatchKeys.BASELINE_MIN_RELATIVE_STD_DROP).doubleValue()).isEqualTo(b.minRelativeStdDrop());
        assertThat(config.decimal(LeakwatchKeys.EROSION_TREND_Z).doubleValue()).isEqualTo(b.erosionTrendZ());
        assertThat(config.duration(LeakwatchKeys.SCORING_ROUTINE_DELAY)).isEqualTo(RiskSettings.DEFAULT_ROUTINE_DELAY);
        assertThat(config.decimal(LeakwatchKeys.RISK_HIGH_ENTER).doubleValue()).isEqualTo(RiskThresholds.DEFAULTS.highEnter());
        assertThat(config.duration(LeakwatchKeys.PUBLISH_MAX_AGE)).isEqualTo(RiskPublishing.DEFAULTS.maxAge());
        assertThat(config.bool(LeakwatchKeys.SCORING_ENABLED)).as("worked out from the models directory").isNull();
        assertThat(config.integer(LeakwatchKeys.REPLICATION)).as("the catalog's").isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "1h, PT1H", "90d, P90D", "PT1M, PT1M", "P7D, P7D", "p7d, P7D"})
    void shouldReadEveryDurationSyntaxDurationsReads(String text, String iso) {
        assertThat(parse(LeakwatchKeys.HORIZON, text).duration(LeakwatchKeys.HORIZON)).isEqualTo(Duration.parse(iso));
    }

    @Test
    void shouldRefuseABadDurationInOneLineNamingTheKeyAndTheSyntax() {
        assertThatThrownBy(() -> parse(LeakwatchKeys.PAYMENT_GRACE, "3 days"))
                .isInstanceOf(BadConfigException.class)
                .hasMessage("leakwatch.payments.grace: '3 days' is not a duration such as 500ms, 30s, 5m, 1h, 90d, PT30S or P90D");
    }

    @Test
    void shouldRefuseANegativeDurationWhereOnlyZeroOrMoreMakesSense() {
        assertThatThrownBy(() -> parse(LeakwatchKeys.HORIZON, "-P1D"))
                .hasMessage("leakwatch.late.horizon: '-P1D' is not a duration of zero or more such as 500ms, 30s, 5m, 1h,"
                        + " 90d, PT30S or P90D");
        assertThatThrownBy(() -> parse(LeakwatchKeys.MODELS_POLL, "0s"))
                .hasMessageStartingWith("leakwatch.models.poll-interval: '0s' is not a duration above zero");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({"leakwatch.unattributed.min-amount, lots, a number of zero or more",
            "leakwatch.unattributed.min-amount, -5, a number of zero or more",
            "leakwatch.baseline.z-threshold, 2.5.1, a number of zero or more",
            "leakwatch.scoring.high-enter, 1.2, a probability from 0 to 1"})
    void shouldRefuseABadDecimalInOneLineNamingTheKey(String key, String value, String allowed) {
        assertThatThrownBy(() -> parse(key, value))
                .isInstanceOf(BadConfigException.class)
                .hasMessage(key + ": '" + value + "' is not " + allowed);
    }

    @Test
    void shouldReadADecimalExactly() {
        assertThat(parse(LeakwatchKeys.UNATTRIBUTED_MIN_AMOUNT, "1000.50").decimal(LeakwatchKeys.UNATTRIBUTED_MIN_AMOUNT))
                .isEqualTo(new BigDecimal("1000.50"));
    }

    @Test
    void shouldRefuseAnUnknownKeyAndSuggestTheNearestOne() {
        assertThatThrownBy(() -> parse("leakwatch.payments.retry-windw", "P7D"))
                .isInstanceOf(BadConfigException.class)
                .hasMessage("leakwatch.payments.retry-windw is not a Leakwatch setting; did you mean"
                        + " leakwatch.payments.retry-window? (every key is in the README's configuration reference)");
        assertThatThrownBy(() -> parse("leakwatch.cache.size", "10"))
                .hasMessage("leakwatch.cache.size is not a Leakwatch setting (every key is in the README's configuration"
                        + " reference)");
    }

    @Test
    void shouldLeaveKeysOutsideItsPrefixAlone() {
        assertThat(parse("bootstrap.servers", "broker:9092", "slack.storm.window", "soon").isSet("slack.storm.window"))
                .isFalse();
    }

    @Test
    void shouldReadKeyFamiliesAndCheckTheirValues() {
        ParsedConfig config = parse("leakwatch.topic.invoices", "billing.lines", "leakwatch.severity.thresholds.CHF",
                "100,1000,10000");

        assertThat(config.family(LeakwatchKeys.TOPIC_NAMES)).containsExactly(Map.entry("invoices", "billing.lines"));
        assertThat(config.family(LeakwatchKeys.CURRENCY_SEVERITY)).containsOnlyKeys("CHF");
        assertThatThrownBy(() -> parse("leakwatch.severity.thresholds.CHF", "100,1000"))
                .hasMessage("leakwatch.severity.thresholds.CHF: '100,1000' is not three amounts medium,high,critical"
                        + " such as 100,1000,10000");
    }

    @Test
    void shouldNeverShowASecretValueThatFailsValidation() {
        String secret = "s3cr3t-from-the-environment";
        ConfigValues values = ConfigValues.resolve(Map.of(LeakwatchKeys.HORIZON, "${env:LATE}"),
                new SecretResolver(Map.of("LATE", secret)::get));

        assertThatThrownBy(() -> LeakwatchKeys.DEFINITION.parse(values))
                .isInstanceOf(BadConfigException.class)
                .hasMessageStartingWith("leakwatch.late.horizon: ****(env:LATE) is not a duration of zero or more")
                .message().doesNotContain(secret);
    }

    @Test
    void shouldDefineEveryKeyWithTypeDocumentationAndGroup() {
        for (ConfigDef.ConfigKey key : LeakwatchKeys.DEFINITION.configDef().configKeys().values()) {
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(key.group).as(key.name).isNotBlank();
            assertThat(key.validator).as(key.name).isNotNull();
            assertThat(key.defaultValue != null || key.alternativeString != null).as(key.name + " shows a default").isTrue();
        }
    }
}
