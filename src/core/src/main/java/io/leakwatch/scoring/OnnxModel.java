package io.leakwatch.scoring;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.leakwatch.features.FeatureContract;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * <p>A batch's rows and the output are written to and read from direct buffers of the calling thread, reused from
 * batch to batch, and the output tensor is handed to ONNX Runtime ("pinned") when the model declares its width:
 * then nothing is copied on the way in and no output tensor is built on the way out, which halves the fixed cost of a
 * call (measured with these models: 9 us a call of one row, 4.5 us pinned), and most of the topology's scoring
 * calls are small batches. A model whose output width is not declared is read as ONNX Runtime returns it.
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
    /** The output's rank (1 or 2) and columns per row, or 0 columns when the model leaves the width open. */
    private final int outputRank;
    private final int outputColumns;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    /** Per thread: direct buffers for a batch's input and output, grown as batches need (never shrunk). */
    private static final ThreadLocal<FloatBuffer[]> BUFFERS = ThreadLocal.withInitial(() -> new FloatBuffer[2]);

    private OnnxModel(FeatureContract contract, String version, OrtEnvironment env, OrtSession session, long[] outputShape) {
        this.contract = contract;
        this.version = version;
        this.env = env;
        this.session = session;
        this.width = contract.features().size();
        this.outputRank = outputShape.length;
        this.outputColumns = outputShape.length == 1 ? 1 : outputShape[1] > 0 ? (int) outputShape[1] : 0;
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
        long[] outputShape;
        try {
            outputShape = checkGraph(id, contract, session);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
        return new OnnxModel(contract, version, env, session, outputShape);
    }

    /** Checks the graph against the contract; returns the shape of the output the contract reads (rank 1 or 2). */
    private static long[] checkGraph(String id, FeatureContract contract, OrtSession session) {
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
            return shape;
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
        int n = rows.size();
        FloatBuffer[] buffers = BUFFERS.get();
        FloatBuffer input = buffers[0] = direct(buffers[0], n * width);
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
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {n, width})) {
                if (outputColumns > 0) {
                    FloatBuffer out = buffers[1] = direct(buffers[1], n * outputColumns);
                    long[] shape = outputRank == 1 ? new long[] {n} : new long[] {n, outputColumns};
                    try (OnnxTensor output = OnnxTensor.createTensor(env, out, shape);
                         OrtSession.Result ignored = session.run(Map.of(contract.input(), tensor), Set.of(),
                                 Map.of(contract.output(), output))) {
                        return column(out, n, outputColumns);
                    }
                }
                try (OrtSession.Result result = session.run(Map.of(contract.input(), tensor), Set.of(contract.output()))) {
                    OnnxValue value = result.get(contract.output())
                            .orElseThrow(() -> new IllegalStateException(id() + " returned no '" + contract.output() + "'"));
                    FloatBuffer out = ((OnnxTensor) value).getFloatBuffer();
                    return column(out, n, out.remaining() / n);
                }
            } catch (OrtException e) {
                throw new IllegalStateException(id() + ": inference failed: " + firstLine(e.getMessage()), e);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The contract's column of an {@code [n, columns]} output. */
    private double[] column(FloatBuffer out, int n, int columns) {
        double[] predictions = new double[n];
        for (int i = 0; i < n; i++) {
            predictions[i] = out.get(i * columns + contract.outputIndex());
        }
        return predictions;
    }

    /** {@code buffer} cleared with its limit at {@code floats}, or a larger direct one when it is too small. */
    private static FloatBuffer direct(FloatBuffer buffer, int floats) {
        if (buffer == null || buffer.capacity() < floats) {
            int capacity = Math.max(floats, buffer == null ? 1024 : 2 * buffer.capacity());
            buffer = ByteBuffer.allocateDirect(capacity * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        buffer.clear().limit(floats);
        return buffer;
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
