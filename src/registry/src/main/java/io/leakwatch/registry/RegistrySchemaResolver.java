package io.leakwatch.registry;

import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.SchemaResolver;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Schema ids from a schema registry. Reading: the writer schema of an id is fetched once and kept for good (a
 * registry never gives an id another schema). Writing: the id of a schema on a topic is registered (or, with
 * auto-registration off, looked up) under the subject {@link SubjectNaming} names once per subject and schema, then
 * kept. So a running processor calls the registry only for ids and subjects it has not met before.
 *
 * <p>An id the registry does not know, or whose schema is not Avro, is the record's fault: an
 * {@link EventDecodingException}, which dead-letters the record with that reason. A registry that cannot be used
 * (unreachable, credentials refused, a schema refused) is a {@link SchemaRegistryException}.
 */
public final class RegistrySchemaResolver implements SchemaResolver {
    private final SchemaRegistryClient client;
    private final SchemaRegistrySettings settings;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, Integer> idBySubjectAndSchema = new ConcurrentHashMap<>();

    public RegistrySchemaResolver(SchemaRegistryClient client) {
        this.client = client;
        this.settings = client.settings();
    }

    public RegistrySchemaResolver(SchemaRegistrySettings settings) {
        this(new SchemaRegistryClient(settings));
    }

    @Override
    public Schema schemaById(int id) throws EventDecodingException {
        Schema known = byId.get(id);
        if (known != null) {
            return known;
        }
        Schema schema;
        try {
            schema = client.schemaById(id).orElseThrow(() -> new EventDecodingException("schema id " + id
                    + " is not in the schema registry at " + settings.shownUrl()));
        } catch (SchemaRegistryClient.SchemaIdNotAvroException e) {
            throw new EventDecodingException(e.getMessage() + " (schema registry " + settings.shownUrl() + ")");
        }
        byId.putIfAbsent(id, schema);
        return schema;
    }

    @Override
    public int idOf(String topic, Schema schema) {
        String subject = settings.naming().subject(topic, schema);
        String key = subject + "\u0000" + SchemaNormalization.parsingFingerprint64(schema);
        Integer known = idBySubjectAndSchema.get(key);
        if (known != null) {
            return known;
        }
        int id;
        if (settings.autoRegister()) {
            id = client.register(subject, schema);
        } else {
            OptionalInt found = client.lookup(subject, schema);
            if (found.isEmpty()) {
                throw new SchemaRegistryException(schema.getFullName() + " is not registered under subject " + subject
                        + " at schema registry " + settings.shownUrl() + ", and leakwatch.schema-registry.auto-register"
                        + " is false: register it there (docs/schema-registry.md)");
            }
            id = found.getAsInt();
        }
        idBySubjectAndSchema.putIfAbsent(key, id);
        byId.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public String toString() {
        return "schema registry " + settings.shownUrl();
    }
}
