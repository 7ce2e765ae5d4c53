package io.leakwatch.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Checks the Kafka client and Streams properties of a config file against the clients' own definitions (type and
 * validator of each key) before any client is built, so a value Kafka would refuse ({@code processing.guarantee=bogus},
 * {@code commit.interval.ms=soon}) is a config error naming the key, not a failure deep inside a constructor. Keys
 * behind a Streams client prefix ({@code consumer.}, {@code main.consumer.}, {@code producer.}, {@code admin.}, ...)
 * are checked against that client; keys no client defines are left alone (the clients ignore them too), and so are
 * values with a reference the Kafka clients resolve themselves.
 */
public final class KafkaSettingsCheck {
    /** The clients a command builds from the file. */
    public enum Client {
        STREAMS(StreamsConfig.configDef()),
        CONSUMER(ConsumerConfig.configDef()),
        PRODUCER(ProducerConfig.configDef()),
        ADMIN(AdminClientConfig.configDef());

        private final ConfigDef def;

        Client(ConfigDef def) {
            this.def = def;
        }
    }

    public static final Set<Client> STREAMS_APP = EnumSet.allOf(Client.class);

    private static final Map<String, Client> PREFIXES = Map.of(
            StreamsConfig.MAIN_CONSUMER_PREFIX, Client.CONSUMER,
            StreamsConfig.RESTORE_CONSUMER_PREFIX, Client.CONSUMER,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX, Client.CONSUMER,
            StreamsConfig.CONSUMER_PREFIX, Client.CONSUMER,
            StreamsConfig.PRODUCER_PREFIX, Client.PRODUCER,
            StreamsConfig.ADMIN_CLIENT_PREFIX, Client.ADMIN);

    private KafkaSettingsCheck() {
    }

    /**
     * @param keys    the Kafka keys of the file (Leakwatch's own keys left out)
     * @param values  the file, for how each value may be shown
     * @param clients the clients built from these keys
     * @throws BadConfigException for the first value a client would refuse, naming its key
     */
    public static void check(Iterable<String> keys, ConfigValues values, Set<Client> clients) {
        for (String key : keys) {
            String value = values.get(key);
            if (value == null || value.contains("${")) {
                continue;
            }
            for (Definition d : definitions(key, clients)) {
                try {
                    Object parsed = ConfigDef.parseType(d.name(), value, d.key().type);
                    if (d.key().validator != null) {
                        d.key().validator.ensureValid(d.name(), parsed);
                    }
                } catch (ConfigException e) {
                    throw new BadConfigException(key + ": " + values.shown(key) + " is not a valid value"
                            + reason(e.getMessage(), d.name(), value, values.isSecret(key), values.redactor()));
                }
            }
        }
    }

    private record Definition(String name, ConfigDef.ConfigKey key) {
    }

    private static List<Definition> definitions(String key, Set<Client> clients) {
        List<Definition> found = new ArrayList<>();
        if (clients.contains(Client.STREAMS)) {
            // the longest prefix first: main.consumer. before consumer.
            String prefix = PREFIXES.keySet().stream().filter(key::startsWith)
                    .max(java.util.Comparator.comparingInt(String::length)).orElse(null);
            if (prefix != null) {
                ConfigDef.ConfigKey k = PREFIXES.get(prefix).def.configKeys().get(key.substring(prefix.length()));
                if (k != null) {
                    found.add(new Definition(key.substring(prefix.length()), k));
                }
                return found;
            }
        }
        for (Client client : clients) {
            ConfigDef.ConfigKey k = client.def.configKeys().get(key);
            if (k != null) {
                found.add(new Definition(key, k));
            }
        }
        return found;
    }

    /** Kafka's reason without its "Invalid value X for configuration K" preamble, which repeats the value. */
    private static String reason(String message, String name, String value, boolean secret, Redactor redactor) {
        if (message == null) {
            return "";
        }
        String preamble = "Invalid value " + value + " for configuration " + name;
        String reason = message.startsWith(preamble) ? message.substring(preamble.length()) : ": " + message;
        if (secret && !value.isEmpty()) {
            reason = reason.replace(value, Redactor.MASK);
        }
        reason = redactor.redact(reason);
        return reason.isBlank() ? "" : reason.startsWith(":") ? reason : ": " + reason;
    }
}
