package io.leakwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class ErrorHandlerTest {
    @Command(name = "refused")
    static final class RefusedByKafka implements Callable<Integer> {
        @Override
        public Integer call() {
            // what a Kafka client throws when it is built with settings that contradict each other
            throw new ConfigException("Must set acks to all in order to use the idempotent producer.\nOtherwise ...");
        }
    }

    @Test
    void shouldExitTwoWithOneLineWhenAKafkaClientRefusesItsConfiguration() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new RefusedByKafka());
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler(new ErrorHandler());

        int exit = cli.execute();

        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines()).singleElement().asString().isEqualTo("refused: Kafka refuses the configuration:"
                + " Must set acks to all in order to use the idempotent producer. Otherwise ...");
    }
}
