import numpy as np

from leakwatch_models import data, synthetic


def test_shouldExcludeRowsWithEmptyLabelsPerTarget(tmp_path):
    frame = synthetic.generate(accounts=5, months=6, seed=2)
    path = synthetic.write(tmp_path / "features.csv", frame)
    table = data.load(path)
    for target in ("leakage_next_period", "leakage_next_period_ratio", "churn_next_3_periods"):
        kept = data.labelled(table, target)
        assert len(kept) == (frame[target].astype(str) != "").sum()
        assert kept[target].notna().all()
    # the churn label needs 3 periods, the leakage label 1: churn loses more rows at the end
    assert len(data.labelled(table, "churn_next_3_periods")) < len(data.labelled(table, "leakage_next_period"))
    assert data.labelled(table, "leakage_next_period")["as_of"].max() < table.frame["as_of"].max()


def test_shouldReadBinaryLabelsWrittenAsTrueFalse(tmp_path):
    frame = synthetic.generate(accounts=2, months=4, seed=2)
    frame["leakage_next_period"] = frame["leakage_next_period"].map({1: "true", 0: "false", "": ""})
    table = data.load(synthetic.write(tmp_path / "features.csv", frame))
    values = data.labelled(table, "leakage_next_period")["leakage_next_period"]
    assert set(np.unique(values)) <= {0.0, 1.0}
    assert len(values) == (frame["leakage_next_period"] != "").sum()
