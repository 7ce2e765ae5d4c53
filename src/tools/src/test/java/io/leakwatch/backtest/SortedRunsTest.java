package io.leakwatch.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An input out of time order sorted through runs on disk gives the order a sort in memory gives. */
class SortedRunsTest {
    private static List<ReplayRecord> shuffled(String topic, int order, int count, long seed) {
        Random random = new Random(seed);
        List<ReplayRecord> records = new ArrayList<>();
        for (int line = 1; line <= count; line++) {
            // few distinct times, so that ties are broken by the line
            long time = random.nextInt(20);
            String key = line % 7 == 0 ? null : "acct-" + random.nextInt(5);
            records.add(new ReplayRecord(topic, order, key, ("{\"n\":" + line + "}").getBytes(StandardCharsets.UTF_8),
                    time, line));
        }
        return records;
    }

    private static List<String> describe(List<ReplayRecord> records) {
        return records.stream().map(r -> r.timestamp() + " " + r.topic() + " " + r.topicOrder() + " " + r.line() + " "
                + r.key() + " " + new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void shouldGiveTheInMemorySortOrderWhenSpilledInManyRuns() throws Exception {
        List<ReplayRecord> records = shuffled("invoices", 3, 1_000, 7);
        List<ReplayRecord> sorted = new ArrayList<>(records);
        sorted.sort(ReplayRecord.ORDER);

        ReplayRecords runs = SortedRuns.sort(records.iterator(), "invoices", 3, 64);

        assertThat(runs.size()).isEqualTo(1_000);
        assertThat(describe(runs.toList())).isEqualTo(describe(sorted));
    }

    @Test
    void shouldMergeInputsAndRunsIntoOneReplayOrder() throws Exception {
        List<ReplayRecord> contracts = new ArrayList<>(shuffled("contracts", 0, 300, 1));
        List<ReplayRecord> invoices = shuffled("invoices", 1, 500, 2);
        contracts.sort(ReplayRecord.ORDER);
        List<ReplayRecord> all = new ArrayList<>(contracts);
        all.addAll(invoices);
        all.sort(ReplayRecord.ORDER);

        ReplayRecords merged = ReplayRecords.merge(List.of(ReplayRecords.of(contracts),
                SortedRuns.sort(invoices.iterator(), "invoices", 1, 50)));

        assertThat(merged.size()).isEqualTo(800);
        assertThat(describe(merged.toList())).isEqualTo(describe(all));
        // a second pass reads the same
        assertThat(describe(merged.toList())).isEqualTo(describe(all));
    }
}
