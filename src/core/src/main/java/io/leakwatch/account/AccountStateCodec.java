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
import io.leakwatch.events.PaymentStatus;
import io.leakwatch.features.AccountFeaturesCodec;
import io.leakwatch.periods.BillingPeriod;
import io.leakwatch.serde.AvroFramedCodec;
import io.leakwatch.serde.BinaryOut;
import io.leakwatch.serde.BundledSchemaResolver;
import io.leakwatch.serde.EventDecodingException;
import io.leakwatch.serde.EventType;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes of an {@link AccountState}: the {@code account-state} store, its checkpoints and their changelogs.
 * Big-endian; strings are an int length and UTF-8 (no length limit a field could hit); decimals a scale and the
 * unscaled value's two's complement; the contract in the registry-framed Avro of the bundled schemas (older schema
 * versions stay readable); the revenue history, features and risk state in their own codecs.
 * <pre>
 * byte 1 | account | position (long time, int rank, identity) | long replayable-from | contract?
 * | screen: seen (id, issued, duplicate-of?)*, signatures (signature, line ref)*
 * | ledger: periods (name, used (service, qty)*, lines (key, service, qty)*)*, provisioning (service, (id, at, level)*)*
 * | open periods* | invoices* | revenue? | features? | risk | long next boundary | long scoring due
 * | standing (id, unit, long hash, long judged, type, amount?, currency)* | open totals* | reported totals*
 * </pre>
 */
public final class AccountStateCodec {
    static final byte FORMAT = 1;
    private static final AvroFramedCodec<Contract> CONTRACTS =
            new AvroFramedCodec<>(EventType.CONTRACT, new BundledSchemaResolver());
    private static final PaymentStatus[] STATUSES = PaymentStatus.values();

    private AccountStateCodec() {
    }

    public static byte[] encode(AccountState s) {
        Out out = new Out(512);
        out.out.writeByte(FORMAT);
        out.string(s.account);
        out.out.writeLong(s.position.time());
        out.out.writeInt(s.position.rank());
        out.string(s.position.identity());
        out.out.writeLong(s.replayableFrom);
        out.bytes(s.contract == null ? null : CONTRACTS.encode(s.contract));

        out.out.writeInt(s.screen.seen.size());
        s.screen.seen.forEach((id, seen) -> {
            out.string(id);
            out.out.writeLong(seen.issuedAtMs());
            out.out.writeBoolean(seen.duplicateOf() != null);
            if (seen.duplicateOf() != null) {
                out.lineRef(seen.duplicateOf());
            }
        });
        out.out.writeInt(s.screen.signatures.size());
        s.screen.signatures.forEach((signature, ref) -> {
            out.string(signature);
            out.lineRef(ref);
        });

        AccountLedger.State ledger = s.ledger.state();
        out.out.writeInt(ledger.periods().size());
        ledger.periods().forEach((name, period) -> {
            out.string(name);
            out.out.writeInt(period.used().size());
            period.used().forEach((service, quantity) -> {
                out.string(service);
                out.decimal(quantity);
            });
            out.out.writeInt(period.lines().size());
            period.lines().forEach((key, line) -> {
                out.string(key);
                out.string(line.service());
                out.decimal(line.quantity());
            });
        });
        out.out.writeInt(ledger.provisioning().size());
        ledger.provisioning().forEach((service, steps) -> {
            out.string(service);
            out.out.writeInt(steps.size());
            for (AccountLedger.ProvisioningStep step : steps) {
                out.string(step.changeId());
                out.out.writeLong(step.effectiveAtMs());
                out.decimal(step.level());
            }
        });
        out.out.writeInt(s.openPeriods.size());
        s.openPeriods.forEach(p -> out.string(p.name()));

        out.out.writeInt(s.invoices.size());
        s.invoices.values().forEach(out::invoice);
        out.bytes(s.revenue == null ? null : RevenueHistoryCodec.encode(s.revenue));
        out.bytes(s.features == null ? null : AccountFeaturesCodec.encode(s.features));
        out.bytes(RiskStateCodec.encode(s.risk));
        out.out.writeLong(s.nextBoundary);
        out.out.writeLong(s.scoringDue);

        out.out.writeInt(s.standing.size());
        s.standing.entries().forEach((id, e) -> {
            out.string(id);
            out.string(e.unit());
            out.out.writeLong(e.hash());
            out.out.writeLong(e.judgedAt());
            out.string(e.type());
            out.out.writeBoolean(e.amount() != null);
            if (e.amount() != null) {
                out.decimal(e.amount());
            }
            out.string(e.currency());
        });
        out.totals(s.openTotals);
        out.totals(s.reportedTotals);
        return out.out.toByteArray();
    }

    public static AccountState decode(byte[] bytes) {
        try (In in = new In(bytes)) {
            byte format = in.in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("unknown account state format " + format);
            }
            AccountState s = new AccountState(in.string());
            s.position = new EventPosition(in.in.readLong(), in.in.readInt(), in.string());
            s.replayableFrom = in.in.readLong();
            byte[] contract = in.bytes();
            s.contract = contract == null ? null : CONTRACTS.decode(contract);

            for (int n = in.count(); n > 0; n--) {
                String id = in.string();
                long issued = in.in.readLong();
                s.screen.seen.put(id, new SeenLine(issued, in.in.readBoolean() ? in.lineRef() : null));
            }
            for (int n = in.count(); n > 0; n--) {
                s.screen.signatures.put(in.string(), in.lineRef());
            }

            Map<String, AccountLedger.PeriodState> periods = new TreeMap<>();
            for (int n = in.count(); n > 0; n--) {
                String name = in.string();
                Map<String, BigDecimal> used = new TreeMap<>();
                for (int u = in.count(); u > 0; u--) {
                    used.put(in.string(), in.decimal());
                }
                Map<String, PeriodLedger.BilledLine> lines = new TreeMap<>();
                for (int l = in.count(); l > 0; l--) {
                    String key = in.string();
                    lines.put(key, new PeriodLedger.BilledLine(in.string(), in.decimal()));
                }
                periods.put(name, new AccountLedger.PeriodState(used, lines));
            }
            Map<String, List<AccountLedger.ProvisioningStep>> provisioning = new TreeMap<>();
            for (int n = in.count(); n > 0; n--) {
                String service = in.string();
                List<AccountLedger.ProvisioningStep> steps = new ArrayList<>();
                for (int k = in.count(); k > 0; k--) {
                    steps.add(new AccountLedger.ProvisioningStep(in.string(), in.in.readLong(), in.decimal()));
                }
                provisioning.put(service, steps);
            }
            s.ledger = AccountLedger.from(new AccountLedger.State(periods, provisioning));
            for (int n = in.count(); n > 0; n--) {
                s.openPeriods.add(BillingPeriod.parse(in.string()));
            }

            for (int n = in.count(); n > 0; n--) {
                InvoicePaymentState invoice = in.invoice();
                s.invoices.put(invoice.invoiceId(), invoice);
            }
            byte[] revenue = in.bytes();
            s.revenue = revenue == null ? null : RevenueHistoryCodec.decode(revenue);
            byte[] features = in.bytes();
            s.features = features == null ? null : AccountFeaturesCodec.decode(features);
            s.risk = RiskStateCodec.decode(in.bytes());
            s.nextBoundary = in.in.readLong();
            s.scoringDue = in.in.readLong();

            for (int n = in.count(); n > 0; n--) {
                String id = in.string();
                String unit = in.string();
                long hash = in.in.readLong();
                long judged = in.in.readLong();
                String type = in.string();
                BigDecimal amount = in.in.readBoolean() ? in.decimal() : null;
                s.standing.put(id, new Standing.Entry(unit, hash, judged, type, amount, in.string()));
            }
            in.totals(s.openTotals);
            in.totals(s.reportedTotals);
            return s;
        } catch (IOException | EventDecodingException | RuntimeException e) {
            throw new IllegalStateException("unreadable account state (" + bytes.length + " bytes): " + e.getMessage(), e);
        }
    }

    /** A writer over {@link BinaryOut} that never throws (it writes to memory). */
    private static final class Out {
        final BinaryOut out;

        Out(int capacity) {
            out = new BinaryOut(capacity);
        }

        void string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }

        void nullableString(String value) {
            out.writeBoolean(value != null);
            if (value != null) {
                string(value);
            }
        }

        void bytes(byte[] value) {
            out.writeInt(value == null ? -1 : value.length);
            if (value != null) {
                out.write(value);
            }
        }

        void decimal(BigDecimal value) {
            out.writeInt(value.scale());
            byte[] unscaled = value.unscaledValue().toByteArray();
            out.writeInt(unscaled.length);
            out.write(unscaled);
        }

        void lineRef(LineRef ref) {
            string(ref.invoiceId());
            string(ref.lineId());
            out.writeLong(ref.issuedAtMs());
        }

        void invoice(InvoicePaymentState state) {
            string(state.accountId());
            string(state.invoiceId());
            nullableString(state.currency());
            out.writeLong(state.issuedAt() == null ? Long.MIN_VALUE : state.issuedAt().toEpochMilli());
            out.writeLong(state.dueAt() == null ? Long.MIN_VALUE : state.dueAt().toEpochMilli());
            out.writeInt(state.lineTotals().size());
            state.lineTotals().forEach((line, total) -> {
                string(line);
                decimal(total);
            });
            out.writeInt(state.payments().size());
            for (InvoicePaymentState.Entry p : state.payments()) {
                string(p.paymentId());
                out.writeByte(p.status().ordinal());
                decimal(p.amount());
                string(p.currency());
                out.writeLong(p.attemptedAt().toEpochMilli());
                nullableString(p.failureReason());
            }
            out.writeBoolean(state.failureJudged());
            out.writeBoolean(state.dueJudged());
        }

        void totals(Map<String, PeriodTotals> totals) {
            out.writeInt(totals.size());
            totals.values().forEach(t -> {
                string(t.period());
                string(t.currency());
                decimal(t.unattributedAmount());
                out.writeLong(t.unattributedLines());
                decimal(t.billedAmount());
                out.writeLong(t.billedLines());
            });
        }
    }

    private static final class In implements AutoCloseable {
        final DataInputStream in;
        private final int size;

        In(byte[] bytes) {
            in = new DataInputStream(new ByteArrayInputStream(bytes));
            size = bytes.length;
        }

        int count() throws IOException {
            int n = in.readInt();
            if (n < 0 || n > size) {
                throw new IOException("implausible count " + n);
            }
            return n;
        }

        String string() throws IOException {
            return new String(raw(count()), StandardCharsets.UTF_8);
        }

        String nullableString() throws IOException {
            return in.readBoolean() ? string() : null;
        }

        byte[] bytes() throws IOException {
            int n = in.readInt();
            if (n == -1) {
                return null;
            }
            if (n < 0 || n > size) {
                throw new IOException("implausible length " + n);
            }
            return raw(n);
        }

        private byte[] raw(int n) throws IOException {
            byte[] b = new byte[n];
            in.readFully(b);
            return b;
        }

        BigDecimal decimal() throws IOException {
            int scale = in.readInt();
            return new BigDecimal(new BigInteger(raw(count())), scale);
        }

        LineRef lineRef() throws IOException {
            return new LineRef(string(), string(), in.readLong());
        }

        InvoicePaymentState invoice() throws IOException {
            String account = string();
            String invoice = string();
            String currency = nullableString();
            long issued = in.readLong();
            long due = in.readLong();
            TreeMap<String, BigDecimal> lines = new TreeMap<>();
            for (int n = count(); n > 0; n--) {
                lines.put(string(), decimal());
            }
            List<InvoicePaymentState.Entry> payments = new ArrayList<>();
            for (int n = count(); n > 0; n--) {
                String id = string();
                PaymentStatus status = STATUSES[in.readByte()];
                BigDecimal amount = decimal();
                String ccy = string();
                long at = in.readLong();
                payments.add(new InvoicePaymentState.Entry(id, status, amount, ccy, Instant.ofEpochMilli(at),
                        nullableString()));
            }
            boolean failureJudged = in.readBoolean();
            boolean dueJudged = in.readBoolean();
            return new InvoicePaymentState(account, invoice, currency,
                    issued == Long.MIN_VALUE ? null : Instant.ofEpochMilli(issued),
                    due == Long.MIN_VALUE ? null : Instant.ofEpochMilli(due), lines, payments, failureJudged, dueJudged,
                    null);
        }

        void totals(Map<String, PeriodTotals> into) throws IOException {
            for (int n = count(); n > 0; n--) {
                PeriodTotals t = new PeriodTotals(string(), string(), decimal(), in.readLong(), decimal(), in.readLong());
                into.put(t.key(), t);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
