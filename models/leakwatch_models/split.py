"""Honest evaluation split: by account AND by time, never by row.

- Accounts: sha256("leakwatch-holdout:" + account_id) puts ~30% of accounts in the holdout, the same
  ones on every run and for every model, so no account is ever in both sets.
- Time: a cutoff instant T. Training uses train accounts' snapshots whose label is known by T
  (as_of + label horizon <= T: a training label never looks past the cutoff); evaluation uses
  holdout accounts' snapshots with as_of >= T. Train accounts after T and holdout accounts before T
  are used by neither.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

HOLDOUT_SHARE = 0.30
TRAIN_TIME_SHARE = 0.70
_SALT = "leakwatch-holdout:"


def is_holdout_account(account_id: str, share: float = HOLDOUT_SHARE) -> bool:
    digest = hashlib.sha256((_SALT + account_id).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64 < share


@dataclass(frozen=True)
class Split:
    cutoff: pd.Timestamp
    horizon_months: int
    train: np.ndarray    # boolean masks over the labelled frame
    holdout: np.ndarray

    def describe(self) -> str:
        return (f"by account and by time: {round(HOLDOUT_SHARE * 100)}% of accounts held out "
                f"(sha256 of account_id); train = other accounts' snapshots with as_of + "
                f"{self.horizon_months} month(s) label horizon <= {iso(self.cutoff)}; "
                f"evaluation = held-out accounts' snapshots with as_of >= {iso(self.cutoff)}")


def iso(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def choose_cutoff(as_of: pd.Series, horizon_months: int) -> pd.Timestamp:
    """The snapshot instant at ~70% of the labelled snapshot dates (a month boundary from the data)."""
    dates = np.sort(as_of.unique())
    if len(dates) < horizon_months + 2:
        raise ValueError(f"only {len(dates)} labelled snapshot date(s): too few to split by time "
                         f"with a {horizon_months}-month label horizon; generate more months of history")
    idx = min(max(int(len(dates) * TRAIN_TIME_SHARE), horizon_months + 1), len(dates) - 1)
    return pd.Timestamp(dates[idx])


def make_split(frame: pd.DataFrame, horizon_months: int, cutoff: pd.Timestamp | None = None) -> Split:
    if cutoff is None:
        cutoff = choose_cutoff(frame["as_of"], horizon_months)
    holdout_account = frame["account_id"].map(is_holdout_account).to_numpy(dtype=bool)
    label_known_at = frame["as_of"] + pd.DateOffset(months=horizon_months)
    train = ~holdout_account & (label_known_at <= cutoff).to_numpy()
    holdout = holdout_account & (frame["as_of"] >= cutoff).to_numpy()
    if not train.any():
        raise ValueError(f"no training rows before the cutoff {iso(cutoff)}")
    if not holdout.any():
        raise ValueError(f"no held-out rows at or after the cutoff {iso(cutoff)}")
    return Split(cutoff, horizon_months, train, holdout)
