package io.leakwatch.cli;

import io.leakwatch.app.KafkaReachability;
import io.leakwatch.app.LeakwatchConfig;
import io.leakwatch.app.TopicAdmin;
import io.leakwatch.backtest.JsonLinesInput;
import io.leakwatch.backtest.JsonLinesProducer;
import io.leakwatch.progress.Progress;
import io.leakwatch.serde.SchemaResolver;
import io.leakwatch.serde.WireFormat;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.TopologySettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The cluster and input topics a command produces JSON Lines files to ({@code generate --bootstrap-servers},
 * {@code import --bootstrap-servers}), checked before anything is written.
 *
 * @param written the input topics that already hold records, when asked for
 */
record ProduceTarget(Properties kafka, TopicCatalog catalog, WireFormat format, SchemaResolver schemas,
                     List<String> written, String bootstrapServers) {

    /** Refuses when the cluster is out of reach or lacks an input topic. */
    static ProduceTarget connect(CommandSpec spec, Path config, String bootstrapServers, boolean askWritten) {
        LeakwatchConfig cfg = ConfigFiles.leakwatchOrDefaults(spec, config).with("bootstrap.servers", bootstrapServers);
        Properties kafka = cfg.kafkaProperties();
        TopicCatalog catalog = cfg.catalog();
        TopologySettings settings = cfg.topologySettings();
        KafkaReachability.requireReachable(kafka, Duration.ofSeconds(10));
        List<String> inputs = JsonLinesInput.inputTopics(catalog).keySet().stream().toList();
        try (Admin admin = Admin.create(kafka)) {
            TopicAdmin topics = new TopicAdmin(admin, Duration.ofSeconds(30));
            List<String> missing = topics.missing(inputs);
            if (!missing.isEmpty()) {
                throw new UserException("input topic(s) " + String.join(", ", missing) + " do not exist at "
                        + bootstrapServers + "; create them with 'leakwatch topics create --config FILE' (nothing was written)");
            }
            return new ProduceTarget(kafka, catalog, settings.wireFormat(), settings.schemas(),
                    askWritten ? topics.written(inputs) : List.of(), bootstrapServers);
        }
    }

    /**
     * Produces the JSON Lines files of {@code dir}, named after the bundled catalog's input topics, to the topics of
     * the same roles here: key = account_id, record timestamp = business time. Returns the records produced, per topic.
     */
    Map<String, Long> produce(Path dir, Progress progress) throws IOException {
        try {
            return new JsonLinesProducer(kafka, catalog, format, schemas).produce(dir, TopicCatalog.bundled(), progress);
        } catch (JsonLinesProducer.ProduceException e) {
            throw new UserException(e.getMessage(), ExitCodes.UNAVAILABLE, e);
        }
    }
}
