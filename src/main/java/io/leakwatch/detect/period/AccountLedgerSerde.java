package io.leakwatch.detect.period;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Store serde of {@link AccountLedger}: compact JSON of {@link AccountLedger.State}. Decimals are written as
 * plain JSON numbers and read back as {@link java.math.BigDecimal}, so quantities stay exact.
 */
public final class AccountLedgerSerde implements Serde<AccountLedger> {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Override
    public Serializer<AccountLedger> serializer() {
        return (topic, ledger) -> {
            if (ledger == null) {
                return null;
            }
            try {
                return JSON.writeValueAsBytes(ledger.state());
            } catch (IOException e) {
                throw new SerializationException("cannot write the period ledger", e);
            }
        };
    }

    @Override
    public Deserializer<AccountLedger> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return AccountLedger.from(JSON.readValue(bytes, AccountLedger.State.class));
            } catch (IOException e) {
                throw new SerializationException("cannot read the period ledger", e);
            }
        };
    }
}
