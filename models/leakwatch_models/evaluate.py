"""Held-out metrics, calibration table, permutation importance and the label-leak guard."""
from __future__ import annotations

import sys

import numpy as np
from sklearn.inspection import permutation_importance
from sklearn.metrics import average_precision_score, brier_score_loss, mean_absolute_error, roc_auc_score

LEAK_AUC = 0.99


def _r(v: float | None) -> float | None:
    return None if v is None else round(float(v), 6)


def classifier_metrics(y: np.ndarray, p: np.ndarray) -> dict:
    both = len(np.unique(y)) == 2
    return {
        "rows": int(len(y)),
        "base_rate": _r(y.mean()) if len(y) else None,
        "mean_predicted": _r(p.mean()) if len(y) else None,
        # ROC-AUC and PR-AUC are undefined when the held-out set has one class only.
        "roc_auc": _r(roc_auc_score(y, p)) if both else None,
        "pr_auc": _r(average_precision_score(y, p)) if both else None,
        "brier": _r(brier_score_loss(y, p, pos_label=1)) if len(y) else None,
    }


def regressor_metrics(y: np.ndarray, pred: np.ndarray, train_mean: float) -> dict:
    return {
        "rows": int(len(y)),
        "target_mean": _r(y.mean()),
        "share_nonzero": _r((y > 0).mean()),
        "mean_predicted": _r(pred.mean()),
        "mae": _r(mean_absolute_error(y, pred)),
        # What "no model" scores: predicting the training mean for everybody.
        "mae_predict_train_mean": _r(mean_absolute_error(y, np.full_like(y, train_mean))),
    }


def calibration_table(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list[dict]:
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1], right=False), 0, bins - 1)
    table = []
    for b in range(bins):
        m = idx == b
        if m.any():
            table.append({"bin": f"{edges[b]:.1f}-{edges[b + 1]:.1f}", "rows": int(m.sum()),
                          "mean_predicted": _r(p[m].mean()), "observed_rate": _r(y[m].mean())})
    return table


def feature_importance(model, x: np.ndarray, y: np.ndarray, columns: list[str], classifier: bool,
                       seed: int) -> dict:
    """Permutation importance on the held-out rows: how much the held-out score drops when one
    column is shuffled (5 repeats). Falls back to Brier when ROC-AUC is undefined (one class)."""
    if classifier:
        scoring = "roc_auc" if len(np.unique(y)) == 2 else "neg_brier_score"
    else:
        scoring = "neg_mean_absolute_error"
    r = permutation_importance(model, x.astype(np.float64), y, scoring=scoring, n_repeats=5,
                               random_state=seed, n_jobs=1)
    order = np.argsort(-r.importances_mean, kind="stable")
    return {
        "method": f"permutation importance on the held-out rows, scoring {scoring}, 5 repeats, seed {seed}",
        "features": [{"name": columns[i], "importance": _r(r.importances_mean[i]),
                      "std": _r(r.importances_std[i])} for i in order],
    }


def leak_warnings(model_name: str, metrics: dict, importance: dict) -> list[str]:
    """A held-out ROC-AUC above 0.99 on a next-period target almost always means a feature encodes the
    label (it was computed with data from after the snapshot). Warn loudly and name the suspects."""
    auc = metrics.get("roc_auc")
    if auc is None or auc <= LEAK_AUC:
        return []
    top = ", ".join(f"{f['name']} ({f['importance']})" for f in importance["features"][:5])
    msg = (f"{model_name}: held-out ROC-AUC {auc} > {LEAK_AUC}: a feature probably leaks the label "
           f"(computed from data at or after the snapshot?). Top features: {top}")
    bar = "!" * 100
    print(f"\n{bar}\nWARNING {msg}\n{bar}\n", file=sys.stderr)
    return [msg]
