package io.leakwatch.detect.invoice;

import io.leakwatch.detect.duplicate.ScreenedLine;
import io.leakwatch.events.Contract;
import org.apache.kafka.streams.kstream.ValueJoiner;

/**
 * Pairs a line that passed the duplicate screen with the contract version the versioned table held at the line's
 * timestamp. A left join: a line of an account with no contract still arrives here (contract = null) so it can be
 * counted as unattributed revenue.
 */
public final class InvoiceLineContractJoiner implements ValueJoiner<ScreenedLine, Contract, LineWithContract> {
    @Override
    public LineWithContract apply(ScreenedLine screened, Contract contract) {
        return new LineWithContract(screened.line(), contract, screened.isRedelivery());
    }
}
