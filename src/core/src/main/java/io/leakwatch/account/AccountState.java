package io.leakwatch.account;

import io.leakwatch.contracts.ContractBook;
import io.leakwatch.detect.baseline.RevenueHistory;
import io.leakwatch.detect.payment.InvoicePaymentState;
import io.leakwatch.detect.period.AccountLedger;
import io.leakwatch.detect.risk.RiskState;
import io.leakwatch.detect.unattributed.PeriodTotals;
import io.leakwatch.events.Contract;
import io.leakwatch.features.AccountFeatures;
import io.leakwatch.periods.BillingPeriod;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything Leakwatch keeps about one account between its events: the state of every rule, derived only from the
 * account's events in {@link EventPosition} order, so the same events give the same state whatever order they
 * arrived in. Kafka-free and mutable; {@link AccountEngine} changes it, {@link AccountStateCodec} stores it.
 *
 * <p>The account {@code ""} holds invoice lines that name no account (unattributed revenue, under whatever key they
 * were produced with).
 */
public final class AccountState {
    static final long NONE = Long.MIN_VALUE;

    final String account;
    /** The last event applied or judgement made. */
    EventPosition position = EventPosition.START;
    /** The earliest instant this account's history can be replayed from (older events were trimmed); NONE = all kept. */
    long replayableFrom = NONE;
    /** Every contract of the account, each at its latest version (by signed_at, then version) as of the position. */
    final ContractBook contracts = new ContractBook();
    final LineScreen screen = new LineScreen();
    AccountLedger ledger = new AccountLedger();
    /** Periods the period rules will judge at their close. */
    final TreeSet<BillingPeriod> openPeriods = new TreeSet<>();
    final TreeMap<String, InvoicePaymentState> invoices = new TreeMap<>();
    RevenueHistory revenue;
    AccountFeatures features;
    RiskState risk = RiskState.NONE;
    /** The next month boundary at which features are snapshotted and the account scored; NONE before any event. */
    long nextBoundary = NONE;
    /** When a prompt or routine change is due to be scored; NONE = nothing pending. */
    long scoringDue = NONE;
    final Standing standing = new Standing();
    /** Totals per {@code yyyy-MM/CCY} of periods not closed yet. */
    final TreeMap<String, PeriodTotals> openTotals = new TreeMap<>();
    /** Totals reported at each period's close, kept while late data can still change them. */
    final TreeMap<String, PeriodTotals> reportedTotals = new TreeMap<>();
    /**
     * The stored bytes of each contract version this state object has encoded, by identity: a version never changes
     * once applied, and the state is encoded at every month boundary and every commit that follows a change, so each
     * version is Avro-encoded once instead of every time ({@link AccountStateCodec}). Not part of the state.
     */
    final java.util.IdentityHashMap<Contract, byte[]> encodedContracts = new java.util.IdentityHashMap<>(2);

    public AccountState(String account) {
        this.account = account;
    }

    public String account() {
        return account;
    }

    public EventPosition position() {
        return position;
    }

    public long replayableFrom() {
        return replayableFrom;
    }

    /** The instant replays of this account can start from no earlier than (older events are gone); NONE = all kept. */
    public void replayableFrom(long instant) {
        replayableFrom = instant;
    }

    public Standing standing() {
        return standing;
    }

    public java.util.Map<String, PeriodTotals> reportedTotals() {
        return java.util.Collections.unmodifiableMap(reportedTotals);
    }

    public RiskState risk() {
        return risk;
    }

    public AccountFeatures features() {
        return features;
    }

    /** The latest version of each contract the account holds, by contract id (empty before any). */
    public java.util.Collection<io.leakwatch.events.Contract> contracts() {
        return contracts.contracts();
    }

    /** The monthly revenue the baseline rule judges, or null before the first invoice line. */
    public RevenueHistory revenue() {
        return revenue;
    }
}
