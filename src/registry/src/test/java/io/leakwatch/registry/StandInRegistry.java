package io.leakwatch.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * A loopback stand-in for a schema registry: the calls of the Confluent-compatible REST API that
 * {@link SchemaRegistryClient} makes, answered as Confluent Schema Registry answers them (status, {@code error_code},
 * {@code message}), with ids of its own (from {@code firstId} up; any id may be given any schema, so ids 1-9 can mean
 * other schemas than the bundled ones). It can require basic or bearer credentials and refuse a registration as
 * incompatible. Every request is recorded.
 *
 * <pre>
 * GET  /schemas/ids/{id}             -> 200 {"schema"} | 404 {"error_code": 40403}
 * POST /subjects/{subject}/versions  -> 200 {"id"} (the schema's id if any subject has it) | 409 {"error_code": 409}
 * POST /subjects/{subject}           -> 200 {"subject","id","version","schema"} | 404 {"error_code": 40401 | 40403}
 * </pre>
 */
public final class StandInRegistry implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final AtomicInteger nextId;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> subjects = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String requiredAuthorization;
    private volatile BiFunction<String, Schema, Optional<String>> compatibility = (subject, schema) -> Optional.empty();

    /** What the stand-in was asked. */
    public record Request(String method, String path, String contentType, String authorization) {
    }

    private StandInRegistry(int firstId, HttpServer server) {
        nextId = new AtomicInteger(firstId);
        this.server = server;
        server.createContext("/", this::handle);
        server.start();
    }

    /** A stand-in on a free loopback port whose ids start at {@code firstId}. */
    public static StandInRegistry start(int firstId) throws IOException {
        return new StandInRegistry(firstId,
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    /** The same over HTTPS, with the certificate of {@code tls}. */
    public static StandInRegistry startTls(int firstId, javax.net.ssl.SSLContext tls) throws IOException {
        com.sun.net.httpserver.HttpsServer server = com.sun.net.httpserver.HttpsServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
        return new StandInRegistry(firstId, server);
    }

    public URI url() {
        String scheme = server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Puts {@code schema} at {@code id} (another producer's schema, or an id that means something else). */
    public StandInRegistry with(int id, Schema schema) {
        byId.put(id, schema);
        return this;
    }

    /** Puts {@code schema} at {@code id} under {@code subject}, as a producer's registration would have. */
    public StandInRegistry with(String subject, int id, Schema schema) {
        byId.put(id, schema);
        subjects.computeIfAbsent(subject, s -> new CopyOnWriteArrayList<>()).add(id);
        return this;
    }

    public StandInRegistry requireBasic(String user, String password) {
        requiredAuthorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public StandInRegistry requireBearer(String token) {
        requiredAuthorization = "Bearer " + token;
        return this;
    }

    /** A registration {@code check} answers with a reason is refused as incompatible (409). */
    public StandInRegistry refusing(BiFunction<String, Schema, Optional<String>> check) {
        compatibility = check;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The schema the stand-in holds at {@code id}. */
    public Optional<Schema> schema(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The ids registered under {@code subject}, oldest first. */
    public List<Integer> versions(String subject) {
        return List.copyOf(subjects.getOrDefault(subject, List.of()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("Content-Type"), auth));
            if (requiredAuthorization != null && !requiredAuthorization.equals(auth)) {
                answer(exchange, 401, error(40101, "Unauthorized"));
                return;
            }
            String[] parts = path.split("/");
            if (exchange.getRequestMethod().equals("GET") && parts.length == 4 && parts[1].equals("schemas")
                    && parts[2].equals("ids")) {
                Schema schema = byId.get(Integer.parseInt(parts[3]));
                if (schema == null) {
                    answer(exchange, 404, error(40403, "Schema " + parts[3] + " not found"));
                } else {
                    ObjectNode body = JSON.createObjectNode();
                    body.put("schema", schema.toString());
                    answer(exchange, 200, body);
                }
                return;
            }
            if (exchange.getRequestMethod().equals("POST") && parts.length >= 3 && parts[1].equals("subjects")) {
                String subject = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
                JsonNode request = JSON.readTree(exchange.getRequestBody());
                Schema schema = new Schema.Parser().parse(request.get("schema").asText());
                if (parts.length == 4 && parts[3].equals("versions")) {
                    register(exchange, subject, schema);
                } else if (parts.length == 3) {
                    lookup(exchange, subject, schema);
                } else {
                    answer(exchange, 404, error(404, "HTTP 404 Not Found"));
                }
                return;
            }
            answer(exchange, 404, error(404, "HTTP 404 Not Found"));
        }
    }

    private void register(HttpExchange exchange, String subject, Schema schema) throws IOException {
        Optional<Integer> inSubject = find(subjects.getOrDefault(subject, List.of()), schema);
        if (inSubject.isEmpty()) {
            Optional<String> refusal = compatibility.apply(subject, schema);
            if (refusal.isPresent()) {
                answer(exchange, 409, error(409, "Schema being registered is incompatible with an earlier schema for"
                        + " subject \"" + subject + "\", details: " + refusal.get()));
                return;
            }
        }
        int id;
        synchronized (this) {
            id = inSubject.or(() -> find(new ArrayList<>(byId.keySet()), schema)).orElseGet(this::freshId);
            byId.putIfAbsent(id, schema);
            if (inSubject.isEmpty()) {
                subjects.computeIfAbsent(subject, s -> new CopyOnWriteArrayList<>()).add(id);
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("id", id);
        answer(exchange, 200, body);
    }

    private void lookup(HttpExchange exchange, String subject, Schema schema) throws IOException {
        List<Integer> versions = subjects.get(subject);
        if (versions == null) {
            answer(exchange, 404, error(40401, "Subject '" + subject + "' not found."));
            return;
        }
        Optional<Integer> id = find(versions, schema);
        if (id.isEmpty()) {
            answer(exchange, 404, error(40403, "Schema not found"));
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("subject", subject);
        body.put("id", id.get());
        body.put("version", versions.indexOf(id.get()) + 1);
        body.put("schema", schema.toString());
        answer(exchange, 200, body);
    }

    /** The next id no schema has: a registry never gives an id to a second schema. */
    private int freshId() {
        int id = nextId.getAndIncrement();
        while (byId.containsKey(id)) {
            id = nextId.getAndIncrement();
        }
        return id;
    }

    private Optional<Integer> find(List<Integer> ids, Schema schema) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        return ids.stream().filter(id -> byId.containsKey(id)
                && SchemaNormalization.parsingFingerprint64(byId.get(id)) == fingerprint).findFirst();
    }

    private static ObjectNode error(int code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error_code", code);
        body.put("message", message);
        return body;
    }

    private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
