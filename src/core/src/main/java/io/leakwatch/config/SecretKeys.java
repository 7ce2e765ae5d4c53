package io.leakwatch.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Which config keys hold secrets, whatever their value: every key the Kafka clients declare as a password
 * ({@code sasl.jaas.config}, {@code ssl.key.password}, {@code ssl.keystore.key}, OAuth client secrets, ...), also
 * behind a client or listener prefix ({@code producer.ssl.key.password}), and every key whose name says it holds a
 * credential: a password, secret, token, passphrase, credential, API key, private key, {@code user.info}, JAAS
 * config or webhook ({@code slack.bot-token}, {@code slack.route.ops.webhook}, {@code basic.auth.user.info}).
 */
public final class SecretKeys {
    private static final Set<String> KAFKA_PASSWORDS = List.of(StreamsConfig.configDef(), ConsumerConfig.configDef(),
                    ProducerConfig.configDef(), AdminClientConfig.configDef()).stream()
            .flatMap(def -> def.configKeys().values().stream())
            .filter(key -> key.type == ConfigDef.Type.PASSWORD)
            .map(key -> key.name)
            .collect(Collectors.toUnmodifiableSet());

    private static final Pattern NAMED = Pattern.compile("(^|[._-])(password|passwd|secret|token|credentials?|"
            + "passphrase|jaas|api[._-]?key|private[._-]key|user[._-]info|webhook)($|[._-])");

    private SecretKeys() {
    }

    public static boolean isSecret(String key) {
        for (String password : KAFKA_PASSWORDS) {
            if (key.equals(password) || key.endsWith("." + password)) {
                return true;
            }
        }
        return NAMED.matcher(key.toLowerCase(Locale.ROOT)).find();
    }
}
