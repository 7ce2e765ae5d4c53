"""Tiny ONNX models for the Java scorer tests (not for production: trained on made-up data).

Run from the repository root:  /work/pyenv/bin/python src/core/src/test/python/make_test_models.py
Writes src/core/src/test/resources/onnx/models/<model>/{features.json, v1/{model.onnx,card.json,parity.jsonl}} for the
three contracts in models/ (features.json copied byte for byte so contract_sha256 matches), and in
src/core/src/test/resources/onnx/extra/ a second leakage_risk version (hot reload) and a model one column too narrow.
parity.jsonl holds onnxruntime's output for each row (what Java must reproduce within 1e-5).
"""
import hashlib
import json
import pathlib
import shutil

import numpy as np
import onnxruntime as ort
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, Ridge

ROOT = pathlib.Path(".")
OUT = ROOT / "src/core/src/test/resources/onnx"
OPSET = {"": 17, "ai.onnx.ml": 3}


def contract(model):
    path = ROOT / "models" / model / "features.json"
    data = path.read_bytes()
    return json.loads(data), data


def synthetic(names, n, seed):
    rng = np.random.default_rng(seed)
    cols = {}
    for name in names:
        if name.endswith("_count_90d") or name == "payment_failures_90d":
            cols[name] = rng.poisson(0.8, n)
        elif name == "days_since_last_successful_payment":
            cols[name] = rng.integers(0, 120, n)
        elif name == "months_since_contract_start":
            cols[name] = rng.integers(0, 60, n)
        elif name == "months_to_contract_end":
            cols[name] = rng.integers(0, 25, n)
        elif name == "utilisation":
            cols[name] = rng.uniform(0.2, 1.5, n)
        elif name == "revenue_z":
            cols[name] = rng.normal(0, 1.2, n)
        elif "trend" in name or name == "seat_change_90d":
            cols[name] = rng.normal(0, 0.2, n)
        else:
            cols[name] = rng.uniform(0, 0.5, n)
    x = np.column_stack([cols[name] for name in names]).astype(np.float32)
    return x, {name: x[:, i].astype(np.float64) for i, name in enumerate(names)}


def leakage_signal(c):
    return (0.9 * c["payment_failures_90d"] + 1.2 * c["rate_mismatch_count_90d"] + 1.0 * c["unbilled_usage_count_90d"]
            + 4 * c["unbilled_usage_amount_ratio_90d"] + 0.02 * c["days_since_last_successful_payment"] - 2.5)


def churn_signal(c):
    return (-0.25 * c["months_to_contract_end"] - 4 * c["usage_trend_3m"] - 3 * c["seat_change_90d"]
            + 1.5 * c["payment_failure_rate_90d"] + 1.0)


def export(model, x, path, output_name):
    # the input is named by the contract ("features"), not skl2onnx's default "X"
    options = {id(model): {"zipmap": False}} if hasattr(model, "predict_proba") else None
    onx = to_onnx(model, initial_types=[("features", FloatTensorType([None, x.shape[1]]))], target_opset=OPSET,
                  options=options)
    outputs = [o.name for o in onx.graph.output]
    assert output_name in outputs, outputs
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(onx.SerializeToString())


def parity(model_path, x, spec, path, rows=40):
    sess = ort.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    out = sess.run([spec["output"]], {spec["input"]: x[:rows]})[0]
    out = out[:, spec["output_index"]] if out.ndim == 2 else out
    with path.open("w") as f:
        for row, expected in zip(x[:rows], out):
            f.write(json.dumps({"features": [float(v) for v in row], "expected": float(expected)}) + "\n")


def version(model_name, model, x, version_dir, spec, raw):
    version_dir.mkdir(parents=True, exist_ok=True)
    export(model, x, version_dir / "model.onnx", spec["output"])
    card = {"model": model_name, "version": version_dir.name, "trained_at": "2026-01-01T00:00:00Z",
            "contract_sha256": hashlib.sha256(raw).hexdigest(), "data_fingerprint": "synthetic test data",
            "note": "test model from src/core/src/test/python/make_test_models.py; not for production"}
    (version_dir / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    parity(version_dir / "model.onnx", x, spec, version_dir / "parity.jsonl")


def main():
    if (OUT / "models").exists():
        shutil.rmtree(OUT / "models")
    if (OUT / "extra").exists():
        shutil.rmtree(OUT / "extra")
    for name, seed in (("leakage_risk", 1), ("leakage_amount", 2), ("churn_risk", 3)):
        spec, raw = contract(name)
        names = [f["name"] for f in spec["features"]]
        x, c = synthetic(names, 2000, seed)
        rng = np.random.default_rng(seed + 100)
        model_dir = OUT / "models" / name
        model_dir.mkdir(parents=True, exist_ok=True)
        (model_dir / "features.json").write_bytes(raw)
        if name == "leakage_risk":
            y = (leakage_signal(c) + rng.logistic(0, 0.5, len(x)) > 0).astype(int)
            version(name, LogisticRegression(max_iter=2000).fit(x, y), x, model_dir / "v1", spec, raw)
            # v2 for the hot-reload test: a different model of the same contract
            version(name, LogisticRegression(C=0.05, max_iter=2000).fit(x, y), x, OUT / "extra" / "leakage_risk" / "v2", spec, raw)
            # one column too narrow: must be rejected against its contract
            narrow = LogisticRegression(max_iter=2000).fit(x[:, :-1], y)
            export(narrow, x[:, :-1], OUT / "extra" / "narrow" / "model.onnx", "probabilities")
        elif name == "leakage_amount":
            y = np.clip(0.05 * leakage_signal(c) + rng.normal(0, 0.02, len(x)), 0, None)
            version(name, Ridge(alpha=1.0).fit(x, y), x, model_dir / "v1", spec, raw)
        else:
            y = (churn_signal(c) + rng.logistic(0, 0.5, len(x)) > 0).astype(int)
            gb = GradientBoostingClassifier(n_estimators=20, max_depth=2, random_state=0).fit(x, y)
            version(name, gb, x, model_dir / "v1", spec, raw)


if __name__ == "__main__":
    main()
