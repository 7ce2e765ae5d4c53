package io.leakwatch.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leakwatch.events.Contract;
import io.leakwatch.events.InvoiceLine;
import io.leakwatch.events.UsageRecord;
import io.leakwatch.money.MoneyFormat;
import io.leakwatch.serde.EventType;
import io.leakwatch.serde.JsonEventCodec;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Records a correct pipeline must reject, made by breaking one copy of a real event. The kinds come in a
 * fixed rotation, so any four bad records include malformed JSON, a line of opposite signs, a usage record without
 * account and a blank id:
 * <ol>
 *   <li>malformed JSON: the first half of a line;</li>
 *   <li>opposite signs (invoice line; the quantity negated, the total not: a credit would negate both);</li>
 *   <li>missing account_id on a usage record;</li>
 *   <li>blank {@code invoice_id} / {@code contract_id} (still keyed by its account, so it reaches even the
 *       compacted contracts topic). Not a missing account_id: an invoice line without one is valid, unattributed
 *       revenue (docs/detectors.md);</li>
 *   <li>unknown currency {@code XYZ};</li>
 *   <li>record timestamp in 1970;</li>
 *   <li>record timestamp in 2999.</li>
 * </ol>
 * Bad invoice lines get line ids no real line has ({@code L50}, {@code L51}, ...), so a pipeline that
 * wrongly accepts one shows up as an unlabelled alert instead of silently replacing a real line.
 *
 * <p>A missing account_id is broken on a usage record (usage id suffixed {@code -bad<k>}), not on an invoice
 * line: an invoice line without an account is valid, unattributed revenue.
 */
final class BadRecords {
    static final String MALFORMED_JSON = "malformed JSON";
    static final String OPPOSITE_SIGNS = "total of the opposite sign";
    static final String MISSING_ACCOUNT = "missing account_id";
    static final String BLANK_ID = "blank id";
    static final String UNKNOWN_CURRENCY = "unknown currency XYZ";
    static final String TIMESTAMP_1970 = "timestamp in 1970";
    static final String TIMESTAMP_2999 = "timestamp in 2999";
    private static final List<String> ROTATION = List.of(MALFORMED_JSON, OPPOSITE_SIGNS, MISSING_ACCOUNT, BLANK_ID,
            UNKNOWN_CURRENCY, TIMESTAMP_1970, TIMESTAMP_2999);
    private static final int FIRST_BAD_LINE_NUMBER = 50;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BadRecords() {
    }

    static List<BadRecord> make(SplittableRandom random, int count, List<Contract> contracts, List<InvoiceLine> lines,
                                List<UsageRecord> usage) {
        JsonEventCodec<Contract> contractCodec = new JsonEventCodec<>(EventType.CONTRACT);
        JsonEventCodec<InvoiceLine> lineCodec = new JsonEventCodec<>(EventType.INVOICE_LINE);
        JsonEventCodec<UsageRecord> usageCodec = new JsonEventCodec<>(EventType.USAGE);
        List<BadRecord> bad = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            String reason = ROTATION.get(k % ROTATION.size());
            // Every other round of the rotation goes to the contracts file, except what only a line can have.
            boolean toContracts = !reason.equals(OPPOSITE_SIGNS) && (k / ROTATION.size()) % 2 == 1;
            if (lines.isEmpty() || contracts.isEmpty()) {
                toContracts = lines.isEmpty() && !contracts.isEmpty();
            }
            if (reason.equals(MISSING_ACCOUNT) && (usage.isEmpty() || toContracts)) {
                // only usage can lack an account and still be invalid; elsewhere break an id instead
                reason = BLANK_ID;
            }
            if (toContracts && reason.equals(OPPOSITE_SIGNS)) {
                reason = MALFORMED_JSON;
            }
            String line;
            BadRecord.Target target;
            int size;
            if (reason.equals(MISSING_ACCOUNT) && !toContracts && !usage.isEmpty()) {
                UsageRecord source = usage.get(random.nextInt(usage.size()));
                ObjectNode node = parse(usageCodec.encodeLine(source));
                node.put("usage_id", node.get("usage_id").asText() + "-bad" + k);
                node.remove("account_id");
                line = write(node);
                target = BadRecord.Target.USAGE;
                size = usage.size();
            } else if (toContracts) {
                Contract source = contracts.get(random.nextInt(contracts.size()));
                line = breakContract(reason, contractCodec.encodeLine(source));
                target = BadRecord.Target.CONTRACTS;
                size = contracts.size();
            } else if (!lines.isEmpty()) {
                InvoiceLine source = positiveQuantityLine(lines, random.nextInt(lines.size()));
                line = breakInvoiceLine(reason, lineCodec.encodeLine(source), FIRST_BAD_LINE_NUMBER + k);
                target = BadRecord.Target.INVOICES;
                size = lines.size();
            } else {
                reason = MALFORMED_JSON;
                line = "{\"invoice_id\": \"inv-";
                target = BadRecord.Target.INVOICES;
                size = 0;
            }
            bad.add(new BadRecord(target, random.nextInt(size + 1), reason, line));
        }
        bad.sort(BadRecord.ORDER);
        return List.copyOf(bad);
    }

    /** The line at {@code index}, or the next one (cyclically) with a quantity above zero to negate. */
    private static InvoiceLine positiveQuantityLine(List<InvoiceLine> lines, int index) {
        for (int i = 0; i < lines.size(); i++) {
            InvoiceLine line = lines.get((index + i) % lines.size());
            if (line.getQuantity().signum() > 0) {
                return line;
            }
        }
        return lines.get(index);
    }

    private static String breakContract(String reason, String json) {
        if (reason.equals(MALFORMED_JSON)) {
            return json.substring(0, json.length() / 2);
        }
        ObjectNode node = parse(json);
        switch (reason) {
            case BLANK_ID -> node.put("contract_id", "");
            case UNKNOWN_CURRENCY -> {
                for (JsonNode rateLine : (ArrayNode) node.get("lines")) {
                    ((ObjectNode) rateLine).put("currency", "XYZ");
                }
            }
            case TIMESTAMP_1970 -> node.put("signed_at", "1970-01-01T00:00:00Z");
            case TIMESTAMP_2999 -> node.put("signed_at", "2999-01-01T09:00:00Z");
            default -> throw new IllegalArgumentException(reason);
        }
        return write(node);
    }

    private static String breakInvoiceLine(String reason, String json, int lineNumber) {
        if (reason.equals(MALFORMED_JSON)) {
            return json.substring(0, json.length() / 2);
        }
        ObjectNode node = parse(json);
        node.put("line_id", "L" + lineNumber);
        switch (reason) {
            case OPPOSITE_SIGNS -> {
                node.put("quantity", MoneyFormat.plain(new BigDecimal(node.get("quantity").asText()).negate()));
            }
            case BLANK_ID -> node.put("invoice_id", "");
            case UNKNOWN_CURRENCY -> node.put("currency", "XYZ");
            case TIMESTAMP_1970 -> node.put("issued_at", "1970-01-01T00:00:00Z");
            case TIMESTAMP_2999 -> node.put("issued_at", "2999-01-01T06:00:00Z");
            default -> throw new IllegalArgumentException(reason);
        }
        return write(node);
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
