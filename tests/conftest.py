import datetime as dt
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def tree(tmp_path):
    """Copy a named fixture tree into a temporary folder (outside git) and return its root."""

    def make(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        return target

    return make
