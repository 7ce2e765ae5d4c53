"""ONNX export, parity vectors and the export-time parity check against ONNX Runtime."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper, numpy_helper
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType

from .contract import Contract

# ONNX Runtime for Java 1.28 runs these; pinned so an upgrade of skl2onnx cannot raise them silently.
TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}
PARITY_TOLERANCE = 1e-5
MIN_PARITY_ROWS = 200
REGRESSOR_OUTPUT_SEMANTICS = (
    "leakage_next_period_ratio >= 0: the ONNX graph clips the tree ensemble's output at 0 (Clip node "
    "before output 'variable'), so the scorer reads a non-negative ratio and needs no clipping of its own; "
    "parity.jsonl's expected values are the clipped values")


class ParityError(AssertionError):
    pass


def snap_thresholds_to_float32(model) -> int:
    """Rewrites each split threshold t of a fitted HistGradientBoosting model to the largest float32
    <= t. For every float32 input x, x <= t  <=>  x <= floor32(t), so the sklearn model's predictions
    on float32 inputs (the only inputs the scorer has) do not change, while ONNX's TreeEnsemble, which
    stores thresholds as float32, then routes every row exactly like sklearn. Without this a value equal
    to a training value next to a midpoint threshold can take the other branch in ONNX."""
    changed = 0
    for stage in model._predictors:
        for predictor in stage:
            nodes = predictor.nodes
            t = nodes["num_threshold"]
            f = t.astype(np.float32)
            down = f.astype(np.float64) > t
            f[down] = np.nextafter(f[down], np.float32(-np.inf))
            snapped = f.astype(np.float64)
            inner = ~nodes["is_leaf"].astype(bool)
            changed += int(np.sum((snapped != t) & inner))
            nodes["num_threshold"] = np.where(inner, snapped, t)
    return changed


def sklearn_output(model, x32: np.ndarray, contract: Contract) -> np.ndarray:
    """What the contract's output/output_index mean, computed by sklearn on float32 inputs."""
    x = x32.astype(np.float64)
    if contract.is_classifier:
        return model.predict_proba(x)[:, contract.output_index]
    return np.maximum(model.predict(x), 0.0)


def to_onnx_model(model, contract: Contract, metadata: dict[str, str]) -> onnx.ModelProto:
    initial = [(contract.input, FloatTensorType([None, len(contract.features)]))]
    options = {id(model): {"zipmap": False}} if contract.is_classifier else None
    onx = to_onnx(model, initial_types=initial, target_opset=dict(TARGET_OPSET), options=options)
    if not contract.is_classifier:
        onx = _clip_output_at_zero(onx, "variable")
    names = [o.name for o in onx.graph.output]
    if contract.output not in names:
        raise ValueError(f"{contract.path}: ONNX graph outputs are {names}, not '{contract.output}'")
    del onx.metadata_props[:]
    for k, v in sorted(metadata.items()):
        onx.metadata_props.add(key=k, value=v)
    onnx.checker.check_model(onx, full_check=True)
    opsets = {o.domain: o.version for o in onx.opset_import}
    for domain, version in opsets.items():
        if version > TARGET_OPSET.get(domain, 0):
            raise ValueError(f"ONNX opset {domain or 'ai.onnx'} {version} above the pinned {TARGET_OPSET}")
    return onx


def _clip_output_at_zero(onx: onnx.ModelProto, output: str) -> onnx.ModelProto:
    raw = output + "_unclipped"
    for node in onx.graph.node:
        node.output[:] = [raw if o == output else o for o in node.output]
    onx.graph.initializer.append(numpy_helper.from_array(np.array(0.0, dtype=np.float32), "clip_min"))
    onx.graph.node.append(helper.make_node("Clip", [raw, "clip_min"], [output], name="clip_ratio_at_zero"))
    return onx


def edge_rows(contract: Contract) -> np.ndarray:
    """Rows the held-out data rarely has: all defaults, zeros, ones, large and negative values, and each
    feature alone at a large value with the others at their defaults."""
    n = len(contract.features)
    defaults = np.array(contract.defaults, dtype=np.float32)
    rows = [defaults, np.zeros(n), np.ones(n), np.full(n, 1e6), np.full(n, -1e6), np.full(n, 3.0e38),
            np.full(n, -1.0), np.full(n, 0.5), np.full(n, 1e-7)]
    for i in range(n):
        for big in (1e4, 1e9):
            r = defaults.copy()
            r[i] = big
            rows.append(r)
    return np.vstack(rows).astype(np.float32)


def parity_rows(contract: Contract, holdout_x: np.ndarray, train_x: np.ndarray, seed: int,
                n_data: int = 200) -> np.ndarray:
    """Up to n_data held-out rows (topped up with training rows when the holdout is small), plus edge
    rows, plus jittered copies until there are at least MIN_PARITY_ROWS."""
    rng = np.random.default_rng(seed)
    pool = holdout_x if len(holdout_x) >= n_data else np.vstack([holdout_x, train_x])
    take = pool[np.sort(rng.choice(len(pool), size=min(n_data, len(pool)), replace=False))]
    rows = np.vstack([take, edge_rows(contract)])
    while len(rows) < MIN_PARITY_ROWS:
        base = rows[rng.integers(len(rows))]
        jittered = np.clip(base * rng.uniform(0.5, 1.5, size=base.shape), -3.0e38, 3.0e38)
        rows = np.vstack([rows, jittered.astype(np.float32)])
    return rows.astype(np.float32)


def onnx_output(onx: onnx.ModelProto, contract: Contract, x32: np.ndarray) -> np.ndarray:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(onx.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    out = sess.run([contract.output], {contract.input: x32})[0]
    return np.asarray(out, dtype=np.float64)[:, contract.output_index]


def check_parity(onx: onnx.ModelProto, contract: Contract, x32: np.ndarray, expected: np.ndarray) -> float:
    got = onnx_output(onx, contract, x32)
    diff = np.abs(got - expected)
    worst = int(np.argmax(diff))
    if not diff[worst] <= PARITY_TOLERANCE:
        raise ParityError(
            f"{contract.model}: ONNX Runtime and scikit-learn disagree by {diff[worst]:.3g} > "
            f"{PARITY_TOLERANCE} on parity row {worst} (onnx {got[worst]!r}, sklearn {expected[worst]!r}); "
            f"{int((diff > PARITY_TOLERANCE).sum())} of {len(diff)} rows off")
    return float(diff.max())


def write_parity(path: Path, x32: np.ndarray, expected: np.ndarray) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row, e in zip(x32, expected):
            # float(np.float32) is exact in a double and repr() round-trips it, so Java's
            # (float) Double.parseDouble(..) gets the same float32 back.
            f.write(json.dumps({"features": [float(v) for v in row], "expected": float(e)}) + "\n")
