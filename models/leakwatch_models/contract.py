"""Feature contract files: models/<model>/features.json (docs/risk-scoring.md).

The contract is read as exact bytes so that its sha256 (recorded in every card, checked by the Java
registry) is the hash of the file on disk, not of a re-serialisation.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

# What the contract's task implies for the ONNX graph that skl2onnx writes (zipmap=False).
EXPECTED_OUTPUT = {
    "classification": ("probabilities", 1),
    "regression": ("variable", 0),
}


class ContractError(ValueError):
    """A feature contract that cannot be trained against; the message names the file and the problem."""


@dataclass(frozen=True)
class FeatureSpec:
    name: str
    type: str
    unit: str
    window: str
    default: float


@dataclass(frozen=True)
class Contract:
    path: Path
    sha256: str
    model: str
    task: str
    target: str
    input: str
    output: str
    output_index: int
    features: tuple[FeatureSpec, ...]

    @property
    def columns(self) -> list[str]:
        """The model's input columns, in contract order (= ONNX input column order)."""
        return [f.name for f in self.features]

    @property
    def defaults(self) -> list[float]:
        return [f.default for f in self.features]

    @property
    def is_classifier(self) -> bool:
        return self.task == "classification"


def contract_path(models_dir: Path, model: str) -> Path:
    return Path(models_dir) / model / "features.json"


def load(models_dir: Path | str, model: str) -> Contract:
    """Reads and validates models/<model>/features.json."""
    return parse(contract_path(Path(models_dir), model))


def parse(path: Path | str) -> Contract:
    path = Path(path)
    if not path.is_file():
        raise ContractError(f"{path}: feature contract not found")
    raw = path.read_bytes()
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as e:
        raise ContractError(f"{path}: not valid JSON ({e})") from e

    def need(key: str, kind: type):
        if key not in doc:
            raise ContractError(f"{path}: missing key '{key}'")
        if not isinstance(doc[key], kind) or isinstance(doc[key], bool):
            raise ContractError(f"{path}: '{key}' must be a {kind.__name__}, got {doc[key]!r}")
        return doc[key]

    task = need("task", str)
    if task not in EXPECTED_OUTPUT:
        raise ContractError(f"{path}: task '{task}' is neither 'classification' nor 'regression'")
    output, output_index = need("output", str), need("output_index", int)
    if (output, output_index) != EXPECTED_OUTPUT[task]:
        want = EXPECTED_OUTPUT[task]
        raise ContractError(
            f"{path}: a {task} model exported by skl2onnx (zipmap=False) has output "
            f"'{want[0]}' read at column {want[1]}, but the contract says '{output}' column {output_index}")

    specs = []
    for i, f in enumerate(need("features", list)):
        if not isinstance(f, dict) or not isinstance(f.get("name"), str) or not f["name"]:
            raise ContractError(f"{path}: features[{i}] has no name")
        if f.get("type") != "float":
            raise ContractError(f"{path}: feature '{f['name']}' has type {f.get('type')!r}; only 'float' is supported")
        default = f.get("default")
        if not isinstance(default, (int, float)) or isinstance(default, bool):
            raise ContractError(f"{path}: feature '{f['name']}' has no numeric default")
        specs.append(FeatureSpec(f["name"], "float", str(f.get("unit", "")), str(f.get("window", "")), float(default)))
    if not specs:
        raise ContractError(f"{path}: the contract names no features")
    names = [s.name for s in specs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ContractError(f"{path}: feature(s) listed twice: {', '.join(dupes)}")

    return Contract(
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        model=need("model", str),
        task=task,
        target=need("target", str),
        input=need("input", str),
        output=output,
        output_index=output_index,
        features=tuple(specs),
    )
