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
 * so records written with an older schema version are read with defaults for the fields they lack. Encoding writes
 * the id the resolver gives the current schema on the codec's topic, asked on the first record written (building a
 * codec asks nothing, so a codec that only reads never registers a schema).
 */
public final class AvroFramedCodec<T extends SpecificRecord> implements EventCodec<T> {
    private static final byte MAGIC = 0;
    private static final int HEADER = 5;

    private final EventType<T> type;
    private final String topic;
    private final SchemaResolver resolver;
    private final SpecificData model;
    private final Schema readerSchema;
    /** The id written before every record, once the resolver gave it; null before. */
    private volatile Integer writerId;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private final ThreadLocal<Writing<T>> writing;

    /**
     * One thread's writer, output buffer and encoder, used again for every record it encodes: a fresh buffered
     * encoder per record allocated and cleared a 2 KB buffer, which cost more than encoding a small event.
     */
    private static final class Writing<T> {
        final SpecificDatumWriter<T> writer;
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder;

        Writing(SpecificDatumWriter<T> writer) {
            this.writer = writer;
        }
    }

    /**
     * @param topic the topic the bytes are read from or written to: a registry's subject is named after it
     */
    public AvroFramedCodec(EventType<T> type, String topic, SchemaResolver resolver) {
        this.type = type;
        this.topic = topic;
        this.resolver = resolver;
        this.model = SpecificData.getForClass(type.type());
        this.readerSchema = model.getSchema(type.type());
        this.writing = ThreadLocal.withInitial(() -> new Writing<>(new SpecificDatumWriter<>(readerSchema, model)));
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
        int writerId = writerId();
        Writing<T> w = writing.get();
        ByteArrayOutputStream out = w.out;
        out.reset();
        out.write(MAGIC);
        out.write(writerId >>> 24);
        out.write(writerId >>> 16);
        out.write(writerId >>> 8);
        out.write(writerId);
        try {
            // unbuffered: every byte goes straight into the array, so nothing is left in the encoder after a failure
            w.encoder = EncoderFactory.get().directBinaryEncoder(out, w.encoder);
            w.writer.write(value, w.encoder);
            w.encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The id of the current schema on this codec's topic; resolved once (ids never change). */
    public int writerId() {
        Integer id = writerId;
        if (id == null) {
            id = resolver.idOf(topic, readerSchema);
            writerId = id;
        }
        return id;
    }
}
