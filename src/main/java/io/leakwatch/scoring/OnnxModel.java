package io.leakwatch.scoring;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.leakwatch.features.FeatureContract;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One version of one model: an ONNX Runtime session created once and reused for every batch.
 *
 * <p>Input: float32 tensor {@code [N, contract.features().size()]} named {@code contract.input()}, rows built by
 * {@link FeatureContract#row}. Output: column {@code contract.outputIndex()} of {@code contract.output()}
 * ({@code [N, k]}, or {@code [N]} when the model emits one value per row). Loading checks the graph against the
 * contract (input and output names, input width, output column) so a mismatch is a load error, not a wrong score.
 *
 * <p>Thread-safe: ONNX Runtime sessions accept concurrent {@code run} calls; {@link #close()} waits for running
 * batches and later calls fail with {@link IllegalStateException}.
 */
public final class OnnxModel implements AutoCloseable {
    private final FeatureContract contract;
    private final String version;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final int width;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private OnnxModel(FeatureContract contract, String version, OrtEnvironment env, OrtSession session) {
        this.contract = contract;
        this.version = version;
        this.env = env;
        this.session = session;
        this.width = contract.features().size();
    }

    /**
     * Loads {@code file} and checks it against {@code contract}.
     *
     * @throws ModelValidationException with one line naming the model, the version and what is wrong
     */
    public static OnnxModel load(FeatureContract contract, String version, Path file) {
        String id = contract.model() + ":" + version;
        if (!Files.isRegularFile(file)) {
            throw new ModelValidationException(id + ": no model file " + file);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // Batches are small and every stream thread scores its own: one intra-op thread each, no oversubscription.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = env.createSession(Files.readAllBytes(file), options);
        } catch (OrtException | java.io.IOException e) {
            throw new ModelValidationException(id + ": ONNX Runtime cannot load " + file.getFileName() + ": "
                    + firstLine(e.getMessage()), e);
        }
        try {
            checkGraph(id, contract, session);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
        return new OnnxModel(contract, version, env, session);
    }

    private static void checkGraph(String id, FeatureContract contract, OrtSession session) {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            NodeInfo input = inputs.get(contract.input());
            if (input == null || inputs.size() != 1) {
                throw new ModelValidationException(id + ": feature contract mismatch: the contract's input is '"
                        + contract.input() + "', the model's inputs are " + inputs.keySet());
            }
            if (!(input.getInfo() instanceof TensorInfo tensor) || tensor.type != ai.onnxruntime.OnnxJavaType.FLOAT
                    || tensor.getShape().length != 2) {
                throw new ModelValidationException(id + ": feature contract mismatch: input '" + contract.input()
                        + "' must be a float32 matrix [N, " + contract.features().size() + "], the model has " + input.getInfo());
            }
            long modelWidth = tensor.getShape()[1];
            if (modelWidth != contract.features().size()) {
                throw new ModelValidationException(id + ": feature contract mismatch: the contract lists "
                        + contract.features().size() + " features, the model takes " + modelWidth + " columns");
            }
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            NodeInfo output = outputs.get(contract.output());
            if (output == null) {
                throw new ModelValidationException(id + ": feature contract mismatch: the contract reads output '"
                        + contract.output() + "', the model's outputs are " + outputs.keySet());
            }
            if (!(output.getInfo() instanceof TensorInfo out) || out.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
                throw new ModelValidationException(id + ": output '" + contract.output() + "' is not a float32 tensor: "
                        + output.getInfo());
            }
            long[] shape = out.getShape();
            long columns = shape.length == 1 ? 1 : shape.length == 2 ? shape[1] : -2;
            if (columns == -2 || (columns >= 0 && contract.outputIndex() >= columns) || contract.outputIndex() < 0) {
                throw new ModelValidationException(id + ": feature contract mismatch: output_index "
                        + contract.outputIndex() + " but output '" + contract.output() + "' has shape " + Arrays.toString(shape));
            }
        } catch (OrtException e) {
            throw new ModelValidationException(id + ": cannot read the model's inputs and outputs: " + firstLine(e.getMessage()), e);
        }
    }

    public FeatureContract contract() {
        return contract;
    }

    public String name() {
        return contract.model();
    }

    /** {@code v<N>}. */
    public String version() {
        return version;
    }

    /** {@code model:version}, as on every score ({@code leakage_risk:v1}). */
    public String id() {
        return contract.model() + ":" + version;
    }

    /** The model's output for each row (the contract's column), in row order; one {@code session.run}. */
    public double[] predict(List<float[]> rows) {
        if (rows.isEmpty()) {
            return new double[0];
        }
        FloatBuffer input = FloatBuffer.allocate(rows.size() * width);
        for (float[] row : rows) {
            if (row.length != width) {
                throw new IllegalArgumentException(id() + " takes " + width + " features per row, got " + row.length);
            }
            input.put(row);
        }
        input.flip();
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException(id() + " is closed");
            }
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {rows.size(), width});
                 OrtSession.Result result = session.run(Map.of(contract.input(), tensor), Set.of(contract.output()))) {
                OnnxValue value = result.get(contract.output())
                        .orElseThrow(() -> new IllegalStateException(id() + " returned no '" + contract.output() + "'"));
                FloatBuffer out = ((OnnxTensor) value).getFloatBuffer();
                int columns = out.remaining() / rows.size();
                double[] predictions = new double[rows.size()];
                for (int i = 0; i < predictions.length; i++) {
                    predictions[i] = out.get(i * columns + contract.outputIndex());
                }
                return predictions;
            } catch (OrtException e) {
                throw new IllegalStateException(id() + ": inference failed: " + firstLine(e.getMessage()), e);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Releases the session once running batches have finished. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                closeQuietly(session);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean isClosed() {
        lock.readLock().lock();
        try {
            return closed;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public String toString() {
        return id();
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException ignored) {
            // nothing left to release
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
