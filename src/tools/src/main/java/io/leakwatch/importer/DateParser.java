package io.leakwatch.importer;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the text of a date cell into an instant, trying each format in order; the first that reads the whole cell
 * wins. A format is a {@link DateTimeFormatter} pattern ({@code dd.MM.yyyy}, {@code yyyy-MM-dd HH:mm},
 * {@code MM/yyyy}) or one of the words {@code iso} (ISO-8601 date, date-time or instant), {@code epoch_seconds},
 * {@code epoch_millis}. A value without a time is midnight; without a day, the first of the month; without an
 * offset, a time in {@code zone}. Month and day names are English.
 */
final class DateParser {
    /** The formats a mapping without {@code dates.formats} reads. */
    static final List<String> DEFAULT_FORMATS = List.of("iso");

    private final List<String> formats;
    private final List<Reader> readers;
    private final ZoneId zone;

    private interface Reader {
        Instant read(String text, ZoneId zone);
    }

    /** @throws IllegalArgumentException naming the format that is not a pattern */
    DateParser(List<String> formats, ZoneId zone) {
        this.formats = List.copyOf(formats);
        this.zone = zone;
        this.readers = new ArrayList<>();
        for (String format : formats) {
            readers.add(reader(format));
        }
    }

    ZoneId zone() {
        return zone;
    }

    DateParser withZone(ZoneId other) {
        return new DateParser(formats, other);
    }

    Instant parse(String text) throws RowRejected {
        String value = text.trim();
        for (Reader reader : readers) {
            try {
                return reader.read(value, zone);
            } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
                // the next format may read it
            }
        }
        throw new RowRejected("'" + value + "' is not a date in " + (formats.size() == 1 ? "the format " : "any of the formats ")
                + String.join(", ", formats));
    }

    private static Reader reader(String format) {
        switch (format) {
            case "iso" -> {
                return DateParser::iso;
            }
            case "epoch_seconds" -> {
                return (text, zone) -> Instant.ofEpochSecond(Long.parseLong(text));
            }
            case "epoch_millis" -> {
                return (text, zone) -> Instant.ofEpochMilli(Long.parseLong(text));
            }
            default -> {
                DateTimeFormatter formatter = pattern(format);
                return (text, zone) -> fromPattern(formatter.parse(text), zone);
            }
        }
    }

    private static DateTimeFormatter pattern(String format) {
        DateTimeFormatterBuilder builder = new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(format);
        String letters = format.replaceAll("'[^']*'", "");
        if (!letters.contains("d") && !letters.contains("D") && !letters.contains("E")) {
            builder.parseDefaulting(ChronoField.DAY_OF_MONTH, 1);
        }
        return builder.toFormatter(Locale.ENGLISH);
    }

    private static Instant fromPattern(TemporalAccessor parsed, ZoneId zone) {
        ZoneId own = parsed.query(TemporalQueries.zone());
        ZoneId in = own != null ? own : zone;
        LocalDate date = LocalDate.from(parsed);
        LocalDateTime time = parsed.isSupported(ChronoField.HOUR_OF_DAY)
                ? LocalDateTime.of(date, java.time.LocalTime.from(parsed)) : date.atStartOfDay();
        return time.atZone(in).toInstant();
    }

    private static Instant iso(String text, ZoneId zone) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // a local date-time or a date
        }
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay(zone).toInstant();
        }
        try {
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(text.replace(' ', 'T')).atZone(zone).toInstant();
        }
    }

    /** The zone a mapping names, or UTC. */
    static ZoneId zone(String name) {
        return name == null ? ZoneOffset.UTC : ZoneId.of(name);
    }
}
