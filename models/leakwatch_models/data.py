"""features.csv, as written by `./leakwatch features` (docs/risk-scoring.md, "Training data").

Columns: account_id, as_of, period, currency, monthly_revenue, <every Feature in catalog order>,
then the label columns below. A label cell is empty when the row's label horizon runs past the end
of the data; such rows are dropped per target (a churn label needs 3 periods, a leakage label 1).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .contract import Contract, ContractError

ID_COLUMNS = ["account_id", "as_of", "period", "currency", "monthly_revenue"]
LABEL_COLUMNS = [
    "leakage_next_period",
    "leakage_next_period_amount",
    "leakage_next_period_ratio",
    "churn_next_3_periods",
]
BINARY_LABELS = {"leakage_next_period", "churn_next_3_periods"}
# How many periods after as_of a target looks at: the label of a row is known only at as_of + horizon,
# so a training row must satisfy as_of + horizon <= cutoff (split.py) or it would peek past the cutoff.
LABEL_HORIZON_MONTHS = {
    "leakage_next_period": 1,
    "leakage_next_period_amount": 1,
    "leakage_next_period_ratio": 1,
    "churn_next_3_periods": 3,
}
_TRUE = {"1", "1.0", "true", "t", "yes"}
_FALSE = {"0", "0.0", "false", "f", "no"}


@dataclass(frozen=True)
class FeatureTable:
    path: Path
    sha256: str
    frame: pd.DataFrame  # as_of parsed to UTC timestamps; label columns float with NaN for empty cells


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load(path: Path | str) -> FeatureTable:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such features.csv (make one with ./leakwatch features)")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ["account_id", "as_of", *LABEL_COLUMNS] if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}; is this a features.csv?")
    frame["as_of"] = pd.to_datetime(frame["as_of"], utc=True, format="ISO8601")
    for col in LABEL_COLUMNS:
        frame[col] = _label(frame[col], col, path)
    return FeatureTable(path, sha256_of(path), frame)


def _label(values: pd.Series, name: str, path: Path) -> pd.Series:
    text = values.str.strip().str.lower()
    if name in BINARY_LABELS:
        bad = ~text.isin(_TRUE | _FALSE | {""})
        if bad.any():
            raise ValueError(f"{path}: column {name} has non-binary value {values[bad].iloc[0]!r}")
        return text.map(lambda v: 1.0 if v in _TRUE else 0.0 if v in _FALSE else np.nan)
    return pd.to_numeric(text.replace("", np.nan), errors="raise").astype(float)


def check_columns(contract: Contract, table: FeatureTable) -> None:
    """Fails with one clear message when the contract names a column features.csv does not have,
    or names a label column as a feature (it would be trained on its own answer)."""
    for f in contract.columns:
        if f in LABEL_COLUMNS:
            raise ContractError(f"{contract.path}: feature '{f}' is a label column of features.csv; "
                                f"a model must not be trained on its own answer")
    unknown = [f for f in contract.columns if f not in table.frame.columns]
    if unknown:
        raise ContractError(
            f"{contract.path}: unknown feature column(s) {', '.join(unknown)}: not in {table.path} "
            f"(its feature columns: {', '.join(feature_columns(table.frame))})")
    if contract.target not in LABEL_COLUMNS:
        raise ContractError(f"{contract.path}: target '{contract.target}' is not a label column "
                            f"({', '.join(LABEL_COLUMNS)})")


def feature_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in ID_COLUMNS and c not in LABEL_COLUMNS]


def labelled(table: FeatureTable, target: str) -> pd.DataFrame:
    """The rows whose label for `target` is known (empty label cells are dropped, never imputed)."""
    return table.frame[table.frame[target].notna()]


def matrix(frame: pd.DataFrame, contract: Contract) -> np.ndarray:
    """The model input: exactly the contract's columns, in contract order, as float32 (what the Java
    scorer feeds ONNX Runtime). An empty cell takes the feature's contract default, as in the stream."""
    cols = []
    for spec in contract.features:
        col = pd.to_numeric(frame[spec.name].replace("", np.nan), errors="coerce")
        bad = col.isna() & frame[spec.name].astype(str).str.strip().ne("")
        if bad.any():
            raise ValueError(f"column {spec.name}: not a number: {frame[spec.name][bad].iloc[0]!r}")
        cols.append(col.fillna(spec.default).to_numpy(dtype=np.float64))
    x = np.column_stack(cols).astype(np.float32)
    if not np.isfinite(x).all():
        r, c = np.argwhere(~np.isfinite(x))[0]
        raise ValueError(f"column {contract.columns[c]}: value {x[r, c]} is not finite")
    return x
