import contextlib
import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.kinds import top_folders

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


@pytest.fixture(scope="session")
def example_built(tmp_path_factory) -> Path:
    """The example county built once for the whole run (as of TODAY); tests only read it."""
    from generator.cli import main

    root = tmp_path_factory.mktemp("example")
    repo = Path(__file__).parent.parent
    for part in (*top_folders(), "site_config"):
        if (repo / part).is_dir():
            shutil.copytree(repo / part, root / part)
    assert main(["build", "--project", str(root), "--today", TODAY.isoformat()]) == 0
    return root
