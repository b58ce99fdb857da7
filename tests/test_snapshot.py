"""A build's load from the snapshot of the last full load (generator/snapshot.py): only the decision
files that differ from the saved listing are read again, and the result equals a fresh load's;
anything else that changed (a list file, the day, a new folder, a link, git's dates, a damaged
snapshot) makes a full load, which equals a fresh load too."""

import datetime as dt
import os
import pickle
import subprocess

import pytest
from conftest import TODAY

from generator import decisions, project, snapshot
from generator.cache import files_key
from generator.gitindex import blob_id

DECISIONS = "content/town/decisions"
SAVED = f"{DECISIONS}/2026/2026-05-10-002.yaml"


def rows(p: project.Project) -> list[tuple]:
    return [(e.src.path, e.agency, e.slug, e.draft, e.decision, e.stamps) for e in [*p.entries(), *p.drafts]]


def load(root, cache, today=TODAY, read: list | None = None, monkeypatch=None) -> project.Project:
    """As `disclose build` loads (the project's other files hashed first), checked against a fresh
    load without any cache. `read`: filled with the decision files read outside the record cache."""
    if read is not None:
        real = decisions.read_all

        def spy(root_, paths, *args, **kwargs):
            read.extend(os.path.relpath(p, root_) for p in paths)
            return real(root_, paths, *args, **kwargs)

        monkeypatch.setattr(decisions, "read_all", spy)
    loaded = project.load(root, today, cache=cache, files=files_key(root, None, cache),
                          files_now=lambda: files_key(root, None, cache))
    if read is not None:
        monkeypatch.undo()
    fresh = project.load(root, today)
    assert loaded.problems == fresh.problems
    assert rows(loaded) == rows(fresh)
    assert {k: [i.record for i in v] for k, v in loaded.records.items()} == \
        {k: [i.record for i in v] for k, v in fresh.records.items()}
    return loaded


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def county(tree, tmp_path):
    root = tree("incremental-load")
    cache = tmp_path / "cache"
    first = load(root, cache)
    assert first.reread is None and (cache / snapshot.NAME).is_file()  # a full load, kept
    return root, cache


def test_an_edited_decision_is_the_only_file_read_again(county, monkeypatch):
    root, cache = county
    edit(root / SAVED, "废纸边角料", "废纸边角料和废旧塑料")
    read: list[str] = []
    again = load(root, cache, read=read, monkeypatch=monkeypatch)
    assert again.reread == 1 and read == [SAVED]
    assert "废旧塑料" in next(e for e in again.entries() if e.src.path == SAVED).decision.facts
    # Not rewritten by a load that used it: the next one compares with the same listing, and
    # reads the files of both edits.
    other = f"{DECISIONS}/2026/2026-03-02-001.yaml"
    edit(root / other, "decided_on:", "# 复核\ndecided_on:")
    read.clear()
    third = load(root, cache, read=read, monkeypatch=monkeypatch)
    assert third.reread == 2 and sorted(read) == sorted([SAVED, other])


def test_nothing_changed_reads_nothing(county, monkeypatch):
    root, cache = county
    read: list[str] = []
    assert load(root, cache, read=read, monkeypatch=monkeypatch).reread == 0
    assert read == []


@pytest.mark.parametrize("what", ["add", "delete", "duplicate", "invalid", "natural person"])
def test_decision_files_added_deleted_or_changed_across_records_equal_a_fresh_load(county, what):
    root, cache = county
    folder = root / DECISIONS / "2026"
    if what == "add":
        (folder / "2026-11-01-009.yaml").write_text(
            (root / SAVED).read_text(encoding="utf-8").replace("第4号", "第9号"), encoding="utf-8")
    elif what == "delete":
        (root / SAVED).unlink()
    elif what == "duplicate":  # the 文号 of another decision: both get D001
        other = (folder / "2026-03-02-001.yaml").read_text(encoding="utf-8")
        number = next(line for line in other.splitlines() if line.startswith("case_no:"))
        text = (root / SAVED).read_text(encoding="utf-8")
        mine = next(line for line in text.splitlines() if line.startswith("case_no:"))
        (root / SAVED).write_text(text.replace(mine, number), encoding="utf-8")
    elif what == "invalid":
        edit(root / SAVED, "decided_on:", "decided_on: 不是日期\nwas_decided_on:")
    else:
        edit(root / SAVED, "type: 法人", "type: 自然人")
    again = load(root, cache)
    assert again.reread is not None and again.reread >= 1
    if what in ("duplicate", "invalid"):
        assert not again.ok


def test_a_list_file_a_new_day_or_a_new_folder_makes_a_full_load(county):
    root, cache = county
    edit(root / "content/town/officers.yaml", "name:", "name: ")  # the same text, other bytes
    assert load(root, cache).reread is None
    assert load(root, cache).reread == 0  # the full load was kept in turn
    assert load(root, cache, today=TODAY + dt.timedelta(days=1)).reread is None
    new = root / DECISIONS / "2027"
    new.mkdir()
    (new / "2027-01-04-001.yaml").write_text((root / SAVED).read_text(encoding="utf-8"), encoding="utf-8")
    assert load(root, cache, today=TODAY + dt.timedelta(days=1)).reread is None


def test_a_decision_file_made_a_link_or_a_folder_made_one_makes_a_full_load(county, tmp_path):
    root, cache = county
    target = tmp_path / "elsewhere.yaml"
    target.write_bytes((root / SAVED).read_bytes())
    (root / SAVED).unlink()
    (root / SAVED).symlink_to(target)
    assert load(root, cache).reread is None  # read as a full load reads a link: refused, located
    year = root / DECISIONS / "2025"
    moved = tmp_path / "2025"
    year.rename(moved)
    year.symlink_to(moved)
    assert load(root, cache).reread is None


def test_a_damaged_or_foreign_snapshot_is_not_used(county):
    root, cache = county
    path = cache / snapshot.NAME
    path.write_bytes(path.read_bytes()[:1000])  # cut short
    assert load(root, cache).reread is None
    assert load(root, cache).reread == 0  # written anew
    saved = pickle.loads(path.read_bytes())
    path.write_bytes(pickle.dumps(((snapshot.FORMAT, "another generator", *saved[0][2:]), *saved[1:])))
    assert load(root, cache).reread is None


def test_a_file_git_dates_otherwise_is_stamped_anew(county):
    """A decision without published_on is published the day git first saw it: a commit between two
    loads dates it, and the load from the snapshot stamps it again (its bytes did not change)."""
    root, cache = county

    def git(*args, day="2026-11-02"):
        stamp = f"{day}T10:00:00+08:00"
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                       env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                            "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin",
                            "GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_DATE": stamp})

    unpublished = f"{DECISIONS}/2026/2026-03-02-001.yaml"
    git("init", "-q")
    git("add", "-A")
    git("reset", "-q", "--", unpublished)
    git("commit", "-qm", "all records but one")
    assert load(root, cache).reread is None  # every file under content/ dated otherwise: a full load
    git("add", "-A")
    git("commit", "-qm", "the last one", day="2026-11-03")
    again = load(root, cache)
    assert again.reread == 1
    assert next(e for e in again.entries() if e.src.path == unpublished).stamps.published_on == dt.date(2026, 11, 3)


def test_a_calendar_kept_with_a_project_still_answers(county):
    root, cache = county
    _, _, _, saved = pickle.loads((cache / snapshot.NAME).read_bytes())
    day = dt.date(2026, 10, 1)
    assert saved.calendar.info(day) == project.load(root, TODAY).calendar.info(day)


def test_listing_tells_folders_links_files_and_what_cannot_be_read(tmp_path):
    root = tmp_path / "p"
    year = root / "content" / "a" / "decisions" / "2026"
    year.mkdir(parents=True)
    (year / "x.yaml").write_bytes(b"case_no: 1\n")
    (year / ".hidden").mkdir()
    (year / ".hidden" / "y.yaml").write_bytes(b"")
    (year / "l.yaml").symlink_to(year / "x.yaml")
    (root / "content" / "a" / "officers.yaml").write_bytes(b"[]")
    assert snapshot.listing(root, {}, 1000) == {  # a hidden folder's files are not read, nor listed
        "content/a/decisions": "d", "content/a/decisions/2026": "d",
        "content/a/decisions/2026/x.yaml": "f" + blob_id(b"case_no: 1\n"),
        "content/a/decisions/2026/.hidden": "d", "content/a/decisions/2026/l.yaml": "l" + str(year / "x.yaml"),
    }
    assert snapshot.listing(root, {"content/a/decisions/2026/x.yaml": "b" * 40}, 1000)[
        "content/a/decisions/2026/x.yaml"] == "f" + "b" * 40  # git's id where it vouches
    (year / "big.yaml").write_bytes(b"x" * 2000)  # over the read limit: never equal to itself
    big = snapshot.listing(root, {}, 1000)
    assert big["content/a/decisions/2026/big.yaml"] == "?"
    assert snapshot.changed(big, big) == ["content/a/decisions/2026/big.yaml"]


def test_an_editor_s_lock_file_is_no_decision_for_a_load_from_the_snapshot_either(county):
    """Emacs makes its lock file `.#x.yaml` a plain file where links cannot be made (vfat, a
    Windows share): a full load never reads it, nor does a load from the snapshot."""
    root, cache = county
    lock = root / DECISIONS / "2026" / ".#2026-11-02-091.yaml"
    lock.write_text((root / SAVED).read_text(encoding="utf-8").replace("第4号", "第91号"), encoding="utf-8")
    again = load(root, cache)
    assert again.reread == 0 and not any("第91号" in e.decision.case_no for e in again.entries())


def snapshot_during(monkeypatch, action) -> None:
    """`action` run right after the listing, as if while the load that follows runs."""
    real = snapshot.listing

    def listing(*args, **kwargs):
        found = real(*args, **kwargs)
        action()
        return found

    monkeypatch.setattr(snapshot, "listing", listing)


@pytest.mark.parametrize("what", ["a list file saved and put back", "a decision gone and back",
                                  "a decision added and deleted"])
def test_a_full_load_during_which_files_changed_is_not_kept(tree, tmp_path, monkeypatch, what):
    """Kept, the files as the load read them would be taken for the files as listed and hashed
    before it: once put back as they were, every later load would show what was there meanwhile."""
    root, cache = tree("incremental-load"), tmp_path / "cache"
    site, saved, added = root / "site_config/site.yaml", root / SAVED, root / DECISIONS / "2026/2026-11-01-099.yaml"
    was = {path: path.read_bytes() for path in (site, saved)}
    if what == "a list file saved and put back":
        snapshot_during(monkeypatch, lambda: site.write_bytes(was[site].replace(b"title: ", "title: 改过的".encode(), 1)))
    elif what == "a decision gone and back":
        snapshot_during(monkeypatch, saved.unlink)
    else:
        snapshot_during(monkeypatch, lambda: added.write_bytes(was[saved].replace("第4号".encode(), "第99号".encode())))
    project.load(root, TODAY, cache=cache, files=files_key(root, None, cache),
                 files_now=lambda: files_key(root, None, cache))
    monkeypatch.undo()
    assert not (cache / snapshot.NAME).exists()
    for path, data in was.items():
        path.write_bytes(data)
    added.unlink(missing_ok=True)
    assert load(root, cache).reread is None  # as a fresh load: nothing of the meantime
