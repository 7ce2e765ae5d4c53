package io.leakwatch.app.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.leakwatch.detect.unattributed.UnattributedRevenueRule;
import io.leakwatch.events.AlertFeedback;
import io.leakwatch.events.FeedbackAction;
import io.leakwatch.ingest.Validators;
import io.leakwatch.serde.EventCodec;
import io.leakwatch.serde.EventType;
import io.leakwatch.topics.TopicCatalog;
import io.leakwatch.topology.TopologySettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alert feedback over HTTP: a person's decision about an alert, written to the {@code alert-feedback} topic, which the
 * topology's alert lifecycle applies (the alert's next record on {@code alerts} carries the status).
 * <pre>
 * POST /api/alerts/{alert_id}/feedback
 *      {"account_id": "acct-00165", "action": "ACKNOWLEDGE"|"RESOLVE"|"FALSE_POSITIVE", "comment": "...", "by": "Dana"}
 * 202  the feedback record as written: {"feedback_id", "alert_id", "account_id", "action", "comment", "by", "given_at"}
 * 400  {"status":400,"error":"one sentence"}: not a JSON object, account_id or by missing, an unknown action, a false
 *      positive without a comment, a field too long, an UNATTRIBUTED_REVENUE alert (account UNATTRIBUTED: its
 *      summary is a task of its own, apart from the account tasks that apply feedback)
 * 503  the record could not be written (the cluster is out of reach): nothing was recorded, try again
 * </pre>
 * 202, not 200: the record is written (acknowledged by every in-sync replica), not yet applied; an alert id the account
 * does not have is found out by the topology, which sends the record to the dead-letter topic
 * ({@code feedback-refused}). The record is keyed by account_id (the partition of the account's alerts) and
 * timestamped {@code given_at} = the time of the request. The producer is the run's client settings (security
 * included), idempotent with acks=all, created at the first request.
 */
public final class FeedbackApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackApi.class);
    public static final String FEEDBACK = "/api/alerts/{alert_id}/feedback";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<Producer<String, byte[]>> producers;
    private final String topic;
    private final EventCodec<AlertFeedback> codec;
    private final Clock clock;
    private final Supplier<String> ids;
    private final Duration timeout;
    private Producer<String, byte[]> producer;
    private boolean closed;

    /**
     * @param producers makes the producer, once, at the first request
     * @param ids       the feedback ids (random UUIDs in production)
     * @param timeout   how long a write may take before the request answers 503
     */
    public FeedbackApi(Supplier<Producer<String, byte[]>> producers, String topic, EventCodec<AlertFeedback> codec,
                       Clock clock, Supplier<String> ids, Duration timeout) {
        this.producers = producers;
        this.topic = topic;
        this.codec = codec;
        this.clock = clock;
        this.ids = ids;
        this.timeout = timeout;
    }

    /** Feedback to the deployment's {@code alert-feedback} topic in its wire format, with the run's client settings. */
    public static FeedbackApi of(Properties kafka, TopologySettings settings, Duration timeout) {
        String topic = settings.topics().name(TopicCatalog.ALERT_FEEDBACK);
        return new FeedbackApi(() -> new KafkaProducer<>(producerProperties(kafka), new StringSerializer(),
                new ByteArraySerializer()), topic,
                settings.wireFormat().codec(EventType.ALERT_FEEDBACK, topic, settings.schemas()), Clock.systemUTC(),
                () -> UUID.randomUUID().toString(), timeout);
    }

    /** The run's client settings, the producer's only, idempotent and acknowledged by every in-sync replica. */
    static Properties producerProperties(Properties kafka) {
        Properties p = new Properties();
        kafka.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (ProducerConfig.configNames().contains(key)) {
                p.put(key, v);
            }
        });
        p.put(ProducerConfig.CLIENT_ID_CONFIG, String.valueOf(kafka.getOrDefault("application.id", "leakwatch"))
                + "-feedback");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return p;
    }

    /** The paths it serves, for the endpoint's index. */
    public static Map<String, String> index() {
        return Map.of("alert_feedback", "POST " + FEEDBACK);
    }

    public void addTo(RoutesConfig routes) {
        routes.post(FEEDBACK, ctx -> {
            QueryApi.Answer answer = submit(ctx.pathParam("alert_id"), ctx.body());
            ctx.status(answer.status()).contentType("application/json").result(JSON.writeValueAsString(answer.body()));
        });
    }

    /** What a POST of {@code body} for {@code alertId} answers; writes the record when it is accepted. */
    QueryApi.Answer submit(String alertId, String body) {
        AlertFeedback feedback;
        try {
            feedback = parse(alertId, body);
        } catch (QueryApi.Refusal r) {
            return r.answer;
        }
        try {
            write(feedback);
        } catch (QueryApi.Refusal r) {
            return r.answer;
        }
        return new QueryApi.Answer(202, echo(feedback));
    }

    private AlertFeedback parse(String alertId, String body) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (java.io.IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw bad("the body must be a JSON object with account_id, action, comment and by");
        }
        String account = text(node, "account_id");
        if (account == null || account.isBlank()) {
            throw bad("account_id is missing: say which account the alert belongs to");
        }
        if (account.strip().equals(UnattributedRevenueRule.ACCOUNT)) {
            throw bad("feedback on UNATTRIBUTED_REVENUE alerts is not taken: they belong to no account, and the"
                    + " per-period summary that raises them does not read alert feedback");
        }
        String actionText = text(node, "action");
        FeedbackAction action = null;
        for (FeedbackAction a : FeedbackAction.values()) {
            if (a.name().equals(actionText)) {
                action = a;
            }
        }
        if (action == null) {
            throw bad("action must be ACKNOWLEDGE, RESOLVE or FALSE_POSITIVE"
                    + (actionText == null ? ", and is missing" : ", not \"" + actionText + "\""));
        }
        String comment = text(node, "comment");
        String by = text(node, "by");
        if (by == null || by.isBlank()) {
            throw bad("by is missing: say who decides");
        }
        AlertFeedback feedback = AlertFeedback.newBuilder().setFeedbackId(ids.get()).setAlertId(alertId)
                .setAccountId(account.strip()).setAction(action)
                .setComment(comment == null || comment.isBlank() ? null : comment.strip()).setBy(by.strip())
                .setGivenAt(Instant.ofEpochMilli(clock.millis())).build();
        List<String> problems = Validators.ALERT_FEEDBACK.problems(feedback);
        if (!problems.isEmpty()) {
            throw bad(String.join("; ", problems));
        }
        return feedback;
    }

    /** A string field, null when absent or null; a field of another JSON type is refused. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw bad(field + " must be a string");
        }
        return value.asText();
    }

    private static QueryApi.Refusal bad(String error) {
        return new QueryApi.Refusal(400, error);
    }

    private void write(AlertFeedback feedback) {
        byte[] value = codec.encode(feedback);
        try {
            producer().send(new ProducerRecord<>(topic, null, feedback.getGivenAt().toEpochMilli(),
                    feedback.getAccountId(), value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryApi.Refusal(503, "interrupted while writing the feedback to " + topic + ": try again");
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.warn("feedback {} for alert {} could not be written to {}", feedback.getFeedbackId(),
                    feedback.getAlertId(), topic, cause);
            throw new QueryApi.Refusal(503, "the feedback could not be written to topic " + topic + " (" + cause
                    + "): nothing was recorded, try again");
        }
    }

    private synchronized Producer<String, byte[]> producer() {
        if (closed) {
            throw new QueryApi.Refusal(503, "the run is stopping: feedback is no longer taken");
        }
        if (producer == null) {
            producer = producers.get();
        }
        return producer;
    }

    /** The record as JSON, in field order, {@code given_at} as an ISO-8601 instant. */
    static Map<String, Object> echo(AlertFeedback f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("feedback_id", f.getFeedbackId());
        out.put("alert_id", f.getAlertId());
        out.put("account_id", f.getAccountId());
        out.put("action", f.getAction().name());
        out.put("comment", f.getComment());
        out.put("by", f.getBy());
        out.put("given_at", f.getGivenAt().toString());
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
