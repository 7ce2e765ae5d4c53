package io.leakwatch.app;

import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topics.TopicSettingsCheck;
import io.leakwatch.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the topic catalog to a cluster and checks what the stream processor needs before it starts. */
public final class TopicAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private final Admin admin;
    private final Duration timeout;

    public TopicAdmin(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * Creates every catalog topic that does not exist; leaves existing ones alone (idempotent). Returns one
     * line per topic saying what happened, including existing topics whose partition count differs.
     */
    public List<String> apply(TopicCatalog catalog) {
        Set<String> existing = call(() -> admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        List<NewTopic> toCreate = new ArrayList<>();
        for (TopicSpec spec : catalog.all()) {
            if (!existing.contains(spec.name())) {
                toCreate.add(spec.toNewTopic());
            }
        }
        Set<String> created = new HashSet<>();
        if (!toCreate.isEmpty()) {
            CreateTopicsResult result = admin.createTopics(toCreate);
            for (NewTopic topic : toCreate) {
                if (createdNow(result.values().get(topic.name()))) {
                    created.add(topic.name());
                }
            }
        }
        Map<String, TopicDescription> described = describeOnceKnown(catalog.all().stream().map(TopicSpec::name).toList());
        TextTable table = new TextTable().left("outcome").left("role").left("topic").left("settings");
        for (TopicSpec spec : catalog.all()) {
            boolean wasCreated = created.contains(spec.name());
            int partitions = described.get(spec.name()).partitions().size();
            String note = partitions == spec.partitions() ? ""
                    : " (has " + partitions + " partitions, catalog says " + spec.partitions() + ": left unchanged)";
            table.row(wasCreated ? "created" : "exists", spec.role(), spec.name(),
                    partitions + " partitions, " + spec.cleanupPolicy() + note);
        }
        return table.render(false).lines().toList();
    }

    /** The topics of {@code names} the cluster does not have, sorted. */
    public List<String> missing(Collection<String> names) {
        Set<String> existing = call(() -> admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        return names.stream().filter(t -> !existing.contains(t)).distinct().sorted().toList();
    }

    /**
     * The topics of {@code names} that have been written to: a partition's end offset is above 0, even when
     * retention has since deleted what was written. Sorted; every topic must exist.
     */
    public List<String> written(Collection<String> names) {
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        describe(names).forEach((name, d) -> d.partitions()
                .forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResultInfo> ends =
                call(() -> admin.listOffsets(request).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        return ends.entrySet().stream().filter(e -> e.getValue().offset() > 0).map(e -> e.getKey().topic())
                .distinct().sorted().toList();
    }

    /**
     * Refuses to start unless every input topic exists and all have the same partition count: per-account
     * joins and stores are only correct when an account's events all land in the same task.
     *
     * @return the partition count the input topics share
     */
    public int requireCoPartitioned(Collection<String> inputTopics) {
        List<String> missing = missing(inputTopics);
        if (!missing.isEmpty()) {
            throw new StartupCheckException("input topic(s) " + String.join(", ", missing)
                    + " do not exist; create them with 'leakwatch topics create --config FILE'");
        }
        Map<String, Integer> partitions = new TreeMap<>();
        describe(inputTopics).forEach((name, d) -> partitions.put(name, d.partitions().size()));
        if (partitions.values().stream().distinct().count() > 1) {
            throw new StartupCheckException("input topics are not co-partitioned " + partitions
                    + ": every input topic must have the same partition count, keyed by account_id");
        }
        return partitions.values().iterator().next();
    }

    /**
     * Refuses to start when the cluster's settings for the catalog's topics would delete what the processor needs
     * ({@link TopicSettingsCheck}): the first refusal is the exception's message; every warning is logged, one line
     * each. Topics that do not exist are not judged.
     *
     * @param horizon how late a record may arrive and still be processed; input records inside it must still exist
     */
    public TopicSettingsCheck.Result requireSafeSettings(TopicCatalog catalog, Duration horizon) {
        TopicSettingsCheck.Result result = TopicSettingsCheck.check(catalog, topicConfigs(catalog), horizon);
        result.warnings().forEach(line -> LOG.warn("{}", line));
        if (result.refused()) {
            int more = result.refusals().size() - 1;
            throw new TopicSettingsException(result.refusals().get(0) + (more == 0 ? ""
                    : " (and " + more + " more: 'leakwatch topics check --config FILE' lists them)"));
        }
        return result;
    }

    /** The effective configs (topic overrides and broker defaults alike) of the catalog's topics that exist, by name. */
    public Map<String, Map<String, String>> topicConfigs(TopicCatalog catalog) {
        Set<String> existing = call(() -> admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        List<ConfigResource> resources = catalog.all().stream().map(TopicSpec::name).filter(existing::contains)
                .distinct().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        if (resources.isEmpty()) {
            return Map.of();
        }
        Map<ConfigResource, Config> described =
                call(() -> admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        for (ConfigResource resource : resources) {
            Map<String, String> values = new TreeMap<>();
            for (ConfigEntry entry : described.get(resource).entries()) {
                if (entry.value() != null) {
                    values.put(entry.name(), entry.value());
                }
            }
            configs.put(resource.name(), values);
        }
        return configs;
    }

    /** True when this call created the topic; false when someone else created it since it was listed. */
    private boolean createdNow(KafkaFuture<Void> creation) {
        try {
            creation.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new StartupCheckException("Kafka refused the request: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupCheckException("interrupted while talking to Kafka");
        } catch (TimeoutException e) {
            throw new StartupCheckException("Kafka did not answer within " + timeout.toSeconds() + "s");
        }
    }

    /**
     * Describes topics, waiting while a broker does not know a just-created one yet: topic creation returns once the
     * controller has it, and the brokers learn of it a moment later.
     */
    private Map<String, TopicDescription> describeOnceKnown(Collection<String> names) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new StartupCheckException("Kafka refused the request: " + e.getCause().getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupCheckException("interrupted while talking to Kafka");
            } catch (TimeoutException e) {
                throw new StartupCheckException("Kafka did not answer within " + timeout.toSeconds() + "s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupCheckException("interrupted while talking to Kafka");
            }
        }
    }

    private Map<String, TopicDescription> describe(Collection<String> names) {
        return call(() -> admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    private interface AdminCall<T> {
        T get() throws InterruptedException, ExecutionException, TimeoutException;
    }

    private <T> T call(AdminCall<T> call) {
        try {
            return call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupCheckException("interrupted while talking to Kafka");
        } catch (ExecutionException e) {
            throw new StartupCheckException("Kafka refused the request: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new StartupCheckException("Kafka did not answer within " + timeout.toSeconds() + "s");
        }
    }

    /** A check that keeps the processor from starting; the message is one line for the operator. */
    public static class StartupCheckException extends RuntimeException {
        public StartupCheckException(String message) {
            super(message);
        }
    }

    /** Topic settings that would delete what the processor needs: a configuration to fix, not an outage. */
    public static final class TopicSettingsException extends StartupCheckException {
        public TopicSettingsException(String message) {
            super(message);
        }
    }
}
