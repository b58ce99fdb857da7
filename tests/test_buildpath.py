"""The one build path (generator/build.py): what it refuses, what it leaves behind, who waits."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import FIXTURES

from generator import search
from generator.cli import main

TODAY = "2026-11-23"
REPO = Path(__file__).parent.parent


def project(tmp_path: Path) -> Path:
    """The minimal fixture as a real project: every folder a build must never touch, and a git repository."""
    root = tmp_path / "县执法公示"
    shutil.copytree(FIXTURES / "minimal", root)
    (root / "drafts/town/decisions/2025").mkdir(parents=True)
    (root / "templates/records").mkdir(parents=True)
    (root / "templates/records/README.txt").write_text("本县的模板改动放在这里\n", encoding="utf-8")
    (root / "schemas").mkdir()
    (root / "schemas/decision.schema.json").write_text("{}\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def fingerprint(root: Path) -> dict[str, str]:
    """Every file (and link) under root with a hash of its bytes: the project, byte for byte."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel] = "dir"
    return out


def build(root: Path, *more: str) -> int:
    return main(["build", "--project", str(root), "--today", TODAY, *more])


# ---------------------------------------------------------------- refused before anything is touched


@pytest.mark.parametrize(("cwd", "out"), [
    ("", "."), ("content", ".."), ("", "./content/../"), ("", "content"), ("", "content/x"), ("", "drafts"),
    ("", "site_config"), ("", "templates"), ("", "schemas"), ("", ".git"), ("", "content/town/decisions"),
    ("", "../"),  # the folder holding the project
])
def test_an_output_folder_that_would_destroy_the_project_is_refused(tmp_path, monkeypatch, capsys, cwd, out):
    root = project(tmp_path)
    before = fingerprint(tmp_path)
    monkeypatch.chdir(root / cwd)
    assert main(["build", "--project", str(root), "--today", TODAY, "--out", out]) == 2
    err = capsys.readouterr().err
    assert "错误：输出目录" in err and "请换一个输出目录" in err, err
    assert "读取并检查内容" not in err  # refused before the project was even read
    assert fingerprint(tmp_path) == before


def test_a_symlink_to_the_project_is_refused(tmp_path, capsys):
    root = project(tmp_path)
    link = tmp_path / "发布目录"
    link.symlink_to(root)
    before = fingerprint(tmp_path)
    assert build(root, "--out", str(link)) == 2
    assert "就是项目目录或包含项目目录" in capsys.readouterr().err
    assert fingerprint(tmp_path) == before


def test_a_folder_that_is_not_a_site_is_refused(tmp_path, capsys):
    root = project(tmp_path)
    papers = tmp_path / "文件"
    papers.mkdir()
    (papers / "报告.docx").write_bytes(b"PK\x03\x04")
    before = fingerprint(tmp_path)
    assert build(root, "--out", str(papers)) == 2
    assert "看起来不是以前生成的网站" in capsys.readouterr().err
    assert fingerprint(tmp_path) == before


def _hand_made_site(folder: Path) -> None:
    folder.mkdir()
    (folder / "index.html").write_text("<h1>我们自己做的首页</h1>\n", encoding="utf-8")
    (folder / "通知.html").write_text("<p>2025 年的通知</p>\n", encoding="utf-8")


def _gh_pages_checkout(folder: Path) -> None:
    _hand_made_site(folder)
    subprocess.run(["git", "init", "-q", str(folder)], check=True)


def _marked_checkout(folder: Path) -> None:
    """A built site that someone turned into a repository: .git wins over the marker."""
    _gh_pages_checkout(folder)
    (folder / ".disclose-site.txt").write_text("这个文件夹是 disclose 生成的网站。\n", encoding="utf-8")


def _marked_project(folder: Path) -> None:
    _hand_made_site(folder)
    (folder / ".disclose-site.txt").write_text("这个文件夹是 disclose 生成的网站。\n", encoding="utf-8")
    (folder / "content/other").mkdir(parents=True)
    (folder / "content/other/agency.yaml").write_text("id: other\n", encoding="utf-8")


def _site_config_only(folder: Path) -> None:
    _hand_made_site(folder)
    (folder / "site_config").mkdir()
    (folder / "site_config/site.yaml").write_text("title: 另一个县\n", encoding="utf-8")


@pytest.mark.parametrize(("make", "said"), [
    (_hand_made_site, "没有 disclose 生成网站时留下的标记文件 .disclose-site.txt"),
    (_gh_pages_checkout, "里有 .git/，是一个仓库或项目"),
    (_marked_checkout, "里有 .git/，是一个仓库或项目"),
    (_marked_project, "里有 content/，是一个仓库或项目"),
    (_site_config_only, "里有 site_config/，是一个仓库或项目"),
])
def test_a_folder_with_an_index_html_is_replaced_only_if_a_build_made_it(tmp_path, capsys, make, said):
    """index.html alone proves nothing: a gh-pages checkout or a hand-made site has one too."""
    root = project(tmp_path)
    out = tmp_path / "发布"
    make(out)
    before = fingerprint(tmp_path)
    assert build(root, "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert "错误：输出目录" in err and said in err and "读取并检查内容" not in err, err
    assert fingerprint(tmp_path) == before


def test_a_built_site_is_marked_and_the_next_build_replaces_it(tmp_path):
    root = project(tmp_path)
    out = tmp_path / "发布"
    out.mkdir()  # an empty folder holds nothing to lose
    assert build(root, "--out", str(out)) == 0
    marker = out / ".disclose-site.txt"
    assert marker.is_file() and "disclose" in marker.read_text(encoding="utf-8")
    assert stat.S_IMODE(marker.stat().st_mode) == 0o644
    (out / "旧页面.html").write_text("上一版的页面\n", encoding="utf-8")
    assert build(root, "--out", str(out)) == 0
    assert not (out / "旧页面.html").exists() and marker.is_file() and (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".发布-")) == []


def test_the_real_command_refuses_out_dot_and_the_project_survives(tmp_path):
    root = project(tmp_path)
    before = fingerprint(tmp_path)
    done = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--project", ".", "--today", TODAY,
                           "--out", "."], cwd=root, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 2, done.stderr
    assert "错误：输出目录" in done.stderr and "Traceback" not in done.stderr
    assert fingerprint(tmp_path) == before


def test_plain_mkdocs_into_content_is_refused(tmp_path):
    """`mkdocs build` run directly goes through the same check (in the plugin) before MkDocs empties the folder."""
    root = project(tmp_path)
    packaged = REPO / "templates"
    (root / "mkdocs.yml").write_text(
        f"INHERIT: {packaged / 'mkdocs.yml'}\ndocs_dir: {packaged / 'docs'}\n"
        f"theme:\n  name: material\n  custom_dir: {packaged / 'overrides'}\n  font: false\n", encoding="utf-8")
    before = fingerprint(tmp_path)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "content"], cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "位于项目的 content/ 里" in done.stderr, done.stderr
    assert fingerprint(tmp_path) == before


def test_plain_mkdocs_marks_its_site_and_may_build_it_again(tmp_path):
    """`mkdocs build` writes into site_dir itself: the folder is marked before MkDocs fills it, so
    the next `mkdocs build` (or `disclose build`) may replace it."""
    root = project(tmp_path)
    packaged = REPO / "templates"
    (root / "mkdocs.yml").write_text(
        f"INHERIT: {packaged / 'mkdocs.yml'}\ndocs_dir: {packaged / 'docs'}\n"
        f"theme:\n  name: material\n  custom_dir: {packaged / 'overrides'}\n  font: false\n"
        f"plugins:\n  - disclose:\n      today: '{TODAY}'\n", encoding="utf-8")
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    assert (root / "site/.disclose-site.txt").is_file() and (root / "site/index.html").is_file()
    assert build(root) == 0


# ---------------------------------------------------------------- what a build leaves


@pytest.mark.parametrize("umask", [0o077, 0o022, 0o002])
def test_built_site_is_world_readable_whatever_the_umask(tmp_path, umask):
    # 077: a locked-down shell, without the fix every page would be 0600 in a 0700 folder;
    # 022: the usual one, where the build trusts the modes files were created with: any file made
    # private on purpose (a temporary file moved into the site) would show here; 002: group-writable.
    root = project(tmp_path)
    old = os.umask(umask)
    try:
        assert build(root) == 0
    finally:
        os.umask(old)
    site = root / "site"
    checked = 0
    for folder, dirs, files in os.walk(site):
        for name in dirs:
            assert stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) == 0o755, name
        for name in files:
            assert stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) == 0o644, name
            checked += 1
    assert stat.S_IMODE(os.stat(site).st_mode) == 0o755
    assert checked > 50 and (site / "pagefind/shards.json").is_file()


def test_open_up_reads_the_umask_without_setting_it(tmp_path, monkeypatch):
    """os.umask sets the mask of every thread at once: a preview's other threads (a record saved
    meanwhile) would make their files under 022 for that instant. open_up only reads it."""
    from generator import build as build_mod

    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a/index.html").write_text("x", encoding="utf-8")
    os.chmod(site / "a/index.html", 0o600)
    old = os.umask(0o077)
    try:
        monkeypatch.setattr(os, "umask", lambda *_: pytest.fail("open_up set the umask"))
        assert build_mod._umask() == 0o077
        build_mod.open_up(site)
    finally:
        monkeypatch.undo()
        os.umask(old)
    assert stat.S_IMODE(os.stat(site / "a/index.html").st_mode) == 0o644


@pytest.mark.parametrize("where", ["out", "tmp"])
def test_built_site_is_world_readable_under_a_default_acl_whatever_the_umask(tmp_path, monkeypatch, where):
    # A shared folder whose default ACL gives others nothing (setfacl -d -m o::---): files made in it take
    # their modes from the ACL, not from the umask, so a umask of 022 does not make them 0644. The ACL on
    # the output's folder (the pages) or on the temporary folder (where Pagefind writes the index).
    import struct

    root = project(tmp_path)
    shared = tmp_path / "共享 文件夹"
    shared.mkdir()
    # The xattr form of the ACL u::rwx,g::r-x,o::--- (version 2; tag, permissions, no id each).
    acl = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", tag, perm, 0xFFFFFFFF)
                                          for tag, perm in ((0x01, 7), (0x04, 5), (0x20, 0)))
    try:
        os.setxattr(shared, "system.posix_acl_default", acl)
    except OSError:
        pytest.skip("no POSIX ACLs on this file system")
    (shared / "probe").touch()
    assert stat.S_IMODE(os.stat(shared / "probe").st_mode) & 0o004 == 0  # the ACL, not the umask, decides
    (shared / "probe").unlink()
    out = shared / "site" if where == "out" else tmp_path / "site"
    if where == "tmp":
        monkeypatch.setattr(tempfile, "tempdir", str(shared))
    old = os.umask(0o022)
    try:
        assert build(root, "--out", str(out)) == 0
    finally:
        os.umask(old)
    unreadable = [os.path.relpath(os.path.join(folder, name), out) for folder, dirs, files in os.walk(out)
                  for name in (*dirs, *files) if stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) & 0o004 == 0]
    assert unreadable == []
    assert (out / "pagefind/shards.json").is_file() and (out / "index.html").is_file()


def test_a_failed_index_is_named_in_the_build_s_own_error_which_the_preview_shows(tmp_path, monkeypatch):
    """The preview lays the build's error (BuildFailed) over the page: it must say in Chinese what
    failed (here Pagefind, out of disk space), not MkDocs' own 'Aborted with a BuildError!'."""
    from generator import build as build_mod

    root = project(tmp_path)
    fake = tmp_path / "pagefind"
    fake.write_text(f"#!{sys.executable}\nimport sys\nsys.stdin.buffer.read(10)\n"
                    "sys.stderr.write('No space left on device (os error 28)\\n')\nsys.exit(101)\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_binary", lambda: str(fake))
    project_ = build_mod.load(root, __import__("datetime").date(2026, 11, 23))
    with pytest.raises(build_mod.BuildFailed) as failed:
        build_mod.build(project_, root / "site")
    said = str(failed.value)
    assert "Pagefind 建立索引失败" in said and "No space left on device" in said, said
    assert "Aborted" not in said, said
    assert not (root / "site").exists()


def test_leftovers_of_an_interrupted_build_are_cleaned_and_the_project_is_read_once(tmp_path, monkeypatch, capsys):
    from generator import project as project_mod

    root = project(tmp_path)
    # What a build killed halfway leaves: its own marked folder, the half-written site (and perhaps
    # the old site moved aside) inside.
    killed = root / ".site-k3j9x_2a"
    (killed / "site/decisions").mkdir(parents=True)
    (killed / ".disclose-build").write_text("disclose build 的临时文件夹\n", encoding="utf-8")
    (killed / "site/decisions/index.html").write_text("半截", encoding="utf-8")
    (killed / "old/data").mkdir(parents=True)
    (killed / "old/data/decisions.json").write_text("[]", encoding="utf-8")
    keep = root / ".site-notes"  # not a name a build uses: not ours to delete
    keep.mkdir()
    loads = []
    real = project_mod.load
    monkeypatch.setattr(project_mod, "load", lambda *a, **k: loads.append(a) or real(*a, **k))
    assert build(root) == 0
    assert not killed.exists()
    assert keep.is_dir()
    assert [p.name for p in root.glob(".site-*")] == [".site-notes"]
    assert (root / "site/index.html").is_file()
    assert len(loads) == 1  # the plugin was handed the project, it did not read it a second time


def test_what_a_build_did_not_make_is_never_cleaned_up(tmp_path, capsys):
    """A clerk's `mv site site.old` and a folder that merely looks like a leftover (named like one,
    without the build's marker) survive byte for byte; the latter gets a notice."""
    root = project(tmp_path)
    assert build(root) == 0
    (root / "site").rename(root / "site.old")  # the clerk's manual backup of the published site
    (root / "site.old/说明.txt").write_text("十一月发布的版本，勿删\n", encoding="utf-8")
    lookalike = root / ".site-abcd1234"
    lookalike.mkdir()
    (lookalike / "草稿.txt").write_text("自己的东西\n", encoding="utf-8")
    before = {name: fingerprint(root / name) for name in ("site.old", ".site-abcd1234")}
    capsys.readouterr()
    assert build(root) == 0
    assert build(root) == 0  # and again: the swap never needed site.old's name
    err = capsys.readouterr().err
    assert {name: fingerprint(root / name) for name in before} == before
    assert "提示：" in err and ".site-abcd1234 看起来像中断的构建留下的文件夹" in err and "没有删除" in err
    assert "site.old" not in err
    assert (root / "site/.disclose-site.txt").is_file()
    assert sorted(p.name for p in root.glob(".site-*")) == [".site-abcd1234"]


def test_two_builds_into_one_folder_queue_and_leave_no_copies(tmp_path):
    root = project(tmp_path)
    out = tmp_path / "public"
    lock = tmp_path / ".public.lock"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # Hold the lock ourselves so both builds are certain to meet it, then let them go.
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    procs, logs = [], []
    try:
        for n in range(2):
            log = open(tmp_path / f"build{n}.log", "w+", encoding="utf-8")  # noqa: SIM115
            logs.append(log)
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "generator.cli", "build", "--project", str(root), "--today", TODAY,
                 "--out", str(out)], stdout=subprocess.DEVNULL, stderr=log, env=env))
        deadline = time.monotonic() + 120
        while not all("等它完成后再继续" in (tmp_path / f"build{n}.log").read_text(encoding="utf-8")
                      for n in range(2)):
            assert time.monotonic() < deadline, "the builds never reached the lock"
            assert all(p.poll() is None for p in procs), "a build ended without waiting for the lock"
            time.sleep(0.2)
    finally:
        os.close(fd)
    codes = [p.wait(timeout=300) for p in procs]
    for log in logs:
        log.close()
    errs = [(tmp_path / f"build{n}.log").read_text(encoding="utf-8") for n in range(2)]
    assert codes == [0, 0], errs
    assert all("已生成网站" in e and "Traceback" not in e for e in errs)
    assert (out / "index.html").is_file() and (out / "pagefind/shards.json").is_file()
    # The command leaves the old site's removal to a background process: gone once it is done.
    assert left_beside(tmp_path, (".public-", "public.")) == []


def left_beside(folder: Path, prefixes: tuple[str, ...], timeout: float = 120) -> list[str]:
    """What is still beside the site once the background removals are done (or after `timeout`)."""
    deadline = time.monotonic() + timeout
    while True:
        left = sorted(p.name for p in folder.iterdir() if p.name.startswith(prefixes))
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


def test_the_command_removes_the_old_site_in_the_background(tmp_path):
    """`disclose build` returns once the new site is in place; the old one, moved into the build's
    marked folder, is removed by a background process."""
    root = project(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "generator.cli", "build", "--project", str(root), "--today", TODAY]
    for _ in range(3):  # the second and third replace a site (the third while the second's may go)
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        assert "已生成网站" in done.stderr and (root / "site/index.html").is_file()
    assert left_beside(root, (".site-",)) == []
    assert (root / "site/index.html").is_file() and (root / "site/.disclose-site.txt").is_file()


def test_a_folder_being_removed_is_left_to_its_remover(tmp_path):
    """A marked folder whose marker is locked is being removed by a background process: a build
    leaves it alone; once no one holds the marker (the process was killed) the next build removes it."""
    from generator import build as build_mod

    root = project(tmp_path)
    folder = build_mod._temp_folder(root / "site")
    (folder / "old").mkdir()
    (folder / "old/index.html").write_text("旧页面", encoding="utf-8")
    fd = os.open(folder / build_mod.TEMP_MARKER, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert build(root) == 0
        assert (folder / "old/index.html").is_file()
    finally:
        os.close(fd)
    assert build(root) == 0
    assert not folder.exists()


def test_an_interrupted_removal_leaves_its_folder_marked(tmp_path, monkeypatch):
    """Whatever stops the removal of a build's temporary folder, the marker goes last: what is left
    is still the build's own, and the next build removes it."""
    from generator import build as build_mod
    from generator import fsjobs

    root = project(tmp_path)
    folder = build_mod._temp_folder(root / "site")
    (folder / "old/decisions/a").mkdir(parents=True)
    (folder / "old/decisions/a/index.html").write_text("旧页面", encoding="utf-8")

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(fsjobs.shutil, "rmtree", killed)
    with pytest.raises(KeyboardInterrupt):
        build_mod.remove_marked(folder)
    assert (folder / build_mod.TEMP_MARKER).is_file() and (folder / "old/decisions/a/index.html").is_file()
    monkeypatch.undo()
    assert build(root) == 0
    assert not folder.exists() and (root / "site/index.html").is_file()


def pagefind_children(marker: str) -> list[str]:
    """Processes started by this one whose command line holds `marker` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z" and marker in cmdline:
            found.append(cmdline)
    return found


def test_a_failed_build_keeps_the_old_site_and_stops_pagefind(tmp_path, monkeypatch, capsys):
    root = project(tmp_path)
    assert build(root) == 0
    before = fingerprint(root / "site")
    (root / "templates/records/decision.html").write_text("{% if %}坏了", encoding="utf-8")
    # A Pagefind that takes its time, as at county scale: still running when the record pages fail.
    slow = tmp_path / "bin" / "pagefind"
    slow.parent.mkdir()
    slow.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(120)\n", encoding="utf-8")
    slow.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_binary", lambda: str(slow))
    scratch = tmp_path / "scratch"  # where the indexer's own temporary folders go
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    capsys.readouterr()
    assert build(root) == 1
    err = capsys.readouterr().err
    assert "templates/records/decision.html:1: 错误 模板有误" in err
    assert pagefind_children(str(slow)) == []
    assert list(scratch.iterdir()) == []
    assert fingerprint(root / "site") == before
    assert not list(root.glob(".site-*")) and not (root / "site.old").exists()


def test_a_link_in_place_of_a_build_s_folder_is_never_followed_when_it_is_removed(tmp_path):
    """Whoever can write beside the site may replace the build's temporary folder by a link to a
    folder of theirs holding a marker: its removal deletes nothing there."""
    from generator import build as build_mod

    root = project(tmp_path)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / build_mod.TEMP_MARKER).write_text("x", encoding="utf-8")
    (victim / "passwd").write_text("别人的", encoding="utf-8")
    (victim / "sub").mkdir()
    (victim / "sub/file").write_text("别人的", encoding="utf-8")
    link = root / ".site-abcd1234"
    link.symlink_to(victim, target_is_directory=True)
    build_mod.remove_marked(link)
    assert sorted(p.name for p in victim.rglob("*")) == [build_mod.TEMP_MARKER, "file", "passwd", "sub"]
    assert build(root) == 0  # the next build leaves it alone too (a link is no folder of its own)
    assert (victim / "passwd").is_file()


def test_a_mount_point_inside_the_output_folder_is_refused(tmp_path, capsys, monkeypatch):
    """A swap deletes the whole old site, what is mounted in it included, and a patch cannot rename
    across it (a bind mount keeps st_dev): refused, with where, before anything is touched."""
    from generator import build as build_mod

    root = project(tmp_path)
    assert build(root) == 0
    site = root / "site"
    table = tmp_path / "mountinfo"
    table.write_bytes(  # /proc/self/mountinfo's format: the fifth field, with octal escapes
        b"22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
        + b"90 22 254:0 /store " + os.fsencode(str(site)).replace(b" ", b"\\040")
        + b"/data\\040files rw,relatime shared:1 - ext4 /dev/vda rw\n"
        + b"91 22 0:27 / " + os.fsencode(str(site)) + b" rw - tmpfs tmpfs rw\n")  # --out itself: fine
    assert build_mod.mounts_inside(site.resolve(), str(table)) == [f"{site.resolve()}/data files"]
    assert build_mod.mounts_inside(site.resolve()) == []  # none here, in the real table
    before = fingerprint(site)
    real = build_mod.mounts_inside
    monkeypatch.setattr(build_mod, "mounts_inside", lambda folder: real(folder, str(table)))
    assert build(root) == 2
    assert "data files 是另一个文件系统" in capsys.readouterr().err
    assert fingerprint(site) == before
