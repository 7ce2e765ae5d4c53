"""Training, evaluation and ONNX export of Leakwatch's account risk models.

The contract with the stream and the Java scorer is docs/risk-scoring.md: each model's
models/<model>/features.json names its input columns (in order), its target, and the ONNX
input/output names; each trained version lands in models/<model>/<version>/ as model.onnx,
card.json, card.md and parity.jsonl.
"""

MODELS = ("leakage_risk", "leakage_amount", "churn_risk")
