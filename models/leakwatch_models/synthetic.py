"""A synthetic features.csv with exactly the documented columns and a learnable signal, for tests and for
trying the training pipeline without a billing world:

    python -m leakwatch_models.synthetic --out /tmp/features.csv [--accounts 300 --months 18 --seed 1]

Each account has a hidden leak propensity and churn propensity; its features are noisy views of them and
its labels are drawn from them, so a good model reaches a held-out ROC-AUC well below 1. The label cells
of snapshots whose horizon runs past the last month are empty, as ./leakwatch features writes them.
"""
from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
import pandas as pd

from .data import ID_COLUMNS, LABEL_COLUMNS

# io.leakwatch.features.Feature, in catalog order (a test checks this against Feature.java).
CATALOG = [
    "payment_failures_90d", "payment_failure_rate_90d", "days_since_last_successful_payment",
    "rate_mismatch_count_90d", "rate_mismatch_amount_ratio_90d",
    "unbilled_usage_count_90d", "unbilled_usage_amount_ratio_90d", "duplicate_charge_count_90d",
    "utilisation", "over_utilisation", "usage_trend_3m", "seat_change_90d", "revenue_z",
    "revenue_trend_6m", "months_since_contract_start", "months_to_contract_end", "invoice_count_trend",
    "contract_amendments", "months_since_contract_amendment",
]
COLUMNS = ID_COLUMNS + CATALOG + LABEL_COLUMNS


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def generate(accounts: int = 300, months: int = 18, seed: int = 1, start: str = "2025-01-01") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    first = pd.Timestamp(start, tz="UTC")
    rows = []
    for a in range(accounts):
        leak, churn = rng.normal(), rng.normal()
        revenue = float(np.round(rng.lognormal(7, 1), 2))
        term = int(rng.integers(12, 37))
        begin = int(rng.integers(0, 4))
        amendments = int(a % 4 == 0) + int(a % 12 == 0)   # no draw: keeps the random stream of the other columns
        for m in range(begin + 1, months + 1):  # snapshot at the end of month m-1
            as_of = first + pd.DateOffset(months=m)
            age = m - begin
            pf = rng.poisson(np.exp(-1.0 + 0.8 * leak + 0.4 * churn))
            rm = rng.poisson(np.exp(-1.2 + 0.9 * leak))
            ub = rng.poisson(np.exp(-1.5 + 0.7 * leak))
            util = float(np.clip(rng.normal(0.9 - 0.15 * churn, 0.15), 0, 3))
            f = {
                "payment_failures_90d": pf,
                "payment_failure_rate_90d": round(pf / (pf + 3.0), 4),
                "days_since_last_successful_payment": float(np.clip(rng.normal(20 + 15 * churn, 10), 0, 365)),
                "rate_mismatch_count_90d": rm,
                "rate_mismatch_amount_ratio_90d": round(rm * abs(rng.normal(0.02, 0.01)), 5),
                "unbilled_usage_count_90d": ub,
                "unbilled_usage_amount_ratio_90d": round(ub * abs(rng.normal(0.03, 0.01)), 5),
                "duplicate_charge_count_90d": rng.poisson(0.1 + 0.1 * max(leak, 0)),
                "utilisation": round(util, 4),
                "over_utilisation": round(max(0.0, util - 1.0), 4),
                "usage_trend_3m": round(rng.normal(-0.1 * churn, 0.1), 4),
                "seat_change_90d": round(rng.normal(-0.05 * churn, 0.05), 4),
                "revenue_z": round(rng.normal(-0.5 * churn, 1.0), 4),
                "revenue_trend_6m": round(rng.normal(-0.02 * churn, 0.02), 5),
                "months_since_contract_start": float(age),
                "months_to_contract_end": float(min(24, max(0, term - age))),
                "invoice_count_trend": round(rng.normal(0.0, 0.1), 4),
                "contract_amendments": amendments,
                "months_since_contract_amendment": 24.0 if amendments == 0 else float(min(24, age % 9)),
            }
            p_leak = _sigmoid(-1.8 + 0.9 * leak + 0.3 * pf + 0.3 * rm)
            leaked = rng.random() < p_leak
            ratio = round(float(rng.lognormal(-3.5, 0.5) * (1 + 0.5 * rm)), 6) if leaked else 0.0
            p_churn = _sigmoid(-3.0 + 1.2 * churn + 0.8 * (f["months_to_contract_end"] <= 3))
            row = {"account_id": f"acct-{a:05d}", "as_of": as_of.strftime("%Y-%m-%dT%H:%M:%SZ"),
                   "period": (as_of - pd.DateOffset(months=1)).strftime("%Y-%m"), "currency": "USD",
                   "monthly_revenue": f"{revenue:.2f}", **f}
            known_leak, known_churn = m + 1 <= months, m + 3 <= months
            row["leakage_next_period"] = int(leaked) if known_leak else ""
            row["leakage_next_period_amount"] = f"{ratio * revenue:.2f}" if known_leak else ""
            row["leakage_next_period_ratio"] = ratio if known_leak else ""
            row["churn_next_3_periods"] = int(rng.random() < p_churn) if known_churn else ""
            rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def write(path: Path, frame: pd.DataFrame) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m leakwatch_models.synthetic")
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--accounts", type=int, default=300)
    ap.add_argument("--months", type=int, default=18)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    write(a.out, generate(a.accounts, a.months, a.seed))
    print(a.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
