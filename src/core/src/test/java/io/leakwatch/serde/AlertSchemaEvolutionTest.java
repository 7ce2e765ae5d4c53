package io.leakwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leakwatch.events.Alert;
import io.leakwatch.events.AlertStatus;
import io.leakwatch.events.Severity;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * The alert schema evolves compatibly both ways: a consumer built against version 1 (no lifecycle fields) still reads
 * what this release writes, and this release reads what version 1 wrote (status OPEN, revision 1).
 */
class AlertSchemaEvolutionTest {
    private static final BundledSchemaResolver SCHEMAS = new BundledSchemaResolver();

    private static Alert withdrawn() {
        return Alert.newBuilder().setAlertId("0b3c").setType("RATE_MISMATCH").setSeverity(Severity.LOW)
                .setAccountId("acct-1").setEvidenceKey("inv-1/L1").setAmount(new BigDecimal("15.0000"))
                .setCurrency("USD").setExplanation("Invoice inv-1 billed seats at 11, contract v1 sets 12.5.")
                .setRecommendedAction("Correct the rate.").setEventTime(Instant.parse("2026-02-01T00:00:00Z"))
                .setDetectedAt(Instant.parse("2026-03-01T06:00:00Z")).setEvidence(Map.of("contract_version", "1"))
                .setStatus(AlertStatus.WITHDRAWN).setRevision(2)
                .setStatusReason("Contract ctr-1 v2 reached us after the line was checked; the line matches v2's rate of 11.")
                .build();
    }

    private static Schema version1() throws Exception {
        try (InputStream in = AlertSchemaEvolutionTest.class.getClassLoader()
                .getResourceAsStream("avro/history/Alert.v1.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    @Test
    void shouldLetAConsumerOfVersion1ReadAnAvroAlertWrittenWithTheLifecycleFields() throws Exception {
        byte[] framed = new AvroFramedCodec<>(EventType.ALERT, "alerts", SCHEMAS).encode(withdrawn());
        int writerId = ByteBuffer.wrap(framed, 1, 4).getInt();
        // what a registry-backed consumer does: look the writer schema up by its id, read it into its own schema
        Schema writer = SCHEMAS.schemaById(writerId);
        GenericDatumReader<GenericRecord> oldReader = new GenericDatumReader<>(writer, version1());

        GenericRecord read = oldReader.read(null,
                DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null));

        assertThat(writerId).isEqualTo(9);
        assertThat(read.getSchema().getField("status")).isNull();
        assertThat(read.get("alert_id").toString()).isEqualTo("0b3c");
        assertThat(read.get("evidence_key").toString()).isEqualTo("inv-1/L1");
        assertThat(read.get("currency").toString()).isEqualTo("USD");
    }

    @Test
    void shouldLetAJsonConsumerOfVersion1IgnoreTheLifecycleFields() throws Exception {
        byte[] json = new JsonEventCodec<>(EventType.ALERT).encode(withdrawn());
        JsonNode node = new ObjectMapper().readTree(json);

        assertThat(node.get("alert_id").asText()).isEqualTo("0b3c");
        assertThat(node.get("status").asText()).isEqualTo("WITHDRAWN");
        assertThat(node.get("revision").asInt()).isEqualTo(2);
        assertThat(node.get("status_reason").asText()).startsWith("Contract ctr-1 v2 reached us");
    }

    @Test
    void shouldReadAnAlertWrittenWithVersion1AsOpenRevisionOne() throws Exception {
        Schema v1 = version1();
        GenericRecord old = new GenericData.Record(v1);
        old.put("alert_id", "0b3c");
        old.put("type", "RATE_MISMATCH");
        old.put("severity", new GenericData.EnumSymbol(v1.getField("severity").schema(), "LOW"));
        old.put("account_id", "acct-1");
        old.put("evidence_key", "inv-1/L1");
        Schema amount = v1.getField("amount").schema();
        old.put("amount", new Conversions.DecimalConversion().toBytes(new BigDecimal("15.0000"), amount,
                LogicalTypes.fromSchema(amount)));
        old.put("currency", "USD");
        old.put("explanation", "x");
        old.put("recommended_action", "y");
        old.put("event_time", Instant.parse("2026-02-01T00:00:00Z").toEpochMilli());
        old.put("detected_at", Instant.parse("2026-03-01T06:00:00Z").toEpochMilli());
        old.put("evidence", Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, 0, 0, 0, 7});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
        encoder.flush();

        Alert read = new AvroFramedCodec<>(EventType.ALERT, "alerts", SCHEMAS).decode(out.toByteArray());

        assertThat(read.getStatus()).isEqualTo(AlertStatus.OPEN);
        assertThat(read.getRevision()).isEqualTo(1);
        assertThat(read.getStatusReason()).isNull();
        assertThat(read.getAmount()).isEqualByComparingTo("15");
    }
}
