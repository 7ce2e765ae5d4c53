package io.leakwatch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class UsageSeriesTest {
    private static Map<Long, Double> asMap(UsageSeries series) {
        Map<Long, Double> map = new TreeMap<>();
        for (int i = 0; i < series.size(); i++) {
            map.put(series.at(i), series.quantity(i));
        }
        return map;
    }

    @Test
    void shouldKeepTheSamePointsAsASortedMapThatSumsAtTheSameInstant() {
        // the TreeMap it replaces is the reference: random late points, repeated instants, windows dropped
        Random random = new Random(11);
        UsageSeries series = new UsageSeries();
        TreeMap<Long, Double> reference = new TreeMap<>();
        long clock = 1_000;
        for (int i = 0; i < 5_000; i++) {
            clock += random.nextInt(50);
            long t = random.nextInt(5) == 0 ? clock - random.nextInt(400) : clock;
            double q = random.nextInt(1000) / 7.0;
            series.add(t, q);
            reference.merge(t, q, Double::sum);
            if (random.nextInt(100) == 0) {
                long from = clock - 300;
                series.dropBefore(from);
                reference.headMap(from, false).clear();
            }
            assertThat(series.size()).isEqualTo(reference.size());
        }
        assertThat(asMap(series)).isEqualTo(reference);
        assertThat(series.first()).isEqualTo(reference.firstKey());
        long from = clock - 200;
        assertThat(series.indexFrom(from)).isEqualTo(reference.headMap(from, false).size());
        assertThat(series.indexFrom(Long.MAX_VALUE)).isEqualTo(series.size());
    }

    @Test
    void shouldCompareByPointsNotByCapacity() {
        UsageSeries a = new UsageSeries();
        UsageSeries b = new UsageSeries();
        for (int i = 0; i < 20; i++) {
            a.add(i, 1.5);
        }
        a.dropBefore(18);
        b.append(18, 1.5);
        b.append(19, 1.5);

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        b.add(19, 1);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void shouldRefuseAnAppendOutOfOrder() {
        UsageSeries series = new UsageSeries();
        series.append(5, 1);
        assertThatThrownBy(() -> series.append(5, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
