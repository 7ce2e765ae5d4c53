"""Model card: card.json (for machines and reviews) and card.md (for people), from one dict."""
from __future__ import annotations

import json
from pathlib import Path


def write(directory: Path, card: dict) -> None:
    (directory / "card.json").write_text(json.dumps(card, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    (directory / "card.md").write_text(markdown(card), encoding="utf-8")


def _fmt(v) -> str:
    return "—" if v is None else str(v)


def markdown(card: dict) -> str:
    m, s, d = card["metrics"], card["split"], card["data"]
    lines = [
        f"# {card['model']} {card['version']}",
        "",
        f"{card['doc']}",
        "",
        f"- task: {card['task']}, target `{card['target']}`",
        f"- trained_at: {card['trained_at']}",
        f"- estimator: {card['estimator']['class']} (seed {card['estimator']['seed']})",
        f"- contract: `{card['contract']['path']}` sha256 `{card['contract_sha256']}`",
        f"- data: `{d['file']}` sha256 `{card['data_sha256']}`; {d['rows']} rows, {d['rows_labelled']} with a "
        f"known label ({d['rows_unlabelled_dropped']} dropped: label horizon past the end of the data), "
        f"{d['accounts']} accounts, snapshots {d['as_of_first']} … {d['as_of_last']}",
        f"- ONNX: input `{card['onnx']['input']}` float32 [N, {len(card['contract']['features'])}], output "
        f"`{card['onnx']['output']}`[:, {card['onnx']['output_index']}], opsets {card['onnx']['opset']}",
        f"- output: {card['onnx']['output_semantics']}",
        f"- parity: {card['parity']['rows']} rows in parity.jsonl, max |ONNX Runtime − scikit-learn| = "
        f"{card['parity']['max_abs_diff']:.3g} (tolerance {card['parity']['tolerance']})",
        "",
        "## What was measured on what",
        "",
        f"Split {s['method']}.",
        "",
        f"{card['estimator']['fit_on']}",
        "",
        "| set | rows | accounts | snapshots | " + ("base rate" if card["task"] == "classification" else "target mean") + " |",
        "|---|---|---|---|---|",
    ]
    for name in ("train", "holdout"):
        part = s[name]
        lines.append(f"| {name} | {part['rows']} | {part['accounts']} | {part['as_of_first']} … {part['as_of_last']} "
                     f"| {_fmt(part['target_mean'])} |")
    lines += ["", f"Unused by design: {s['unused_rows']} rows (train accounts after the cutoff or inside "
              f"the label horizon, held-out accounts before the cutoff).", "",
              "## Held-out metrics", "", "| metric | value |", "|---|---|"]
    lines += [f"| {k} | {_fmt(v)} |" for k, v in m.items() if k != "measured_on"]
    if card.get("warnings"):
        lines += ["", "## Warnings", ""] + [f"- **{w}**" for w in card["warnings"]]
    if card.get("calibration"):
        lines += ["", "## Calibration (held-out)", "", "| predicted | rows | mean predicted | observed rate |",
                  "|---|---|---|---|"]
        lines += [f"| {c['bin']} | {c['rows']} | {c['mean_predicted']} | {c['observed_rate']} |"
                  for c in card["calibration"]]
    imp = card["feature_importance"]
    lines += ["", "## Feature importance", "", imp["method"] + ".", "", "| feature | importance | std |",
              "|---|---|---|"]
    lines += [f"| {f['name']} | {f['importance']} | {f['std']} |" for f in imp["features"]]
    lines += ["", "## Environment", "", ", ".join(f"{k} {v}" for k, v in card["environment"].items()), ""]
    return "\n".join(lines)
