package io.leakwatch.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka (combined broker + controller) running inside this JVM.
 *
 * <p>Used by {@code leakwatch demo} and by integration tests: no Docker, no test kit. Everything
 * listens on 127.0.0.1 on free ports, data lives in a temporary directory that {@link #close()}
 * deletes. Configured for one node (replication 1, min ISR 1), so transactions / exactly-once work.
 * {@link #restart()} stops the node and starts it again on the same directory and ports, as an operator's rolling
 * restart does to a one-node cluster: what was written survives, and clients ride it out.
 *
 * <p>The PLAINTEXT listener is always there: the node talks to itself over it, and tests use it to set up
 * topics and read results. Two secured listeners can be added for clients, the two shapes production
 * clusters take: {@link Builder#saslSslListener SASL_SSL} with SCRAM-SHA-512 users (TLS for privacy, a user
 * name and password for identity: Amazon MSK, Aiven, Strimzi, self-run clusters) and {@link Builder#mtlsListener
 * SSL with a required client certificate} (mutual TLS, the certificate is the identity). SASL_PLAINTEXT and
 * TLS without client authentication are each one half of SASL_SSL and need no listener of their own to be
 * exercised. SCRAM users are written into the metadata log when the storage is formatted, so they can log in
 * as soon as the broker answers. There is no authorizer: any authenticated client may do anything.
 *
 * <p>While any instance is starting or running, Kafka's {@link Exit} halt/exit procedures are replaced
 * by one that throws: on a fatal fault (e.g. the controller failing to start) Kafka would otherwise
 * {@code Runtime.halt(1)} the whole JVM, i.e. the CLI or the test fork, without a word.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     props.put("bootstrap.servers", kafka.bootstrapServers());
 *     ...
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** How long {@link #start()} waits for the broker to answer an Admin describeCluster. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private static final int NODE_ID = 1;
    private static final String LOOPBACK = "127.0.0.1";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** Picking a free port and binding it later is racy; retry a few times with new ports. */
    private static final int MAX_BIND_ATTEMPTS = 3;

    private static final String SASL_SSL_LISTENER = "SASL_SSL";
    private static final String MTLS_LISTENER = "SSL";
    /** The one SASL mechanism of the SASL_SSL listener. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    /** The running server; {@link #restart()} replaces it with a new one on the same config. */
    private KafkaRaftServer server;
    private final KafkaConfig config;
    private final Duration startupTimeout;
    private final Path logDir;
    private final String clusterId;
    private final String bootstrapServers;
    private final String saslSslBootstrapServers;
    private final String mtlsBootstrapServers;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private EmbeddedKafka(KafkaRaftServer server, KafkaConfig config, Duration startupTimeout, Path logDir,
                          String clusterId, String bootstrapServers, String saslSslBootstrapServers,
                          String mtlsBootstrapServers) {
        this.server = server;
        this.config = config;
        this.startupTimeout = startupTimeout;
        this.logDir = logDir;
        this.clusterId = clusterId;
        this.bootstrapServers = bootstrapServers;
        this.saslSslBootstrapServers = saslSslBootstrapServers;
        this.mtlsBootstrapServers = mtlsBootstrapServers;
        // `leakwatch demo` is usually stopped with Ctrl-C: still shut down cleanly and remove the temp dir.
        this.shutdownHook = new Thread(this::shutdownQuietly, "embedded-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a broker with the default single-node settings; blocks until it serves requests. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:<port>} of the PLAINTEXT listener. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * {@code 127.0.0.1:<port>} of the SASL_SSL listener (SCRAM-SHA-512).
     *
     * @throws IllegalStateException when the broker was started without one
     */
    public String saslSslBootstrapServers() {
        if (saslSslBootstrapServers == null) {
            throw new IllegalStateException("this broker has no SASL_SSL listener (Builder.saslSslListener)");
        }
        return saslSslBootstrapServers;
    }

    /**
     * {@code 127.0.0.1:<port>} of the SSL listener that requires a client certificate.
     *
     * @throws IllegalStateException when the broker was started without one
     */
    public String mtlsBootstrapServers() {
        if (mtlsBootstrapServers == null) {
            throw new IllegalStateException("this broker has no mutual-TLS listener (Builder.mtlsListener)");
        }
        return mtlsBootstrapServers;
    }

    /** Client properties with only {@code bootstrap.servers} (the PLAINTEXT listener) set, to be extended by the caller. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    public String clusterId() {
        return clusterId;
    }

    /** The temporary directory holding the metadata and data logs; deleted by {@link #close()}. */
    public Path logDir() {
        return logDir;
    }

    /**
     * Shuts the broker down (a controlled shutdown: logs flushed, nothing lost), waits for it, and starts a new server
     * on the same directory and ports with the same settings; returns once it answers requests again. Records,
     * committed offsets, consumer groups and transactions survive; {@link #bootstrapServers()} and the secured
     * listeners' addresses stay valid. Connected clients lose their connections meanwhile and reconnect by themselves.
     *
     * @throws IllegalStateException when the broker was closed, or does not serve requests again within the startup
     *                               timeout ({@link #close()} still stops whatever is left and deletes the directory)
     */
    public synchronized void restart() {
        if (closed.get()) {
            throw new IllegalStateException("Embedded Kafka at " + bootstrapServers + " is closed");
        }
        long t0 = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        // assigned before it starts, so that close() stops it even when it fails to come up
        server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
            awaitReady(bootstrapServers, deadline);
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw new IllegalStateException("Embedded Kafka at " + bootstrapServers + " did not come back after a restart"
                    + " (startup timeout " + startupTimeout.toMillis() + " ms): " + e.getMessage(), e);
        }
        log.info("Embedded Kafka at {} restarted in {} ms", bootstrapServers, millisSince(t0));
    }

    /** Shuts the broker down, waits for it, and deletes the log directory. Safe to call repeatedly. */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmAlreadyShuttingDown) {
            // the hook is running or about to: nothing to unregister
        }
        long t0 = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            deleteRecursively(logDir);
            restoreFatalExits();
        }
        log.debug("Embedded Kafka at {} stopped in {} ms", bootstrapServers, millisSince(t0));
    }

    private void shutdownQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            log.warn("Embedded Kafka did not shut down cleanly: {}", e.toString());
        }
    }

    /**
     * What a TLS listener of the broker presents and trusts.
     *
     * @param keyStore   PKCS12 key store holding the broker's private key and certificate; the certificate must
     *                   name 127.0.0.1 (subject alternative name), as clients verify the host by default
     * @param trustStore PKCS12 trust store with the certificates (or their CA) of the clients the mutual-TLS
     *                   listener accepts; not read by the SASL_SSL listener, whose clients prove who they are
     *                   with SCRAM
     */
    public record BrokerTls(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {
        @Override
        public String toString() {
            return "BrokerTls[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
        }
    }

    /** Optional overrides before {@link #start()}. */
    public static final class Builder {
        private final Map<String, Object> overrides = new LinkedHashMap<>();
        private final Map<String, String> scramUsers = new LinkedHashMap<>();
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private int fixedBrokerPort;
        private int fixedControllerPort;
        private BrokerTls saslSsl;
        private BrokerTls mtls;

        private Builder() {
        }

        /**
         * Adds a SASL_SSL listener: TLS with the broker's certificate from {@code tls}, then SCRAM-SHA-512 with the
         * users of {@link #scramUser}. Its address is {@link EmbeddedKafka#saslSslBootstrapServers()}.
         */
        public Builder saslSslListener(BrokerTls tls) {
            this.saslSsl = Objects.requireNonNull(tls);
            return this;
        }

        /**
         * Adds an SSL listener that requires a client certificate trusted by {@code tls.trustStore()}; the
         * certificate's distinguished name is the client's identity. Its address is
         * {@link EmbeddedKafka#mtlsBootstrapServers()}.
         */
        public Builder mtlsListener(BrokerTls tls) {
            this.mtls = Objects.requireNonNull(tls);
            return this;
        }

        /** A SCRAM-SHA-512 user of the SASL_SSL listener, written into the metadata log at format time. */
        public Builder scramUser(String name, String password) {
            if (name.isBlank() || password.isEmpty()) {
                throw new IllegalArgumentException("a SCRAM user needs a name and a password");
            }
            // the storage formatter reads "name=...,password=..." inside brackets: these would end a field early
            if ((name + password).chars().anyMatch(c -> c == ',' || c == ']' || c == '=' || c == '"')) {
                throw new IllegalArgumentException("SCRAM user names and passwords here may not contain , ] = or \"");
            }
            scramUsers.put(name, password);
            return this;
        }

        /**
         * Overrides or adds one broker setting (e.g. {@code log.retention.ms}). Listener, node and
         * quorum settings are owned by this class and cannot be overridden.
         */
        public Builder brokerConfig(String key, Object value) {
            if (OWNED_KEYS.contains(key)) {
                throw new IllegalArgumentException(key + " is managed by EmbeddedKafka and cannot be overridden");
            }
            overrides.put(key, String.valueOf(value));
            return this;
        }

        /** Tests only: use these ports instead of picking free ones (0 = pick). */
        Builder ports(int brokerPort, int controllerPort) {
            this.fixedBrokerPort = brokerPort;
            this.fixedControllerPort = controllerPort;
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startup timeout must be positive: " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * Formats a fresh temp dir, starts the server and waits until it answers describeCluster.
         *
         * @throws IllegalStateException when the broker is not up within the startup timeout or fails to start
         */
        public EmbeddedKafka start() {
            for (int attempt = 1; ; attempt++) {
                try {
                    return startOnce();
                } catch (PortTakenException e) {
                    if (attempt >= MAX_BIND_ATTEMPTS) {
                        throw new IllegalStateException("Embedded Kafka could not bind its listeners after "
                                + attempt + " attempts: " + e.getMessage(), e.getCause());
                    }
                    log.debug("Port race on attempt {} ({}), retrying with new ports", attempt, e.getMessage());
                }
            }
        }

        /**
         * The secured listeners next to PLAINTEXT and CONTROLLER, which stay the node's own: inter-broker and
         * controller traffic never leaves loopback, so neither needs credentials.
         */
        private void addSecuredListeners(Map<String, Object> props, Map<String, Integer> ports) {
            if (ports.isEmpty()) {
                return;
            }
            StringBuilder listeners = new StringBuilder((String) props.get("listeners"));
            StringBuilder advertised = new StringBuilder((String) props.get("advertised.listeners"));
            StringBuilder protocols = new StringBuilder((String) props.get("listener.security.protocol.map"));
            ports.forEach((name, port) -> {
                listeners.append(',').append(name).append("://").append(LOOPBACK).append(':').append(port);
                advertised.append(',').append(name).append("://").append(LOOPBACK).append(':').append(port);
                protocols.append(',').append(name).append(':').append(name);
            });
            props.put("listeners", listeners.toString());
            props.put("advertised.listeners", advertised.toString());
            props.put("listener.security.protocol.map", protocols.toString());
            if (saslSsl != null) {
                String p = "listener.name." + SASL_SSL_LISTENER.toLowerCase(Locale.ROOT) + ".";
                putKeyStore(props, p, saslSsl);
                props.put(p + "sasl.enabled.mechanisms", SCRAM_MECHANISM);
                // the server side of SCRAM needs no credentials of its own: it checks clients against the metadata log
                props.put(p + SCRAM_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            }
            if (mtls != null) {
                String p = "listener.name." + MTLS_LISTENER.toLowerCase(Locale.ROOT) + ".";
                putKeyStore(props, p, mtls);
                props.put(p + "ssl.truststore.type", "PKCS12");
                props.put(p + "ssl.truststore.location", mtls.trustStore().toString());
                props.put(p + "ssl.truststore.password", mtls.trustStorePassword());
                props.put(p + "ssl.client.auth", "required");
            }
        }

        private static void putKeyStore(Map<String, Object> props, String prefix, BrokerTls tls) {
            props.put(prefix + "ssl.keystore.type", "PKCS12");
            props.put(prefix + "ssl.keystore.location", tls.keyStore().toString());
            props.put(prefix + "ssl.keystore.password", tls.keyStorePassword());
            props.put(prefix + "ssl.key.password", tls.keyStorePassword());
        }

        private EmbeddedKafka startOnce() {
            long t0 = System.nanoTime();
            long deadline = t0 + startupTimeout.toNanos();
            int brokerPort = fixedBrokerPort > 0 ? fixedBrokerPort : freePort();
            int controllerPort = fixedControllerPort > 0 ? fixedControllerPort : freePort();
            String bootstrap = LOOPBACK + ":" + brokerPort;
            Map<String, Integer> securedPorts = new LinkedHashMap<>();
            if (saslSsl != null) {
                securedPorts.put(SASL_SSL_LISTENER, freePort());
            }
            if (mtls != null) {
                securedPorts.put(MTLS_LISTENER, freePort());
            }
            String clusterId = Uuid.randomUuid().toString();
            Path dir = createTempDir();

            KafkaRaftServer server = null;
            boolean started = false;
            divertFatalExits();
            try {
                Map<String, Object> props = brokerProps(dir, brokerPort, controllerPort);
                addSecuredListeners(props, securedPorts);
                props.put("server.max.startup.time.ms", String.valueOf(startupTimeout.toMillis()));
                props.putAll(overrides);
                KafkaConfig config = new KafkaConfig(props, false);
                format(dir, clusterId, scramUsers);

                server = new KafkaRaftServer(config, Time.SYSTEM);
                server.startup();
                awaitReady(bootstrap, deadline);
                started = true;
                log.info("Embedded Kafka started at {}{} in {} ms (cluster {}, data in {})", bootstrap,
                        securedPorts.isEmpty() ? "" : " " + securedPorts, millisSince(t0), clusterId, dir);
                return new EmbeddedKafka(server, config, startupTimeout, dir, clusterId, bootstrap,
                        address(securedPorts.get(SASL_SSL_LISTENER)), address(securedPorts.get(MTLS_LISTENER)));
            } catch (RuntimeException e) {
                if (server != null) {
                    stopQuietly(server); // first, so that its own listeners don't count as "port taken" below
                    server = null;
                }
                // The broker listener's bind error propagates; the controller's goes through a fatal
                // fault handler (FatalFaultException, no cause), so check whether its port is now taken.
                if (hasBindFailure(e) || e instanceof FatalFaultException && !canBind(controllerPort)) {
                    throw new PortTakenException("port already in use (broker " + brokerPort + ", controller " + controllerPort
                            + (securedPorts.isEmpty() ? "" : ", " + securedPorts) + ")", e);
                }
                if (e instanceof NotReadyException) {
                    throw new IllegalStateException(e.getMessage(), e.getCause());
                }
                throw new IllegalStateException("Embedded Kafka failed to start at " + bootstrap
                        + " (startup timeout " + startupTimeout.toMillis() + " ms): " + e.getMessage(), e);
            } finally {
                if (!started) {
                    if (server != null) {
                        stopQuietly(server);
                    }
                    deleteRecursively(dir);
                    restoreFatalExits();
                }
            }
        }
    }

    private static final Object EXIT_LOCK = new Object();
    private static int instancesHoldingExit;

    /** Kafka fault handlers call Exit.halt(1): make that throw instead while an embedded broker lives. */
    private static void divertFatalExits() {
        synchronized (EXIT_LOCK) {
            if (instancesHoldingExit++ == 0) {
                Exit.setHaltProcedure(EmbeddedKafka::refuseToTerminate);
                Exit.setExitProcedure(EmbeddedKafka::refuseToTerminate);
            }
        }
    }

    private static void restoreFatalExits() {
        synchronized (EXIT_LOCK) {
            if (--instancesHoldingExit == 0) {
                Exit.resetHaltProcedure();
                Exit.resetExitProcedure();
            }
        }
    }

    private static void refuseToTerminate(int statusCode, String message) {
        throw new FatalFaultException("a fatal broker fault, logged above (a standalone broker would exit with status "
                + statusCode + ")" + (message == null ? "" : ": " + message));
    }

    private static final Set<String> OWNED_KEYS = Set.of(
            "process.roles", "node.id", "controller.quorum.voters", "controller.quorum.bootstrap.servers",
            "listeners", "advertised.listeners", "controller.listener.names", "inter.broker.listener.name",
            "listener.security.protocol.map", "log.dirs", "log.dir", "metadata.log.dir");

    static Map<String, Object> brokerProps(Path dir, int brokerPort, int controllerPort) {
        Map<String, Object> p = new LinkedHashMap<>();
        // One combined broker+controller node with a static single voter.
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort
                + "," + CONTROLLER_LISTENER + "://" + LOOPBACK + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", dir.toString());

        // Single node: every internal topic must be satisfiable with one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        // Fewer internal partitions than the production defaults (50) keep the first
        // group / transaction coordinator load fast; plenty for a demo or a test.
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.num.partitions", "4");

        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "4");
        p.put("auto.create.topics.enable", "false");
        // Demos and tests replay history and deliberately send implausible timestamps: let Leakwatch's own
        // timestamp checks judge them (dead-letter topic) instead of the broker refusing the write.
        p.put("log.message.timestamp.after.max.ms", String.valueOf(Long.MAX_VALUE));
        p.put("log.message.timestamp.before.max.ms", String.valueOf(Long.MAX_VALUE));
        // Retention is judged by record timestamps: replayed history (2024 events in 2026) would be deleted
        // segment by segment while the topology reads it, and the consumer would silently jump ahead. Topics
        // created without a retention of their own (scratch topics of tests and the bench) keep everything here;
        // the catalog's topics carry their own settings, which keep history on any broker.
        p.put("log.retention.ms", "-1");

        // The log cleaner allocates its dedupe buffer (128 MiB by default) on the heap of *this* JVM.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        // Modest thread pools: this broker shares the JVM with the application.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "2");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        return p;
    }

    private static String address(Integer port) {
        return port == null ? null : LOOPBACK + ":" + port;
    }

    private static void format(Path dir, String clusterId, Map<String, String> scramUsers) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    // one log dir, which is also the metadata log dir (metadata.log.dir is not set)
                    .setMetadataLogDirectory(dir.toString())
                    .addDirectory(dir.toString())
                    // static voters (controller.quorum.voters) => kraft.version 0, no dynamic quorum
                    .setHasDynamicQuorum(false)
                    // Transactions v1: with v2 (the 4.x default) this single-node broker intermittently answers
                    // exactly-once Streams producers with OUT_OF_ORDER_SEQUENCE_NUMBER after CONCURRENT_TRANSACTIONS
                    // retries, which fails their transactions; v1 is the long-proven protocol.
                    .setFeatureLevel("transaction.version", (short) 1)
                    // the same records kafka-storage.sh format --add-scram writes: users exist before the first login
                    .setScramArguments(scramUsers.entrySet().stream()
                            .map(u -> SCRAM_MECHANISM + "=[name=" + u.getKey() + ",password=" + u.getValue() + "]")
                            .toList())
                    .run();
        } catch (Exception e) {
            String message = String.valueOf(e.getMessage());
            for (String password : scramUsers.values()) {
                message = message.replace(password, "[hidden]"); // a SCRAM argument the formatter refused may be quoted
            }
            throw new IllegalStateException("Embedded Kafka could not format storage in " + dir + ": " + message,
                    scramUsers.isEmpty() ? e : null);
        }
    }

    private static void awaitReady(String bootstrap, long deadlineNanos) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        Exception last = null;
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadlineNanos) {
                long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
                int attemptMs = (int) Math.min(remainingMs, 5000);
                try {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(attemptMs))
                            .nodes().get(attemptMs + 500L, TimeUnit.MILLISECONDS);
                    return;
                } catch (ExecutionException e) {
                    last = e.getCause() instanceof Exception cause ? cause : e;
                } catch (TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NotReadyException("Interrupted while waiting for embedded Kafka at " + bootstrap, e);
                }
                sleep(100);
            }
        }
        throw new NotReadyException("Embedded Kafka at " + bootstrap
                + " did not answer describeCluster within the startup timeout"
                + (last == null ? "" : ": " + last), last);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket(port, 0, InetAddress.getByName(LOOPBACK))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean hasBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            String msg = t.getMessage();
            if (msg != null && msg.contains("failed to bind")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("leakwatch-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir for embedded Kafka", e);
        }
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.debug("Ignoring error while stopping a broker that failed to start", e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Utils.delete(dir.toFile());
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not fully delete embedded Kafka dir {}: {}", dir, e.toString());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Thrown from Kafka's Exit.halt/exit hook instead of terminating the JVM. */
    private static final class FatalFaultException extends RuntimeException {
        FatalFaultException(String message) {
            super(message);
        }
    }

    /** The server started but did not answer describeCluster in time; carries the final message. */
    private static final class NotReadyException extends RuntimeException {
        NotReadyException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A listener port was grabbed by someone else between picking and binding it. */
    private static final class PortTakenException extends RuntimeException {
        PortTakenException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
