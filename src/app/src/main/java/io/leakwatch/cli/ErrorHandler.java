package io.leakwatch.cli;

import io.leakwatch.app.TopicAdmin;
import io.leakwatch.app.BrokerUnreachableException;
import io.leakwatch.app.KafkaClientSettingsException;
import io.leakwatch.config.BadConfigException;
import io.leakwatch.config.Redactor;
import io.leakwatch.scoring.ModelValidationException;
import io.leakwatch.serde.SchemaResolverUnavailableException;
import io.leakwatch.topics.TopicCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Maps every failure to one line on stderr and an exit code: 2 for user mistakes (bad flag, bad config, a value
 * Kafka refuses, unreadable file), 3 when Kafka or the schema registry cannot be used, 1 for anything else. None prints a stack trace;
 * an unexpected error's goes to the log at DEBUG. Every line, and that stack trace, is masked with the secrets of the
 * config file the command loaded, so no error shows a password, a token or a value from the environment.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
        Redactor redactor = LeakwatchCommand.redactor(cli.getCommandSpec());
        int code;
        String message;
        if (e instanceof UserException user) {
            code = user.exitCode();
            message = user.getMessage();
        } else if (e instanceof BadConfigException || e instanceof TopicCatalog.CatalogException
                || e instanceof ModelValidationException || e instanceof TopicAdmin.TopicSettingsException
                || e instanceof KafkaClientSettingsException) {
            code = ExitCodes.USAGE;
            message = e.getMessage();
        } else if (e instanceof org.apache.kafka.common.config.ConfigException) {
            // a combination of Kafka settings a client refuses when it is built (each value alone was checked)
            code = ExitCodes.USAGE;
            message = "Kafka refuses the configuration: " + e.getMessage();
        } else if (e instanceof TopicAdmin.StartupCheckException || e instanceof BrokerUnreachableException
                || e instanceof SchemaResolverUnavailableException) {
            code = ExitCodes.UNAVAILABLE;
            message = e.getMessage();
        } else if (e instanceof IOException || e instanceof UncheckedIOException) {
            code = ExitCodes.USAGE;
            message = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
        } else {
            code = ExitCodes.FAILURE;
            message = "unexpected error: " + e;
            if (LOG.isDebugEnabled()) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                LOG.debug("unexpected error: {}", redactor.redact(trace.toString()));
            }
        }
        cli.getErr().println(cli.getCommandSpec().qualifiedName() + ": " + oneLine(redactor.redact(message)));
        cli.getErr().flush();
        return code;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        cli.getErr().println("leakwatch: " + Redactor.none().redact(e.getMessage()) + " (see '"
                + cli.getCommandSpec().qualifiedName() + " --help')");
        cli.getErr().flush();
        return ExitCodes.USAGE;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
