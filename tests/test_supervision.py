"""The supervisor's view: per supervised body, notices with days left or overdue and their timelines, plans with
their completion rates, coordination on-time rates per pair; read back from real builds and from `disclose check`."""

from __future__ import annotations

import html as htmllib
import json
import re

from conftest import TODAY
from supervision_helpers import edit

from generator import checks, statistics, supervision
from generator import project as project_mod
from generator.cli import main

SECOND = "supervision/notices/2026/jianyi-2.yaml"


def text_of(path) -> str:
    raw = path.read_text(encoding="utf-8")
    body = raw[raw.index("<article"):raw.index("</article>")]
    return re.sub(r"\s+", "", htmllib.unescape(re.sub(r"<[^>]+>", "", body)))


def build(root) -> None:
    assert main(["build", "--project", str(root), "--today", TODAY.isoformat()]) == 0


def test_overview_per_body(tree):
    root = tree("supervision")
    edit(root, SECOND, "status: 整改中", "rectify_by: 2026-11-20\nstatus: 整改中")
    project = project_mod.load(root, TODAY, use_git=False)
    bodies = supervision.overview(project, TODAY)
    town = bodies["town"]
    [second, first] = town.notices  # newest first
    assert (second.state, second.days_left) == ("逾期未整改", -3)
    assert (first.state, first.days_left) == ("已办结", None)
    assert [s.what for s in first.timeline] == ["制发", "整改情况报告", "已销号", "整改期限"]  # as it happened
    assert [(s.what, s.cls) for s in second.timeline][-1] == ("提请上报", "pending")  # due 11-25: not yet
    [plan] = town.plans
    assert (plan.progress.due, plan.progress.done, plan.progress.rate) == (1, 1, 100.0)
    pairs = {(p.source, p.target): p for p in town.pairs}
    assert pairs[("town", "测试县市场监督管理局")].rate == 100.0
    assert pairs[("测试县自然资源和规划局", "town")].total == 1
    assert town.publication == {"due": 2, "on_time": 2, "rate": 100.0}
    assert supervision.counts(town.notices) == {"open": 1, "overdue": 1, "closed": 1}


def test_an_agency_written_by_its_full_name_is_that_agency(tree):
    """Staff write a body of the site in a coordination record by its id or by its full name (CONTENT.md
    allows either): its pairs are counted under the agency either way, never as a body outside the site."""
    root = tree("supervision")
    edit(root, "coordination/2026/yisong-1.yaml", "from: town", "from: 测试县测试镇人民政府")
    # … and a plan's owner, its measure overdue; the transfer made late
    edit(root, "supervision/plans/town-2026-zgfa.yaml", "owner: town", "owner: 测试县测试镇人民政府")
    edit(root, "supervision/plans/town-2026-zgfa.yaml", "        done_on: 2026-09-20\n", "")
    edit(root, "coordination/2026/yisong-1.yaml", "done_on: 2026-10-08", "done_on: 2026-10-20")
    project = project_mod.load(root, TODAY, use_git=False)
    assert project.ok
    bodies = supervision.overview(project, TODAY)
    assert "测试县测试镇人民政府" not in bodies  # not a second body beside town
    assert len(bodies["town"].plans) == 1
    found = checks.findings(project, TODAY)
    assert {f.code: f.agency for f in found} == {"S811": "town", "S822": "town"}
    rows, _total = statistics.oversight(project, TODAY, 2026)
    assert rows["town"].coordination == 2  # the transfer and the joint action: town's to do
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    page = (root / "site/supervision/index.html").read_text(encoding="utf-8")
    assert page.count("<h2>测试县测试镇人民政府") <= 1 and "测试县测试镇人民政府（测试县测试镇人民政府）" not in page
    plan = (root / "site/supervision/plans/town-2026-zgfa/index.html").read_text(encoding="utf-8")
    assert '整改单位：<a href="../../../agencies/town/">测试县测试镇人民政府</a>' in plan
    assert {(p.source, p.target) for p in bodies["town"].pairs} >= {("town", "测试县市场监督管理局")}


def test_an_escalated_notice_from_start_to_end(tree):
    """The supervisor's walk: a 建议书 not rectified, reported upward, a 通知书 issued and complied with."""
    root = tree("supervision")
    edit(root, SECOND, "issued_on: 2026-11-02", "issued_on: 2026-06-15")
    edit(root, SECOND, "status: 整改中", "rectify_by: 2026-07-15\nresponse: {reported_on: 2026-07-30, summary: 已整改}\n"
         "status: 已销号\nclosed_on: 2026-08-28\nescalated_on: 2026-07-20\nfollow_up: 测司监通〔2026〕第1号\npublic: true")
    (root / "supervision/notices/2026/tongzhi-1.yaml").write_text(
        "id: 测司监通〔2026〕第1号\nkind: 监督通知书\nissued_by: 测试县司法局\nissued_to: town\nissued_on: 2026-07-24\n"
        "problems: [对农村建房施工现场的检查未按计划开展，经建议仍未整改]\nbasis: 《测试县乡镇行政执法协调监督工作实施方案》\n"
        "rectify_by: 2026-08-24\nstatus: 已整改\nclosed_on: 2026-08-21\npublic: true\n", encoding="utf-8")
    build(root)
    site = root / "site"
    page = text_of(site / "supervision/index.html")
    assert "测司所监建〔2026〕第2号" in page and "测司监通〔2026〕第1号" in page
    notice = text_of(site / "supervision/notices/2026/jianyi-2/index.html")
    steps = ("制发2026-06-15", "整改期限2026-07-15", "提请上报2026-07-20", "后续文书2026-07-24测司监通〔2026〕第1号",
             "整改情况报告2026-07-30", "已销号2026-08-28")
    process = notice[notice.index("办理过程"):]
    at = [process.index(step) for step in steps]
    assert at == sorted(at), steps  # in the order it happened
    assert "已销号2026-08-28逾期" in notice
    assert "提请上报期限：2026-07-20" in notice and "江委法办发〔2022〕1号" in notice  # explained, with its source
    raw = (site / "supervision/notices/2026/jianyi-2/index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="\.\./\.\./\.\./\.\./supervision/notices/2026/tongzhi-1/">测司监通〔2026〕第1号</a>', raw)
    assert "监督通知书测司监通〔2026〕第1号" in text_of(site / "supervision/notices/2026/tongzhi-1/index.html")
    data = json.loads((site / "data/supervision.json").read_text(encoding="utf-8"))
    [town] = [b for b in data["bodies"] if b["body"] == "town"]
    assert [n["id"] for n in town["notices"]] == ["测司所监建〔2026〕第1号", "测司监通〔2026〕第1号", "测司所监建〔2026〕第2号"]
    assert town["notices"][2]["stamps"] == {"rectify_by": "2026-07-15", "escalate_by": "2026-07-20"}
    assert town["notices_not_public"] == {"open": 0, "overdue": 0, "closed": 0}


def test_the_supervision_page_shows_plans_pairs_and_counts(tree):
    root = tree("supervision")
    edit(root, "site_config/site.yaml", "region: 测试县", "region: 测试县\nbase_url: https://zfgs.example.gov.cn/")
    build(root)
    site = root / "site"
    page = text_of(site / "supervision/index.html")
    assert "另有1份未公开的监督文书（尚未办结1份，其中逾期0份；已办结0份）" in page
    assert "关于县司法局行政执法监督反馈问题的整改方案2026-05-1011100.0%" in page
    assert "测试县测试镇人民政府→（本站以外的机关）" in page  # outside bodies are not named from internal records
    plan = text_of(site / "supervision/plans/town-2026-zgfa/index.html")
    assert "整改完成率100.0%（已到整改时限的1项措施中完成1项）；全部3项措施中已完成1项" in plan
    assert "建立执法证件到期提醒台账—党政办公室、综合行政执法队2026-12-31未到期" in plan
    assert "加强法制审核人员轮训交流司法所综合行政执法队长期坚持长期坚持" in plan
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "supervision/plans/town-2026-zgfa/" in sitemap and "jianyi-2" not in sitemap


def test_public_records_are_published_without_the_supervision_page(tree):
    root = tree("supervision")
    (root / "site_config/site.yaml").write_text("title: 测试县行政执法公示\n", encoding="utf-8")
    build(root)
    site = root / "site"
    assert not (site / "supervision/index.html").exists() and not (site / "data/supervision.json").exists()
    notice = (site / "supervision/notices/2026/jianyi-1/index.html").read_text(encoding="utf-8")
    assert "测司所监建〔2026〕第1号" in notice and "dc-crumbs" not in notice  # no link to a page that is not there
    assert (site / "supervision/plans/town-2026-zgfa/index.html").is_file()
    assert not (site / "supervision/notices/2026/jianyi-2").exists()


def test_check_json_carries_the_whole_internal_view(tree, capsys):
    root = tree("supervision")
    assert main(["check", "--project", str(root), "--today", TODAY.isoformat(), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    [town] = [b for b in data["supervision"] if b["body"] == "town"]
    assert {n["id"] for n in town["notices"]} == {"测司所监建〔2026〕第1号", "测司所监建〔2026〕第2号"}  # internal one too
    [pending] = [n for n in town["notices"] if n["id"].endswith("第2号")]
    assert pending["stamps"]["rectify_by"] == "2026-12-02" and pending["days_left"] == 9
    pairs = {(p["from"], p["to"]) for p in town["coordination"]}
    assert ("town", "测试县市场监督管理局") in pairs  # the supervisor sees outside bodies by name
