package io.leakwatch.detect.risk;

import io.leakwatch.scoring.RiskPublishing.Published;
import io.leakwatch.serde.EventCodes;
import io.leakwatch.serde.StateFormat;
import io.leakwatch.serde.StateReader;
import io.leakwatch.serde.StateWriter;

/**
 * The stored form of a {@link RiskState}, part of the account state, in the {@link StateWriter} layout: 6-8 bytes
 * before the first publication, about 40 after.
 * <pre>
 * header (risk-state, {@value #VERSION})
 * leakage level (code) | leakage High since (day, none = not High)
 * churn level (code)   | churn High since (day)
 * published? [ at (time) | leakage p (raw double) | churn p (raw double) | monthly revenue (raw double)
 *              | model versions hash (fixed int) ]
 * </pre>
 * Levels are stored as {@link EventCodes#RISK_LEVEL} codes, which reordering the Avro enum does not change.
 */
public final class RiskStateCodec {
    static final int VERSION = 3;
    static final StateFormat FORMAT = new StateFormat("risk-state", VERSION);

    private RiskStateCodec() {
    }

    /** The bytes of {@code state} on their own. */
    public static byte[] encode(RiskState state) {
        StateWriter out = new StateWriter(48);
        write(out, state);
        return out.toByteArray();
    }

    /** The state {@link #encode} wrote. */
    public static RiskState decode(byte[] bytes) {
        return StateReader.decode(bytes, FORMAT.name(), RiskStateCodec::read);
    }

    public static void write(StateWriter out, RiskState s) {
        out.header(FORMAT);
        out.code(EventCodes.RISK_LEVEL, s.leakageLevel());
        out.day(s.leakageHighSince());
        out.code(EventCodes.RISK_LEVEL, s.churnLevel());
        out.day(s.churnHighSince());
        out.nullable(s.published(), (o, p) -> {
            o.time(p.at());
            o.rawDouble(p.leakageProbability());
            o.rawDouble(p.churnProbability());
            o.rawDouble(p.monthlyRevenue());
            o.fixedInt(p.modelVersionsHash());
        });
    }

    public static RiskState read(StateReader in) {
        in.header(FORMAT);
        return new RiskState(in.code(EventCodes.RISK_LEVEL), in.day(), in.code(EventCodes.RISK_LEVEL), in.day(),
                in.nullable(p -> new Published(p.time(), p.rawDouble(), p.rawDouble(), p.rawDouble(), p.fixedInt())));
    }
}
