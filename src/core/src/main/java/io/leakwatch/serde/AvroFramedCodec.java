package io.leakwatch.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The schema-registry wire format: byte 0 = magic 0, bytes 1-4 = big-endian schema id, then Avro binary.
 * Decoding resolves the writer schema by id and reads it into the current class (Avro schema resolution),
 * so records written with an older schema version are read with defaults for the fields they lack.
 */
public final class AvroFramedCodec<T extends SpecificRecord> implements EventCodec<T> {
    private static final byte MAGIC = 0;
    private static final int HEADER = 5;

    private final EventType<T> type;
    private final SchemaResolver resolver;
    private final SpecificData model;
    private final Schema readerSchema;
    private final int writerId;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private final ThreadLocal<SpecificDatumWriter<T>> writer;

    public AvroFramedCodec(EventType<T> type, SchemaResolver resolver) {
        this.type = type;
        this.resolver = resolver;
        this.model = SpecificData.getForClass(type.type());
        this.readerSchema = model.getSchema(type.type());
        this.writerId = resolver.idOf(readerSchema);
        this.writer = ThreadLocal.withInitial(() -> new SpecificDatumWriter<>(readerSchema, model));
    }

    @Override
    public T decode(byte[] bytes) throws EventDecodingException {
        if (bytes == null || bytes.length < HEADER) {
            throw new EventDecodingException("not Avro-framed: fewer than 5 bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.get() != MAGIC) {
            throw new EventDecodingException("not Avro-framed: first byte is not the magic byte 0");
        }
        int id = buffer.getInt();
        DatumReader<T> reader = readers.get(id);
        if (reader == null) {
            Schema writerSchema = resolver.schemaById(id);
            if (!writerSchema.getFullName().equals(readerSchema.getFullName())) {
                throw new EventDecodingException("schema id " + id + " is a " + writerSchema.getName()
                        + ", expected a " + type.name());
            }
            reader = new SpecificDatumReader<>(writerSchema, readerSchema, model);
            readers.put(id, reader);
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, null);
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new EventDecodingException("trailing bytes after the Avro record");
            }
            return value;
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                 | ClassCastException | ArithmeticException e) {
            throw new EventDecodingException("invalid Avro binary for " + type.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] encode(T value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MAGIC);
        out.write(writerId >>> 24);
        out.write(writerId >>> 16);
        out.write(writerId >>> 8);
        out.write(writerId);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.get().write(value, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
