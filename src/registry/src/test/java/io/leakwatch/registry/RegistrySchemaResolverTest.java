package io.leakwatch.registry;

import static io.leakwatch.testing.Events.line;
import static io.leakwatch.testing.Events.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.config.Secret;
import io.leakwatch.events.Alert;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.Payment;
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.ingest.ArrivalDeserializer;
import io.leakwatch.serde.AvroFramedCodec;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.SchemaResolverUnavailableException;
import io.leakwatch.slack.TestAlerts;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistrySchemaResolverTest {
    private static final InvoiceLine LINE = line("acct-1", "inv-1", "L1", "seats", "2026-02-01T00:00:00Z",
            "2026-03-01T00:00:00Z", "3", "12.5", "37.50", "USD", "2026-03-01T06:00:00Z");
    private static final Schema FOREIGN_LINE =
            ForeignProducer.reorderedWithExtraField(InvoiceLine.getClassSchema(), "sales_channel");

    private final StandInRegistry registry;

    RegistrySchemaResolverTest() throws IOException {
        registry = StandInRegistry.start(1001);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private RegistrySchemaResolver resolver() {
        return new RegistrySchemaResolver(SchemaRegistrySettings.of(registry.url()));
    }

    @Test
    void shouldReadARecordAnotherProducerWroteWithItsOwnSchemaVersionAndId() throws Exception {
        registry.with("invoices-value", 1001, FOREIGN_LINE);
        byte[] foreign = ForeignProducer.framed(1001, FOREIGN_LINE, LINE, "partner");

        InvoiceLine read = new AvroFramedCodec<>(EventType.INVOICE_LINE, "invoices", resolver()).decode(foreign);

        assertThat(read).isEqualTo(LINE);
    }

    @Test
    void shouldReadIdsOneToNineAsTheRegistryDefinesThemNotAsTheBundledIdsDo() throws Exception {
        // bundled id 3 is InvoiceLine v2; in this registry it is another producer's Payment
        Schema foreignPayment = ForeignProducer.reorderedWithExtraField(Payment.getClassSchema(), "gateway");
        registry.with("payments-value", 3, foreignPayment);
        Payment paid = payment("acct-1", "pay-1", "inv-1", "37.50", "USD", PaymentStatus.SUCCEEDED, "2026-03-02T00:00:00Z");
        byte[] foreign = ForeignProducer.framed(3, foreignPayment, paid, "stripe");
        RegistrySchemaResolver resolver = resolver();

        assertThat(new AvroFramedCodec<>(EventType.PAYMENT, "payments", resolver).decode(foreign)).isEqualTo(paid);
        assertThatThrownBy(() -> new AvroFramedCodec<>(EventType.INVOICE_LINE, "invoices", resolver).decode(foreign))
                .isInstanceOf(EventDecodingException.class)
                .hasMessage("schema id 3 is a Payment, expected a InvoiceLine");
    }

    @Test
    void shouldRefuseAnIdTheRegistryDoesNotKnowAsTheRecordsFault() {
        byte[] unknown = ForeignProducer.framed(4242, FOREIGN_LINE, LINE, null);

        assertThatThrownBy(() -> new AvroFramedCodec<>(EventType.INVOICE_LINE, "invoices", resolver()).decode(unknown))
                .isInstanceOf(EventDecodingException.class)
                .hasMessage("schema id 4242 is not in the schema registry at " + registry.url());
    }

    @Test
    void shouldWriteTheIdTheRegistryHandsOutUnderTheTopicsValueSubject() throws Exception {
        registry.with("alerts-value", 1001, FOREIGN_LINE);   // the registry's next id is 1001: taken, like any old id
        Alert alert = TestAlerts.alert("a-1", "RATE_MISMATCH", io.leakwatch.events.Severity.HIGH, "acct-1", "10.00", "USD");
        AvroFramedCodec<Alert> codec = new AvroFramedCodec<>(EventType.ALERT, "billing.alerts", resolver());

        byte[] bytes = codec.encode(alert);

        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(registry.versions("billing.alerts-value")).containsExactly(id);
        assertThat(registry.schema(id)).contains(Alert.getClassSchema());
        assertThat(id).isNotIn(1001, 9);
        assertThat(new AvroFramedCodec<>(EventType.ALERT, "billing.alerts", resolver()).decode(bytes)).isEqualTo(alert);
    }

    @Test
    void shouldAskTheRegistryOnceForEachIdAndEachSubject() throws Exception {
        registry.with("invoices-value", 1001, FOREIGN_LINE);
        byte[] foreign = ForeignProducer.framed(1001, FOREIGN_LINE, LINE, "partner");
        RegistrySchemaResolver resolver = resolver();
        AvroFramedCodec<InvoiceLine> reader = new AvroFramedCodec<>(EventType.INVOICE_LINE, "invoices", resolver);
        AvroFramedCodec<InvoiceLine> writer = new AvroFramedCodec<>(EventType.INVOICE_LINE, "dead-letter", resolver);
        AvroFramedCodec<InvoiceLine> anotherWriter =
                new AvroFramedCodec<>(EventType.INVOICE_LINE, "dead-letter", resolver);

        for (int i = 0; i < 20; i++) {
            reader.decode(foreign);
            writer.encode(LINE);
            anotherWriter.encode(LINE);
        }

        assertThat(registry.requests()).extracting(StandInRegistry.Request::method, StandInRegistry.Request::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("GET", "/schemas/ids/1001"),
                        org.assertj.core.groups.Tuple.tuple("POST", "/subjects/dead-letter-value/versions"));
    }

    @Test
    void shouldNameSubjectsAfterTheRecordWhenAskedTo() {
        SchemaRegistrySettings settings = SchemaRegistrySettings.of(registry.url());
        RegistrySchemaResolver byRecord = new RegistrySchemaResolver(new SchemaRegistrySettings(settings.url(),
                settings.auth(), Optional.empty(), Optional.empty(), true, SubjectNaming.RECORD, settings.timeout()));
        RegistrySchemaResolver byTopicAndRecord = new RegistrySchemaResolver(new SchemaRegistrySettings(settings.url(),
                settings.auth(), Optional.empty(), Optional.empty(), true, SubjectNaming.TOPIC_RECORD,
                settings.timeout()));

        byRecord.idOf("invoices", InvoiceLine.getClassSchema());
        byTopicAndRecord.idOf("invoices", InvoiceLine.getClassSchema());

        assertThat(registry.versions("io.leakwatch.events.InvoiceLine")).hasSize(1);
        assertThat(registry.versions("invoices-io.leakwatch.events.InvoiceLine")).hasSize(1);
    }

    @Test
    void shouldSendTheRegistryContentTypeAndBasicCredentials() {
        registry.requireBasic("leakwatch", "s3cret");
        RegistrySchemaResolver resolver = new RegistrySchemaResolver(SchemaRegistrySettings.of(registry.url())
                .withAuth(new SchemaRegistrySettings.Auth.Basic(new Secret("leakwatch:s3cret", "test"))));

        int id = resolver.idOf("invoices", InvoiceLine.getClassSchema());

        assertThat(id).isEqualTo(1001);
        assertThat(registry.requests()).singleElement().satisfies(r -> {
            assertThat(r.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
            assertThat(r.authorization()).isEqualTo("Basic bGVha3dhdGNoOnMzY3JldA==");
        });
    }

    @Test
    void shouldSendABearerToken() {
        registry.requireBearer("tok-123");
        RegistrySchemaResolver resolver = new RegistrySchemaResolver(SchemaRegistrySettings.of(registry.url())
                .withAuth(new SchemaRegistrySettings.Auth.Bearer(new Secret("tok-123", "test"))));

        assertThat(resolver.idOf("invoices", InvoiceLine.getClassSchema())).isEqualTo(1001);
    }

    @Test
    void shouldSayInOneLineThatTheCredentialsWereRefusedWithoutShowingThem() {
        registry.requireBasic("leakwatch", "right");
        RegistrySchemaResolver resolver = new RegistrySchemaResolver(SchemaRegistrySettings.of(registry.url())
                .withAuth(new SchemaRegistrySettings.Auth.Basic(new Secret("leakwatch:wrong-pw", "test"))));

        assertThatThrownBy(() -> resolver.idOf("alerts", Alert.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageStartingWith("schema registry " + registry.url() + " refused the credentials (HTTP 401)")
                .hasMessageNotContaining("wrong-pw")
                .message().doesNotContain("\n");
    }

    @Test
    void shouldSayTheSchemaIsIncompatibleWithTheRegistrysReason() {
        registry.refusing((subject, schema) -> Optional.of("READER_FIELD_MISSING_DEFAULT_VALUE, field 'x'"));

        assertThatThrownBy(() -> resolver().idOf("alerts", Alert.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("refused to register io.leakwatch.events.Alert under subject alerts-value:"
                        + " incompatible with the subject's registered versions")
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE, field 'x'");
    }

    @Test
    void shouldOnlyLookUpWhenAutoRegistrationIsOff() {
        registry.with("alerts-value", 77, Alert.getClassSchema());
        RegistrySchemaResolver lookupOnly =
                new RegistrySchemaResolver(SchemaRegistrySettings.of(registry.url()).withAutoRegister(false));

        assertThat(lookupOnly.idOf("alerts", Alert.getClassSchema())).isEqualTo(77);
        assertThatThrownBy(() -> lookupOnly.idOf("alert-state", Alert.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessage("io.leakwatch.events.Alert is not registered under subject alert-state-value at schema"
                        + " registry " + registry.url() + ", and leakwatch.schema-registry.auto-register is false:"
                        + " register it there (docs/schema-registry.md)");
        assertThat(registry.requests()).extracting(StandInRegistry.Request::path)
                .containsExactly("/subjects/alerts-value", "/subjects/alert-state-value");
    }

    @Test
    void shouldNameTheRegistryWhenNothingListensThere() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        URI gone = URI.create("http://127.0.0.1:" + port + "/apis/ccompat/v7");
        RegistrySchemaResolver resolver = new RegistrySchemaResolver(SchemaRegistrySettings.of(gone));

        assertThatThrownBy(() -> resolver.idOf("alerts", Alert.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageStartingWith("schema registry http://127.0.0.1:" + port + "/apis/ccompat/v7 is unreachable"
                        + " (ConnectException");
    }

    @Test
    void shouldGiveUpOnARegistryThatDoesNotAnswerWithinTheTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {   // accepts connections (backlog), never answers
            RegistrySchemaResolver resolver = new RegistrySchemaResolver(SchemaRegistrySettings
                    .of(URI.create("http://127.0.0.1:" + silent.getLocalPort())).withTimeout(Duration.ofMillis(300)));

            assertThatThrownBy(() -> resolver.schemaById(5))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessage("schema registry http://127.0.0.1:" + silent.getLocalPort()
                            + " did not answer within 300 ms (trying to read schema id 5)");
        }
    }

    @Test
    void shouldStopIngestRatherThanDeadLetterWhileTheRegistryIsUnreachable() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        RegistrySchemaResolver down = new RegistrySchemaResolver(
                SchemaRegistrySettings.of(URI.create("http://127.0.0.1:" + port)));
        ArrivalDeserializer<InvoiceLine> ingest = new ArrivalDeserializer<>(EventType.INVOICE_LINE,
                new AvroFramedCodec<>(EventType.INVOICE_LINE, "invoices", down));
        byte[] foreign = ForeignProducer.framed(1001, FOREIGN_LINE, LINE, null);

        assertThatThrownBy(() -> ingest.deserialize("invoices", foreign))
                .isInstanceOf(SchemaResolverUnavailableException.class);
    }

    @Test
    void shouldSayInOneLineWhichTrustStoreCannotBeRead() {
        SchemaRegistrySettings settings = SchemaRegistrySettings.of(URI.create("https://registry.example.com"))
                .withTrustStore(new SchemaRegistrySettings.Store("leakwatch.schema-registry.ssl.truststore.location",
                        Path.of("/nonexistent/truststore.p12"), Optional.of(new Secret("changeit", "test")), "PKCS12"));

        assertThatThrownBy(() -> new SchemaRegistryClient(settings))
                .isInstanceOf(io.leakwatch.config.BadConfigException.class)
                .hasMessage("leakwatch.schema-registry.ssl.truststore.location: cannot read PKCS12 store"
                        + " /nonexistent/truststore.p12 (no such file)");
    }
}
