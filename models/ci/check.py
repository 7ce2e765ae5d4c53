#!/usr/bin/env python3
"""The Python part of `mvn verify` (exec-maven-plugin, phase verify, after the integration tests).

    python3 models/ci/check.py [--venv target/pyenv] [--jar src/tools/target/leakwatch.jar]

1. Makes the venv (reused while models/requirements.txt is unchanged) and installs the pinned
   requirements quietly; if that fails (PyPI unreachable, ...) it says so in one line and fails.
2. Runs pytest on models/tests.
3. End to end, when the built jar has the `features` command: generates a small billing world, turns
   it into features.csv, trains the three models into a temporary models directory and checks that
   every model.onnx, card and parity file is there. Without the command it says so and skips.
Run from the repository root (Maven's ${project.basedir}). Skipped by -DskipPython=true or -DskipTests.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
REQUIREMENTS = MODELS / "requirements.txt"
IN_VENV = "LEAKWATCH_CHECK_IN_VENV"


def say(msg: str) -> None:
    print(f"[models] {msg}", flush=True)


def fail(msg: str) -> int:
    print(f"[models] FAILED: {msg}", file=sys.stderr, flush=True)
    return 1


def rel(p: Path) -> str:
    try:
        return str(p.relative_to(ROOT))
    except ValueError:
        return str(p)


def venv_python(env_dir: Path) -> Path:
    return env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(env_dir: Path) -> int:
    if sys.version_info < (3, 11):
        return fail(f"Python 3.11+ is needed for models/requirements.txt, this is {sys.version.split()[0]} "
                    f"({sys.executable}); pass -Dpython=/path/to/python3.11, or -DskipPython=true")
    stamp_value = hashlib.sha256(REQUIREMENTS.read_bytes() + sys.version.encode()).hexdigest()
    stamp = env_dir / ".requirements.sha256"
    if stamp.is_file() and stamp.read_text().strip() == stamp_value and venv_python(env_dir).is_file():
        say(f"reusing {rel(env_dir)} (requirements unchanged)")
        return 0
    started = time.monotonic()
    if not venv_python(env_dir).is_file():
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
        except Exception as e:  # e.g. Debian's python3 without python3-venv
            return fail(f"cannot create a venv in {env_dir} with {sys.executable} ({e}); install python3-venv")
    log = env_dir.parent / "pyenv-pip.log"
    say(f"installing models/requirements.txt into {rel(env_dir)} (quiet; log {rel(log)})")
    with open(log, "w") as out:
        rc = subprocess.call([str(venv_python(env_dir)), "-m", "pip", "install", "--disable-pip-version-check",
                              "--no-input", "--retries", "2", "--timeout", "20", "-r", str(REQUIREMENTS)],
                             stdout=out, stderr=subprocess.STDOUT)
    if rc != 0:
        text = log.read_text(errors="replace")
        unreachable = any(s in text for s in ("Could not fetch URL", "NewConnectionError", "Max retries exceeded",
                                              "Temporary failure in name resolution", "ProxyError",
                                              "No matching distribution found"))
        why = "PyPI is unreachable (or has no matching package)" if unreachable else "pip install failed"
        return fail(f"{why}: could not install models/requirements.txt into {rel(env_dir)}; see "
                    f"{rel(log)} (set PIP_INDEX_URL for a mirror, or -DskipPython=true to skip)")
    stamp.write_text(stamp_value + "\n")
    say(f"installed in {time.monotonic() - started:.0f} s")
    return 0


def run(cmd: list[str], what: str, log: Path | None = None, **kw) -> int:
    """Runs cmd; with a log, its output goes there and only its tail is shown when it fails."""
    started = time.monotonic()
    if log is None:
        rc = subprocess.call(cmd, **kw)
    else:
        with open(log, "w") as out:
            rc = subprocess.call(cmd, stdout=out, stderr=subprocess.STDOUT, **kw)
        if rc != 0:
            print("".join(log.read_text(errors="replace").splitlines(keepends=True)[-20:]), file=sys.stderr)
    say(f"{what}: exit {rc} in {time.monotonic() - started:.1f} s")
    return rc


def pytest() -> int:
    env = dict(os.environ, PYTHONPATH=str(MODELS), PYTHONDONTWRITEBYTECODE="1")
    return run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(MODELS / "tests")],
               "pytest models/tests", cwd=ROOT, env=env)


def end_to_end(jar: Path, work: Path) -> int:
    if not jar.is_file():
        say(f"SKIPPED end-to-end training: {rel(jar)} is not built")
        return 0
    java = shutil.which("java")
    if java is None:
        say("SKIPPED end-to-end training: no java on the PATH")
        return 0
    probe = subprocess.run([java, "-jar", str(jar), "features", "--help"], capture_output=True, text=True)
    # picocli answers `leakwatch <unknown> --help` with the top-level usage and exit 0: look for ours.
    if probe.returncode != 0 or "leakwatch features" not in probe.stdout:
        say("SKIPPED end-to-end training: this build of leakwatch has no `features` command yet "
            "(`java -jar src/tools/target/leakwatch.jar features --help` does not show its usage)")
        return 0
    world, features = work / "py-world", work / "py-features"
    for d in (world, features):
        shutil.rmtree(d, ignore_errors=True)
    jvm = [java, "-Xmx1g", "-jar", str(jar)]
    if run(jvm + ["generate", "--accounts", "300", "--months", "18", "--seed", "5", "--out", str(world)],
           "leakwatch generate", log=work / "py-generate.log") != 0:
        return fail("leakwatch generate failed")
    if run(jvm + ["features", "--input", str(world), "--labels", str(world / "labels.jsonl"),
                  "--out", str(features)], "leakwatch features",
           log=work / "py-features.log") != 0:
        return fail("leakwatch features failed")
    csv = features / "features.csv"
    if not csv.is_file():
        return fail(f"leakwatch features wrote no {rel(csv)}")
    trainable = trainable_models(csv)
    if not trainable:
        return fail(f"no model is trainable on {rel(csv)} (see the warnings above)")
    with tempfile.TemporaryDirectory(prefix="py-models-", dir=work) as tmp:
        models_dir = Path(tmp)
        for model in ("leakage_risk", "leakage_amount", "churn_risk"):
            (models_dir / model).mkdir()
            shutil.copy(MODELS / model / "features.json", models_dir / model / "features.json")
        env = dict(os.environ, PYTHONPATH=str(MODELS), PYTHONDONTWRITEBYTECODE="1")
        if run([sys.executable, "-m", "leakwatch_models.train", "--features", str(csv), "--models-dir",
                str(models_dir), "--version", "v1", "--models", ",".join(trainable)],
               "train on the generated world", env=env) != 0:
            return fail("training on the generated world failed")
        for model in trainable:
            for f in ("model.onnx", "card.json", "card.md", "parity.jsonl"):
                if not (models_dir / model / "v1" / f).is_file():
                    return fail(f"training wrote no {model}/v1/{f}")
    say(f"end-to-end training: {', '.join(trainable)}: model, cards and parity files written")
    return 0


def trainable_models(csv: Path) -> list[str]:
    """The models whose target has both classes (or, for the regressor, any labelled row) in the generated
    world. A generator that injects no churn cannot train churn_risk; that is a loud warning here, not a
    failed build, because the world is small and synthetic; `train` itself refuses such data."""
    sys.path.insert(0, str(MODELS))
    from leakwatch_models import MODELS as NAMES, contract, data
    table = data.load(csv)
    ok = []
    for name in NAMES:
        c = contract.load(MODELS, name)
        y = data.labelled(table, c.target)[c.target]
        if len(y) == 0 or (c.is_classifier and y.nunique() < 2):
            say(f"WARNING: {rel(csv)} has {len(y)} labelled rows for {c.target} with values "
                f"{sorted(y.unique().tolist())}: {name} is not trained end to end (does the generated world "
                f"label any {'churn' if 'churn' in c.target else 'leakage'}?)")
        else:
            ok.append(name)
    return ok


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--venv", type=Path, default=ROOT / "target" / "pyenv")
    ap.add_argument("--jar", type=Path, default=ROOT / "src" / "tools" / "target" / "leakwatch.jar")
    args = ap.parse_args()
    env_dir = args.venv.resolve()
    if os.environ.get(IN_VENV) != "1":
        started = time.monotonic()
        rc = ensure_venv(env_dir)
        if rc != 0:
            return rc
        # One OpenMP thread: the machine is shared with the JVM builds, and OpenMP threads spinning on
        # busy cores make scikit-learn's gradient boosting ten times slower, not faster.
        env = dict(os.environ, **{IN_VENV: "1", "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")})
        rc = subprocess.call([str(venv_python(env_dir)), __file__, *sys.argv[1:]], env=env)
        say(f"Python checks {'passed' if rc == 0 else 'FAILED'} in {time.monotonic() - started:.0f} s")
        return rc
    if pytest() != 0:
        return fail("pytest models/tests")
    return end_to_end(args.jar.resolve(), env_dir.parent)


if __name__ == "__main__":
    sys.exit(main())
