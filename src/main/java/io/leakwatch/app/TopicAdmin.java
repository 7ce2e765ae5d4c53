package io.leakwatch.app;

import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/** Applies the topic catalog to a cluster and checks what the stream processor needs before it starts. */
public final class TopicAdmin {
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
        List<String> report = new ArrayList<>();
        for (TopicSpec spec : catalog.all()) {
            if (!existing.contains(spec.name())) {
                toCreate.add(spec.toNewTopic());
            }
        }
        if (!toCreate.isEmpty()) {
            call(() -> admin.createTopics(toCreate).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        }
        Map<String, TopicDescription> described = describe(catalog.all().stream().map(TopicSpec::name).toList());
        for (TopicSpec spec : catalog.all()) {
            boolean created = toCreate.stream().anyMatch(t -> t.name().equals(spec.name()));
            int partitions = described.get(spec.name()).partitions().size();
            String note = partitions == spec.partitions() ? ""
                    : " (has " + partitions + " partitions, catalog says " + spec.partitions() + ": left unchanged)";
            report.add(String.format("%-8s %-14s %-16s %d partitions, %s%s", created ? "created" : "exists",
                    spec.role(), spec.name(), partitions, spec.cleanupPolicy(), note));
        }
        return report;
    }

    /**
     * Refuses to start unless every input topic exists and all have the same partition count: per-account
     * joins and stores are only correct when an account's events all land in the same task.
     *
     * @return the partition count the input topics share
     */
    public int requireCoPartitioned(Collection<String> inputTopics) {
        Set<String> existing = call(() -> admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        List<String> missing = inputTopics.stream().filter(t -> !existing.contains(t)).sorted().toList();
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
    public static final class StartupCheckException extends RuntimeException {
        public StartupCheckException(String message) {
            super(message);
        }
    }
}
