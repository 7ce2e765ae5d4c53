package io.leakwatch.broker;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;

/**
 * Fail-fast check for CLI commands: is the cluster there before we start a topology or a producer
 * that would otherwise retry silently (and log a warning per reconnect) forever?
 */
public final class KafkaReachability {

    private static final int MAX_CAUSE_LENGTH = 200;

    private KafkaReachability() {
    }

    /**
     * Runs Admin describeCluster bounded by {@code timeout}.
     *
     * @param clientProps client settings; {@code bootstrap.servers} is required, security settings
     *                    (ssl.*, sasl.*, security.protocol) are honoured, non-admin keys are ignored
     * @throws BrokerUnreachableException with a one-line message
     *         {@code cannot reach Kafka at <bootstrap.servers> within 10s: <short cause>}
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
        try (Admin admin = Admin.create(adminProps(clientProps, timeoutMs))) {
            try {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                        .nodes().get(timeoutMs + 1000L, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                failure = e.getCause() == null ? e : e.getCause();
            } catch (java.util.concurrent.TimeoutException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = e;
            } finally {
                // don't let a dead cluster stretch the check beyond the timeout
                admin.close(Duration.ZERO);
            }
        } catch (KafkaException e) {
            failure = e; // e.g. a bootstrap list that cannot be parsed
        }
        throw new BrokerUnreachableException(bootstrap,
                "cannot reach Kafka at " + bootstrap.trim() + " within " + format(timeout) + ": "
                        + shortCause(bootstrap, failure, timeoutMs),
                failure);
    }

    private static Properties adminProps(Properties clientProps, int timeoutMs) {
        Set<String> adminKeys = AdminClientConfig.configNames();
        Properties props = new Properties();
        // keep only what Admin understands: passing Streams/producer keys makes it warn about unused configs
        clientProps.stringPropertyNames().stream()
                .filter(adminKeys::contains)
                .forEach(k -> props.put(k, clientProps.get(k)));
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "leakwatch-reachability");
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

    private static Throwable rootCause(Throwable t) {
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
