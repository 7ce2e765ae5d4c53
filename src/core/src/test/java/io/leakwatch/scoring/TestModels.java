package io.leakwatch.scoring;

import io.leakwatch.features.Feature;
import io.leakwatch.features.FeatureSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

/** The tiny ONNX test models of src/core/src/test/resources/onnx (see its README) and snapshots to score with them. */
final class TestModels {
    static final Path ROOT = Path.of("src/core/src/test/resources/onnx");
    static final Path MODELS = ROOT.resolve("models");
    static final Path LEAKAGE_V2 = ROOT.resolve("extra/leakage_risk/v2");
    static final Path NARROW = ROOT.resolve("extra/narrow/model.onnx");
    static final Instant AS_OF = Instant.parse("2026-03-01T00:00:00Z");

    private TestModels() {
    }

    /** A private, writable copy of the test models directory. */
    static Path copyModels(Path target) {
        copyTree(MODELS, target);
        return target;
    }

    static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every feature at its catalog default, except the given ones. */
    static FeatureSnapshot snapshot(String account, Map<Feature, Double> values) {
        double[] v = new double[Feature.values().length];
        for (Feature f : Feature.values()) {
            v[f.ordinal()] = values.getOrDefault(f, f.defaultValue());
        }
        return new FeatureSnapshot(account, AS_OF, "USD", new BigDecimal("1000.00"), v);
    }

    static FeatureSnapshot quiet(String account) {
        return snapshot(account, Map.of());
    }

    /** Failing payments, mis-rated and unbilled lines: High on the leakage model. */
    static FeatureSnapshot leaky(String account) {
        // not so many that the test model's probability rounds to 1.0f: then no single feature set to its default
        // moves it, and the account could not be explained
        return snapshot(account, Map.of(Feature.PAYMENT_FAILURES_90D, 2.0, Feature.RATE_MISMATCH_COUNT_90D, 2.0,
                Feature.UNBILLED_USAGE_COUNT_90D, 1.0, Feature.DAYS_SINCE_LAST_SUCCESSFUL_PAYMENT, 40.0));
    }

    /** Contract about to end, usage and seats falling: High on the churn model. */
    static FeatureSnapshot leaving(String account) {
        return snapshot(account, Map.of(Feature.MONTHS_TO_CONTRACT_END, 1.0, Feature.USAGE_TREND_3M, -0.4,
                Feature.SEAT_CHANGE_90D, -0.3));
    }
}
