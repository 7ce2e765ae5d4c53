package io.leakwatch.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** JSON wire format and JSON Lines form of an event; the rules are in {@link JsonAvro}. */
public final class JsonEventCodec<T extends SpecificRecord> implements EventCodec<T> {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Most events encode to a few hundred bytes. */
    private static final int INITIAL_BYTES = 512;

    private final EventType<T> type;
    private final Schema schema;
    private final SpecificData model;

    public JsonEventCodec(EventType<T> type) {
        this.type = type;
        this.model = SpecificData.getForClass(type.type());
        this.schema = model.getSchema(type.type());
    }

    @Override
    public T decode(byte[] bytes) throws EventDecodingException {
        if (bytes == null || bytes.length == 0) {
            throw new EventDecodingException("empty record");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new EventDecodingException("malformed JSON: " + firstLine(e.getMessage()));
        }
        return fromTree(node);
    }

    public T decode(String json) throws EventDecodingException {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new EventDecodingException("malformed JSON: " + firstLine(e.getOriginalMessage()));
        }
        return fromTree(node);
    }

    @SuppressWarnings("unchecked")
    private T fromTree(JsonNode node) throws EventDecodingException {
        if (node == null || !node.isObject()) {
            throw new EventDecodingException("expected a JSON object for " + type.name());
        }
        return (T) JsonAvro.toAvro(node, schema, model, "");
    }

    @Override
    public byte[] encode(T value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(INITIAL_BYTES);
        try (JsonGenerator out = MAPPER.getFactory().createGenerator(bytes)) {
            JsonAvro.write(out, value, schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** One line of JSON, as in a JSON Lines file. */
    public String encodeLine(T value) {
        return new String(encode(value), StandardCharsets.UTF_8);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
