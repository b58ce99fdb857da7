"""published_on from git is the Beijing date of the commit, whatever zone the committer's machine used."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from generator.gitdates import first_added
from generator.project import load


def git(root: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    if when:
        # the author date says nothing about publication: only the committer's is read
        env.update(GIT_AUTHOR_DATE="2020-01-01T12:00:00+08:00", GIT_COMMITTER_DATE=when)
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def commit_file(root: Path, rel: str, when: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("case_no: 测罚字〔2026〕第1号\n", encoding="utf-8")
    git(root, "add", rel)
    git(root, "commit", "-qm", f"add {rel}", when=when)


@pytest.mark.parametrize(("when", "beijing"), [
    ("2026-03-02T17:30:00+00:00", dt.date(2026, 3, 3)),  # a London merge after 16:00 UTC: next day in China
    ("2026-03-02T23:30:00-05:00", dt.date(2026, 3, 3)),  # an evening in New York is the next noon in Beijing
    ("2026-03-03T00:30:00+08:00", dt.date(2026, 3, 3)),  # already Beijing time: not moved back to UTC's 03-02
    ("2026-03-02T15:59:59+00:00", dt.date(2026, 3, 2)),  # one second before midnight in Beijing
    ("2026-03-02T16:00:00+00:00", dt.date(2026, 3, 3)),  # midnight in Beijing
])
def test_the_date_is_the_beijing_date_of_the_commit(tmp_path, when, beijing):
    git(tmp_path, "init", "-q")
    commit_file(tmp_path, "content/town/decisions/2026/a.yaml", when)
    dates, warning = first_added(tmp_path)
    assert dates == {"content/town/decisions/2026/a.yaml": beijing}
    assert warning is None


def test_the_first_commit_that_added_a_file_wins_in_any_zone(tmp_path):
    git(tmp_path, "init", "-q")
    commit_file(tmp_path, "content/town/decisions/2026/a.yaml", "2026-03-02T17:30:00+00:00")
    # a later edit, committed from a zone west of UTC, does not move the date back or forth
    (tmp_path / "content/town/decisions/2026/a.yaml").write_text("case_no: 改\n", encoding="utf-8")
    git(tmp_path, "commit", "-qam", "edit", when="2026-03-05T09:00:00-05:00")
    commit_file(tmp_path, "content/town/decisions/2026/b.yaml", "2026-03-04T01:00:00+08:00")
    dates, _ = first_added(tmp_path)
    assert dates == {"content/town/decisions/2026/a.yaml": dt.date(2026, 3, 3),
                     "content/town/decisions/2026/b.yaml": dt.date(2026, 3, 4)}


def test_a_project_in_a_subfolder_of_the_repository(tmp_path):
    git(tmp_path, "init", "-q")
    commit_file(tmp_path, "county/content/town/decisions/2026/a.yaml", "2026-03-02T20:00:00+00:00")
    dates, _ = first_added(tmp_path / "county")
    assert dates == {"content/town/decisions/2026/a.yaml": dt.date(2026, 3, 3)}


def test_a_late_publication_merged_in_the_utc_evening_shows_as_late(tree):
    """national-day was decided 2025-09-30 and is due 2025-10-16; merged 2025-10-16 17:30 UTC = 10-17 in Beijing."""
    root = tree("minimal")
    decision = root / "content/town/decisions/2025/national-day.yaml"
    decision.write_text(decision.read_text(encoding="utf-8").replace("published_on: 2025-10-15\n", ""),
                        encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "site_config", "content/town/agency.yaml", "content/town/officers.yaml",
        "content/town/powers.yaml", "content/town/benchmarks.yaml")
    git(root, "commit", "-qm", "base", when="2025-01-02T10:00:00+08:00")
    git(root, "add", "content")
    git(root, "commit", "-qm", "publish", when="2025-10-16T17:30:00+00:00")
    entry = next(e for e in load(root, dt.date(2026, 11, 23)).entries() if e.slug == "national-day")
    assert entry.stamps.published_on == dt.date(2025, 10, 17)
    assert entry.stamps.publication == "逾期公开"


def test_file_names_in_any_bytes_get_their_dates_and_never_stop_the_build(tmp_path):
    # A GBK archive's name (not UTF-8) once stopped the build with an internal error; a name with
    # a line break or a quote is quoted by git without -z and missed its date.
    git(tmp_path, "init", "-q")
    gbk = os.fsdecode(b"content/town/decisions/2026/\xb9\xfa\xc7\xec.yaml")
    odd = 'content/town/decisions/2026/a\n"b".yaml'
    commit_file(tmp_path, "content/town/decisions/2026/plain.yaml", "2026-03-02T10:00:00+08:00")
    commit_file(tmp_path, gbk, "2026-03-04T10:00:00+08:00")
    commit_file(tmp_path, odd, "2026-03-05T10:00:00+08:00")
    dates, warning = first_added(tmp_path)
    assert warning is None
    assert dates == {"content/town/decisions/2026/plain.yaml": dt.date(2026, 3, 2), gbk: dt.date(2026, 3, 4),
                     odd: dt.date(2026, 3, 5)}
