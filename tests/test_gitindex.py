"""Content ids from git's index: taken only for files whose working-tree bytes git vouches for."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import cache as cache_mod
from generator import gitindex
from generator.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = "2026-11-23"
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is part of the project's setup")


def git(where: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=t@example.invalid", *args], cwd=where,
                          check=True, capture_output=True, text=True, env=env).stdout


def repo(tmp_path: Path, files: dict[str, bytes], sub: str = "") -> Path:
    top = tmp_path / "repo"
    root = top / sub if sub else top
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    git(top, "init", "-q")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "记录")
    return root


def test_an_id_is_git_s_own_for_the_same_bytes(tmp_path):
    root = repo(tmp_path, {"a.yaml": b"name: \xe5\xbc\xa0\n", "content/b.yaml": b"", "c.yaml": b"x" * 70000})
    ids = gitindex.clean_ids(root)
    assert sorted(ids) == ["a.yaml", "c.yaml", "content/b.yaml"]
    for rel, blob in ids.items():
        assert blob == git(root, "hash-object", rel).strip()
        assert blob == gitindex.blob_id((root / rel).read_bytes())


def test_git_vouches_only_for_committed_files_the_working_tree_has_not_changed(tmp_path):
    names = ["same.yaml", "edited.yaml", "assumed.yaml", "skipped.yaml", "gone.yaml", "staged-then-edited.yaml"]
    root = repo(tmp_path, {f"content/{n}": n.encode() + b": 1\n" for n in names}, sub="county")
    (root / "content/edited.yaml").write_bytes(b"edited.yaml: 2\n")
    (root / "content/assumed.yaml").write_bytes(b"assumed.yaml: 2\n")
    git(root, "update-index", "--assume-unchanged", "content/assumed.yaml")  # git would not look at it
    git(root, "update-index", "--skip-worktree", "content/skipped.yaml")
    (root / "content/gone.yaml").unlink()
    (root / "content/staged-then-edited.yaml").write_bytes(b"x: 2\n")
    git(root, "add", "content/staged-then-edited.yaml")
    (root / "content/staged-then-edited.yaml").write_bytes(b"x: 3\n")
    (root / "content/untracked.yaml").write_bytes(b"u: 1\n")
    os.symlink("same.yaml", root / "content/link.yaml")
    git(root, "add", "content/link.yaml")
    # The project is a folder of the repository: paths are the project's own.
    assert gitindex.clean_ids(root) == {"content/same.yaml": gitindex.blob_id(b"same.yaml: 1\n")}


@pytest.mark.parametrize("how", ["top", "deep-untracked", "info", "autocrlf", "attributesfile"])
def test_anything_that_converts_bytes_on_the_way_into_git_makes_it_vouch_for_nothing(tmp_path, how):
    root = repo(tmp_path, {"content/a.yaml": b"a: 1\n"}, sub="county")
    top = root.parent
    if how == "top":  # at the repository's top, above the project: it applies inside too
        (top / ".gitattributes").write_text("*.yaml filter=lfs\n")
        git(top, "add", ".gitattributes")
    elif how == "deep-untracked":
        (root / "content/.gitattributes").write_text("*.yaml text eol=crlf\n")
    elif how == "info":
        (top / ".git/info").mkdir(exist_ok=True)
        (top / ".git/info/attributes").write_text("*.yaml ident\n")
    elif how == "autocrlf":
        git(top, "config", "core.autocrlf", "input")
    else:
        (tmp_path / "attributes").write_text("*.yaml working-tree-encoding=GBK\n")
        git(top, "config", "core.attributesFile", str(tmp_path / "attributes"))
    assert gitindex.clean_ids(root) == {}


def test_an_attribute_on_one_file_makes_git_vouch_for_the_others_still(tmp_path):
    root = repo(tmp_path, {"content/a.yaml": b"a: 1\n", "content/b.yaml": b"b: 1\n",
                           ".gitattributes": b"b.yaml filter=lfs\n"})
    assert sorted(gitindex.clean_ids(root)) == [".gitattributes", "content/a.yaml"]


def test_settings_given_through_the_environment_count(tmp_path, monkeypatch):
    root = repo(tmp_path, {"content/a.yaml": b"a: 1\n"})
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")  # as `git -c core.autocrlf=true` passes it to a hook
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "core.autocrlf")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "true")
    assert gitindex.clean_ids(root) == {}


def test_outside_git_or_with_another_repository_in_the_environment_nothing_is_vouched_for(tmp_path, monkeypatch):
    plain = tmp_path / "plain"
    (plain / "content").mkdir(parents=True)
    (plain / "content/a.yaml").write_bytes(b"a: 1\n")
    other = repo(tmp_path, {"content/a.yaml": b"a: 1\n"})
    # A hook's environment names another repository: the project's folder decides, not GIT_DIR.
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    assert gitindex.clean_ids(plain) == {}
    assert gitindex.clean_ids(other) == {"content/a.yaml": gitindex.blob_id(b"a: 1\n")}


def test_a_build_takes_committed_files_from_git_and_reads_every_file_git_does_not_vouch_for(tmp_path, monkeypatch,
                                                                                           capsys):
    root = tmp_path / "county"
    shutil.copytree(FIXTURES / "minimal", root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "记录")
    out, cache = tmp_path / "site", tmp_path / "cache"
    args = ["build", "--project", str(root), "--out", str(out), "--cache", str(cache), "--today", TODAY]
    assert main(args) == 0

    read: list[str] = []
    real = cache_mod.file_digest
    monkeypatch.setattr(cache_mod, "file_digest", lambda path, limit: read.append(path) or real(path, limit))
    assert main(args) == 0
    assert read == []  # every record file was taken from git's index, none read to be hashed

    # Edited but not committed, and hidden from git: read, and the page shows the new text.
    decision = root / "content/town/decisions/2025/national-day.yaml"
    text = decision.read_text(encoding="utf-8")
    assert "facts: " in text
    decision.write_text(text.replace("facts: ", "facts: 未提交的修改。", 1), encoding="utf-8")
    git(root, "update-index", "--assume-unchanged", "content/town/decisions/2025/national-day.yaml")
    assert main(args) == 0
    assert str(decision) in read
    pages = [p.read_text(encoding="utf-8") for p in out.rglob("index.html") if "未提交的修改" in p.read_text("utf-8")]
    assert pages, capsys.readouterr().err


def _rewrite_in_place_keeping_mtime(path: Path, old: bytes, new: bytes) -> None:
    """A same-size edit that keeps the inode and the mtime (cp -p onto the file, rsync --inplace -t,
    touch -r): only the ctime tells git the file changed."""
    st = path.stat()
    data = path.read_bytes()
    assert len(old) == len(new) and old in data
    with open(path, "r+b") as f:
        f.write(data.replace(old, new, 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


@pytest.mark.parametrize("setting", [("core.trustctime", "false"), ("core.checkStat", "minimal"),
                                     ("core.fsmonitor", "true"), ("core.ignoreStat", "true")])
def test_weakened_stat_checks_make_git_vouch_for_nothing(tmp_path, setting):
    # adversarial review of 8721219: with these settings `git diff-files` trusts mtime+size+inode
    # only, so a same-size edit that keeps the mtime is "clean" and the old id would be used.
    root = repo(tmp_path, {"content/a.yaml": b"fine: 1000\n"}, sub="county")
    git(root, "config", *setting)
    os.utime(root / "content/a.yaml", (1_600_000_000, 1_600_000_000))  # not racily clean
    git(root, "update-index", "--refresh")
    _rewrite_in_place_keeping_mtime(root / "content/a.yaml", b"1000", b"9000")
    ids = gitindex.clean_ids(root)
    assert ids.get("content/a.yaml") in (None, gitindex.blob_id(b"fine: 9000\n"))


def test_a_sha256_repository_s_ids_are_not_taken_for_sha1_ones(tmp_path):
    # adversarial review of 8721219: ls-files --stage gives sha256 ids there; they never equal
    # blob_id's, so the record cache never hits (every record file read on every build).
    root = tmp_path / "county"
    (root / "content").mkdir(parents=True)
    (root / "content/a.yaml").write_bytes(b"a: 1\n")
    git(root, "init", "-q", "--object-format=sha256")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "记录")
    ids = gitindex.clean_ids(root)
    assert ids.get("content/a.yaml") in (None, gitindex.blob_id(b"a: 1\n"))
    assert all(len(v) == 40 for v in ids.values())
