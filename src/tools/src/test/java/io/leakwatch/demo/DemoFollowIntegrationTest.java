package io.leakwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --follow} as a newcomer uses it: a world that ends last month, then events typed with today's date at the
 * address the demo printed; each is reported once the processor read it, accepted or dead-lettered with the reason.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DemoFollowIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldSayWhatBecameOfEachTypedEventWhenFollowing() throws Exception {
        // Given the demo following, its world ending last month
        printed = new StringWriter();
        YearMonth start = YearMonth.now(ZoneOffset.UTC).minusMonths(2);
        Demo demo = new Demo(new Demo.Options(4, 2, 7, start, dir, true, 1, 0), new PrintWriter(printed, true));
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread running = new Thread(() -> {
            try {
                demo.run();
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "demo-follow");
        running.start();
        try {
            await(() -> printed.toString().contains("Following:") || failed.get() != null, "the demo follows");
            assertThat(failed.get()).isNull();
            Matcher address = Pattern.compile("broker ready at (\\S+)").matcher(printed.toString());
            assertThat(address.find()).as("the broker address is printed").isTrue();

            // When a usage event dated now and a line that is not JSON are typed into the usage topic
            ObjectNode usage = (ObjectNode) JSON.readTree(Files.readAllLines(dir.resolve("world/usage.jsonl"),
                    StandardCharsets.UTF_8).get(0));
            String account = usage.get("account_id").asText();
            usage.put("usage_id", "typed-by-hand-1");
            usage.put("occurred_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, address.group(1));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("usage", account, JSON.writeValueAsString(usage))).get();
                producer.send(new ProducerRecord<>("usage", account, "{not json")).get();
            }

            // Then each is reported: the first accepted, the second dead-lettered with its reason
            await(() -> printed.toString().contains("dead-lettered: usage record '" + account + "'"), "the bad line reported");
            await(() -> printed.toString().contains("accepted: usage record '" + account + "'"), "the typed event reported");
            assertThat(printed.toString()).contains("deserialization").doesNotContain("implausible");
            assertThat(failed.get()).isNull();
        } finally {
            running.interrupt();
            running.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(running.isAlive()).as("the demo stops when interrupted").isFalse();
    }

    private StringWriter printed;

    private void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting until %s; the demo printed:%n%s", what, printed).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
