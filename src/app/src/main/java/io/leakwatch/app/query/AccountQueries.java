package io.leakwatch.app.query;

import io.leakwatch.account.AccountState;
import io.leakwatch.account.AccountSummary;
import io.leakwatch.account.AccountView;
import io.leakwatch.detect.baseline.BaselineRule;
import io.leakwatch.events.Alert;
import io.leakwatch.scoring.RiskScorer;
import io.leakwatch.state.CommittedValues;
import io.leakwatch.stream.AccountProcessor;
import io.leakwatch.stream.UnattributedSummaryProcessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What this instance's stores say about accounts, read through interactive queries on the account processor's stores:
 * {@value AccountProcessor#STATE} (each account's state as of the task's last commit) and {@value AccountProcessor#TOLD}
 * (the last record emitted for each alert id). An account's open alerts are those the told store holds as OPEN or
 * ACKNOWLEDGED for it. Only active tasks are read, and only while the client is RUNNING: a store that is not queryable
 * now (rebalancing, restoring, not started) throws {@link org.apache.kafka.streams.errors.InvalidStateStoreException}.
 */
final class AccountQueries {
    private final KafkaStreams streams;
    private final BaselineRule baseline;
    private final RiskScorer scorer;

    /** @param scorer the scorer of current risk scores, or null when risk scoring is off */
    AccountQueries(KafkaStreams streams, BaselineRule baseline, RiskScorer scorer) {
        this.streams = streams;
        this.baseline = baseline;
        this.scorer = scorer;
    }

    /**
     * The account's view from this instance's task of {@code partition} (null: from whichever of its active tasks
     * holds it), or null when it holds no such account.
     */
    Map<String, Object> account(String accountId, Integer partition) {
        StoreQueryParameters<CommittedValues<AccountState>> stateStore = StoreQueryParameters
                .fromNameAndType(AccountProcessor.STATE, CommittedValues.<AccountState>type());
        StoreQueryParameters<ReadOnlyKeyValueStore<String, Alert>> toldStore = StoreQueryParameters
                .fromNameAndType(AccountProcessor.TOLD, QueryableStoreTypes.<String, Alert>keyValueStore());
        if (partition != null) {
            stateStore = stateStore.withPartition(partition);
            toldStore = toldStore.withPartition(partition);
        }
        AccountState state = streams.store(stateStore).committed(accountId);
        if (state == null) {
            return null;
        }
        return AccountView.of(state, openAlerts(accountId, streams.store(toldStore)), baseline, scorer);
    }

    /** The ranking row of every account of this instance's active tasks (not the unattributed lines' account ""). */
    List<AccountSummary> summaries() {
        CommittedValues<AccountState> states = streams.store(StoreQueryParameters
                .fromNameAndType(AccountProcessor.STATE, CommittedValues.<AccountState>type()));
        ReadOnlyKeyValueStore<String, Alert> told = streams.store(StoreQueryParameters
                .fromNameAndType(AccountProcessor.TOLD, QueryableStoreTypes.<String, Alert>keyValueStore()));
        Map<String, List<Alert>> open = openByAccount(told);
        List<AccountSummary> rows = new ArrayList<>();
        states.forEachCommitted((account, state) -> {
            if (!account.isEmpty()) {
                rows.add(AccountSummary.of(state, open.getOrDefault(account, List.of()), scorer != null));
            }
        });
        return rows;
    }

    /**
     * Every alert this instance's active tasks hold, each as last written to {@code alerts} (withdrawn ones too): the
     * accounts' ({@value AccountProcessor#TOLD}) and, on the one instance that runs the unattributed summary's single
     * task, the unattributed revenue's ({@value UnattributedSummaryProcessor#TOLD}).
     */
    List<Alert> alerts() {
        List<Alert> alerts = new ArrayList<>();
        addAll(AccountProcessor.TOLD, alerts);
        try {
            addAll(UnattributedSummaryProcessor.TOLD, alerts);
        } catch (InvalidStateStoreException e) {
            // while RUNNING, no local store of that name means another instance runs the summary's task
            if (streams.state() != KafkaStreams.State.RUNNING) {
                throw e;
            }
        }
        return alerts;
    }

    private void addAll(String store, List<Alert> alerts) {
        ReadOnlyKeyValueStore<String, Alert> told = streams.store(StoreQueryParameters
                .fromNameAndType(store, QueryableStoreTypes.<String, Alert>keyValueStore()));
        try (KeyValueIterator<String, Alert> all = told.all()) {
            all.forEachRemaining(kv -> alerts.add(kv.value));
        }
    }

    /**
     * The alerts of {@code account} still open on the {@code alerts} topic (OPEN, ACKNOWLEDGED), each as last told,
     * from the told store of its task. Not from the state's standing findings: the state forgets a finding once it is
     * past the horizon of what can still change it, and the alert stays open on the topic after that.
     */
    private static List<Alert> openAlerts(String account, ReadOnlyKeyValueStore<String, Alert> told) {
        List<Alert> open = new ArrayList<>();
        try (KeyValueIterator<String, Alert> all = told.all()) {
            all.forEachRemaining(kv -> {
                if (open(kv.value) && account.equals(kv.value.getAccountId())) {
                    open.add(kv.value);
                }
            });
        }
        return open;
    }

    private static boolean open(Alert alert) {
        return alert != null && alert.getAccountId() != null && Overview.OPEN.contains(alert.getStatus());
    }

    /** Every open alert of {@code told}, by account. */
    private static Map<String, List<Alert>> openByAccount(ReadOnlyKeyValueStore<String, Alert> told) {
        Map<String, List<Alert>> open = new HashMap<>();
        try (KeyValueIterator<String, Alert> all = told.all()) {
            all.forEachRemaining(kv -> {
                if (open(kv.value)) {
                    open.computeIfAbsent(kv.value.getAccountId(), a -> new ArrayList<>()).add(kv.value);
                }
            });
        }
        return open;
    }
}
