"""Reading decision files (generator/decisions.py)."""

import copy
from pathlib import Path

from generator import decisions

FIXTURE = Path(__file__).parent / "fixtures" / "natural-person"


def test_records_read_alike_share_fields_sets_strings_and_dates_and_stay_independent():
    paths = sorted((FIXTURE / "content").glob("*/decisions/**/*.yaml"))
    assert len(paths) >= 2
    read = [decisions.read_one(FIXTURE, p, 2_000_000)[0] for p in paths]
    first = read[0]
    before = [copy.deepcopy(d.model_dump()) for d in read]
    shared: dict = {}
    for d in read:
        decisions.share_values(d, shared)
    # Each distinct set of names is kept once, and every record holds the kept one.
    for d in read:
        assert d.__pydantic_fields_set__ is shared[frozenset(d.model_fields_set)]
    models = [m for d in read for m in (d, *(v for v in d.__dict__.values() if hasattr(v, "model_fields_set")))]
    sets = [k for k in shared if isinstance(k, frozenset)]
    assert len({id(m.__pydantic_fields_set__) for m in models}) == len(sets) < len(models)
    # Equal texts and dates read from different files are one object each (parsed apart, they were not).
    fresh = [decisions.read_one(FIXTURE, p, 2_000_000)[0] for p in paths[:2]]
    assert fresh[0].basis == fresh[1].basis and fresh[0].basis is not fresh[1].basis
    assert read[0].basis is read[1].basis and read[0].basis is shared[read[0].basis]
    officer = read[0].officers[0]
    assert officer in read[1].officers and read[1].officers[read[1].officers.index(officer)] is officer
    again = decisions.read_one(FIXTURE, paths[0], 2_000_000)[0]  # the same file read twice
    assert again.decided_on == first.decided_on and again.decided_on is not first.decided_on
    decisions.share_values(again, shared)
    assert again.decided_on is first.decided_on and again.party.name is first.party.name
    assert first.party.__pydantic_fields_set__ is shared[frozenset(first.party.model_fields_set)]
    # A masked copy (public.py) adds to its own set, never to the one the others share.
    masked = first.model_copy(update={"facts": "某某"})
    assert masked.facts == "某某"
    assert [d.model_dump() for d in read] == before
    assert "facts" in masked.model_fields_set and masked.__pydantic_fields_set__ is not first.__pydantic_fields_set__


def test_a_folder_moved_out_of_the_project_and_linked_back_is_refused_on_every_load(tmp_path):
    """Without a record cache (a preview), a file whose stat is unchanged is not read again. A folder
    moved out of the project and linked back in keeps its files' stat (a rename moves no file), yet
    reading them is refused (Y009, as a build with its record cache says): the next load must say so."""
    import datetime as dt
    import os
    import shutil

    from generator.project import load

    repo = Path(__file__).parent.parent
    root = tmp_path / "county"
    for name in ("content", "site_config", "supervision"):
        shutil.copytree(repo / name, root / name)
    today = dt.date(2026, 11, 23)
    assert [p.format() for p in load(root, today).problems if p.is_error] == []
    moved = ("content/zonghe/decisions", "supervision")  # decisions; notices, plans and a list file
    for i, rel in enumerate(moved):
        os.rename(root / rel, tmp_path / f"outside-{i}")
        os.symlink(tmp_path / f"outside-{i}", root / rel)
    files = {str(p.relative_to(root)) for rel in moved for p in (root / rel).rglob("*.yaml")}
    assert len(files) > 20 and "supervision/summaries.yaml" in files
    assert {p.path for p in load(root, today).problems if p.code == "Y009"} == files
    for i, rel in enumerate(moved):  # put back: read as before, from what the first load kept
        os.unlink(root / rel)
        os.rename(tmp_path / f"outside-{i}", root / rel)
    assert [p.format() for p in load(root, today).problems if p.is_error] == []


def test_the_guard_s_part_done_by_the_reading_processes_finds_what_the_whole_guard_finds(tmp_path, monkeypatch):
    """The reading processes run the guard's own part (guard.own_part) of each public decision; the rest
    (the 文号 against every party's name, the file name's pinyin) runs after. Read in a pool or not,
    each finding is reported once, at its place, as the whole guard run afterwards reports it."""
    import datetime as dt
    import shutil

    from generator import guard
    from generator.project import load

    repo = Path(__file__).parent.parent
    root = tmp_path / "county"
    for name in ("content", "site_config", "supervision"):
        shutil.copytree(repo / name, root / name)
    path = root / "content/zonghe/decisions/2026/2026-02-12-002.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("事实清楚、证据确凿。", "事实清楚、证据确凿。联系电话 13912345678。", 1),
                    encoding="utf-8")
    named = root / "content/zonghe/decisions/2026/xieguixia.yaml"  # the party's pinyin in a file name
    shutil.copy(path, named)
    named.write_text(named.read_text(encoding="utf-8").replace("case_no: ", "case_no: 谢桂霞", 1), encoding="utf-8")
    today = dt.date(2026, 11, 23)
    found = {}
    for parallel_from in (1, 10**9):  # worker processes; this process
        monkeypatch.setattr(decisions, "PARALLEL_FROM", parallel_from)
        project = load(root, today)
        found[parallel_from] = sorted(p.format() for p in project.problems if p.code.startswith("P"))
        whole = []  # the whole guard on each public decision, as before the split
        with guard.screening(project.natural_persons()):
            for entry in project.entries():
                whole += [p.format() for p in guard.check_decision(entry.decision, entry.src)]
        assert sorted(whole) == found[parallel_from]
    assert found[1] == found[10**9]
    codes = sorted(line.split(" ")[2] for line in found[1])
    assert codes == ["P001", "P001", "P004", "P005"], found[1]
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s.startswith("facts:"))
    assert any(s.startswith(f"content/zonghe/decisions/2026/2026-02-12-002.yaml:{line}:") and "P001" in s
               for s in found[1]), found[1]
