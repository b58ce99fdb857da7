"""What the public may see: expiry, git publication dates, masking rules."""

import datetime as dt
import os
import subprocess

from conftest import site_texts

from generator.cli import main
from generator.privacy import mask_name
from generator.project import load


def test_mask_name():
    assert mask_name("张三") == "张某"
    assert mask_name("张三丰") == "张某某"
    assert mask_name("欧阳修") == "欧阳某"
    assert mask_name("王") == "某"


def test_expired_decision_leaves_every_page_and_export(tree):
    root = tree("expiry")
    # 警告 only: publicity period is 3 months from 2025-09-30, i.e. until 2025-12-30.
    assert main(["build", "--project", str(root), "--today", "2025-12-30"]) == 0
    assert (root / "site/decisions/town/2025/warning-only/index.html").is_file()
    assert main(["build", "--project", str(root), "--today", "2025-12-31"]) == 0
    assert not (root / "site/decisions/town/2025/warning-only").exists()
    texts = list(site_texts(root / "site"))
    assert any(p.suffix == ".pf_fragment" for p, _ in texts)  # the search index is read too
    for path, text in texts:
        assert "〔2025〕第3号" not in text, path


def git(root, *args, date=None):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T10:00:00+08:00", GIT_COMMITTER_DATE=f"{date}T10:00:00+08:00")
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_published_on_comes_from_the_commit_that_added_the_file(tree):
    root = tree("minimal")
    decision = root / "content/town/decisions/2025/national-day.yaml"
    decision.write_text(decision.read_text(encoding="utf-8").replace("published_on: 2025-10-15\n", ""),
                        encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "site_config", "content/town/agency.yaml", "content/town/officers.yaml",
        "content/town/powers.yaml", "content/town/benchmarks.yaml", date="2025-01-02")
    git(root, "commit", "-qm", "base", date="2025-01-02")
    git(root, "add", "content", date="2025-10-20")
    git(root, "commit", "-qm", "publish", date="2025-10-20")
    # a later edit does not move the publication date
    decision.write_text(decision.read_text(encoding="utf-8") + "served_on: 2025-10-02\n", encoding="utf-8")
    git(root, "commit", "-qam", "edit", date="2025-11-05")
    project = load(root, dt.date(2026, 11, 23))
    entry = next(e for e in project.entries() if e.slug == "national-day")
    assert entry.stamps.published_on == dt.date(2025, 10, 20)
    assert entry.stamps.publication == "逾期公开"  # due 2025-10-16


def test_uncommitted_file_outside_git_counts_as_published_today(tree):
    root = tree("minimal")
    decision = root / "content/town/decisions/2025/national-day.yaml"
    decision.write_text(decision.read_text(encoding="utf-8").replace("published_on: 2025-10-15\n", ""),
                        encoding="utf-8")
    project = load(root, dt.date(2025, 10, 10))
    entry = next(e for e in project.entries() if e.slug == "national-day")
    assert entry.stamps.published_on == dt.date(2025, 10, 10)
    assert entry.stamps.publication == "按时公开"
