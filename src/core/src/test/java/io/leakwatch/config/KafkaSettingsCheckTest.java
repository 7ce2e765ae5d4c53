package io.leakwatch.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsCheckTest {
    private static void check(String... keysAndValues) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            raw.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        ConfigValues values = ConfigValues.resolve(raw, new SecretResolver(Map.of("GUARANTEE", "exactly-once-please")::get));
        KafkaSettingsCheck.check(raw.keySet(), values, KafkaSettingsCheck.STREAMS_APP);
    }

    @Test
    void shouldRefuseAProcessingGuaranteeKafkaStreamsDoesNotKnowNamingTheKey() {
        assertThatThrownBy(() -> check("processing.guarantee", "bogus"))
                .isInstanceOf(BadConfigException.class)
                .hasMessage("processing.guarantee: 'bogus' is not a valid value: String must be one of: at_least_once,"
                        + " exactly_once_v2");
    }

    @Test
    void shouldRefuseANumberThatDoesNotParse() {
        assertThatThrownBy(() -> check("commit.interval.ms", "soon"))
                .isInstanceOf(BadConfigException.class)
                .hasMessage("commit.interval.ms: 'soon' is not a valid value: Not a number of type LONG");
    }

    @Test
    void shouldCheckAPrefixedKeyAgainstItsClient() {
        assertThatThrownBy(() -> check("main.consumer.max.poll.records", "many"))
                .isInstanceOf(BadConfigException.class)
                .hasMessageStartingWith("main.consumer.max.poll.records: 'many' is not a valid value");
    }

    @Test
    void shouldLeaveKeysNoClientDefinesAlone() {
        assertThatCode(() -> check("schema.registry.url", "http://registry:8081", "acks", "all"))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldNameTheVariableAndNotShowTheValueWhenTheValueCameFromTheEnvironment() {
        assertThatThrownBy(() -> check("processing.guarantee", "${env:GUARANTEE}"))
                .isInstanceOf(BadConfigException.class)
                .hasMessageStartingWith("processing.guarantee: ****(env:GUARANTEE) is not a valid value")
                .hasMessageNotContaining("exactly-once-please");
    }

    @Test
    void shouldCheckOnlyTheClientsACommandBuilds() {
        Map<String, String> raw = Map.of("processing.guarantee", "bogus");
        assertThatCode(() -> KafkaSettingsCheck.check(raw.keySet(), ConfigValues.of(raw),
                EnumSet.of(KafkaSettingsCheck.Client.CONSUMER))).doesNotThrowAnyException();
    }
}
