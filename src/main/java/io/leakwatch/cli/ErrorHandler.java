package io.leakwatch.cli;

import io.leakwatch.app.JsonLinesProducer;
import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.app.TopicAdmin;
import io.leakwatch.broker.BrokerUnreachableException;
import io.leakwatch.broker.KafkaClientSettingsException;
import io.leakwatch.scoring.ModelValidationException;
import io.leakwatch.topics.TopicCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Maps every failure to one line on stderr and an exit code: user mistakes (bad flag, bad config, unreadable
 * file, unreachable broker) never print a stack trace. Unexpected errors print one line too; the stack trace
 * goes to the log at DEBUG.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
        int code;
        String message;
        if (e instanceof UserException user) {
            code = user.exitCode();
            message = user.getMessage();
        } else if (e instanceof LeakwatchConfig.ConfigException || e instanceof TopicCatalog.CatalogException
                || e instanceof ModelValidationException || e instanceof TopicAdmin.TopicSettingsException
                || e instanceof KafkaClientSettingsException) {
            code = ExitCodes.USAGE;
            message = e.getMessage();
        } else if (e instanceof TopicAdmin.StartupCheckException || e instanceof JsonLinesProducer.ProduceException) {
            code = ExitCodes.UNAVAILABLE;
            message = e.getMessage();
        } else if (e instanceof IOException || e instanceof UncheckedIOException) {
            code = ExitCodes.USAGE;
            message = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
        } else if (e instanceof BrokerUnreachableException) {
            // an authentication failure too (BrokerAuthenticationException): either way Kafka cannot be used
            code = ExitCodes.UNAVAILABLE;
            message = e.getMessage();
        } else {
            code = ExitCodes.FAILURE;
            message = "unexpected error: " + e;
            LOG.debug("unexpected error", e);
        }
        cli.getErr().println(cli.getCommandSpec().qualifiedName() + ": " + message);
        cli.getErr().flush();
        return code;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        cli.getErr().println("leakwatch: " + e.getMessage() + " (see '" + cli.getCommandSpec().qualifiedName() + " --help')");
        cli.getErr().flush();
        return ExitCodes.USAGE;
    }
}
