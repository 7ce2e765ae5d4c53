import shutil
import sys
from pathlib import Path

import pytest

MODELS_DIR = Path(__file__).resolve().parents[1]
REPO = MODELS_DIR.parent
sys.path.insert(0, str(MODELS_DIR))

from leakwatch_models import MODELS, synthetic, train  # noqa: E402


def copy_contracts(dest: Path) -> Path:
    for m in MODELS:
        (dest / m).mkdir(parents=True)
        shutil.copy(MODELS_DIR / m / "features.json", dest / m / "features.json")
    return dest


@pytest.fixture
def models_dir(tmp_path):
    """A models directory holding copies of the committed contracts (tests never write into models/)."""
    return copy_contracts(tmp_path / "models")


@pytest.fixture(scope="session")
def features_csv(tmp_path_factory):
    return synthetic.write(tmp_path_factory.mktemp("data") / "features.csv",
                           synthetic.generate(accounts=150, months=15, seed=3))


@pytest.fixture(scope="session")
def trained(tmp_path_factory, features_csv):
    """The three models trained once on the synthetic features.csv, shared by the tests that read them."""
    out = copy_contracts(tmp_path_factory.mktemp("trained") / "models")
    rc = train.main(["--features", str(features_csv), "--models-dir", str(out), "--version", "v1", "--seed", "7"])
    assert rc == 0
    return out
