package io.leakwatch.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * What another registry-aware producer writes: its own version of a schema (fields in another order, a field of its
 * own), framed with the id its registry handed out, through Avro's generic API as a Confluent or Apicurio serializer
 * would write it. Leakwatch's classes are only the source of the values.
 */
public final class ForeignProducer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ForeignProducer() {
    }

    /**
     * {@code ours} with its fields in reverse order and one more optional string field {@code extra} (default null),
     * as a producer that evolved the schema on its own would register it.
     */
    public static Schema reorderedWithExtraField(Schema ours, String extra) {
        try {
            ObjectNode schema = (ObjectNode) JSON.readTree(ours.toString());
            ArrayNode fields = (ArrayNode) schema.get("fields");
            List<com.fasterxml.jackson.databind.JsonNode> list = new ArrayList<>();
            fields.forEach(list::add);
            Collections.reverse(list);
            ObjectNode added = JSON.createObjectNode();
            added.put("name", extra);
            added.set("type", JSON.createArrayNode().add("null").add("string"));
            added.putNull("default");
            list.add(1, added);
            fields.removeAll();
            fields.addAll(list);
            return new Schema.Parser().parse(schema.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code value} written with {@code writer} (fields matched by name, {@code extraValue} in any field ours lacks). */
    public static byte[] framed(int id, Schema writer, SpecificRecord value, String extraValue) {
        GenericRecord generic = asGeneric(value);
        GenericData.Record record = new GenericData.Record(writer);
        for (Schema.Field field : writer.getFields()) {
            Schema.Field own = generic.getSchema().getField(field.name());
            record.put(field.name(), own == null ? extraValue : generic.get(own.name()));
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(id >>> 24);
            out.write(id >>> 16);
            out.write(id >>> 8);
            out.write(id);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record in Avro's generic form without logical-type conversions: what a generic writer takes. */
    private static GenericRecord asGeneric(SpecificRecord value) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(value.getSchema(), SpecificData.getForClass(value.getClass()))
                    .write(value, encoder);
            encoder.flush();
            return new GenericDatumReader<GenericRecord>(value.getSchema())
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
