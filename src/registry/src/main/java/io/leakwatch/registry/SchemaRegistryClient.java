package io.leakwatch.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leakwatch.config.BadConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;

/**
 * The few calls of the Confluent-compatible schema registry REST API that the Avro wire format needs, which Confluent
 * Schema Registry, Apicurio Registry ({@code /apis/ccompat/v7}) and Redpanda all serve:
 * <pre>
 * GET  /schemas/ids/{id}          the schema of an id                         -> {"schema": "..."}
 * POST /subjects/{subject}/versions  register a schema (or find it registered) -> {"id": N}
 * POST /subjects/{subject}        look a schema up without registering it      -> {"id": N, "version": V, ...}
 * </pre>
 * Every failure is one line naming the registry's URL, never its credentials: unreachable or too slow, credentials
 * refused (401) or access denied (403), a schema incompatible with the subject's versions (409, with the registry's
 * reason), a schema or subject not found, any other answer. The client holds no cache; {@link RegistrySchemaResolver}
 * does.
 */
public final class SchemaRegistryClient {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json,"
            + " application/json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Confluent's error codes: schema not found, subject not found, incompatible schema. */
    private static final int SCHEMA_NOT_FOUND = 40403;
    private static final int SUBJECT_NOT_FOUND = 40401;
    private static final int INCOMPATIBLE = 409;

    private final SchemaRegistrySettings settings;
    private final String base;
    private final HttpClient http;

    /** @throws BadConfigException when a key or trust store cannot be read, naming its key */
    public SchemaRegistryClient(SchemaRegistrySettings settings) {
        this.settings = settings;
        String url = settings.url().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (settings.trustStore().isPresent() || settings.keyStore().isPresent()) {
            builder.sslContext(sslContext(settings));
        }
        this.http = builder.build();
    }

    public SchemaRegistrySettings settings() {
        return settings;
    }

    /** The schema registered under {@code id}; empty when the registry has no such id. */
    public Optional<Schema> schemaById(int id) {
        Answer answer = send(HttpRequest.newBuilder(URI.create(base + "/schemas/ids/" + id)).GET(), "read schema id " + id);
        if (answer.notFound()) {
            return Optional.empty();
        }
        answer.requireOk("read schema id " + id);
        JsonNode type = answer.body().get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw new SchemaIdNotAvroException(id, type.asText());
        }
        JsonNode schema = answer.body().get("schema");
        if (schema == null || !schema.isTextual()) {
            throw new SchemaRegistryException("schema registry " + settings.shownUrl() + " answered schema id " + id
                    + " without a schema");
        }
        try {
            return Optional.of(new Schema.Parser().parse(schema.asText()));
        } catch (RuntimeException e) {
            throw new SchemaIdNotAvroException(id, "unparseable Avro (" + e.getMessage() + ")");
        }
    }

    /** Registers {@code schema} under {@code subject} (a registry answers the existing id when it is there). */
    public int register(String subject, Schema schema) {
        String what = "register " + schema.getFullName() + " under subject " + subject;
        Answer answer = send(post("/subjects/" + encode(subject) + "/versions", schema), what);
        answer.requireOk(what);
        return id(answer, what);
    }

    /** The id of {@code schema} under {@code subject}; empty when the subject does not hold it. */
    public OptionalInt lookup(String subject, Schema schema) {
        String what = "look up " + schema.getFullName() + " under subject " + subject;
        Answer answer = send(post("/subjects/" + encode(subject), schema), what);
        if (answer.notFound()) {
            return OptionalInt.empty();
        }
        answer.requireOk(what);
        return OptionalInt.of(id(answer, what));
    }

    private int id(Answer answer, String what) {
        JsonNode id = answer.body().get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new SchemaRegistryException("schema registry " + settings.shownUrl() + " answered without an id to "
                    + what);
        }
        return id.asInt();
    }

    private HttpRequest.Builder post(String path, Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Answer send(HttpRequest.Builder request, String what) {
        request.timeout(settings.timeout()).header("Accept", ACCEPT);
        settings.auth().header().ifPresent(value -> request.header("Authorization", value));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new SchemaRegistryException("schema registry " + settings.shownUrl() + " did not answer within "
                    + settings.timeout().toMillis() + " ms (trying to " + what + ")", e);
        } catch (SSLException e) {
            throw new SchemaRegistryException("schema registry " + settings.shownUrl() + ": TLS failed ("
                    + e.getMessage() + "); check " + "leakwatch.schema-registry.ssl.truststore.location", e);
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry " + settings.shownUrl() + " is unreachable ("
                    + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while asking schema registry " + settings.shownUrl(), e);
        }
        JsonNode body;
        try {
            body = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        return new Answer(response.statusCode(), body);
    }

    /** "ConnectException: Connection refused": the exception's class and the first message along its causes. */
    private static String describe(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null && message == null; t = t.getCause() == t ? null : t.getCause()) {
            message = t.getMessage() == null || t.getMessage().isBlank() ? null : t.getMessage();
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** A registry's answer: its status and JSON body (null when the body is not JSON). */
    private final class Answer {
        private final int status;
        private final JsonNode json;

        Answer(int status, JsonNode json) {
            this.status = status;
            this.json = json;
        }

        JsonNode body() {
            return json == null ? JSON.createObjectNode() : json;
        }

        int errorCode() {
            JsonNode code = body().get("error_code");
            return code != null && code.canConvertToInt() ? code.asInt() : status;
        }

        boolean notFound() {
            int code = errorCode();
            return status == 404 && (code == 404 || code == SCHEMA_NOT_FOUND || code == SUBJECT_NOT_FOUND);
        }

        String message() {
            JsonNode message = body().get("message");
            return message != null && message.isTextual() ? message.asText() : "HTTP " + status;
        }

        void requireOk(String what) {
            if (status >= 200 && status < 300 && json != null) {
                return;
            }
            String registry = "schema registry " + settings.shownUrl();
            if (status == 401) {
                throw new SchemaRegistryException(registry + " refused the credentials (HTTP 401) trying to " + what
                        + "; check leakwatch.schema-registry.basic-auth.user-info or .bearer-token");
            }
            if (status == 403) {
                throw new SchemaRegistryException(registry + " denied access (HTTP 403) trying to " + what);
            }
            if (status == INCOMPATIBLE || errorCode() == INCOMPATIBLE) {
                throw new SchemaRegistryException(registry + " refused to " + what + ": incompatible with the"
                        + " subject's registered versions (" + message() + ")");
            }
            if (status >= 200 && status < 300) {
                throw new SchemaRegistryException(registry + " answered HTTP " + status + " without JSON trying to "
                        + what + "; is " + settings.shownUrl() + " the base of its REST API?");
            }
            throw new SchemaRegistryException(registry + " answered HTTP " + status + " trying to " + what + ": "
                    + message());
        }
    }

    /** An id of the registry whose schema is not Avro (Protobuf, JSON Schema) or not valid Avro. */
    public static final class SchemaIdNotAvroException extends RuntimeException {
        public SchemaIdNotAvroException(int id, String what) {
            super("schema id " + id + " is not an Avro schema: " + what);
        }
    }

    private static SSLContext sslContext(SchemaRegistrySettings settings) {
        try {
            TrustManagerFactory trust = null;
            if (settings.trustStore().isPresent()) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(settings.trustStore().get()));
            }
            KeyManagerFactory keys = null;
            if (settings.keyStore().isPresent()) {
                SchemaRegistrySettings.Store store = settings.keyStore().get();
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(store), password(store));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new BadConfigException("leakwatch.schema-registry.ssl.*: cannot set up TLS (" + describe(e) + ")");
        }
    }

    private static KeyStore load(SchemaRegistrySettings.Store store) {
        try (InputStream in = Files.newInputStream(store.location())) {
            KeyStore keyStore = KeyStore.getInstance(store.type());
            keyStore.load(in, password(store));
            return keyStore;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e.getCause() instanceof java.security.UnrecoverableKeyException
                            ? "wrong password" : describe(e);
            throw new BadConfigException(store.key() + ": cannot read " + store.type() + " store " + store.location()
                    + " (" + why + ")");
        }
    }

    private static char[] password(SchemaRegistrySettings.Store store) {
        return store.password().map(p -> p.reveal().toCharArray()).orElse(null);
    }
}
