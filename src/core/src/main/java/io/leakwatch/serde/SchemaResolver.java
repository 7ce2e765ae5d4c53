package io.leakwatch.serde;

import org.apache.avro.Schema;

/**
 * Maps the 4-byte schema id of the Avro wire format to a writer schema and back. Pluggable: the bundled
 * implementation knows the schemas shipped in this jar; a registry client can implement the same.
 */
public interface SchemaResolver {
    /** The writer schema registered under {@code id}. */
    Schema schemaById(int id) throws EventDecodingException;

    /** The id under which {@code schema} is registered; fails when it is not. */
    int idOf(Schema schema);
}
