package io.leakwatch.cli;

import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.app.TopicAdmin;
import io.leakwatch.broker.KafkaReachability;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code leakwatch topics}: the topic catalog. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manage the topics of the catalog.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class})
final class TopicsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create every topic of the catalog that does not exist yet (idempotent; existing topics are left unchanged).")
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigFileOption config;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            LeakwatchConfig cfg = config.load();
            Properties kafka = cfg.kafkaProperties();
            KafkaReachability.requireReachable(kafka, Duration.ofSeconds(10));
            try (Admin admin = Admin.create(kafka)) {
                new TopicAdmin(admin, Duration.ofSeconds(30)).apply(cfg.catalog())
                        .forEach(spec.commandLine().getOut()::println);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the catalog as this config resolves it (no broker needed).")
    static final class ListTopics implements Callable<Integer> {
        @Mixin
        ConfigFileOption config;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            config.load().catalog().all().forEach(t -> spec.commandLine().getOut().printf(
                    "%-14s %-16s partitions=%d replication=%d cleanup=%s retention=%s%n", t.role(), t.name(),
                    t.partitions(), t.replicationFactor(), t.cleanupPolicy(),
                    t.retention().map(Object::toString).orElse("infinite")));
            return ExitCodes.OK;
        }
    }
}
