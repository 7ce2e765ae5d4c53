package io.leakwatch.app.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.leakwatch.account.AccountSummary;
import io.leakwatch.detect.baseline.BaselineRule;
import io.leakwatch.stream.AccountProcessor;
import io.leakwatch.topology.TopologySettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account query API, over interactive queries on the account processor's stores, served by the HTTP endpoint:
 * <pre>
 * GET /api/accounts/{id}                                   one account ({@link io.leakwatch.account.AccountView})
 * GET /api/top-accounts?by=risk|money-at-risk&amp;n=20[&amp;currency=EUR]   a ranking ({@link AccountSummary})
 * GET /api/alerts[?status=OPEN,ACKNOWLEDGED&amp;type=..&amp;account=..&amp;limit=100]    alerts, newest first ({@link AlertListing})
 * GET /api/overview                                        what the overview page shows ({@link Overview})
 * </pre>
 * Across instances: each instance advertises its endpoint as {@code application.server}. An account is answered by the
 * instance whose active task owns its key ({@link KafkaStreams#queryMetadataForKey}); any other instance forwards the
 * request there and returns its answer as it is. A ranking is gathered: every instance of
 * {@link KafkaStreams#metadataForAllStreamsClients} gives its own accounts' top n (per currency for money at risk),
 * and the instance asked ranks the union. Alerts and the overview are gathered the same way: each instance lists its
 * own alerts (its first {@code limit}) or adds up its own part, and the instance asked orders or adds them together. Without an advertised endpoint the instance answers from its own stores only.
 * <p>Answers: 200 JSON; 404 for an account no store holds; 400 for a bad parameter; 503 with a reason (and
 * {@code Retry-After}) while the stores cannot be queried (starting, rebalancing, restoring) or an instance holding
 * part of the answer does not reply. Every error is {@code {"status":code,"error":"one sentence"}}.
 */
public final class QueryApi {
    private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);
    public static final String ACCOUNT = "/api/accounts/{id}";
    public static final String TOP = "/api/top-accounts";
    /** The path of an instance's own part of a ranking; the instance gathering a ranking asks the others here. */
    static final String TOP_LOCAL = "/api/internal/top-accounts";
    public static final String ALERTS = "/api/alerts";
    static final String ALERTS_LOCAL = "/api/internal/alerts";
    public static final String OVERVIEW = "/api/overview";
    static final String OVERVIEW_LOCAL = "/api/internal/overview";
    /** Set on a forwarded request: the instance receiving it answers from its own stores, never forwards again. */
    static final String FORWARDED = "X-Leakwatch-Forwarded-By";
    static final int MAX_N = 1000;
    private static final int DEFAULT_N = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<KafkaStreams> streams;
    private final TopologySettings settings;
    private volatile HostInfo self;
    private final HttpClient http;
    private final Duration timeout;
    private final Supplier<Map<String, Long>> deadLetters;

    /**
     * Not advertised until {@link #advertise}: answers from this instance's stores only.
     *
     * @param streams  the running client (null before it is created: every query answers 503)
     * @param timeout  how long a forwarded request may take
     */
    public QueryApi(Supplier<KafkaStreams> streams, TopologySettings settings, Duration timeout) {
        this(streams, settings, timeout, () -> null);
    }

    /**
     * @param deadLetters the records this process's topology has sent to the dead-letter topic, by reason (null when
     *                    it does not count them), for the overview
     */
    public QueryApi(Supplier<KafkaStreams> streams, TopologySettings settings, Duration timeout,
                    Supplier<Map<String, Long>> deadLetters) {
        this.deadLetters = deadLetters;
        this.streams = streams;
        this.settings = settings;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The paths it serves, for the endpoint's index. */
    public static Map<String, String> index() {
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("account", ACCOUNT);
        paths.put("top_accounts", TOP + "?by=risk|money-at-risk&n=20");
        paths.put("alerts", ALERTS + "?status=OPEN&type=&account=&limit=100");
        paths.put("overview", OVERVIEW);
        return paths;
    }

    /** This instance's endpoint as the others know it ({@code application.server}); set once, before the client starts. */
    public void advertise(HostInfo endpoint) {
        this.self = endpoint;
    }

    public void addTo(RoutesConfig routes) {
        routes.get(ACCOUNT, ctx -> answer(ctx, () -> account(ctx)));
        routes.get(TOP, ctx -> answer(ctx, () -> top(ctx, false)));
        routes.get(TOP_LOCAL, ctx -> answer(ctx, () -> top(ctx, true)));
        routes.get(ALERTS, ctx -> answer(ctx, () -> alerts(ctx, false)));
        routes.get(ALERTS_LOCAL, ctx -> answer(ctx, () -> alerts(ctx, true)));
        routes.get(OVERVIEW, ctx -> answer(ctx, () -> overview(false)));
        routes.get(OVERVIEW_LOCAL, ctx -> answer(ctx, () -> overview(true)));
    }

    /** What a route answers: a status and a JSON body (already encoded when passed on from another instance). */
    record Answer(int status, Object body) {
        static Answer error(int status, String error) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", status);
            body.put("error", error);
            return new Answer(status, body);
        }
    }

    /** A failure with its answer. */
    static final class Refusal extends RuntimeException {
        final Answer answer;

        Refusal(int status, String error) {
            super(error, null, false, false);
            this.answer = Answer.error(status, error);
        }
    }

    @FunctionalInterface
    private interface Route {
        Answer call() throws Exception;
    }

    private static void answer(Context ctx, Route route) throws Exception {
        Answer answer;
        try {
            answer = route.call();
        } catch (Refusal r) {
            answer = r.answer;
        } catch (InvalidStateStoreException e) {
            answer = Answer.error(503, "the account stores cannot be queried now (" + e.getMessage()
                    + "); they are being assigned or restored: try again shortly");
        }
        if (answer.status() == 503) {
            ctx.header("Retry-After", "1");
        }
        ctx.status(answer.status()).contentType("application/json")
                .result(answer.body() instanceof String s ? s : JSON.writeValueAsString(answer.body()));
    }

    private KafkaStreams running() {
        KafkaStreams client = streams.get();
        if (client == null) {
            throw new Refusal(503, "the stream processor has not started yet: try again shortly");
        }
        return client;
    }

    private AccountQueries queries(KafkaStreams client) {
        return new AccountQueries(client, new BaselineRule(settings.detection().baseline()), settings.risk().scorer());
    }

    private Answer account(Context ctx) throws IOException, InterruptedException {
        String id = ctx.pathParam("id");
        KafkaStreams client = running();
        if (self == null) {
            // not advertised: no instance is known by its endpoint, so this one answers from all of its own tasks
            Map<String, Object> view = queries(client).account(id, null);
            if (view == null) {
                throw new Refusal(404, "no account " + id + " (no event of it has been processed)");
            }
            return new Answer(200, view);
        }
        KeyQueryMetadata owner = client.queryMetadataForKey(AccountProcessor.STATE, id, Serdes.String().serializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw new Refusal(503, "no instance owns account " + id + "'s partition right now (rebalancing):"
                    + " try again shortly");
        }
        boolean forwarded = ctx.header(FORWARDED) != null;
        if (self.equals(owner.activeHost()) || forwarded) {
            Map<String, Object> view = queries(client).account(id, owner.partition());
            if (view != null) {
                return new Answer(200, view);
            }
            if (!self.equals(owner.activeHost())) {
                throw new Refusal(503, "account " + id + "'s partition " + owner.partition() + " moved to "
                        + owner.activeHost() + " while the request was on its way: try again shortly");
            }
            throw new Refusal(404, "no account " + id + " (no event of it has been processed)");
        }
        return forward(owner.activeHost(), "/api/accounts/" + URLEncoder.encode(id, StandardCharsets.UTF_8)
                .replace("+", "%20"));
    }

    private Answer forward(HostInfo owner, String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + owner.host() + ":" + owner.port()
                        + pathAndQuery)).timeout(timeout).header(FORWARDED, self.toString())
                .header("Accept", "application/json").GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            LOG.warn("instance {} did not answer {}: {}", owner, pathAndQuery, e.toString());
            throw new Refusal(503, "instance " + owner + ", which holds the answer, does not reply (" + e
                    + "): try again shortly");
        }
    }

    @SuppressWarnings("unchecked")
    private Answer top(Context ctx, boolean localOnly) throws Exception {
        String by = ctx.queryParam("by");
        if (!"risk".equals(by) && !"money-at-risk".equals(by)) {
            throw new Refusal(400, "by must be risk or money-at-risk, not " + (by == null ? "missing" : "'" + by + "'"));
        }
        boolean risk = by.equals("risk");
        if (risk && settings.risk().scorer() == null) {
            throw new Refusal(400, "risk scoring is off (leakwatch.scoring.enabled=false): rank by money-at-risk");
        }
        int n = n(ctx.queryParam("n"));
        String currency = ctx.queryParam("currency");
        KafkaStreams client = running();
        List<AccountSummary> rows = new ArrayList<>(localTop(queries(client).summaries(), risk, n));
        if (!localOnly && self != null) {
            rows.addAll(remoteTop(client, by, n));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("by", by);
        body.put("n", n);
        if (localOnly) {
            body.put("accounts", rows.stream().map(AccountSummary::toJson).toList());
            return new Answer(200, body);
        }
        List<AccountSummary> ranked;
        if (risk) {
            ranked = AccountSummary.topByRisk(rows, n);
        } else {
            Set<String> currencies = new TreeSet<>();
            rows.forEach(r -> currencies.addAll(r.moneyAtRisk().keySet()));
            if (currency == null) {
                if (currencies.size() > 1) {
                    Answer refused = Answer.error(400, "accounts hold money at risk in " + String.join(", ", currencies)
                            + ", which are not converted into each other: name one with currency=");
                    ((Map<String, Object>) refused.body()).put("currencies", List.copyOf(currencies));
                    return refused;
                }
                currency = currencies.isEmpty() ? null : currencies.iterator().next();
            }
            body.put("currency", currency);
            body.put("currencies", List.copyOf(currencies));
            ranked = currency == null ? List.of() : AccountSummary.topByMoneyAtRisk(rows, currency, n);
        }
        body.put("accounts", ranked.stream().map(AccountSummary::toJson).toList());
        return new Answer(200, body);
    }

    /** This instance's candidates: its top n by risk, or its top n in each currency by money at risk. */
    private static List<AccountSummary> localTop(List<AccountSummary> all, boolean risk, int n) {
        if (risk) {
            return AccountSummary.topByRisk(all, n);
        }
        Set<String> currencies = new TreeSet<>();
        all.forEach(r -> currencies.addAll(r.moneyAtRisk().keySet()));
        List<AccountSummary> top = new ArrayList<>();
        for (String currency : currencies) {
            for (AccountSummary row : AccountSummary.topByMoneyAtRisk(all, currency, n)) {
                if (!top.contains(row)) {
                    top.add(row);
                }
            }
        }
        return top;
    }

    /** Every other instance's candidates, asked at once; 503 when one of them does not answer. */
    private List<AccountSummary> remoteTop(KafkaStreams client, String by, int n) throws Exception {
        List<AccountSummary> rows = new ArrayList<>();
        for (Map<String, Object> body : askOthers(client, TOP_LOCAL + "?by=" + by + "&n=" + n, "the ranking")) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> accounts = (List<Map<String, Object>>) body.get("accounts");
            accounts.forEach(a -> rows.add(AccountSummary.fromJson(a)));
        }
        return rows;
    }

    /**
     * The answers of every other instance to {@code pathAndQuery}, asked at once; 503 when one of them does not
     * answer, 502 when one answers with an unexpected error ({@code what}: what would miss its part).
     */
    private List<Map<String, Object>> askOthers(KafkaStreams client, String pathAndQuery, String what)
            throws Exception {
        Collection<StreamsMetadata> instances = client.metadataForAllStreamsClients();
        List<HostInfo> others = instances.stream().map(StreamsMetadata::hostInfo).filter(h -> !h.equals(self))
                .distinct().toList();
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (HostInfo host : others) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port()
                            + pathAndQuery)).timeout(timeout).header(FORWARDED, self.toString()).GET().build();
            replies.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        List<Map<String, Object>> bodies = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            HttpResponse<String> reply;
            try {
                reply = replies.get(i).join();
            } catch (java.util.concurrent.CompletionException e) {
                throw new Refusal(503, "instance " + others.get(i) + " does not reply (" + e.getCause()
                        + "); " + what + " would miss its accounts: try again shortly");
            }
            if (reply.statusCode() != 200) {
                throw new Refusal(reply.statusCode() == 503 ? 503 : 502, "instance " + others.get(i) + " answered "
                        + reply.statusCode() + ": " + errorOf(reply.body()));
            }
            bodies.add(JSON.readValue(reply.body(), new TypeReference<>() { }));
        }
        return bodies;
    }

    /** This instance's alerts (localOnly), or every instance's, as {@link AlertListing} orders and cuts them. */
    @SuppressWarnings("unchecked")
    private Answer alerts(Context ctx, boolean localOnly) throws Exception {
        AlertListing listing = AlertListing.parse(ctx.queryParam("status"), ctx.queryParam("type"),
                ctx.queryParam("account"), ctx.queryParam("limit"));
        KafkaStreams client = running();
        AlertListing.Page page = listing.select(queries(client).alerts());
        if (!localOnly && self != null) {
            List<Map<String, Object>> rows = new ArrayList<>(page.alerts());
            long total = page.total();
            for (Map<String, Object> body : askOthers(client, ALERTS_LOCAL + "?" + listing.query(), "the list")) {
                rows.addAll((List<Map<String, Object>>) body.get("alerts"));
                total += ((Number) body.get("total")).longValue();
            }
            page = listing.page(rows, total);
        }
        return new Answer(200, page.toJson());
    }

    /** This instance's part of the overview (localOnly, as it travels), or every instance's added up. */
    private Answer overview(boolean localOnly) throws Exception {
        KafkaStreams client = running();
        AccountQueries queries = queries(client);
        Overview overview = Overview.of(queries.alerts(), queries.summaries(), settings.risk().scorer() != null,
                deadLetters.get());
        if (localOnly) {
            return new Answer(200, overview.toPart());
        }
        if (self != null) {
            for (Map<String, Object> part : askOthers(client, OVERVIEW_LOCAL, "the overview")) {
                overview = overview.plus(Overview.fromPart(part));
            }
        }
        return new Answer(200, overview.toJson());
    }

    /** The error sentence of another instance's answer, or its body when it is not one of ours. */
    private static String errorOf(String body) {
        try {
            Object error = JSON.readValue(body, new TypeReference<Map<String, Object>>() { }).get("error");
            return error == null ? body : error.toString();
        } catch (IOException e) {
            return body.length() > 200 ? body.substring(0, 200) + "..." : body;
        }
    }

    private static int n(String value) {
        return whole("n", value, DEFAULT_N, MAX_N);
    }

    /** The parameter {@code name}: a whole number from 1 to {@code max}, {@code absent} when not given; else 400. */
    static int whole(String name, String value, int absent, int max) {
        if (value == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Refusal(400, name + " must be a whole number from 1 to " + max + ", not '" + value + "'");
    }

    /** A query parameter's value, URL-encoded (spaces as %20). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
