package io.leakwatch.app;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.UnrecoverableKeyException;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;

/**
 * Fail-fast check for CLI commands: is the cluster there, and does it accept these credentials, before we
 * start a topology or a producer that would otherwise retry silently (and log a warning per reconnect) forever?
 * Three answers besides success, each one line: the settings cannot make a client
 * ({@link KafkaClientSettingsException}), the cluster refused this client ({@link BrokerAuthenticationException}),
 * or nothing answered ({@link BrokerUnreachableException}).
 */
public final class KafkaReachability {

    /** The client id of the check's Admin client; the CLI's logging drops that client's own log lines. */
    public static final String CLIENT_ID = "leakwatch-reachability";

    private static final int MAX_CAUSE_LENGTH = 200;
    /** Quoted values of password-like options in a JAAS config ({@code password="..."}, {@code user_alice="..."}). */
    private static final Pattern JAAS_SECRET = Pattern.compile("(?i)\\b(?:password|user_[^\\s=]*)\\s*=\\s*\"([^\"]*)\"");

    private KafkaReachability() {
    }

    /**
     * Runs Admin describeCluster bounded by {@code timeout}.
     *
     * @param clientProps client settings; {@code bootstrap.servers} is required, security settings
     *                    (ssl.*, sasl.*, security.protocol) are honoured, non-admin keys are ignored
     * @throws BrokerUnreachableException with a one-line message
     *         {@code cannot reach Kafka at <bootstrap.servers> within 10s: <short cause>}
     * @throws BrokerAuthenticationException with a one-line message
     *         {@code authentication failed against <bootstrap.servers>: <what, and which setting to check>}
     * @throws KafkaClientSettingsException when the settings cannot make a client (e.g. an unreadable trust store)
     * @throws IllegalArgumentException when {@code bootstrap.servers} is missing
     */
    public static void requireReachable(Properties clientProps, Duration timeout) {
        String bootstrap = clientProps.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG + " is not set");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());

        // Fail fast when every bootstrap address is refused or unknown: no point waiting for the timeout.
        List<String> definite = new ArrayList<>();
        List<String> addresses = addresses(bootstrap);
        for (String address : addresses) {
            String problem = probe(address, Math.min(timeoutMs, 1000));
            if (problem == null || problem.startsWith("no answer")) {
                break;
            }
            definite.add(addresses.size() == 1 ? problem : address + " " + problem);
        }
        if (!addresses.isEmpty() && definite.size() == addresses.size()) {
            throw new BrokerUnreachableException(bootstrap,
                    "cannot reach Kafka at " + bootstrap.trim() + ": " + oneLine(String.join(", ", definite)), null);
        }

        Throwable failure;
        Admin admin = null;
        try {
            admin = Admin.create(adminProps(clientProps, timeoutMs));
            failure = null;
        } catch (KafkaException e) {
            if (!isBootstrapProblem(e)) {
                throw new KafkaClientSettingsException("invalid Kafka client settings: "
                        + redact(oneLine(describe(rootCause(e))), clientProps) + settingHint(rootCause(e)), e);
            }
            failure = e; // no bootstrap host resolves, or the list cannot be parsed: the probe in shortCause says which
        }
        if (admin != null) {
            failure = describeCluster(admin, timeoutMs);
            if (failure == null) {
                return;
            }
        }
        if (failure instanceof AuthenticationException refused) {
            throw new BrokerAuthenticationException(bootstrap, "authentication failed against " + bootstrap.trim() + ": "
                    + redact(oneLine(refusal(refused)), clientProps), failure);
        }
        throw new BrokerUnreachableException(bootstrap,
                "cannot reach Kafka at " + bootstrap.trim() + " within " + format(timeout) + ": "
                        + redact(shortCause(bootstrap, failure, timeoutMs), clientProps),
                failure);
    }

    /** @return null when the cluster answered, else why not */
    private static Throwable describeCluster(Admin admin, int timeoutMs) {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .nodes().get(timeoutMs + 1000L, TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } finally {
            // don't let a dead cluster stretch the check beyond the timeout
            admin.close(Duration.ZERO);
        }
    }

    /** Admin.create refuses a bootstrap list it cannot parse or resolve with a ConfigException naming bootstrap.servers. */
    private static boolean isBootstrapProblem(KafkaException e) {
        Throwable root = rootCause(e);
        return root instanceof ConfigException && root.getMessage() != null
                && root.getMessage().contains(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    }

    /**
     * What the broker refused and the setting that decides it. Kafka reports a refused TLS handshake as an
     * authentication failure too: an untrusted broker certificate, or a missing or unaccepted client certificate.
     */
    static String refusal(AuthenticationException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof SaslAuthenticationException) {
            String detail = message.replaceFirst("(?i)^authentication failed( during authentication)?( due to)?:?\\s*", "");
            return (detail.isBlank() ? "the broker refused the SASL credentials" : detail)
                    + " (check the user name and password in sasl.jaas.config)";
        }
        if (e instanceof UnsupportedSaslMechanismException) {
            return message + " (sasl.mechanism)";
        }
        if (e instanceof SslAuthenticationException) {
            Throwable root = rootCause(e);
            String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            if (root instanceof CertPathBuilderException || why.contains("certification path")) {
                return "TLS handshake failed: the broker's certificate is not trusted (ssl.truststore.location)";
            }
            if (why.contains("bad_certificate") || why.contains("certificate_required") || why.contains("certificate_unknown")) {
                return "TLS handshake failed: the broker did not accept this client's certificate, or none was sent"
                        + " (ssl.keystore.location)";
            }
            if (why.contains("subject alternative name") || why.contains("No name matching")) {
                return "TLS handshake failed: the broker's certificate does not name this host (" + why + ")";
            }
            return "TLS handshake failed: " + why;
        }
        return message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Which setting a client-creation failure most likely comes from, when its root cause does not say. */
    private static String settingHint(Throwable root) {
        if (root instanceof NoSuchFileException || root instanceof AccessDeniedException) {
            return " (ssl.keystore.location / ssl.truststore.location)";
        }
        String message = root.getMessage() == null ? "" : root.getMessage();
        if (message.contains("JAAS")) {
            return " (sasl.jaas.config)";
        }
        if (message.contains("keystore password was incorrect") || root instanceof UnrecoverableKeyException) {
            return " (ssl.keystore.password / ssl.truststore.password / ssl.key.password)";
        }
        return "";
    }

    /**
     * Masks every password the settings hold wherever it shows up in a message: a one-line error is printed as is,
     * and a Kafka message may quote a value (a JAAS config that does not parse, a store that cannot be opened).
     */
    static String redact(String message, Properties clientProps) {
        String out = message;
        for (String key : clientProps.stringPropertyNames()) {
            String value = clientProps.getProperty(key);
            if (value == null || value.isEmpty()) {
                continue;
            }
            if (key.endsWith("sasl.jaas.config")) {
                Matcher m = JAAS_SECRET.matcher(value);
                while (m.find()) {
                    if (!m.group(1).isEmpty()) {
                        out = out.replace(m.group(1), "[hidden]");
                    }
                }
                out = out.replace(value, "[hidden]");
            } else if (key.endsWith(".password") || key.endsWith("ssl.keystore.key") || key.endsWith("ssl.key.password")) {
                out = out.replace(value, "[hidden]");
            }
        }
        return out;
    }

    private static Properties adminProps(Properties clientProps, int timeoutMs) {
        Set<String> adminKeys = AdminClientConfig.configNames();
        Properties props = new Properties();
        // keep only what Admin understands: passing Streams/producer keys makes it warn about unused configs
        clientProps.stringPropertyNames().stream()
                .filter(adminKeys::contains)
                .forEach(k -> props.put(k, clientProps.get(k)));
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
        props.put(AdminClientConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE));
        return props;
    }

    /**
     * Admin only says "Timed out waiting for a node assignment" when nothing answers: a quick TCP
     * probe of the bootstrap addresses tells the user whether the port is closed or the host unknown.
     */
    static String shortCause(String bootstrap, Throwable failure, int timeoutMs) {
        boolean nothingAnswered = failure instanceof org.apache.kafka.common.errors.TimeoutException
                || failure instanceof java.util.concurrent.TimeoutException
                // Admin.create fails outright when no bootstrap host resolves
                || failure instanceof KafkaException && rootCause(failure) instanceof ConfigException;
        if (nothingAnswered) {
            int probeMs = Math.max(200, Math.min(1000, timeoutMs / 5));
            List<String> problems = new ArrayList<>();
            List<String> addresses = addresses(bootstrap);
            for (String address : addresses) {
                String problem = probe(address, probeMs);
                if (problem == null) {
                    return oneLine("port open but no Kafka response (wrong listener or security protocol?)");
                }
                problems.add(addresses.size() == 1 ? problem : address + " " + problem);
            }
            if (!problems.isEmpty()) {
                return oneLine(String.join(", ", problems));
            }
        }
        if (failure instanceof InterruptedException) {
            return "interrupted";
        }
        Throwable root = rootCause(failure);
        String message = root.getMessage();
        return oneLine(root.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }

    static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static List<String> addresses(String bootstrap) {
        return Arrays.stream(bootstrap.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** @return null if a TCP connection could be opened, else a short reason */
    private static String probe(String address, int timeoutMs) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            return "invalid address (expected host:port)";
        }
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            return "invalid port";
        }
        InetSocketAddress target = new InetSocketAddress(host, port);
        if (target.isUnresolved()) {
            return "unknown host " + host;
        }
        try (Socket socket = new Socket()) {
            socket.connect(target, timeoutMs);
            return null;
        } catch (ConnectException e) {
            return "connection refused";
        } catch (SocketTimeoutException e) {
            return "no answer to TCP connect";
        } catch (UnknownHostException e) {
            return "unknown host " + host;
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        return line.length() <= MAX_CAUSE_LENGTH ? line : line.substring(0, MAX_CAUSE_LENGTH - 3) + "...";
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
