"""The example county in content/ must stay valid and build with plain `mkdocs build`."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from generator.project import load

ROOT = Path(__file__).resolve().parent.parent


def test_example_content_has_no_errors_and_meets_its_promises():
    project = load(ROOT, dt.date(2026, 11, 23))
    assert [p.format() for p in project.problems if p.is_error] == []
    assert len(project.agencies) >= 3
    assert {a.agency.kind for a in project.agencies.values()} >= {"乡镇人民政府", "行政机关"}
    assert len(project.officers()) >= 20 and len(project.powers()) >= 30 and len(project.benchmarks()) >= 10
    entries = project.entries()
    assert len(entries) >= 60
    assert any(e.decision.decided_on == dt.date(2025, 9, 29) for e in entries)  # straddles National Day
    assert any(e.decision.decided_on == dt.date(2026, 2, 12) for e in entries)  # straddles Spring Festival
    assert any(e.stamps.publication == "逾期公开" for e in entries)
    assert any(e.decision.status == "撤销" for e in entries)
    assert any(e.decision.party.type == "自然人" for e in entries)


def test_plain_mkdocs_build_in_the_repository(tmp_path):
    env = {**os.environ, "DISCLOSE_TODAY": "2026-11-23"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")], cwd=ROOT,
                   env=env, check=True, capture_output=True)
    site = tmp_path / "site"
    assert "示例县行政执法公示" in (site / "index.html").read_text(encoding="utf-8")
    rows = json.loads((site / "data/decisions.json").read_text(encoding="utf-8"))
    assert len(rows) >= 50
    # Record pages are reachable but not in the nav: the nav stays small.
    page = (site / "agencies/scjg/index.html").read_text(encoding="utf-8")
    assert page.count("md-nav__item") < 30
