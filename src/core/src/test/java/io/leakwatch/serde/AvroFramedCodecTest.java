package io.leakwatch.serde;

import static io.leakwatch.testing.Events.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakwatch.events.InvoiceLine;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class AvroFramedCodecTest {
    private static final BundledSchemaResolver SCHEMAS = new BundledSchemaResolver();
    private final AvroFramedCodec<InvoiceLine> codec = new AvroFramedCodec<>(EventType.INVOICE_LINE, "invoices", SCHEMAS);

    @Test
    void shouldWriteMagicByteAndCurrentSchemaIdThenRoundTrip() throws Exception {
        InvoiceLine original = line("a", "inv", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "12.5", "37.50", "USD", "2026-03-01T06:00:00Z");
        byte[] bytes = codec.encode(original);

        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(3);
        assertThat(codec.decode(bytes)).isEqualTo(original);
    }

    @Test
    void shouldWriteEachRecordAloneWhenOneCodecEncodesSeveral() throws Exception {
        InvoiceLine longer = line("account-with-a-long-id", "inv-000000001", "L1", "seats", "2026-02-01T00:00:00Z",
                "2026-03-01T00:00:00Z", "3", "12.5", "37.50", "USD", "2026-03-01T06:00:00Z");
        InvoiceLine shorter = line("a", "i", "L2", "gb", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "1", "2", "2", "EUR", "2026-03-01T06:00:00Z");
        byte[] alone = new AvroFramedCodec<>(EventType.INVOICE_LINE, "invoices", SCHEMAS).encode(shorter);

        codec.encode(longer);
        byte[] after = codec.encode(shorter);

        assertThat(after).isEqualTo(alone);
        assertThat(codec.decode(after)).isEqualTo(shorter);
    }

    @Test
    void shouldReadRecordWrittenWithOlderSchemaVersion() throws Exception {
        Schema v1;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("avro/history/InvoiceLine.v1.avsc")) {
            v1 = new Schema.Parser().parse(in);
        }
        GenericRecord old = new GenericData.Record(v1);
        old.put("invoice_id", "inv-old");
        old.put("line_id", "L1");
        old.put("account_id", "acct-1");
        old.put("service", "seats");
        old.put("service_period_start", Instant.parse("2026-02-01T00:00:00Z").toEpochMilli());
        old.put("service_period_end", Instant.parse("2026-03-01T00:00:00Z").toEpochMilli());
        old.put("quantity", decimal(v1, "quantity", "3.000000"));
        old.put("unit_rate", decimal(v1, "unit_rate", "12.50000000"));
        old.put("line_total", decimal(v1, "line_total", "37.5000"));
        old.put("currency", "USD");
        old.put("issued_at", Instant.parse("2026-03-01T06:00:00Z").toEpochMilli());
        old.put("due_at", null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, 0, 0, 0, 2});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
        encoder.flush();

        InvoiceLine read = codec.decode(out.toByteArray());

        assertThat(read.getInvoiceId()).isEqualTo("inv-old");
        assertThat(read.getLineTotal()).isEqualByComparingTo("37.5");
        assertThat(read.getDescription()).isNull();
    }

    @Test
    void shouldRejectBytesWithoutMagicByte() {
        assertThatThrownBy(() -> codec.decode(new byte[] {1, 0, 0, 0, 3, 9}))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("magic byte");
    }

    @Test
    void shouldRejectUnknownSchemaId() {
        assertThatThrownBy(() -> codec.decode(new byte[] {0, 0, 0, 0, 99, 9}))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("unknown schema id 99");
    }

    @Test
    void shouldRejectSchemaIdOfAnotherEventType() {
        assertThatThrownBy(() -> codec.decode(new byte[] {0, 0, 0, 0, 1, 9}))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("is a Contract");
    }

    @Test
    void shouldRejectTruncatedBody() throws Exception {
        byte[] full = codec.encode(line("a", "inv", "L1", "seats", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
                "3", "12.5", "37.50", "USD", "2026-03-01T06:00:00Z"));
        byte[] truncated = java.util.Arrays.copyOf(full, full.length - 6);

        assertThatThrownBy(() -> codec.decode(truncated)).isInstanceOf(EventDecodingException.class);
    }

    private static ByteBuffer decimal(Schema schema, String field, String value) {
        Schema fieldSchema = schema.getField(field).schema();
        return new Conversions.DecimalConversion().toBytes(new BigDecimal(value), fieldSchema,
                LogicalTypes.fromSchema(fieldSchema));
    }
}
