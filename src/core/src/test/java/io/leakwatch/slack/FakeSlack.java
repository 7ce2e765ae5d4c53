package io.leakwatch.slack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback HTTP server standing in for Slack: {@code /hooks/NAME} are incoming webhooks,
 * {@code /api/chat.postMessage} and {@code /api/chat.update} the Web API. It records every request and answers
 * 200 unless scripted: {@link #script(String, Reply...)} queues answers per path (429 with Retry-After, 500,
 * 404, ...); {@link #always(String, Reply)} answers every request on a path the same way.
 *
 * <p>Like Slack, chat.postMessage answers with the channel's id (a channel named {@code #ops} is {@code C-OPS})
 * and a new ts per message, and chat.update answers with the channel and ts it was given.
 */
public final class FakeSlack implements AutoCloseable {
    public record Reply(int status, Map<String, String> headers, String body) {
        public static Reply ok() {
            return new Reply(200, Map.of(), "ok");
        }

        public static Reply status(int status, String body) {
            return new Reply(status, Map.of(), body);
        }

        public static Reply retryAfter(int seconds) {
            return new Reply(429, Map.of("Retry-After", Integer.toString(seconds)), "rate_limited");
        }
    }

    /**
     * One request as received: {@code body} as sent (the JSON payload for webhooks), {@code form} the decoded
     * arguments of a Web API call ({@code channel}, {@code ts}, {@code text}, {@code blocks}), {@code response}
     * the body answered.
     */
    public record Request(String path, Instant at, int answered, String body, Map<String, String> form, String response) {
        /** The text a person would read: the payload for a webhook, blocks and text for a Web API call. */
        public String text() {
            return path.startsWith("/api/") ? form.getOrDefault("blocks", "") + form.getOrDefault("text", "") : body;
        }
    }

    public static final String POST = "/api/chat.postMessage";
    public static final String UPDATE = "/api/chat.update";

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Reply> fixed = new ConcurrentHashMap<>();
    private long messages;

    public FakeSlack() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String webhook(String name) {
        return url() + "/hooks/" + name;
    }

    public String apiUrl() {
        return url() + "/api/";
    }

    public synchronized void script(String path, Reply... replies) {
        scripts.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(replies));
    }

    public void always(String path, Reply reply) {
        fixed.put(path, reply);
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The channel id Slack answers for a channel name: {@code #revenue-ops} → {@code C-REVENUE-OPS}. */
    public static String channelId(String channel) {
        return channel.startsWith("#") ? "C-" + channel.substring(1).toUpperCase(Locale.ROOT) : channel;
    }

    /** Requests Slack answered with 200 on a path (null: every path). */
    public synchronized List<Request> accepted(String path) {
        return requests.stream().filter(r -> r.answered() == 200 && (path == null || r.path().equals(path))).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new LinkedHashMap<>();
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        Reply reply;
        String responseBody;
        Map<String, String> headers = new HashMap<>();
        synchronized (this) {
            Deque<Reply> queued = scripts.get(path);
            reply = queued != null && !queued.isEmpty() ? queued.removeFirst() : fixed.getOrDefault(path, Reply.ok());
            responseBody = reply.body();
            headers.putAll(reply.headers());
            if (path.startsWith("/api/")) {
                headers.put("Content-Type", "application/json");
                if (reply.status() == 200 && reply.body().equals("ok")) {
                    String channel = channelId(form.getOrDefault("channel", ""));
                    String ts = path.equals(UPDATE) ? form.getOrDefault("ts", "")
                            : String.format(Locale.ROOT, "1700000000.%06d", ++messages);
                    responseBody = "{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"" + ts + "\"}";
                } else {
                    responseBody = "{\"ok\":false,\"error\":\"" + reply.body() + "\"}";
                }
            }
            requests.add(new Request(path, Instant.now(), reply.status(), body, form, responseBody));
        }
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] bytes = responseBody.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
