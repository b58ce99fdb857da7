import datetime as dt
import errno
import json
import os

import pytest

from generator.cli import main


def test_schema_writes_json_schemas_with_chinese_titles(tmp_path):
    assert main(["schema", "--out", str(tmp_path)]) == 0
    decision = json.loads((tmp_path / "decision.schema.json").read_text(encoding="utf-8"))
    assert decision["properties"]["case_no"]["title"] == "决定书文号"
    assert decision["additionalProperties"] is False


def test_strict_turns_warnings_into_failure(tree, capsys):
    root = tree("minimal")
    path = root / "content/town/decisions/2025/national-day.yaml"
    (root / "content/town/decisions/2024").mkdir()
    path.rename(root / "content/town/decisions/2024/national-day.yaml")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 0
    assert main(["validate", "--project", str(root), "--today", "2026-11-23", "--strict"]) == 1
    assert "警告 W003 决定作出于 2025 年，文件却放在 2024 文件夹" in capsys.readouterr().err


def test_bad_today_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--today", "2025-13-01"])
    assert exc.value.code == 2
    assert "日期应为 YYYY-MM-DD" in capsys.readouterr().err


def test_next_year_s_missing_holidays_are_a_notice_that_strict_lets_through(capsys):
    """The State Council publishes next year's holidays in November or December: a daily
    strict build must not fail for it, but a year already begun without its holidays must."""
    from pathlib import Path

    from generator.project import load

    repo = Path(__file__).parent.parent
    assert main(["validate", "--project", str(repo), "--today", "2026-11-23", "--strict"]) == 0
    assert "提示 W001 2027 年的节假日安排尚未收录" in capsys.readouterr().err
    later = load(repo, dt.date(2027, 3, 1), use_git=False)
    (w001,) = [p for p in later.problems if p.code == "W001"]
    assert w001.severity == "警告" and w001.fails_strict


def test_today_is_the_beijing_date():
    from generator.cli import _today

    def beijing() -> dt.date:
        return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).date()

    before = beijing()
    today = _today(None)
    assert today in {before, beijing()}  # the day may turn (16:00 UTC) between the two looks at the clock


@pytest.mark.parametrize("buffered", [True, False])
def test_a_reader_that_closes_the_pipe_ends_the_command_quietly(tmp_path, buffered):
    """`disclose schema | head -1`: no traceback, whatever the timing of the reader and the buffering."""
    import os
    import shlex
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # a user's shell has none
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    command = [sys.executable, "-m", "generator.cli", "schema", "--out", str(tmp_path / "schemas")]
    done = subprocess.run(f"{shlex.join(command)} | head -1", shell=True, capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.stdout.count("\n") == 1 and done.stdout.strip().endswith(".schema.json"), done.stdout
    assert "Traceback" not in done.stderr and "Exception" not in done.stderr, done.stderr
    # The reader gone before the first write: the broken pipe is certain.
    read, write = os.pipe()
    os.close(read)
    try:
        gone = subprocess.run(command, stdout=write, stderr=subprocess.PIPE, text=True, timeout=120, env=env)
    finally:
        os.close(write)
    assert gone.returncode == 1
    assert gone.stderr == ""


def test_a_list_file_saved_while_a_build_runs_shows_in_the_next_build(tree, monkeypatch):
    """A clerk saves officers.yaml after the build read it, before its pages are written: that
    build shows the old text, and the next one (nothing else changed) must show the new, not
    reuse pages recorded under the new file's key."""
    from generator import build

    root = tree("minimal")
    officers = root / "content/town/officers.yaml"
    page = root / "site/decisions/town/2025/national-day/index.html"
    real_load = build.load

    def load_then_save(*args, **kwargs):
        project = real_load(*args, **kwargs)
        officers.write_text(officers.read_text(encoding="utf-8").replace("name: 王伟", "name: 王建伟"),
                            encoding="utf-8")
        return project

    command = ["build", "--project", str(root), "--today", "2026-11-23"]
    monkeypatch.setattr(build, "load", load_then_save)
    assert main(command) == 0
    assert "王伟（" in page.read_text(encoding="utf-8")  # read before the save
    monkeypatch.undo()
    assert main(command) == 0
    html = page.read_text(encoding="utf-8")
    assert "王建伟（" in html and "王伟（" not in html
    assert "王建伟" in (root / "site/data/town/officers.json").read_text(encoding="utf-8")


def _built_once(tree) -> tuple:
    """The minimal fixture built once with the default cache: its root, the build command, and
    what a later failed build must leave as it was (the site's files, the project folder's names)."""
    root = tree("minimal")
    command = ["build", "--project", str(root), "--today", "2026-11-23"]
    assert main(command) == 0
    return root, command, _files(root / "site"), sorted(p.name for p in root.iterdir())


def _files(site) -> dict:
    return {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_rebuild_with_content_errors_leaves_the_site_and_its_folder_as_they_were(tree, capsys):
    """With a previous site and a cache, the page folders are made while the project loads
    (build.publishing): content errors found by that load still write nothing, the site stays
    and nothing is left beside it; fixed, the next build reuses the previous pages."""
    root, command, before, beside = _built_once(tree)
    decision = next((root / "content/town/decisions").rglob("*.yaml"))
    good = decision.read_text(encoding="utf-8")
    decision.write_text(good.replace("decided_on:", "decided_on: 不是日期\nwas_decided_on:", 1), encoding="utf-8")
    capsys.readouterr()
    assert main(command) == 1
    err = capsys.readouterr().err
    assert f"{decision.relative_to(root)}:" in err and "错误" in err
    assert _files(root / "site") == before
    assert sorted(p.name for p in root.iterdir()) == beside  # no temporary folder left, no new file
    decision.write_text(good, encoding="utf-8")
    assert main(command) == 0
    assert "沿用上次生成的页面" in capsys.readouterr().err
    assert _files(root / "site").keys() == before.keys()


def test_a_rebuild_stopped_while_loading_leaves_nothing_beside_the_site(tree, monkeypatch):
    """Ctrl-C while the project loads, the previous pages' folders being made beside the site:
    the child making them is stopped and its folder removed; the site stays as it was."""
    from generator import build

    root, command, before, beside = _built_once(tree)
    made: list[list[str]] = []

    def interrupted(*args, **kwargs):
        made.append(sorted(p.name for p in root.iterdir()))
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "load", interrupted)
    assert main(command) == 130
    assert len(made[0]) == len(beside) + 1  # the build's own marked folder, while loading
    assert _files(root / "site") == before
    assert sorted(p.name for p in root.iterdir()) == beside


def test_a_failed_build_leaves_no_lock_file_it_made(tree, capsys):
    """The build lock beside --out is the build's own file: a build that publishes nothing removes
    it if it made it, whether it failed on the content found while the previous pages' folders
    were made (a site restored without its lock, as CI restores `site/` from its cache) or in
    MkDocs on a first build. One made by a build that published stays, for the next to queue on."""
    root = tree("minimal")
    command = ["build", "--project", str(root), "--today", "2026-11-23"]
    assert main(command) == 0
    lock = root / ".site.lock"
    assert lock.is_file()
    lock.unlink()  # the site as CI restores it: the folder, not the lock beside it
    beside = sorted(p.name for p in root.iterdir())
    decision = next((root / "content/town/decisions").rglob("*.yaml"))
    good = decision.read_text(encoding="utf-8")
    decision.write_text(good.replace("decided_on:", "decided_on: 不是日期\nwas_decided_on:", 1), encoding="utf-8")
    assert main(command) == 1
    assert sorted(p.name for p in root.iterdir()) == beside
    decision.write_text(good, encoding="utf-8")
    out = root / "public"  # a first build failing in MkDocs: a project's template override that is broken
    (root / "templates/records").mkdir(parents=True)
    (root / "templates/records/decision.html").write_text("{% if %}坏了", encoding="utf-8")
    beside = sorted(p.name for p in root.iterdir())
    assert main([*command, "--out", str(out)]) == 1
    assert "模板有误" in capsys.readouterr().err
    assert sorted(p.name for p in root.iterdir()) == beside
    (root / "templates/records/decision.html").unlink()
    assert main([*command, "--out", str(out)]) == 0
    assert (root / ".public.lock").is_file()


@pytest.mark.parametrize(("code", "said"), [(errno.EACCES, "没有权限"), (errno.ENOSPC, "磁盘空间不足"),
                                            (errno.EROFS, "只读")])
def test_a_file_system_refusal_is_told_as_such_and_the_site_is_kept(tree, monkeypatch, capsys, code, said):
    """A folder the clerk may not write to, or a full disk, is not a defect of the generator:
    say what the machine refused, where, and what to do; the previous site stays as it was."""
    from generator import build

    root, command, before, _ = _built_once(tree)
    where = str(root / "site" / "index.html")

    def refused(*args, **kwargs):
        raise OSError(code, os.strerror(code), where)

    monkeypatch.setattr(build, "render", refused)
    capsys.readouterr()
    assert main(command) == 2
    err = capsys.readouterr().err
    assert f"错误：无法读写 {where}：" in err and said in err and "提示：" in err
    assert "内部错误" not in err and "Traceback" not in err
    assert _files(root / "site") == before


def test_an_unexpected_os_error_is_still_an_internal_error(tree, monkeypatch, capsys):
    from generator import build

    _, command, _, _ = _built_once(tree)

    def broken(*args, **kwargs):
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    monkeypatch.setattr(build, "render", broken)
    assert main(command) == 2
    assert "内部错误（请报告给维护者）：OSError" in capsys.readouterr().err


@pytest.mark.parametrize(("cache", "said"), [("site/.cache", "在输出目录"), ("site", "在输出目录"),
                                             (".", "就是项目目录"), ("content/cache", "位于项目的 content/"),
                                             ("site_config", "位于项目的 site_config/")])
def test_a_cache_folder_where_its_files_would_be_lost_or_mixed_in_is_refused(tree, capsys, cache, said):
    """`--cache site/.cache` would be replaced with the site each build; `--cache .` or a records
    folder would mix the cache's files with the project's (a manifest.json read as a record)."""
    root = tree("minimal")
    names = sorted(p.name for p in root.rglob("*"))
    for command in ("build", "validate"):
        if command == "validate" and said == "在输出目录":
            continue  # validate writes no site
        assert main([command, "--project", str(root), "--cache", str(root / cache), "--today", "2026-11-23"]) == 2
        err = capsys.readouterr().err
        assert "错误：缓存目录" in err and said in err and "--no-cache" in err
    assert sorted(p.name for p in root.rglob("*")) == names  # nothing read into a cache, nothing built
