package io.leakwatch.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leakwatch.features.FeatureContract;
import io.leakwatch.features.FeatureContractException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models a deployment serves, read from a models directory ({@code docs/risk-scoring.md}):
 * <pre>
 * &lt;dir&gt;/&lt;model&gt;/features.json                       the feature contract
 * &lt;dir&gt;/&lt;model&gt;/v&lt;N&gt;/{model.onnx, card.json, parity.jsonl}
 * </pre>
 * Per model the highest valid version is served, unless it is pinned. Valid = ONNX Runtime loads it and its graph
 * matches the contract, {@code card.json}'s {@code contract_sha256} equals the sha256 of {@code features.json}, every
 * {@code parity.jsonl} row reproduces its {@code expected} within {@value #PARITY_TOLERANCE}, and, where its card has
 * held-out metrics, it beats the trivial model and is not worse than the version it would replace (the served one;
 * at start-up, the next lower version) on them ({@link HeldOutScore}).
 *
 * <p>Pinning: {@code <model>/}{@value #PIN_FILE} (one line, e.g. {@code v4}), or else the pin given to
 * {@link #open(Path, Map)} ({@code leakwatch.models.pin}), names the one version of that model to serve, higher or lower
 * than the served one (a roll-back): the held-out comparison does not apply to an operator's choice. Removing the file
 * unpins.
 *
 * <p>Hot reload: {@link #startPolling} re-reads the directory on a wall-clock interval (a model swap is an
 * operation, not data). A new valid version higher than the one served (or a newly pinned one) replaces it; the
 * replaced session is closed once no batch uses it. An invalid version is rejected with one WARN line (once per state of its files)
 * and the served version keeps serving. At start-up a missing directory, or a model without any valid version,
 * is a {@link ModelValidationException}.
 */
public final class ModelRegistry implements AutoCloseable {
    public static final double PARITY_TOLERANCE = 1e-5;
    public static final String CONTRACT_FILE = "features.json";
    public static final String MODEL_FILE = "model.onnx";
    public static final String CARD_FILE = "card.json";
    public static final String PARITY_FILE = "parity.jsonl";
    public static final String PIN_FILE = "pin";

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern VERSION = Pattern.compile("v(\\d{1,9})");

    private final Path dir;
    private final ReadWriteLock swap = new ReentrantReadWriteLock();
    /** Served model per name; replaced (never mutated) under the write lock. */
    private volatile Map<String, OnnxModel> served = Map.of();
    /** "model:vN" (or "model:features.json") -> signature of the files when it was rejected, so it is logged once. */
    private final Map<String, String> rejectedSignatures = new HashMap<>();
    private final Map<String, String> rejections = new TreeMap<>();
    private ScheduledExecutorService poller;
    private boolean closed;

    private final Map<String, String> configuredPins;

    private ModelRegistry(Path dir, Map<String, String> configuredPins) {
        this.dir = dir;
        this.configuredPins = Map.copyOf(configuredPins);
    }

    /** {@link #open(Path, Map)} with no configured pins. */
    public static ModelRegistry open(Path dir) {
        return open(dir, Map.of());
    }

    /**
     * Reads {@code dir} and loads the version to serve of every model in it.
     *
     * @param pins model name -&gt; version ({@code v4}) to serve whatever else the directory holds; a pin file in the
     *             model's directory overrides it
     * @throws ModelValidationException when the directory does not exist, holds no model, or a model has no valid
     *                                  version (or its pinned version is not valid)
     */
    public static ModelRegistry open(Path dir, Map<String, String> pins) {
        if (!Files.isDirectory(dir)) {
            throw new ModelValidationException("models directory " + dir.toAbsolutePath()
                    + " does not exist (set leakwatch.models.dir, or leakwatch.scoring.enabled=false)");
        }
        ModelRegistry registry = new ModelRegistry(dir, pins);
        registry.reload();
        List<String> models = registry.modelNames();
        if (models.isEmpty()) {
            throw new ModelValidationException("models directory " + dir.toAbsolutePath()
                    + " holds no model (expected <model>/" + CONTRACT_FILE + " and <model>/v<N>/" + MODEL_FILE + ")");
        }
        List<String> missing = new ArrayList<>();
        for (String model : models) {
            if (!registry.served.containsKey(model)) {
                String reasons = registry.rejections.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(model + ":")).map(Map.Entry::getValue)
                        .reduce((a, b) -> a + "; " + b).orElse("no version directory v<N>");
                missing.add(model + " (" + reasons + ")");
            }
        }
        if (!missing.isEmpty()) {
            registry.close();
            throw new ModelValidationException("no valid version in " + dir.toAbsolutePath() + " for " + String.join(", ", missing));
        }
        return registry;
    }

    /**
     * The pins of {@code leakwatch.models.pin}: {@code model=vN} pairs separated by commas (blank: none).
     *
     * @throws IllegalArgumentException for anything else, or a model named twice
     */
    public static Map<String, String> parsePins(String text) {
        Map<String, String> pins = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return pins;
        }
        for (String pair : text.split(",")) {
            String[] parts = pair.split("=", -1);
            if (parts.length != 2 || parts[0].isBlank() || versionNumber(parts[1].strip()) < 0) {
                throw new IllegalArgumentException("'" + pair.strip() + "' is not model=v<N>");
            }
            if (pins.put(parts[0].strip(), parts[1].strip()) != null) {
                throw new IllegalArgumentException("model " + parts[0].strip() + " is pinned twice");
            }
        }
        return pins;
    }

    public Path directory() {
        return dir;
    }

    /** Starts the background poll; {@link #close()} stops it. */
    public synchronized ModelRegistry startPolling(Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("model reload poll interval must be positive");
        }
        if (poller == null && !closed) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "leakwatch-model-reload");
                t.setDaemon(true);
                return t;
            });
            long ms = interval.toMillis();
            poller.scheduleWithFixedDelay(() -> {
                try {
                    reload();
                } catch (RuntimeException e) {
                    LOG.warn("model reload of {} failed, models unchanged: {}", dir, e.toString());
                }
            }, ms, ms, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /**
     * Runs {@code work} with a consistent set of served models (name -&gt; model). No model in the set is closed
     * while {@code work} runs; a swap waits for it.
     */
    public <T> T withModels(Function<Map<String, OnnxModel>, T> work) {
        swap.readLock().lock();
        try {
            return work.apply(served);
        } finally {
            swap.readLock().unlock();
        }
    }

    /** "model:version" of every served model, by model name. */
    public Map<String, String> servedVersions() {
        Map<String, String> versions = new TreeMap<>();
        served.forEach((name, model) -> versions.put(name, model.id()));
        return versions;
    }

    /** The latest rejection reason per "model:version" (or "model:features.json"), for operators and tests. */
    public synchronized Map<String, String> rejections() {
        return new TreeMap<>(rejections);
    }

    /** One poll: loads any new valid version above the one served. Called by the poller; callable directly. */
    public synchronized void reload() {
        if (closed) {
            return;
        }
        Map<String, OnnxModel> replacements = new LinkedHashMap<>();
        for (String model : modelNames()) {
            OnnxModel current = served.get(model);
            OnnxModel next = versionToServe(model, current);
            if (next != null) {
                replacements.put(model, next);
            }
        }
        if (replacements.isEmpty()) {
            return;
        }
        Map<String, OnnxModel> next = new TreeMap<>(served);
        List<OnnxModel> retired = new ArrayList<>();
        replacements.forEach((name, model) -> {
            OnnxModel old = next.put(name, model);
            if (old != null) {
                retired.add(old);
            }
            LOG.info("model {}: serving {}{}", name, model.version(), old == null ? "" : " (was " + old.version() + ")");
        });
        swap.writeLock().lock();
        try {
            served = Collections.unmodifiableMap(next);
        } finally {
            swap.writeLock().unlock();
        }
        retired.forEach(OnnxModel::close);
    }

    /** The version of {@code model} to serve instead of {@code current}; null to keep serving it. */
    private OnnxModel versionToServe(String model, OnnxModel current) {
        Path modelDir = dir.resolve(model);
        byte[] contractBytes;
        FeatureContract contract;
        String contractKey = model + ":" + CONTRACT_FILE;
        try {
            contractBytes = Files.readAllBytes(modelDir.resolve(CONTRACT_FILE));
            contract = FeatureContract.parse(contractBytes);
            if (!contract.model().equals(model)) {
                throw new FeatureContractException("feature contract names model '" + contract.model()
                        + "' but lives in directory '" + model + "'");
            }
        } catch (IOException | FeatureContractException e) {
            String signature = signature(modelDir.resolve(CONTRACT_FILE));
            reject(contractKey, signature, model + "/" + CONTRACT_FILE + ": " + e.getMessage(), current);
            return null;
        }
        String pinned = pin(model);
        if (pinned != null) {
            return pinnedVersion(model, contract, pinned, current);
        }
        int servedNumber = current == null ? -1 : versionNumber(current.version());
        List<Path> versions = versionDirs(modelDir);
        for (int i = 0; i < versions.size(); i++) {
            Path versionDir = versions.get(i);
            int number = versionNumber(versionDir.getFileName().toString());
            if (number <= servedNumber) {
                break;
            }
            String id = model + ":" + versionDir.getFileName();
            String signature = contract.sha256() + "|" + signature(versionDir)
                    + (current == null ? "" : "|against " + current.version());
            if (signature.equals(rejectedSignatures.get(id))) {
                continue;
            }
            Optional<HeldOutScore> score = HeldOutScore.of(readCard(versionDir));
            String refused = score.flatMap(HeldOutScore::noBetterThanTrivial).orElse(null);
            if (refused == null && score.isPresent()) {
                Path against = current != null ? modelDir.resolve(current.version()) : nextLowerScored(versions, i);
                Optional<HeldOutScore> base = against == null ? Optional.empty() : HeldOutScore.of(readCard(against));
                if (base.isPresent() && score.get().worseThan(base.get())) {
                    refused = "worse than " + against.getFileName() + (current != null ? ", the version served," : "")
                            + " on the held-out set (" + score.get() + " against " + base.get() + ")";
                }
            }
            if (refused != null) {
                reject(id, signature, id + ": not promoted: " + refused + " (pin a version to serve it anyway)", current);
                continue;
            }
            try {
                OnnxModel loaded = validate(contract, versionDir);
                rejectedSignatures.remove(id);
                rejections.remove(id);
                return loaded;
            } catch (ModelValidationException e) {
                reject(id, signature, e.getMessage(), current);
            }
        }
        return null;
    }

    private OnnxModel pinnedVersion(String model, FeatureContract contract, String pinned, OnnxModel current) {
        if (current != null && current.version().equals(pinned)) {
            return null;
        }
        String id = model + ":" + pinned;
        Path versionDir = dir.resolve(model).resolve(pinned);
        String signature = contract.sha256() + "|" + signature(versionDir) + "|pinned";
        if (signature.equals(rejectedSignatures.get(id))) {
            return null;
        }
        if (versionNumber(pinned) < 0 || !Files.isDirectory(versionDir)) {
            reject(id, signature, id + ": pinned, but there is no version directory " + versionDir, current);
            return null;
        }
        try {
            OnnxModel loaded = validate(contract, versionDir);
            rejectedSignatures.remove(id);
            rejections.remove(id);
            LOG.info("model {}: {} is pinned", model, pinned);
            return loaded;
        } catch (ModelValidationException e) {
            reject(id, signature, e.getMessage() + " (pinned)", current);
            return null;
        }
    }

    /** The version pinned for {@code model}: its pin file's first line, else the configured pin; null when none. */
    private String pin(String model) {
        Path file = dir.resolve(model).resolve(PIN_FILE);
        if (Files.isRegularFile(file)) {
            try {
                Optional<String> line = Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}; the configured pin applies", file, e.toString());
            }
        }
        return configuredPins.get(model);
    }

    /** The highest version below {@code versions[i]} whose card has a held-out score; null when none. */
    private static Path nextLowerScored(List<Path> versions, int i) {
        for (int j = i + 1; j < versions.size(); j++) {
            if (HeldOutScore.of(readCard(versions.get(j))).isPresent()) {
                return versions.get(j);
            }
        }
        return null;
    }

    /** A version's card, or null when it has none that parses (validation says why). */
    private static JsonNode readCard(Path versionDir) {
        try {
            return MAPPER.readTree(Files.readAllBytes(versionDir.resolve(CARD_FILE)));
        } catch (IOException e) {
            return null;
        }
    }

    private void reject(String id, String signature, String reason, OnnxModel current) {
        if (signature.equals(rejectedSignatures.put(id, signature))) {
            return;
        }
        rejections.put(id, reason);
        LOG.warn("model version rejected: {}; {}", reason,
                current == null ? "no version of this model is served" : "still serving " + current.id());
    }

    /**
     * Loads one version directory and checks it: card, ONNX graph against the contract, parity.
     *
     * @throws ModelValidationException naming the version and the first problem found
     */
    public static OnnxModel validate(FeatureContract contract, Path versionDir) {
        String id = contract.model() + ":" + versionDir.getFileName();
        Path card = versionDir.resolve(CARD_FILE);
        JsonNode cardJson;
        if (!Files.isRegularFile(card)) {
            throw new ModelValidationException(id + ": no " + CARD_FILE + " in " + versionDir);
        }
        try {
            cardJson = MAPPER.readTree(Files.readAllBytes(card));
        } catch (IOException e) {
            throw new ModelValidationException(id + ": cannot read " + CARD_FILE + ": " + OnnxModel.firstLine(e.getMessage()));
        }
        String trainedAgainst = cardJson == null ? "" : cardJson.path("contract_sha256").asText("");
        if (!trainedAgainst.equalsIgnoreCase(contract.sha256())) {
            throw new ModelValidationException(id + ": feature contract mismatch: trained against contract sha256 "
                    + (trainedAgainst.isEmpty() ? "(none in card.json)" : trainedAgainst) + ", " + CONTRACT_FILE
                    + " has sha256 " + contract.sha256());
        }
        OnnxModel model = OnnxModel.load(contract, versionDir.getFileName().toString(), versionDir.resolve(MODEL_FILE));
        try {
            checkParity(model, versionDir.resolve(PARITY_FILE));
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Runs every row of a {@code parity.jsonl} through {@code model} and compares with {@code expected}.
     *
     * @return the number of rows checked (at least 1)
     * @throws ModelValidationException at the first row off by more than {@value #PARITY_TOLERANCE}, or a malformed file
     */
    public static int checkParity(OnnxModel model, Path parityFile) {
        List<float[]> rows = new ArrayList<>();
        List<Double> expected = new ArrayList<>();
        int width = model.contract().features().size();
        if (!Files.isRegularFile(parityFile)) {
            throw new ModelValidationException(model.id() + ": no " + PARITY_FILE + " (parity rows are required)");
        }
        try (BufferedReader reader = Files.newBufferedReader(parityFile)) {
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode row = MAPPER.readTree(line);
                JsonNode features = row.path("features");
                if (!features.isArray() || features.size() != width || !row.path("expected").isNumber()) {
                    throw new ModelValidationException(model.id() + ": " + PARITY_FILE + " line " + lineNo
                            + " needs 'features' (" + width + " numbers) and a numeric 'expected'");
                }
                float[] values = new float[width];
                for (int i = 0; i < width; i++) {
                    values[i] = (float) features.get(i).asDouble();
                }
                rows.add(values);
                expected.add(row.get("expected").asDouble());
            }
        } catch (IOException e) {
            throw new ModelValidationException(model.id() + ": cannot read " + PARITY_FILE + ": " + OnnxModel.firstLine(e.getMessage()));
        }
        if (rows.isEmpty()) {
            throw new ModelValidationException(model.id() + ": " + PARITY_FILE + " has no rows");
        }
        double[] actual = model.predict(rows);
        for (int i = 0; i < actual.length; i++) {
            double diff = Math.abs(actual[i] - expected.get(i));
            if (!(diff <= PARITY_TOLERANCE)) {
                throw new ModelValidationException(String.format(java.util.Locale.ROOT,
                        "%s: parity failure on %s row %d: expected %.8f, Java gives %.8f (|diff| %.2e > %.0e)",
                        model.id(), PARITY_FILE, i + 1, expected.get(i), actual[i], diff, PARITY_TOLERANCE));
            }
        }
        return rows.size();
    }

    /** Model directories: those holding a features.json, by name. */
    private List<String> modelNames() {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> Files.isRegularFile(p.resolve(CONTRACT_FILE)))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            LOG.warn("cannot list models directory {}: {}", dir, e.toString());
            return List.copyOf(served.keySet());
        }
    }

    /** {@code v<N>} directories of a model, highest N first. */
    static List<Path> versionDirs(Path modelDir) {
        try (Stream<Path> children = Files.list(modelDir)) {
            return children.filter(Files::isDirectory)
                    .filter(p -> VERSION.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt((Path p) -> versionNumber(p.getFileName().toString())).reversed())
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static int versionNumber(String version) {
        Matcher m = VERSION.matcher(version);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Names, sizes and modification times of the files in a directory (or of one file): changes when they do. */
    private static String signature(Path path) {
        try (Stream<Path> files = Files.isDirectory(path) ? Files.list(path) : Stream.of(path)) {
            StringBuilder sb = new StringBuilder();
            for (Path p : files.sorted().toList()) {
                if (Files.exists(p)) {
                    sb.append(p.getFileName()).append(':').append(Files.size(p)).append(':')
                            .append(Files.getLastModifiedTime(p).toMillis()).append(';');
                }
            }
            return sb.toString();
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /** Stops the poll and closes every served session. */
    @Override
    public void close() {
        ScheduledExecutorService p;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            p = poller;
        }
        if (p != null) {
            p.shutdownNow();
            try {
                p.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, OnnxModel> last;
        swap.writeLock().lock();
        try {
            last = served;
            served = Map.of();
        } finally {
            swap.writeLock().unlock();
        }
        last.values().forEach(OnnxModel::close);
    }
}
