package io.leakwatch.broker;

import io.leakwatch.app.KafkaClientSettingsException;
import io.leakwatch.app.BrokerAuthenticationException;
import io.leakwatch.app.BrokerUnreachableException;
import io.leakwatch.app.KafkaReachability;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.leakwatch.broker.TestTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker's secured listeners (SASL_SSL with SCRAM-SHA-512, SSL with a required client certificate)
 * and how the start-up check reports each way a secured connection fails. One broker for the class; key and trust
 * stores are made when it starts. It tests the in-process broker itself, so it runs on it under
 * {@code -P containers} too.
 */
@Tag("integration")
@Timeout(60)
class SecuredEmbeddedKafkaIntegrationTest {
    private static final String USER = "leakwatch";
    private static final String PASSWORD = TestTls.randomSecret();
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static TestTls tls;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        tls = TestTls.create(dir);
        kafka = EmbeddedKafka.builder()
                .saslSslListener(tls.broker())
                .mtlsListener(tls.broker())
                .scramUser(USER, PASSWORD)
                .start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldCarryRecordsForAScramUserOverSaslSsl() throws Exception {
        Properties client = saslSsl(PASSWORD);

        assertThatCode(() -> KafkaReachability.requireReachable(client, CHECK_TIMEOUT)).doesNotThrowAnyException();
        assertThat(roundTrip(client)).isEqualTo("over SASL_SSL");
    }

    @Test
    void shouldCarryRecordsForAClientCertificateOverMutualTls() throws Exception {
        Properties client = mtls(true);

        assertThatCode(() -> KafkaReachability.requireReachable(client, CHECK_TIMEOUT)).doesNotThrowAnyException();
        assertThat(roundTrip(client)).isEqualTo("over SSL");
    }

    @Test
    void shouldReportAWrongPasswordAsAnAuthenticationFailureAtOnce() {
        String wrong = TestTls.randomSecret();
        long t0 = System.nanoTime();

        Throwable thrown = failure(saslSsl(wrong));

        assertThat(thrown).isInstanceOf(BrokerAuthenticationException.class)
                .hasMessage("authentication failed against " + kafka.saslSslBootstrapServers()
                        + ": invalid credentials with SASL mechanism SCRAM-SHA-512"
                        + " (check the user name and password in sasl.jaas.config)");
        assertThat(thrown.getMessage()).doesNotContain(wrong).doesNotContain(PASSWORD);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("not a timeout").isLessThan(CHECK_TIMEOUT.dividedBy(2));
    }

    @Test
    void shouldReportAnUnknownUserLikeAWrongPassword() {
        Properties client = saslSsl(PASSWORD);
        client.put("sasl.jaas.config", jaas("nobody", PASSWORD));

        assertThat(failure(client)).isInstanceOf(BrokerAuthenticationException.class)
                .hasMessageContaining("invalid credentials with SASL mechanism SCRAM-SHA-512");
    }

    @Test
    void shouldReportASaslMechanismTheListenerDoesNotEnable() {
        Properties client = saslSsl(PASSWORD);
        client.put("sasl.mechanism", "SCRAM-SHA-256");

        assertThat(failure(client)).isInstanceOf(BrokerAuthenticationException.class)
                .hasMessageStartingWith("authentication failed against " + kafka.saslSslBootstrapServers() + ": ")
                .hasMessageContaining("'SCRAM-SHA-256' not enabled")
                .hasMessageEndingWith("(sasl.mechanism)");
    }

    @Test
    void shouldReportABrokerCertificateTheClientDoesNotTrust() {
        Properties client = saslSsl(PASSWORD);
        client.remove("ssl.truststore.location");
        client.remove("ssl.truststore.password");
        client.remove("ssl.truststore.type");

        assertThat(failure(client)).isInstanceOf(BrokerAuthenticationException.class)
                .hasMessage("authentication failed against " + kafka.saslSslBootstrapServers()
                        + ": TLS handshake failed: the broker's certificate is not trusted (ssl.truststore.location)");
    }

    @Test
    void shouldReportAMissingClientCertificateOnTheMutualTlsListener() {
        assertThat(failure(mtls(false))).isInstanceOf(BrokerAuthenticationException.class)
                .hasMessage("authentication failed against " + kafka.mtlsBootstrapServers() + ": TLS handshake failed:"
                        + " the broker did not accept this client's certificate, or none was sent (ssl.keystore.location)");
    }

    @Test
    void shouldReportATrustStoreThatCannotBeReadAsInvalidSettings() {
        Properties client = mtls(true);
        client.put("ssl.truststore.location", dir.resolve("no-such-truststore.p12").toString());

        assertThat(failure(client)).isInstanceOf(KafkaClientSettingsException.class)
                .hasMessageStartingWith("invalid Kafka client settings: NoSuchFileException: ")
                .hasMessageContaining("no-such-truststore.p12")
                .hasMessageEndingWith("(ssl.keystore.location / ssl.truststore.location)");
    }

    @Test
    void shouldReportSaslWithoutJaasConfigAsInvalidSettings() {
        Properties client = saslSsl(PASSWORD);
        client.remove("sasl.jaas.config");

        assertThat(failure(client)).isInstanceOf(KafkaClientSettingsException.class)
                .hasMessageStartingWith("invalid Kafka client settings: ")
                .hasMessageEndingWith("(sasl.jaas.config)");
    }

    @Test
    void shouldReportPlaintextAgainstASecuredListenerAsNoKafkaResponse() {
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.saslSslBootstrapServers());

        Throwable thrown = failure(client, Duration.ofMillis(1500));

        assertThat(thrown).isExactlyInstanceOf(BrokerUnreachableException.class)
                .hasMessageEndingWith("port open but no Kafka response (wrong listener or security protocol?)");
    }

    private static Throwable failure(Properties client) {
        return failure(client, CHECK_TIMEOUT);
    }

    private static Throwable failure(Properties client, Duration timeout) {
        try {
            KafkaReachability.requireReachable(client, timeout);
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected the check to fail for " + client.getProperty("bootstrap.servers"));
    }

    /** Creates a topic over PLAINTEXT, then writes and reads one record with the given client settings. */
    private static String roundTrip(Properties client) throws Exception {
        String topic = "secured-" + UUID.randomUUID();
        String value = "over " + client.getProperty("security.protocol");
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get();
        }
        Properties consumerProps = new Properties();
        consumerProps.putAll(client);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    return r.value();
                }
            }
        }
        throw new AssertionError("no record came back from " + topic);
    }

    private static Properties saslSsl(String password) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.saslSslBootstrapServers());
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", jaas(USER, password));
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", tls.clientTrustStore().toString());
        p.put("ssl.truststore.password", tls.password());
        return p;
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private static Properties mtls(boolean withCertificate) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.mtlsBootstrapServers());
        p.put("security.protocol", "SSL");
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", tls.clientTrustStore().toString());
        p.put("ssl.truststore.password", tls.password());
        if (withCertificate) {
            p.put("ssl.keystore.type", "PKCS12");
            p.put("ssl.keystore.location", tls.clientKeyStore().toString());
            p.put("ssl.keystore.password", tls.password());
            p.put("ssl.key.password", tls.password());
        }
        return p;
    }
}
