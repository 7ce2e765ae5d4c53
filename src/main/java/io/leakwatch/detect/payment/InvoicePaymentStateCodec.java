package io.leakwatch.detect.payment;

import io.leakwatch.events.PaymentStatus;
import io.leakwatch.serde.BinaryOut;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The bytes of an {@link InvoicePaymentState} in the {@code payment-invoices} store (and its changelog).
 * Format version 1, big-endian {@link DataOutput} ({@link BinaryOut}): decimals as their exact plain strings, instants as
 * epoch millis. A change to the layout must bump the version and keep reading version 1: the changelog outlives
 * a deployment.
 */
public final class InvoicePaymentStateCodec {
    private static final byte VERSION = 1;

    private InvoicePaymentStateCodec() {
    }

    public static byte[] encode(InvoicePaymentState state) {
        BinaryOut out = new BinaryOut(256);
        try {
            out.writeByte(VERSION);
            out.writeUTF(state.accountId());
            out.writeUTF(state.invoiceId());
            writeNullable(out, state.currency());
            writeNullable(out, state.issuedAt());
            writeNullable(out, state.dueAt());
            out.writeInt(state.lineTotals().size());
            for (var line : state.lineTotals().entrySet()) {
                out.writeUTF(line.getKey());
                out.writeUTF(line.getValue().toPlainString());
            }
            out.writeInt(state.payments().size());
            for (InvoicePaymentState.Entry p : state.payments()) {
                out.writeUTF(p.paymentId());
                out.writeUTF(p.status().name());
                out.writeUTF(p.amount().toPlainString());
                out.writeUTF(p.currency());
                out.writeLong(p.attemptedAt().toEpochMilli());
                writeNullable(out, p.failureReason());
            }
            out.writeBoolean(state.failureJudged());
            out.writeBoolean(state.dueJudged());
            out.writeBoolean(state.indexedAt() != null);
            if (state.indexedAt() != null) {
                out.writeLong(state.indexedAt());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static InvoicePaymentState decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("unknown payment state format version " + version);
            }
            String account = in.readUTF();
            String invoice = in.readUTF();
            String currency = readNullableString(in);
            Instant issued = readNullableInstant(in);
            Instant due = readNullableInstant(in);
            TreeMap<String, BigDecimal> lines = new TreeMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                lines.put(in.readUTF(), new BigDecimal(in.readUTF()));
            }
            List<InvoicePaymentState.Entry> payments = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                payments.add(new InvoicePaymentState.Entry(in.readUTF(), PaymentStatus.valueOf(in.readUTF()),
                        new BigDecimal(in.readUTF()), in.readUTF(), Instant.ofEpochMilli(in.readLong()),
                        readNullableString(in)));
            }
            boolean failureJudged = in.readBoolean();
            boolean dueJudged = in.readBoolean();
            Long indexedAt = in.readBoolean() ? in.readLong() : null;
            return new InvoicePaymentState(account, invoice, currency, issued, due, lines, payments, failureJudged,
                    dueJudged, indexedAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeNullable(DataOutput out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static void writeNullable(DataOutput out, Instant value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value.toEpochMilli());
        }
    }

    private static String readNullableString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static Instant readNullableInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochMilli(in.readLong()) : null;
    }
}
