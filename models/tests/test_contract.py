import json
import re

import numpy as np
import pandas as pd
import pytest

from conftest import MODELS_DIR, REPO
from leakwatch_models import MODELS, contract, data, synthetic


def java_catalog():
    """(name, unit, window, default) of every io.leakwatch.features.Feature, in enum order."""
    src = (REPO / "src/core/src/main/java/io/leakwatch/features/Feature.java").read_text()
    return [(n.lower(), u, w, float(d)) for n, u, w, d in
            re.findall(r'^\s+([A-Z0-9_]+)\("([^"]*)", "([^"]*)", (-?[0-9.]+),', src, flags=re.M)]


def write_contract(tmp_path, **changes):
    doc = json.loads((MODELS_DIR / "leakage_risk" / "features.json").read_text())
    doc.update(changes)
    path = tmp_path / "features.json"
    path.write_text(json.dumps(doc))
    return path


def test_shouldParseEveryCommittedContractWithItsColumnsInFileOrder():
    for m in MODELS:
        c = contract.load(MODELS_DIR, m)
        raw = json.loads((MODELS_DIR / m / "features.json").read_text())
        assert c.model == m
        assert c.columns == [f["name"] for f in raw["features"]]
        assert c.input == "features"
        assert (c.output, c.output_index) == (("probabilities", 1) if c.is_classifier else ("variable", 0))


def test_shouldHashTheExactBytesOfTheContractFile(tmp_path):
    path = write_contract(tmp_path)
    import hashlib
    assert contract.parse(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_shouldMatchTheJavaFeatureCatalogInNameUnitWindowAndDefault():
    catalog = java_catalog()
    assert [n for n, *_ in catalog] == synthetic.CATALOG, "synthetic.CATALOG drifted from Feature.java"
    by_name = {n: (u, w, d) for n, u, w, d in catalog}
    for m in MODELS:
        for f in contract.load(MODELS_DIR, m).features:
            assert f.name in by_name, f"{m}: {f.name} is not a Feature"
            assert (f.unit, f.window, f.default) == by_name[f.name], f"{m}: {f.name} differs from Feature.java"


def test_shouldSelectExactlyTheContractColumnsInContractOrder(tmp_path):
    c = contract.load(MODELS_DIR, "leakage_risk")
    frame = synthetic.generate(accounts=3, months=4, seed=1)
    shuffled = frame[list(reversed(frame.columns))].assign(extra_column=42.0)
    path = tmp_path / "features.csv"
    shuffled.to_csv(path, index=False)
    table = data.load(path)
    data.check_columns(c, table)
    x = data.matrix(table.frame, c)
    assert x.dtype == np.float32
    expected = frame[c.columns].to_numpy(dtype=np.float64).astype(np.float32)
    np.testing.assert_array_equal(x, expected)


def test_shouldFillAnEmptyFeatureCellWithTheContractDefault(tmp_path):
    c = contract.load(MODELS_DIR, "churn_risk")
    frame = synthetic.generate(accounts=1, months=3, seed=1).astype({"months_to_contract_end": object})
    frame.loc[0, "months_to_contract_end"] = ""
    path = tmp_path / "features.csv"
    frame.to_csv(path, index=False)
    x = data.matrix(data.load(path).frame, c)
    assert x[0, c.columns.index("months_to_contract_end")] == 24.0


def test_shouldFailClearlyWhenTheContractNamesAnUnknownColumn(tmp_path, features_csv):
    doc = json.loads((MODELS_DIR / "leakage_risk" / "features.json").read_text())
    doc["features"].append({"name": "moon_phase", "type": "float", "unit": "ratio", "window": "now", "default": 0.0})
    path = tmp_path / "features.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(contract.ContractError, match=r"unknown feature column\(s\) moon_phase: not in .*features.csv"):
        data.check_columns(contract.parse(path), data.load(features_csv))


def test_shouldRefuseALabelColumnAsAFeature(tmp_path, features_csv):
    doc = json.loads((MODELS_DIR / "leakage_risk" / "features.json").read_text())
    doc["features"].append({"name": "leakage_next_period", "type": "float", "unit": "count", "window": "now", "default": 0.0})
    path = tmp_path / "features.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(contract.ContractError, match="is a label column"):
        data.check_columns(contract.parse(path), data.load(features_csv))


@pytest.mark.parametrize("changes, message", [
    ({"output": "output_probability"}, "has output 'probabilities' read at column 1"),
    ({"task": "ranking"}, "neither 'classification' nor 'regression'"),
    ({"features": []}, "names no features"),
])
def test_shouldRejectAContractTheExportCannotHonour(tmp_path, changes, message):
    with pytest.raises(contract.ContractError, match=re.escape(message)):
        contract.parse(write_contract(tmp_path, **changes))


def test_shouldRejectAFeatureListedTwice(tmp_path):
    doc = json.loads((MODELS_DIR / "leakage_risk" / "features.json").read_text())
    path = write_contract(tmp_path, features=doc["features"] + doc["features"][:1])
    with pytest.raises(contract.ContractError, match="listed twice: payment_failures_90d"):
        contract.parse(path)
