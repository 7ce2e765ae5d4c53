package io.leakwatch.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Everything this JVM prints while it is open: every log event of Kafka (broker and clients) and of Leakwatch from
 * INFO up, with stack traces, and all that is written to {@code System.out} and {@code System.err}. For tests that
 * must show a secret is never printed: Kafka logs each client's settings at INFO, so this lowers the Kafka loggers
 * to INFO while open; the console still shows only what the test logging config lets through.
 */
public final class PrintedOutput implements AutoCloseable {
    private static final List<String> CAPTURED_LOGGERS = List.of("org.apache.kafka", "kafka", "state.change.logger",
            "io.leakwatch");

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final StringBuffer logs = new StringBuffer();
    private final ByteArrayOutputStream streams = new ByteArrayOutputStream();
    private final Map<Logger, Level> levels = new LinkedHashMap<>();
    private final Appender<ILoggingEvent> capture;
    private final Filter<ILoggingEvent> consoleAsBefore;
    private final Appender<ILoggingEvent> console;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    private PrintedOutput() {
        Map<String, Level> before = new LinkedHashMap<>();
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null && captured(logger.getName())) {
                levels.put(logger, logger.getLevel());
                before.put(logger.getName(), logger.getLevel());
            }
        }
        for (String name : CAPTURED_LOGGERS) {
            Logger logger = context.getLogger(name);
            levels.putIfAbsent(logger, logger.getLevel());
        }
        capture = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                logs.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
                        .append(event.getFormattedMessage()).append('\n');
                if (event.getThrowableProxy() != null) {
                    logs.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
                }
            }
        };
        capture.setContext(context);
        capture.setName("printed-output");
        capture.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(capture);
        // the console shows an event only if the level it had before would have let it through
        console = root.getAppender("CONSOLE");
        consoleAsBefore = new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                Level wasLevel = effectiveLevelBefore(event.getLoggerName(), before);
                return wasLevel != null && !event.getLevel().isGreaterOrEqual(wasLevel) ? FilterReply.DENY : FilterReply.NEUTRAL;
            }
        };
        if (console != null) {
            console.addFilter(consoleAsBefore);
        }
        levels.keySet().forEach(logger -> logger.setLevel(Level.INFO));

        System.setOut(new PrintStream(new Tee(out, streams), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, streams), true, StandardCharsets.UTF_8));
    }

    public static PrintedOutput capture() {
        return new PrintedOutput();
    }

    /** Every log line and everything written to System.out and System.err so far. */
    public String text() {
        synchronized (streams) {
            return logs + "\n" + streams.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        System.setOut(out);
        System.setErr(err);
        levels.forEach(Logger::setLevel);
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(capture);
        capture.stop();
        if (console != null) {
            List<Filter<ILoggingEvent>> filters = console.getCopyOfAttachedFiltersList();
            console.clearAllFilters();
            filters.stream().filter(f -> f != consoleAsBefore).forEach(console::addFilter);
        }
    }

    private static boolean captured(String name) {
        return CAPTURED_LOGGERS.stream().anyMatch(p -> name.equals(p) || name.startsWith(p + "."));
    }

    /** The level the logging config gave this logger (or its nearest configured ancestor); null if none of ours. */
    private static Level effectiveLevelBefore(String name, Map<String, Level> before) {
        for (String n = name; ; ) {
            Level level = before.get(n);
            if (level != null) {
                return level;
            }
            int dot = n.lastIndexOf('.');
            if (dot < 0) {
                return null;
            }
            n = n.substring(0, dot);
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream original;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream original, ByteArrayOutputStream copy) {
            this.original = original;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            synchronized (copy) {
                copy.write(b);
            }
            try {
                original.write(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (copy) {
                copy.write(b, off, len);
            }
            try {
                original.write(b, off, len);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void flush() {
            try {
                original.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
