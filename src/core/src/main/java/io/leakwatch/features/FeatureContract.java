package io.leakwatch.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The feature contract of one model ({@code models/<model>/features.json}): which {@link Feature}s, in which
 * order, the model takes, and which ONNX input and output to use. Read by the Python training and by the Java
 * scorer, so the two cannot drift apart. A contract that names a feature the stream does not compute, or
 * gives it another unit or type, is a {@link FeatureContractException}.
 *
 * @param model       model name ({@code leakage_risk}, {@code leakage_amount}, {@code churn_risk})
 * @param task        {@code classification} or {@code regression}
 * @param target      the training label column
 * @param input       ONNX input name (float32 tensor [N, features.size()])
 * @param output      ONNX output name
 * @param outputIndex column of the output to read
 * @param features    the model's input columns, in order
 * @param defaults    per column, the value used when the account has no data ({@code default} in the file)
 * @param sha256      sha256 (hex) of the exact bytes of the file
 */
public record FeatureContract(String model, String task, String target, String input, String output, int outputIndex,
                              List<Feature> features, double[] defaults, String sha256) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public FeatureContract {
        Objects.requireNonNull(model);
        features = List.copyOf(features);
        defaults = defaults.clone();
    }

    public boolean classification() {
        return "classification".equals(task);
    }

    /** The model input row for one snapshot, in contract order. */
    public float[] row(FeatureSnapshot snapshot) {
        float[] row = new float[features.size()];
        for (int i = 0; i < row.length; i++) {
            double v = snapshot.value(features.get(i));
            row[i] = (float) (Double.isFinite(v) ? v : defaults[i]);
        }
        return row;
    }

    public static FeatureContract read(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new FeatureContractException("cannot read feature contract " + file + ": " + e.getMessage());
        }
    }

    public static FeatureContract parse(byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new FeatureContractException("feature contract is not valid JSON: " + e.getMessage());
        }
        String model = text(root, "model");
        List<Feature> features = new ArrayList<>();
        JsonNode list = root.path("features");
        if (!list.isArray() || list.isEmpty()) {
            throw new FeatureContractException("feature contract of " + model + " lists no features");
        }
        double[] defaults = new double[list.size()];
        for (int i = 0; i < list.size(); i++) {
            JsonNode f = list.get(i);
            String name = text(f, "name");
            Feature feature;
            try {
                feature = Feature.byName(name);
            } catch (IllegalArgumentException e) {
                throw new FeatureContractException("feature contract mismatch in " + model + ": the stream computes no feature '" + name + "'");
            }
            if (!"float".equals(f.path("type").asText("float"))) {
                throw new FeatureContractException("feature contract mismatch in " + model + ": " + name + " must be float");
            }
            String unit = f.path("unit").asText(feature.unit());
            if (!unit.equals(feature.unit())) {
                throw new FeatureContractException("feature contract mismatch in " + model + ": " + name + " is in "
                        + feature.unit() + ", the contract says " + unit);
            }
            if (features.contains(feature)) {
                throw new FeatureContractException("feature contract of " + model + " lists " + name + " twice");
            }
            features.add(feature);
            defaults[i] = f.path("default").asDouble(feature.defaultValue());
        }
        return new FeatureContract(model, root.path("task").asText("classification"), root.path("target").asText(""),
                root.path("input").asText("features"), root.path("output").asText("probabilities"),
                root.path("output_index").asInt(1), features, defaults, sha256(bytes));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new FeatureContractException("feature contract: missing '" + field + "'");
        }
        return v.asText();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
