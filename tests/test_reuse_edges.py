"""An incremental build writes what a full build writes, whatever the cache folder holds and
in whatever order the project's files come (found by an adversarial review of the kept masked
views and the data files' rows)."""

import json
import shutil
from pathlib import Path

import pytest

from tests.test_incremental import TODAY, assert_same, make, manifest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _fresh() -> None:
    """As a new `disclose build` process: public.py's maskers and views of an earlier build forgotten
    (kept in the process, they are keyed by the same set of names and would hide the difference)."""
    from generator import public

    public._cache.clear()
    public._maskers.clear()
    public._cache_key = ()
    public._last_names = ((), ())


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "natural-person", root)
    return root


def _decisions(root: Path) -> Path:
    return root / "content/town/decisions/2026"


def _about(root: Path, file: str, number: int, name: str) -> None:
    """A decision in force about `name`, a copy of the revoked one."""
    text = (_decisions(root) / "revoked-minority.yaml").read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("status"))
    (_decisions(root) / file).write_text(text.replace("第3号", f"第{number}号").replace("阿依古丽·买买提", name) + "\n",
                                         encoding="utf-8")


def test_a_new_decision_about_a_name_already_masked_keeps_masking_as_a_full_build(tmp_path):
    """Spellings folding alike share one mask (阿依古丽·买买提, 阿依古丽买买提). While the first in the
    project's order gave it, adding a decision about a name already there (or renaming a file)
    changed the mask of another decision's facts, and the masked views kept under the same set of
    names did not follow."""
    root = _copy(tmp_path)
    out, cache = tmp_path / "site", tmp_path / "cache"
    _about(root, "z-dotless.yaml", 6, "阿依古丽买买提")  # after revoked-minority.yaml (dotted): 阿某某某·某某某
    _fresh()
    make(root, out, TODAY, cache)
    _about(root, "a-dotless.yaml", 7, "阿依古丽买买提")  # the same names, now the dotless spelling first
    _fresh()
    make(root, out, TODAY, cache)
    full, full_cache = tmp_path / "full", tmp_path / "full-cache"
    _fresh()
    make(root, full, TODAY, full_cache)
    assert_same(out, full, cache, full_cache)


@pytest.mark.parametrize("group", ["shuanggongshi", "decisions"])
@pytest.mark.parametrize("parts", [["x"], "x", 5, "inner"])
def test_a_manifest_with_parts_of_another_shape_costs_the_reuse_not_the_build(tmp_path, group, parts):
    root = _copy(tmp_path)
    out, cache = tmp_path / "site", tmp_path / "cache"
    make(root, out, TODAY, cache)
    good = manifest(cache)
    if parts == "inner":  # the right base key, every list of another shape
        was = good["groups"][group]["parts"]
        parts = {k: (v if k == "base" else ["x", -1] if isinstance(v, list) else {p: [["k"], ["x"]] for p in v})
                 for k, v in was.items()}
    good["groups"][group]["parts"] = parts
    (cache / "manifest.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    path = _decisions(root) / "company-names-a-person.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("fine: 800", "fine: 900"), encoding="utf-8")
    make(root, out, TODAY, cache)  # an edit: the group is made again, from the manifest's parts
    full, full_cache = tmp_path / "full", tmp_path / "full-cache"
    make(root, full, TODAY, full_cache)
    assert_same(out, full, cache, full_cache)
