"""project.load given the previous load and the files changed since (a preview's saves): only the
changed decision files are read and redone, and the result equals a fresh load's (problems, entries,
their order and stamps), whatever the change did to the others (duplicates, citations, masked names)."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import TODAY

from generator import project

DECISIONS = "content/town/decisions"
CITED = "测兴政罚决字〔2025〕第1号"  # national-day.yaml's 文号, cited by supervision/notices/2026/jianyi-1.yaml


def rows(p: project.Project) -> list[tuple]:
    return [(e.src.path, e.agency, e.slug, e.draft, e.decision, e.stamps) for e in [*p.entries(), *p.drafts]]


def reload(root, previous, *changed, today=TODAY):
    """The incremental load after `previous`, checked against a fresh load of the same files."""
    again = project.load(root, today, previous=previous, changed=[root / c for c in changed])
    fresh = project.load(root, today)
    assert again.problems == fresh.problems
    assert rows(again) == rows(fresh)
    assert ({aid: [e.src.path for e in a.decisions] for aid, a in again.agencies.items()}
            == {aid: [e.src.path for e in a.decisions] for aid, a in fresh.agencies.items()})
    assert again.kept is not None and previous.kept is None  # taken over, for the next save
    return again


def kept(before: project.Project, after: project.Project) -> set[str]:
    """The entries the second load took over from the first (the same objects): only an incremental load does."""
    old = {id(e) for e in [*before.entries(), *before.drafts]}
    return {e.src.path for e in [*after.entries(), *after.drafts] if id(e) in old}


def codes(p: project.Project, path: str | None = None) -> list[str]:
    return [x.code for x in p.problems if path is None or x.path == path]


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_saved_decision_is_read_again_and_every_other_entry_kept(tree):
    root = tree("incremental-load")
    first = project.load(root, TODAY, keep=True)
    assert first.ok
    saved = f"{DECISIONS}/2026/2026-05-10-002.yaml"
    edit(root / saved, "废纸边角料", "废纸边角料和废旧塑料")
    again = reload(root, first, saved)
    entry = next(e for e in again.entries() if e.src.path == saved)
    assert "废旧塑料" in entry.decision.facts
    everyone = {e.src.path for e in [*first.entries(), *first.drafts]}
    assert kept(first, again) == everyone - {saved}
    # and again from that load: what it kept is kept in turn
    edit(root / saved, "2000元", "2500元")
    third = reload(root, again, saved)
    assert kept(again, third) == everyone - {saved}


def test_a_case_number_made_a_duplicate_and_back(tree):
    root = tree("incremental-load")
    load = project.load(root, TODAY, keep=True)
    later = f"{DECISIONS}/2026/2026-05-10-002.yaml"
    earlier = f"{DECISIONS}/2025/national-day.yaml"
    # The later file takes the cited 文号: D001 on it, naming the first file and line
    edit(root / later, "测兴政罚决字〔2026〕第4号", CITED)
    load = reload(root, load, later)
    assert codes(load, later) == ["D001"]
    assert f"{earlier}:1" in next(x.message for x in load.problems if x.code == "D001")
    # The earlier file gives it up: the duplicate is gone and the notice's citation still found (no R013)
    edit(root / earlier, CITED, "测兴政罚决字〔2025〕第7号")
    load = reload(root, load, earlier)
    assert "D001" not in codes(load) and "R013" not in codes(load)
    # The earlier file takes the later one's 文号 back: the duplicate is reported on the later file again
    edit(root / earlier, "测兴政罚决字〔2025〕第7号", CITED)
    load = reload(root, load, earlier)
    assert codes(load, later) == ["D001"] and codes(load, earlier) == []
    # Both saved at once, the cited 文号 given up by both: R013 on the notice
    edit(root / earlier, CITED, "测兴政罚决字〔2025〕第7号")
    edit(root / later, CITED, "测兴政罚决字〔2026〕第4号")
    load = reload(root, load, earlier, later)
    assert codes(load, "supervision/notices/2026/jianyi-1.yaml") == ["R013"]


def test_one_case_number_typed_with_other_brackets_is_a_duplicate(tree):
    """示综执罚决字[2026]第101号 and 〔2026〕第101号 are one decision's number (an old platform's export
    beside the new one's): D001, in a full load and in an incremental one alike (reload compares them)."""
    root = tree("incremental-load")
    load = project.load(root, TODAY, keep=True)
    later = f"{DECISIONS}/2026/2026-05-10-002.yaml"
    edit(root / later, "测兴政罚决字〔2026〕第4号", "测兴政罚决字［2025］第 1 号")
    load = reload(root, load, later)
    assert codes(load, later) == ["D001"]
    edit(root / later, "测兴政罚决字［2025］第 1 号", "测兴政罚决字(2025)第2号")  # another decision's, as typed
    load = reload(root, load, later)
    assert codes(load, later) == ["D001"]
    # a zero-width space inside, or 〖〗 and 號: the same number on screen
    edit(root / later, "测兴政罚决字(2025)第2号", '"测兴政罚决字〔2025〕第\u200b2号"')
    load = reload(root, load, later)
    assert codes(load, later) == ["D001"]
    edit(root / later, '"测兴政罚决字〔2025〕第\u200b2号"', "测兴政罚决字〖2025〗第2號")
    load = reload(root, load, later)
    assert codes(load, later) == ["D001"]
    edit(root / later, "测兴政罚决字〖2025〗第2號", "测兴政罚决字<2025>第2号")
    load = reload(root, load, later)
    assert codes(load, later) == ["D001"]
    edit(root / later, "测兴政罚决字<2025>第2号", "測興政罰決字〔2025〕第2號")  # typed in traditional characters
    load = reload(root, load, later)
    assert codes(load, later) == ["D001"]
    # the number itself written otherwise: Chinese numerals, a year in Chinese digits, leading zeros, no 第
    was = "測興政罰決字〔2025〕第2號"
    for typed in ("测兴政罚决字〔2025〕第二号", "测兴政罚决字〔二〇二五〕第002号", "测兴政罚决字〔2025〕2号"):
        edit(root / later, was, typed)
        load = reload(root, load, later)
        assert codes(load, later) == ["D001"], typed
        was = typed
    edit(root / later, "测兴政罚决字〔2025〕2号", "测兴政罚决字〔2025〕第十二号")  # a number of its own
    load = reload(root, load, later)
    assert "D001" not in codes(load)
    edit(root / later, "测兴政罚决字〔2025〕第十二号", "测兴政罚决字〔2026〕第4号")
    load = reload(root, load, later)
    assert "D001" not in codes(load)


def test_a_decision_made_invalid_then_valid_again(tree):
    root = tree("incremental-load")
    load = project.load(root, TODAY, keep=True)
    cited = f"{DECISIONS}/2025/national-day.yaml"
    edit(root / cited, "fine: 1000", "fine: 一千元")
    load = reload(root, load, cited)
    assert codes(load, cited) and cited not in {e.src.path for e in load.entries()}
    assert codes(load, "supervision/notices/2026/jianyi-1.yaml") == ["R013"]  # cites a decision that reads as none
    edit(root / cited, "fine: 一千元", "fine: 1000")
    load = reload(root, load, cited)
    assert load.ok and cited in {e.src.path for e in load.entries()}
    # broken as YAML, with a draft saved in the same go
    edit(root / cited, "kind: 行政处罚", "kind: [行政处罚")
    draft = "drafts/town/decisions/2026/2026-11-20-009.yaml"
    edit(root / draft, "fine: 300", "fine: 350")
    load = reload(root, load, cited, draft)
    assert not load.ok


def test_a_party_who_becomes_a_natural_person(tree):
    root = tree("incremental-load")
    load = project.load(root, TODAY, keep=True)
    assert "P005" not in codes(load)
    saved = f"{DECISIONS}/2026/2026-03-02-001.yaml"
    edit(root / saved, "  type: 个体工商户\n", "  type: 自然人\n")
    edit(root / saved, "  credit_code: 92330000MA0000003D\n", "")
    load = reload(root, load, saved)
    # the public notice named lisi-jiegan.yaml now spells a natural person's name (李四)
    assert codes(load, "supervision/notices/2026/lisi-jiegan.yaml") == ["P005"]
    # entered in traditional characters (李絲), 李丝 in the notice: the same name, as the masker finds it
    edit(root / saved, "  name: 李　四\n", "  name: 李　絲\n")  # lisi too
    edit(root / "supervision/notices/2026/lisi-jiegan.yaml", "对李四焚烧秸秆", "对李丝焚烧秸秆")
    load = reload(root, load, saved, "supervision/notices/2026/lisi-jiegan.yaml")
    assert codes(load, "supervision/notices/2026/lisi-jiegan.yaml") == ["P005"]
    edit(root / saved, "  type: 自然人\n", "  type: 个体工商户\n  credit_code: 92330000MA0000003D\n")
    load = reload(root, load, saved)
    assert "P005" not in codes(load)


def test_a_deleted_decision(tree):
    root = tree("incremental-load")
    load = project.load(root, TODAY, keep=True)
    gone = f"{DECISIONS}/2025/national-day.yaml"
    (root / gone).unlink()
    load = reload(root, load, gone)
    assert gone not in {e.src.path for e in load.entries()}
    assert codes(load, "supervision/notices/2026/jianyi-1.yaml") == ["R013"]
    (root / "drafts/town/decisions/2026/2026-11-20-009.yaml").unlink()
    load = reload(root, load, "drafts/town/decisions/2026/2026-11-20-009.yaml")
    assert load.drafts == []


def test_an_added_decision_takes_its_place_in_the_order(tree):
    root = tree("incremental-load")
    load = project.load(root, TODAY, keep=True)
    # Between two files of 2026/ by name, with the 文号 of the file after it: the duplicate is
    # reported on that later file, as a fresh load walking the folder in order reports it.
    added = f"{DECISIONS}/2026/2026-04-01-001.yaml"
    shutil.copy(root / DECISIONS / "2026/2026-05-10-002.yaml", root / added)
    load = reload(root, load, added)
    assert codes(load, f"{DECISIONS}/2026/2026-05-10-002.yaml") == ["D001"] and codes(load, added) == []
    assert [e.src.path for e in load.entries()].index(added) == 3
    # A file with the same page address as another (x.yaml beside x.yml): D005 on the later one
    twin = f"{DECISIONS}/2026/2026-04-01-001.yml"
    shutil.copy(root / added, root / twin)
    edit(root / twin, "测兴政罚决字〔2026〕第4号", "测兴政罚决字〔2026〕第6号")
    load = reload(root, load, twin)
    assert "D005" in codes(load, twin)
    # A draft added beside another
    draft = "drafts/town/decisions/2026/2026-11-21-010.yaml"
    shutil.copy(root / "drafts/town/decisions/2026/2026-11-20-009.yaml", root / draft)
    edit(root / draft, "第9号", "第10号")
    load = reload(root, load, draft)
    assert [e.src.path for e in load.drafts][-1] == draft


def test_anything_but_a_decision_file_makes_a_full_load(tree):
    root = tree("incremental-load")
    first = project.load(root, TODAY, keep=True)
    edit(root / "content/town/officers.yaml", "33070100002", "33070100009")  # decisions cite it: R001
    again = reload(root, first, "content/town/officers.yaml", f"{DECISIONS}/2025/national-day.yaml")
    assert kept(first, again) == set() and "R001" in codes(again)
    # a decision file in a new folder: the folder is new to the load (was it walked? a link?)
    (root / DECISIONS / "2024").mkdir()
    shutil.copy(root / DECISIONS / "2026/2026-05-10-002.yaml", root / DECISIONS / "2024/x.yaml")
    third = reload(root, again, f"{DECISIONS}/2024/x.yaml")
    assert kept(again, third) == set() and "W003" in codes(third, f"{DECISIONS}/2024/x.yaml")
    # a path that is not there and never was a decision (an agency.yaml deleted, a folder moved away)
    fourth = reload(root, third, "content/town/gone.yaml")
    assert kept(third, fourth) == set()


def test_a_new_day_redoes_every_stamp(tree):
    root = tree("incremental-load")
    first = project.load(root, TODAY, keep=True)
    later = TODAY + dt.timedelta(days=40)  # past the draft's publication deadline
    again = reload(root, first, f"{DECISIONS}/2025/national-day.yaml", today=later)
    assert kept(first, again) == set()
    draft = next(e for e in again.drafts)
    assert draft.stamps != next(e for e in first.drafts).stamps


def test_a_commit_between_two_loads_makes_a_full_load(tree):
    import subprocess

    root = tree("incremental-load")

    def git(*args):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                       env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                            "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin",
                            "GIT_COMMITTER_DATE": "2026-11-02T10:00:00+08:00",
                            "GIT_AUTHOR_DATE": "2026-11-02T10:00:00+08:00"})

    git("init", "-q")
    first = project.load(root, TODAY, keep=True)
    git("add", "-A")
    git("commit", "-qm", "first records")  # the decision without published_on: published 2026-11-02, not today
    saved = f"{DECISIONS}/2026/2026-05-10-002.yaml"
    edit(root / saved, "废纸边角料", "废纸边角料和废旧塑料")
    again = reload(root, first, saved)
    assert kept(first, again) == set()
    unpublished = next(e for e in again.entries() if e.src.path.endswith("2026-03-02-001.yaml"))
    assert unpublished.stamps.published_on == dt.date(2026, 11, 2)
    # no commit since: incremental again
    third = reload(root, again, saved)
    assert len(kept(again, third)) == len(rows(again)) - 1


def test_deepening_a_shallow_clone_between_two_loads_makes_a_full_load(tree, tmp_path):
    """A shallow CI-style clone dates every file by its oldest visible commit; `git fetch --deepen`
    brings older commits (and older first-added dates) without moving HEAD: the next load is a full
    one, with the older publication dates."""
    import subprocess

    origin = tree("incremental-load")

    def git(cwd, *args, day="2026-11-02"):
        stamp = f"{day}T10:00:00+08:00"
        subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                       env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                            "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin",
                            "GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_DATE": stamp})

    git(origin, "init", "-q")
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "first records", day="2026-10-01")
    saved = f"{DECISIONS}/2026/2026-05-10-002.yaml"
    edit(origin / saved, "废纸边角料", "废纸边角料和废旧塑料")
    git(origin, "commit", "-qam", "an edit", day="2026-11-02")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", origin.as_uri(), str(clone))

    def published(p) -> dt.date:
        return next(e for e in p.entries() if e.src.path.endswith("2026-03-02-001.yaml")).stamps.published_on

    first = project.load(clone, TODAY, keep=True)
    assert published(first) == dt.date(2026, 11, 2)  # the only commit the clone has
    git(clone, "fetch", "-q", "--deepen=1")
    edit(clone / saved, "废纸边角料和废旧塑料", "废纸边角料")
    again = reload(clone, first, saved)
    assert kept(first, again) == set()  # a full load
    assert published(again) == dt.date(2026, 10, 1)
    assert published(again) == published(project.load(clone, TODAY))


FIXTURES = sorted(p.name for p in (Path(__file__).parent / "fixtures").iterdir()
                  if (p / "content").is_dir() and (p / "site_config").is_dir())


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_reads_alike_kept_and_reloaded(tree, name):
    """Whatever a fixture holds (collisions, unread files, broken records, drafts): the load that keeps
    finds what a plain one finds, and every decision file saved anew and deleted gives a fresh load's."""
    root = tree(name)
    load = project.load(root, TODAY, keep=True)
    assert load.problems == project.load(root, TODAY).problems
    files = sorted(str(p.relative_to(root)) for top in ("content", "drafts") if (root / top).is_dir()
                   for p in (root / top).rglob("*") if p.is_file() and "/decisions/" in str(p.relative_to(root))
                   and p.suffix.lower() in (".yaml", ".yml"))
    for relpath in files:
        path = root / relpath
        path.write_bytes(path.read_bytes() + b"\n# saved again\n")
        load = reload(root, load, relpath)
    if files:
        text = (root / files[0]).read_bytes()
        (root / files[0]).unlink()
        load = reload(root, load, files[0])
        (root / files[0]).write_bytes(text)
        reload(root, load, files[0])


def test_an_editor_s_lock_file_is_no_decision(tree):
    """Emacs marks a file being edited with a link .#<name> beside it (to user@host.pid), removed
    on save. It is no record: read as one it was an error (Y004) while the buffer was unsaved, and
    the preview, whose watcher does not report such files, kept that error after the save."""
    root = tree("incremental-load")
    lock = root / DECISIONS / "2026/.#2026-05-10-002.yaml"
    lock.symlink_to("clerk@pc.4242:1764000000")
    load = project.load(root, TODAY, keep=True)
    assert load.ok and "W005" not in codes(load)
    saved = f"{DECISIONS}/2026/2026-05-10-002.yaml"
    edit(root / saved, "废纸边角料", "废纸边角料和废旧塑料")
    lock.unlink()
    load = reload(root, load, saved)  # what the watcher reports: the saved file, not the lock
    assert load.ok


def test_a_folder_count_of_unread_files_shows_their_odd_names_escaped(tree):
    """The count of a folder's unread files (W005) names a few of them in its message: a name that holds a
    terminal escape, a right-to-left mark or bytes that are no UTF-8 (a GBK archive) is shown escaped
    there, as the path of every problem is, never acted on by the console or the CI log showing it."""
    import os

    from generator.problems import shown_path

    root = tree("unread-files")
    year = root / "content/town/decisions/2025"
    for n in range(1, 6):
        (year / f"a{n}.pdf").write_bytes(b"%PDF-1.4\n")
    odd = ["b\x1b]0;已处理\x07.pdf", "c\u202efdp.exe", os.fsdecode(b"d\xd5\xc5.pdf")]
    for name in odd:
        (year / name).write_bytes(b"%PDF-1.4\n")
    found = project.load(root, TODAY, use_git=False).problems
    summary = [p for p in found if p.code == "W005" and p.path == "content/town/decisions/2025"]
    assert len(summary) == 1, [p.format() for p in found if p.code == "W005"]
    text = summary[0].format()
    assert "".join(shown_path(n) + "、" for n in odd)[:-1] in text
    assert all(c not in text for c in "\x1b\x07\u202e\udcd5")
    text.encode("utf-8")  # printable as it is: no half of a byte left


def test_a_misnamed_list_file_among_a_folder_of_photos_keeps_its_own_warning(tree):
    """Photos copied into an agency's folder are counted after the first five (W005), but a file that is
    not read for another reason, here offcers.yaml (its officers never published), is no photo: it keeps
    its own warning and hint (是不是想写 officers.yaml？), wherever its name sorts among them."""
    root = tree("unread-files")
    town = root / "content/town"
    for n in range(1, 11):
        (town / f"IMG_{n:04d}.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    found = [p for p in project.load(root, TODAY, use_git=False).problems if p.code == "W005"]
    here = [p for p in found if p.path.startswith("content/town/") and p.path.count("/") == 2]
    misnamed = [p for p in here if p.path == "content/town/offcers.yaml"]
    assert len(misnamed) == 1 and "是不是想写 officers.yaml" in misnamed[0].hint
    # The photos alike: five named, the other five counted on the folder.
    photos = [p for p in here if p.path.endswith(".jpg")]
    assert [p.path for p in photos] == [f"content/town/IMG_{n:04d}.jpg" for n in range(1, 6)]
    summary = [p for p in found if p.path == "content/town"]
    assert len(summary) == 1 and "还有 5 个" in summary[0].message and "offcers" not in summary[0].message
