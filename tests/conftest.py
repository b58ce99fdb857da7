import contextlib
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


def site_texts(site: Path):
    """(path, text) of every file a visitor can fetch, Pagefind's compressed index files decompressed."""
    import gzip

    for path in site.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix.startswith(".pf_") or path.suffix == ".pagefind":
            data = path.read_bytes()
            with contextlib.suppress(OSError):
                data = gzip.decompress(data)
            yield path, data.decode("utf-8", "replace")
        elif path.suffix in (".html", ".json", ".csv", ".xml", ".js", ".txt"):
            yield path, path.read_text(encoding="utf-8")
