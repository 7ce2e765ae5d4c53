package io.leakwatch.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Schema ids resolved from the schemas bundled in this jar ({@code avro/schema-ids.json}), with no
 * registry. Current and historical versions are both listed, so data written by older producers stays
 * readable through Avro schema resolution.
 */
public final class BundledSchemaResolver implements SchemaResolver {
    private static final String INDEX = "avro/schema-ids.json";

    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<Long, Integer> idByFingerprint = new HashMap<>();

    public BundledSchemaResolver() {
        try (InputStream in = resource(INDEX)) {
            JsonNode index = new ObjectMapper().readTree(in);
            for (JsonNode entry : index.get("schemas")) {
                int id = entry.get("id").asInt();
                Schema schema;
                try (InputStream schemaIn = resource("avro/" + entry.get("file").asText())) {
                    schema = new Schema.Parser().parse(schemaIn);
                }
                if (byId.put(id, schema) != null) {
                    throw new IllegalStateException("schema id " + id + " is listed twice in " + INDEX);
                }
                idByFingerprint.put(SchemaNormalization.parsingFingerprint64(schema), id);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled schemas", e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = BundledSchemaResolver.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("missing resource " + name);
        }
        return in;
    }

    @Override
    public Schema schemaById(int id) throws EventDecodingException {
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new EventDecodingException("unknown schema id " + id);
        }
        return schema;
    }

    /** The bundled id of {@code schema}, the same for every topic. */
    @Override
    public int idOf(String topic, Schema schema) {
        Integer id = idByFingerprint.get(SchemaNormalization.parsingFingerprint64(schema));
        if (id == null) {
            throw new IllegalArgumentException("schema " + schema.getFullName() + " is not registered in " + INDEX);
        }
        return id;
    }
}
