package io.leakwatch.topology;

import io.leakwatch.ingest.DeadLetterFit;
import io.leakwatch.ingest.DeadLetterHeaders;
import io.leakwatch.ingest.RejectReason;
import io.leakwatch.serde.SchemaResolverUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of defence: Kafka Streams' exception handlers, set so that no record stops the processor. Leakwatch's
 * own processors catch what they can foresee and handle it with more care (the account processor sets the record
 * aside and rebuilds the account from its log); these handlers catch the rest:
 * <pre>
 * a processor throws on a record      -> the source record (its raw key and value) to the dead-letter topic,
 *                                        reason processing-error, node, exception; processing resumes
 * a punctuation throws                -> logged (there is no record to set aside); resumes at the next one
 * a record on an internal topic does not deserialize -> to the dead-letter topic, reason deserialization; resumes
 * an output too large to write, or that does not serialize -> that output record (cut to fit) to the dead-letter
 *                                        topic, reason processing-error; resumes
 * any other write failure             -> Kafka Streams' default: retried when retriable, else the processor stops
 *                                        (a broker that refuses writes is not one record's fault)
 * the schema registry cannot answer   -> the processor stops, whatever the step (no record is at fault: a restart
 *                                        resumes from the last commit once the registry answers)
 * </pre>
 * Every record resumed past is counted by Kafka Streams in {@code stream-task-metrics / dropped-records-total} and
 * logged at ERROR with its topic, partition and offset, never its content. A handler set in the user's properties is
 * left as it is.
 */
public final class DeadLetterHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandlers.class);

    private DeadLetterHandlers() {
    }

    /** Sets the three handlers (unless the properties name others) and the dead-letter topic they write to. */
    public static void install(Properties props, String deadLetterTopic) {
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, Processing.class.getName());
        props.putIfAbsent(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, Production.class.getName());
        props.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, Deserialization.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic);
    }

    private static String topic(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null) {
            throw new IllegalStateException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
                    + " is not set: install the handlers with DeadLetterHandlers.install");
        }
        return topic.toString();
    }

    /** The schema resolver's failure behind {@code e}, if that is what it is: a failure no record is to blame for. */
    static SchemaResolverUnavailableException unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaResolverUnavailableException u) {
                return u;
            }
        }
        return null;
    }

    private static boolean stopsForRegistry(Exception exception, ErrorHandlerContext context) {
        SchemaResolverUnavailableException registry = unavailable(exception);
        if (registry == null) {
            return false;
        }
        LOG.error("the processor stops at {}: {}", where(context), registry.getMessage());
        return true;
    }

    static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getName() + (message == null ? "" : ": " + message);
    }

    /** A dead letter of raw bytes, stamped and cut to fit. */
    static ProducerRecord<byte[], byte[]> deadLetter(String topic, byte[] key, byte[] value, Headers original,
                                                     RejectReason reason, String detail, ErrorHandlerContext context,
                                                     Exception e) {
        Headers headers = new RecordHeaders(original == null ? new org.apache.kafka.common.header.Header[0]
                : original.toArray());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.REASON, reason.code());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.DETAIL, detail);
        DeadLetterHeaders.put(headers, DeadLetterHeaders.NODE, String.valueOf(context.processorNodeId()));
        DeadLetterHeaders.put(headers, DeadLetterHeaders.EXCEPTION, e.getClass().getName());
        if (context.topic() != null) {
            DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_TOPIC, context.topic());
            DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(context.partition()));
            DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(context.offset()));
        }
        DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_TIMESTAMP, Long.toString(context.timestamp()));
        DeadLetterFit.headers(headers);
        byte[] fittedKey = DeadLetterFit.keyBytes(key, headers);
        byte[] fittedValue = DeadLetterFit.value(value, headers);
        return new ProducerRecord<>(topic, null, context.timestamp() < 0 ? null : context.timestamp(), fittedKey,
                fittedValue, headers);
    }

    private static String where(ErrorHandlerContext context) {
        return context.topic() == null ? "task " + context.taskId()
                : context.topic() + "-" + context.partition() + "@" + context.offset();
    }

    /** An exception thrown by a processor or a punctuation. */
    public static final class Processing implements ProcessingExceptionHandler {
        private String topic;

        @Override
        public void configure(Map<String, ?> configs) {
            topic = topic(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            if (stopsForRegistry(exception, context)) {
                return Response.fail();
            }
            if (record == null || context.sourceRawValue() == null && context.sourceRawKey() == null) {
                LOG.error("{} failed in a punctuation of {}; resuming at the next one", context.processorNodeId(),
                        where(context), exception);
                return Response.resume();
            }
            LOG.error("{} failed on the record at {}; it goes to the dead-letter topic {} and processing resumes",
                    context.processorNodeId(), where(context), topic, exception);
            return Response.resume(List.of(deadLetter(topic, context.sourceRawKey(), context.sourceRawValue(),
                    context.headers(), RejectReason.PROCESSING_ERROR,
                    context.processorNodeId() + " failed: " + describe(exception), context, exception)));
        }
    }

    /** A record on one of the processor's internal topics that does not deserialize. */
    public static final class Deserialization implements DeserializationExceptionHandler {
        private String topic;

        @Override
        public void configure(Map<String, ?> configs) {
            topic = topic(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                    Exception exception) {
            if (stopsForRegistry(exception, context)) {
                return Response.fail();
            }
            LOG.error("the record at {} does not deserialize; it goes to the dead-letter topic {} and processing"
                    + " resumes: {}", where(context), topic, describe(exception));
            return Response.resume(List.of(deadLetter(topic, record.key(), record.value(), record.headers(),
                    RejectReason.DESERIALIZATION, describe(exception), context, exception)));
        }
    }

    /**
     * An output record that cannot be written for what it is (too large, or not serializable) is set aside; a broker
     * or network failure is Kafka Streams' to retry or fail on.
     */
    public static final class Production implements ProductionExceptionHandler {
        private final DefaultProductionExceptionHandler fallback = new DefaultProductionExceptionHandler();
        private String topic;

        @Override
        public void configure(Map<String, ?> configs) {
            topic = topic(configs);
            fallback.configure(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                    Exception exception) {
            if (!(exception instanceof RecordTooLargeException)) {
                return fallback.handleError(context, record, exception);
            }
            return setAside(context, record, "could not be written to " + record.topic(), exception);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record,
                                                 Exception exception, SerializationExceptionOrigin origin) {
            if (stopsForRegistry(exception, context)) {
                return Response.fail();
            }
            LOG.error("an output record for {} does not serialize ({}), made from the record at {}; that record goes"
                    + " to the dead-letter topic {}", record.topic(), origin, where(context), topic, exception);
            return Response.resume(List.of(deadLetter(topic, context.sourceRawKey(), context.sourceRawValue(),
                    context.headers(), RejectReason.PROCESSING_ERROR, "its output for " + record.topic()
                            + " does not serialize: " + describe(exception), context, exception)));
        }

        private Response setAside(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, String what,
                                  Exception exception) {
            if (record.topic().equals(topic)) {
                LOG.error("a dead letter from the record at {} could not be written to {} either; skipped: {}",
                        where(context), topic, describe(exception));
                return Response.resume();
            }
            LOG.error("an output record {} ({}); it goes, cut to fit, to the dead-letter topic {}", what,
                    describe(exception), topic);
            return Response.resume(List.of(deadLetter(topic, record.key(), record.value(), record.headers(),
                    RejectReason.PROCESSING_ERROR, "an output record " + what + ": " + describe(exception), context,
                    exception)));
        }
    }
}
