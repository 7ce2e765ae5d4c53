package io.leakwatch.account;

import io.leakwatch.detect.baseline.RevenueHistoryCodec;
import io.leakwatch.detect.duplicate.LineRef;
import io.leakwatch.detect.duplicate.SeenLine;
import io.leakwatch.detect.payment.InvoicePaymentState;
import io.leakwatch.detect.period.AccountLedger;
import io.leakwatch.detect.period.PeriodLedger;
import io.leakwatch.detect.risk.RiskStateCodec;
import io.leakwatch.detect.unattributed.PeriodTotals;
import io.leakwatch.events.Contract;
import io.leakwatch.features.AccountFeaturesCodec;
import io.leakwatch.periods.BillingPeriod;
import io.leakwatch.serde.AvroFramedCodec;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.EventCodes;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.StateFormat;
import io.leakwatch.serde.StateReader;
import io.leakwatch.serde.StateWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored form of an {@link AccountState}: the {@code account-state} store, its checkpoints and their changelogs,
 * in the {@link StateWriter} layout. Each contract is in the registry-framed Avro of the bundled schemas (older schema
 * versions stay readable); the revenue history, features and risk state are written by their own codecs, in line.
 * <pre>
 * header (account-state, {@value #VERSION})
 * account (string) | position: time (time), rank (zigzag), identity (string) | replayable from (time)
 * contracts:    count { contract (bytes) }, by contract id, each its latest version
 *               (format {@value #ONE_CONTRACT} holds at most one: contract (nullable bytes); it is still read)
 * screen:       seen: count { line (string) | issued (time) | duplicate of (nullable line ref) }
 *               signatures: count { signature (string) | line ref }
 * ledger:       periods: count { name (string) | used: count { service (string) | quantity (decimal) }
 *                                | lines: count { key (string) | service (string) | quantity (decimal) } }
 *               provisioning: count { service (string) | count { change (string) | at (time) | level (decimal) } }
 * open periods: count { name (string) }
 * invoices:     count { invoice }
 * revenue (nullable {@link RevenueHistoryCodec}) | features (nullable {@link AccountFeaturesCodec})
 * | risk ({@link RiskStateCodec}) | next boundary (time) | scoring due (time)
 * standing:     count { alert id (string) | unit (string) | hash (fixed long) | judged at (time) | type (string)
 *                       | amount (nullable decimal) | currency (string) }
 * open totals, reported totals: count { totals }
 *
 * line ref = invoice (string) | line (string) | issued (time)
 * invoice  = account (string) | invoice (string) | currency (nullable string) | issued (instant) | due (instant)
 *            | lines: count { line (string) | total (decimal) }
 *            | payments: count { id (string) | status (code) | amount (decimal) | currency (string)
 *                                | attempted (instant) | failure reason (nullable string) }
 *            | failure judged (bool) | due judged (bool)
 * totals   = period (string) | currency (string) | unattributed amount (decimal) | unattributed lines (zigzag)
 *            | billed amount (decimal) | billed lines (zigzag)
 * </pre>
 */
public final class AccountStateCodec {
    static final int VERSION = 3;
    /** The layout before several contracts per account: the same but for one nullable contract. */
    static final int ONE_CONTRACT = 2;
    static final StateFormat FORMAT = new StateFormat("account-state", VERSION);
    /** Most states are 1-4 KB: one array of this size, rarely grown. */
    private static final int ENCODED_SIZE_HINT = 4096;
    private static final AvroFramedCodec<Contract> CONTRACTS =
            new AvroFramedCodec<>(EventType.CONTRACT, FORMAT.name(), new BundledSchemaResolver());

    private AccountStateCodec() {
    }

    public static byte[] encode(AccountState s) {
        StateWriter out = new StateWriter(ENCODED_SIZE_HINT);
        write(out, s);
        return out.toByteArray();
    }

    public static AccountState decode(byte[] bytes) {
        return StateReader.decode(bytes, FORMAT.name(), AccountStateCodec::read);
    }

    private static void write(StateWriter out, AccountState s) {
        out.header(FORMAT);
        out.string(s.account);
        out.time(s.position.time());
        out.zigzag(s.position.rank());
        out.string(s.position.identity());
        out.time(s.replayableFrom);
        out.list(s.contracts.contracts(), (o, contract) -> o.bytes(encoded(s, contract)));

        out.map(s.screen.seen, StateWriter::string, (o, seen) -> {
            o.time(seen.issuedAtMs());
            o.nullable(seen.duplicateOf(), AccountStateCodec::writeLineRef);
        });
        out.map(s.screen.signatures, StateWriter::string, AccountStateCodec::writeLineRef);

        AccountLedger.State ledger = s.ledger.state();
        out.map(ledger.periods(), StateWriter::string, (o, period) -> {
            o.map(period.used(), StateWriter::string, StateWriter::decimal);
            o.map(period.lines(), StateWriter::string, (ol, line) -> {
                ol.string(line.service());
                ol.decimal(line.quantity());
            });
        });
        out.map(ledger.provisioning(), StateWriter::string, (o, steps) -> o.list(steps, (os, step) -> {
            os.string(step.changeId());
            os.time(step.effectiveAtMs());
            os.decimal(step.level());
        }));
        out.list(s.openPeriods, (o, period) -> o.string(period.name()));

        out.list(s.invoices.values(), AccountStateCodec::writeInvoice);
        out.nullable(s.revenue, RevenueHistoryCodec::write);
        out.nullable(s.features, AccountFeaturesCodec::write);
        RiskStateCodec.write(out, s.risk);
        out.time(s.nextBoundary);
        out.time(s.scoringDue);

        out.map(s.standing.entries(), StateWriter::string, (o, e) -> {
            o.string(e.unit());
            o.fixedLong(e.hash());
            o.time(e.judgedAt());
            o.string(e.type());
            o.nullable(e.amount(), StateWriter::decimal);
            o.string(e.currency());
        });
        out.list(s.openTotals.values(), AccountStateCodec::writeTotals);
        out.list(s.reportedTotals.values(), AccountStateCodec::writeTotals);
    }

    /** The contract's bytes, encoded on its first write from this state object and kept there; the old ones dropped. */
    private static byte[] encoded(AccountState s, Contract contract) {
        byte[] bytes = s.encodedContracts.get(contract);
        if (bytes == null) {
            if (s.encodedContracts.size() >= s.contracts.contracts().size()) {
                // versions the book replaced: keep only those it holds
                s.encodedContracts.keySet().retainAll(identitySet(s.contracts.contracts()));
            }
            bytes = CONTRACTS.encode(contract);
            s.encodedContracts.put(contract, bytes);
        }
        return bytes;
    }

    private static java.util.Set<Contract> identitySet(java.util.Collection<Contract> contracts) {
        java.util.Set<Contract> set = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        set.addAll(contracts);
        return set;
    }

    private static AccountState read(StateReader in) {
        int version = in.header(FORMAT, ONE_CONTRACT);
        AccountState s = new AccountState(in.string());
        s.position = new EventPosition(in.time(), in.zigzagInt(), in.string());
        s.replayableFrom = in.time();
        if (version == ONE_CONTRACT) {
            Contract contract = in.nullable(AccountStateCodec::readContract);
            if (contract != null) {
                s.contracts.add(contract);
            }
        } else {
            in.list(AccountStateCodec::readContract).forEach(s.contracts::add);
        }

        for (int n = in.count(); n > 0; n--) {
            String line = in.string();
            s.screen.seen.put(line, new SeenLine(in.time(), in.nullable(AccountStateCodec::readLineRef)));
        }
        in.map(s.screen.signatures, StateReader::string, AccountStateCodec::readLineRef);

        Map<String, AccountLedger.PeriodState> periods = in.map(new TreeMap<>(), StateReader::string,
                p -> new AccountLedger.PeriodState(p.map(new TreeMap<>(), StateReader::string, StateReader::decimal),
                        p.map(new TreeMap<>(), StateReader::string,
                                l -> new PeriodLedger.BilledLine(l.string(), l.decimal()))));
        Map<String, List<AccountLedger.ProvisioningStep>> provisioning = in.map(new TreeMap<>(), StateReader::string,
                p -> p.list(step -> new AccountLedger.ProvisioningStep(step.string(), step.time(), step.decimal())));
        s.ledger = AccountLedger.from(new AccountLedger.State(periods, provisioning));
        for (int n = in.count(); n > 0; n--) {
            s.openPeriods.add(BillingPeriod.parse(in.string()));
        }

        for (int n = in.count(); n > 0; n--) {
            InvoicePaymentState invoice = readInvoice(in);
            s.invoices.put(invoice.invoiceId(), invoice);
        }
        s.revenue = in.nullable(RevenueHistoryCodec::read);
        s.features = in.nullable(AccountFeaturesCodec::read);
        s.risk = RiskStateCodec.read(in);
        s.nextBoundary = in.time();
        s.scoringDue = in.time();

        for (int n = in.count(); n > 0; n--) {
            String id = in.string();
            s.standing.put(id, new Standing.Entry(in.string(), in.fixedLong(), in.time(), in.string(),
                    in.nullable(StateReader::decimal), in.string()));
        }
        readTotals(in, s.openTotals);
        readTotals(in, s.reportedTotals);
        return s;
    }

    private static Contract readContract(StateReader in) {
        try {
            return CONTRACTS.decode(in.bytes());
        } catch (EventDecodingException e) {
            throw in.corrupt("unreadable contract: " + e.getMessage());
        }
    }

    private static void writeLineRef(StateWriter out, LineRef ref) {
        out.string(ref.invoiceId());
        out.string(ref.lineId());
        out.time(ref.issuedAtMs());
    }

    private static LineRef readLineRef(StateReader in) {
        return new LineRef(in.string(), in.string(), in.time());
    }

    private static void writeInvoice(StateWriter out, InvoicePaymentState invoice) {
        out.string(invoice.accountId());
        out.string(invoice.invoiceId());
        out.nullable(invoice.currency(), StateWriter::string);
        out.instant(invoice.issuedAt());
        out.instant(invoice.dueAt());
        out.map(invoice.lineTotals(), StateWriter::string, StateWriter::decimal);
        out.list(invoice.payments(), (o, p) -> {
            o.string(p.paymentId());
            o.code(EventCodes.PAYMENT_STATUS, p.status());
            o.decimal(p.amount());
            o.string(p.currency());
            o.instant(p.attemptedAt());
            o.nullable(p.failureReason(), StateWriter::string);
        });
        out.bool(invoice.failureJudged());
        out.bool(invoice.dueJudged());
    }

    private static InvoicePaymentState readInvoice(StateReader in) {
        String account = in.string();
        String invoice = in.string();
        String currency = in.nullable(StateReader::string);
        Instant issued = in.instant();
        Instant due = in.instant();
        TreeMap<String, BigDecimal> lines = in.map(new TreeMap<>(), StateReader::string, StateReader::decimal);
        List<InvoicePaymentState.Entry> payments = in.list(p -> new InvoicePaymentState.Entry(p.string(),
                p.code(EventCodes.PAYMENT_STATUS), p.decimal(), p.string(), p.instant(), p.nullable(StateReader::string)));
        boolean failureJudged = in.bool();
        boolean dueJudged = in.bool();
        return new InvoicePaymentState(account, invoice, currency, issued, due, lines, payments, failureJudged, dueJudged,
                null);
    }

    private static void writeTotals(StateWriter out, PeriodTotals t) {
        out.string(t.period());
        out.string(t.currency());
        out.decimal(t.unattributedAmount());
        out.zigzag(t.unattributedLines());
        out.decimal(t.billedAmount());
        out.zigzag(t.billedLines());
    }

    private static void readTotals(StateReader in, Map<String, PeriodTotals> into) {
        for (int n = in.count(); n > 0; n--) {
            PeriodTotals t = new PeriodTotals(in.string(), in.string(), in.decimal(), in.zigzag(), in.decimal(), in.zigzag());
            into.put(t.key(), t);
        }
    }
}
