import pandas as pd

from leakwatch_models import data, split, synthetic


def _frame(tmp_path):
    table = data.load(synthetic.write(tmp_path / "f.csv", synthetic.generate(accounts=200, months=14, seed=4)))
    return data.labelled(table, "churn_next_3_periods").reset_index(drop=True)


def test_shouldNeverPutOneAccountInBothTrainAndHoldout(tmp_path):
    frame = _frame(tmp_path)
    s = split.make_split(frame, horizon_months=3)
    train_accounts = set(frame[s.train]["account_id"])
    holdout_accounts = set(frame[s.holdout]["account_id"])
    assert train_accounts and holdout_accounts
    assert not train_accounts & holdout_accounts


def test_shouldTrainOnlyOnLabelsKnownBeforeTheCutoffAndEvaluateAfterIt(tmp_path):
    frame = _frame(tmp_path)
    s = split.make_split(frame, horizon_months=3)
    train_as_of = frame[s.train]["as_of"]
    assert (train_as_of + pd.DateOffset(months=3) <= s.cutoff).all()
    assert (frame[s.holdout]["as_of"] >= s.cutoff).all()


def test_shouldHonourAnExplicitCutoff(tmp_path):
    frame = _frame(tmp_path)
    cutoff = pd.Timestamp("2025-09-01", tz="UTC")
    s = split.make_split(frame, horizon_months=1, cutoff=cutoff)
    assert s.cutoff == cutoff
    assert frame[s.train]["as_of"].max() == pd.Timestamp("2025-08-01", tz="UTC")
    assert frame[s.holdout]["as_of"].min() == cutoff


def test_shouldHoldOutAboutThirtyPercentOfAccountsTheSameWayEveryTime():
    ids = [f"acct-{i}" for i in range(5000)]
    held = [split.is_holdout_account(a) for a in ids]
    assert 0.27 < sum(held) / len(ids) < 0.33
    assert held == [split.is_holdout_account(a) for a in ids]
