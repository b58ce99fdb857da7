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


def test_the_example_tells_the_seeds_supervision_story():
    """A 司法所 supervising the township: a 建议书 rectified on time, one overdue and escalated into a 通知书, a plan
    with measures done, due and overdue, and a year of 1+X coordination with a few late transfers."""
    from generator import checks, supervision

    today = dt.date(2026, 11, 23)
    project = load(ROOT, today)
    town = supervision.overview(project, today)["xinglong-town"]
    states = {line.notice.id: line.state for line in town.notices}
    assert states["兴司所监建〔2026〕第1号"] == "已办结"  # on time
    escalated = next(line for line in town.notices if line.notice.id == "兴司所监建〔2026〕第2号")
    assert escalated.notice.escalated_on and escalated.notice.follow_up == "示司监通〔2026〕第3号"
    assert states["示司监通〔2026〕第3号"] == "已办结" and states["兴司所监建〔2026〕第4号"] == "逾期未整改"
    assert {n.notice.issued_by for n in town.notices} == {"示例县兴隆司法所", "示例县司法局"}
    [plan] = town.plans
    assert {s for problem in plan.progress.states for s in problem} >= {"已完成", "未到期", "逾期未完成", "长期坚持"}
    codes = [f.code for f in checks.findings(project, today)]
    assert codes.count("S822") >= 2 and "S821" in codes and "S802" in codes and "S811" in codes
    assert len(project.items("coordination")) >= 12
    assert {i.record.kind for i in project.items("coordination")} == {"案件移送", "信息告知", "协助请求", "联合执法", "争议协调"}


def test_a_supervisor_follows_the_escalated_notice_on_the_example_site(example_built):
    import re

    site = example_built / "site"
    page = (site / "supervision/index.html").read_text(encoding="utf-8")
    link = re.search(r'<a href="([^"]+)">兴司所监建〔2026〕第2号</a>', page)
    assert link, "the escalated notice is listed with a link"
    notice = (site / "supervision" / link[1]).resolve() / "index.html"
    text = notice.read_text(encoding="utf-8")
    assert "提请上报" in text and "2026-07-20" in text and "江委法办发〔2022〕1号" in text
    follow = re.search(r'<a href="([^"]+)">示司监通〔2026〕第3号</a>', text)
    assert follow, "the follow-up 通知书 is linked from the timeline"
    assert "监督通知书" in ((notice.parent / follow[1]).resolve() / "index.html").read_text(encoding="utf-8")
    assert "兴司所监建〔2026〕第4号" not in page  # internal: counted, not named
    progress = (site / "supervision/plans/xinglong-2026-zgfa/index.html").read_text(encoding="utf-8")
    assert "整改完成率 <strong>75.0%</strong>" in progress
