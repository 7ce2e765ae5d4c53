package io.leakwatch.registry;

import java.util.Locale;
import org.apache.avro.Schema;

/**
 * The registry subject a value schema is registered under, named as Confluent's serializers name it, so that
 * Leakwatch and every other registry-aware client of a topic agree on one subject.
 */
public enum SubjectNaming {
    /** {@code <topic>-value}: one schema (and its versions) per topic; Confluent's default TopicNameStrategy. */
    TOPIC,
    /** The record's full name ({@code io.leakwatch.events.Alert}): a type shared by every topic it is on. */
    RECORD,
    /** {@code <topic>-<full name>}: several record types on one topic. */
    TOPIC_RECORD;

    public String subject(String topic, Schema schema) {
        return switch (this) {
            case TOPIC -> topic + "-value";
            case RECORD -> schema.getFullName();
            case TOPIC_RECORD -> topic + "-" + schema.getFullName();
        };
    }

    /** {@code topic}, {@code record} or {@code topic-record}. */
    public static SubjectNaming parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
