package io.leakwatch.cli;

import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.app.TextTable;
import io.leakwatch.app.TopicAdmin;
import io.leakwatch.app.KafkaReachability;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topics.TopicSettingsCheck;
import io.leakwatch.topics.TopicSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code leakwatch topics}: the topic catalog. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manage the topics of the catalog.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class, TopicsCommand.Check.class})
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
            TopicCatalog catalog = cfg.catalog();
            KafkaReachability.requireReachable(kafka, Duration.ofSeconds(10));
            try (Admin admin = Admin.create(kafka)) {
                new TopicAdmin(admin, Duration.ofSeconds(30)).apply(catalog)
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
            TextTable table = new TextTable().left("role").left("topic").left("settings");
            config.load().catalog().all().forEach(t -> table.row(t.role(), t.name(), String.format(
                    "partitions=%d replication=%d cleanup=%s retention=%s%s",
                    t.partitions(), t.replicationFactor(), t.cleanupPolicy(),
                    t.retention().map(Object::toString).orElse("infinite"),
                    t.configs().entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .map(e -> " " + e.getKey() + "=" + e.getValue()).collect(Collectors.joining()))));
            spec.commandLine().getOut().print(table.render(false));
            return ExitCodes.OK;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Check the settings the cluster holds for the catalog's topics: what would delete history the"
                    + " processor needs. The same check 'run' makes at start-up.",
                    "Exit 2 when 'run' would refuse to start (see docs/topics.md for each refusal and its fix)."})
    static final class Check implements Callable<Integer> {
        /** The settings that decide what the broker deletes, printed per topic. */
        private static final List<String> SHOWN = List.of("cleanup.policy", "retention.ms", "retention.bytes",
                "message.timestamp.type", "min.compaction.lag.ms");

        @Mixin
        ConfigFileOption config;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            LeakwatchConfig cfg = config.load();
            Properties kafka = cfg.kafkaProperties();
            TopicCatalog catalog = cfg.catalog();
            // records may arrive as late as the lateness grace and still be processed: the inputs must keep them
            Duration horizon = cfg.topologySettings().horizon();
            KafkaReachability.requireReachable(kafka, Duration.ofSeconds(10));
            Map<String, Map<String, String>> configs;
            try (Admin admin = Admin.create(kafka)) {
                configs = new TopicAdmin(admin, Duration.ofSeconds(30)).topicConfigs(catalog);
            }
            PrintWriter out = spec.commandLine().getOut();
            TextTable table = new TextTable().left("role").left("topic").left("settings");
            for (TopicSpec t : catalog.all()) {
                Map<String, String> found = configs.get(t.name());
                table.row(t.role(), t.name(), found == null ? "does not exist"
                        : SHOWN.stream().map(k -> k + "=" + found.getOrDefault(k, "")).collect(Collectors.joining(" ")));
            }
            out.print(table.render(false));
            TopicSettingsCheck.Result result = TopicSettingsCheck.check(catalog, configs, horizon);
            result.refusals().forEach(line -> out.println("refuse: " + line));
            result.warnings().forEach(line -> out.println("warn:   " + line));
            out.printf("%d refusal(s), %d warning(s) (late-data horizon %s): 'run' %s%n", result.refusals().size(),
                    result.warnings().size(), TopicSettingsCheck.iso(horizon), result.refused() ? "would refuse to start" : "would start");
            return result.refused() ? ExitCodes.USAGE : ExitCodes.OK;
        }
    }
}
