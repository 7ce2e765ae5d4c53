import json
import os
import stat

import numpy as np
import onnx
import onnxruntime as ort
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from leakwatch_models import MODELS, contract, export, synthetic, train


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def parity(path):
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    return np.array([r["features"] for r in rows], dtype=np.float32), np.array([r["expected"] for r in rows])


@pytest.mark.parametrize("model", MODELS)
def test_shouldExportAnOnnxModelWhoseRuntimeOutputMatchesScikitLearn(trained, model):
    c = contract.load(trained, model)
    onx = onnx.load(str(trained / model / "v1" / "model.onnx"))
    onnx.checker.check_model(onx, full_check=True)
    for o in onx.opset_import:  # what ONNX Runtime for Java 1.28 runs
        assert o.version <= {"": 17, "ai.onnx.ml": 3}[o.domain], o
    assert [i.name for i in onx.graph.input] == ["features"]
    assert onx.graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    assert c.output in [o.name for o in onx.graph.output]
    x, expected = parity(trained / model / "v1" / "parity.jsonl")
    assert len(x) >= 200 and x.shape[1] == len(c.features)
    assert np.array_equal(x.astype(np.float64), np.array(
        [json.loads(l)["features"] for l in (trained / model / "v1" / "parity.jsonl").read_text().splitlines()]))
    sess = ort.InferenceSession(str(trained / model / "v1" / "model.onnx"), providers=["CPUExecutionProvider"])
    got = sess.run([c.output], {c.input: x})[0][:, c.output_index]
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-5)
    defaults = np.array([c.defaults], dtype=np.float32)
    assert any(np.array_equal(row, defaults[0]) for row in x), "the all-defaults row is a parity row"


def test_shouldNeverPredictANegativeLeakageRatio(trained):
    x, expected = parity(trained / "leakage_amount" / "v1" / "parity.jsonl")
    assert (expected >= 0).all()
    sess = ort.InferenceSession(str(trained / "leakage_amount" / "v1" / "model.onnx"), providers=["CPUExecutionProvider"])
    assert (sess.run(["variable"], {"features": np.full((1, x.shape[1]), -1e6, dtype=np.float32)})[0] >= 0).all()


@pytest.mark.parametrize("model", MODELS)
def test_shouldWriteACardWithHeldOutMetricsSplitAndProvenance(trained, features_csv, model):
    c = contract.load(trained, model)
    card = json.loads((trained / model / "v1" / "card.json").read_text())
    assert card["version"] == "v1" and card["model"] == model
    assert card["contract_sha256"] == c.sha256
    assert card["data_sha256"] == __import__("hashlib").sha256(features_csv.read_bytes()).hexdigest()
    assert card["trained_at"] == "2026-04-01T00:00:00Z"  # the last as_of of the data: reproducible
    assert card["metrics"]["measured_on"] == "holdout"
    assert card["split"]["train"]["rows"] > 0 and card["split"]["holdout"]["rows"] == card["metrics"]["rows"]
    if c.is_classifier:
        for k in ("roc_auc", "pr_auc", "brier", "base_rate"):
            assert isinstance(card["metrics"][k], float), k
        assert 0.5 < card["metrics"]["roc_auc"] <= 0.99, "the synthetic signal is learnable, not leaked"
        assert sum(b["rows"] for b in card["calibration"]) == card["metrics"]["rows"]
    else:
        assert card["metrics"]["mae"] < card["metrics"]["mae_predict_train_mean"]
    assert [f["name"] for f in card["feature_importance"]["features"]] != []
    assert set(f["name"] for f in card["feature_importance"]["features"]) == set(c.columns)
    md = (trained / model / "v1" / "card.md").read_text()
    assert "## Held-out metrics" in md and card["contract_sha256"] in md
    assert not [p.name for p in (trained / model).iterdir() if p.name.startswith(".")], "no half-written version left"
    assert stat.S_IMODE((trained / model / "v1").stat().st_mode) == 0o777 & ~current_umask(), "not mkdtemp's 0700"


def test_shouldReproduceTheSameFilesFromTheSameData(trained, features_csv, models_dir):
    assert train.main(["--features", str(features_csv), "--models-dir", str(models_dir), "--version", "v1",
                       "--models", "leakage_risk"]) == 0
    for f in ("model.onnx", "card.json", "card.md", "parity.jsonl"):
        assert (models_dir / "leakage_risk/v1" / f).read_bytes() == (trained / "leakage_risk/v1" / f).read_bytes(), f


def test_shouldRefuseToOverwriteAShippedVersion(trained, features_csv, capsys):
    rc = train.main(["--features", str(features_csv), "--models-dir", str(trained), "--version", "v1",
                     "--models", "churn_risk"])
    assert rc == 1
    assert "exists: a shipped version is never overwritten" in capsys.readouterr().err


def test_shouldWarnLoudlyWhenAFeatureLeaksTheLabel(tmp_path, models_dir, capsys):
    frame = synthetic.generate(accounts=150, months=15, seed=3)
    frame["duplicate_charge_count_90d"] = frame["leakage_next_period"].replace("", 0)  # the answer as a feature
    csv = synthetic.write(tmp_path / "leaky.csv", frame)
    assert train.main(["--features", str(csv), "--models-dir", str(models_dir), "--version", "v1",
                       "--models", "leakage_risk"]) == 0
    err = capsys.readouterr().err
    assert "WARNING leakage_risk: held-out ROC-AUC" in err and "probably leaks the label" in err
    card = json.loads((models_dir / "leakage_risk/v1/card.json").read_text())
    assert card["warnings"] and "duplicate_charge_count_90d" in card["warnings"][0]
    assert card["feature_importance"]["features"][0]["name"] == "duplicate_charge_count_90d"


def test_shouldNotChangeScikitLearnPredictionsOnFloat32InputsWhenSnappingThresholds():
    rng = np.random.default_rng(0)
    x = np.round(rng.normal(size=(600, 3)), 3).astype(np.float32)
    y = (x[:, 0] + rng.normal(scale=0.5, size=600) > 0).astype(int)
    model = HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(x.astype(np.float64), y)
    before = model.predict_proba(x.astype(np.float64))
    assert export.snap_thresholds_to_float32(model) > 0
    np.testing.assert_array_equal(model.predict_proba(x.astype(np.float64)), before)
    for stage in model._predictors:
        t = stage[0].nodes["num_threshold"]
        assert np.array_equal(t.astype(np.float32).astype(np.float64), t)


def test_shouldFailOnAnUnknownContractColumnWithOneClearLine(tmp_path, features_csv, models_dir, capsys):
    path = models_dir / "churn_risk" / "features.json"
    doc = json.loads(path.read_text())
    doc["features"][0]["name"] = "payment_failures_900d"
    path.write_text(json.dumps(doc))
    assert train.main(["--features", str(features_csv), "--models-dir", str(models_dir), "--version", "v1",
                       "--models", "churn_risk"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("train: ") and "unknown feature column(s) payment_failures_900d" in err
    assert not (models_dir / "churn_risk" / "v1").exists()
