package io.leakwatch.serde;

import org.apache.avro.Schema;

/**
 * Maps the 4-byte schema id of the Avro wire format to a writer schema and back. The bundled implementation knows
 * the schemas shipped in this jar, whatever the topic; a schema registry's client resolves ids through the registry,
 * under the subject its naming strategy gives the topic.
 */
public interface SchemaResolver {
    /**
     * The writer schema registered under {@code id}.
     *
     * @throws EventDecodingException when no schema has that id: the record's fault, a dead letter
     * @throws SchemaResolverUnavailableException when the resolver cannot answer now: nobody's record is at fault
     */
    Schema schemaById(int id) throws EventDecodingException;

    /**
     * The id of {@code schema} for the values of {@code topic}; fails when it is not registered (and cannot be).
     *
     * @throws SchemaResolverUnavailableException when the resolver cannot answer now
     */
    int idOf(String topic, Schema schema);
}
