"""What the public may see: expiry, git publication dates, masking rules."""

import datetime as dt
import json
import os
import re
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


# ---------------------------------------------------------------- one public view, masked once

NAMES = ("孙亮", "阿依古丽买买提", "阿依古丽", "买买提", "王小五", "欧阳娜娜")


def skeleton(text: str) -> str:
    """Text as a reader sees it: compatibility forms folded, spaces, invisible characters and name dots gone."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf" and c not in "·•・.")


def test_natural_persons_are_masked_in_every_byte_however_written(tree):
    root = tree("natural-person")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    texts = list(site_texts(root / "site"))
    assert any(p.suffix == ".pf_fragment" for p, _ in texts)
    assert any(p.name == "decisions.json" and p.parent.name == "town" for p, _ in texts)
    for path, text in texts:
        flat = skeleton(text)
        for name in NAMES:
            assert name not in flat, (path, name)
    page = (root / "site/decisions/town/2026").rglob("index.html")
    shown = "".join(p.read_text(encoding="utf-8") for p in page)
    assert "孙某" in shown and "同意对孙某处以罚款" in shown  # masked, not dropped


def test_a_name_in_traditional_characters_or_capitals_is_masked_in_every_byte(tree):
    """The party entered as 陳大文 (a Hong Kong resident's ID), written 陈大文 and 陳 大文 in the text; a
    foreign party entered as John SMITH, written John Smith and JOHN SMITH: no spelling reaches a visitor."""
    root = tree("natural-person")
    path = root / "content/town/decisions/2026/2026-03-05-001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  name: 孙　亮", "  name: 陳大文").replace(
        "孙亮在农田焚烧秸秆，经劝阻后孙 亮仍继续焚烧。", "陈大文在农田焚烧秸秆，经劝阻后陳 大文仍继续焚烧。"), encoding="utf-8")
    other = root / "content/town/decisions/2026/withheld-late.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("  name: 欧阳娜娜", "  name: John SMITH").replace(
        "欧阳娜娜焚烧秸秆。", "John Smith（JOHN SMITH）焚烧秸秆。").replace("withheld: {reason: 涉及个人隐私}\n", ""), encoding="utf-8")  # shown
    subprocess.run(["git", "-C", str(root), "commit", "-qam", "改名"], check=False, capture_output=True)
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    texts = list(site_texts(root / "site"))
    assert any(p.suffix == ".pf_fragment" for p, _ in texts)
    for path_, text_ in texts:
        flat = skeleton(text_).lower()
        for name in ("陈大文", "陳大文", "johnsmith"):
            assert name not in flat, (path_, name)


def test_exports_hold_only_the_public_view(tree):
    import json

    root = tree("natural-person")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    rows = json.loads((root / "site/data/decisions.json").read_text(encoding="utf-8"))
    by_no = {r["case_no"]: r for r in rows}
    assert set(by_no) == {"测兴政罚决字〔2026〕第1号", "测兴政罚决字〔2026〕第2号", "测兴政罚决字〔2026〕第3号"}
    person = by_no["测兴政罚决字〔2026〕第1号"]
    assert person["party"] == {"type": "自然人", "name": "孙某"}
    assert "privacy_exempt" not in person and "withheld" not in person
    assert person["legal_review"]["conclusion"] == "同意对孙某处以罚款"
    assert set(by_no["测兴政罚决字〔2026〕第3号"]) == {"case_no", "agency", "kind", "status", "status_changed_on",
                                                  "status_reason", "stamps"}
    for path, text in site_texts(root / "site"):
        assert "13800138000" not in text, path  # an exemption's reason may be quoted as a finding, its number never
        if path.suffix != ".html":
            assert "设备编号" not in text, path  # exports never carry the exemption


def test_supervision_page_counts_withheld_and_draft_findings_without_describing_them(tree):
    root = tree("natural-person")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    page = (root / "site/supervision/index.html").read_text(encoding="utf-8")
    assert ".yaml" not in page and "drafts/" not in page  # no file paths: staff name files after parties
    assert "第4号" not in page and "第5号" not in page  # withheld, draft
    assert "只计数，不列出内容" in page
    assert "测兴政罚决字〔2026〕第2号" in page  # its finding (one officer) names it by 文号


def test_credit_code_on_a_natural_person_is_an_error(tree, capsys):
    root = tree("natural-person")
    path = root / "content/town/decisions/2026/2026-03-05-001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  name: 孙　亮\n", "  name: 孙　亮\n  credit_code: 91330000MA0000005N\n"),
                    encoding="utf-8")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert "content/town/decisions/2026/2026-03-05-001.yaml:7:16: 错误 P003" in err


# ---------------------------------------------------------------- property: no name survives anywhere

from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SURNAMES = [*"王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗", "欧阳", "司马", "上官", "诸葛"]
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞刚桂英玉兰萍红鹏辉")
PARTS = ["阿依古丽", "买买提", "热依汗", "艾力", "古丽娜", "努尔", "吐尔逊", "帕提曼"]


@st.composite
def person(draw):
    """(canonical name, a decorated spelling of it): compound surnames, minority names, padding."""
    if draw(st.booleans()) and draw(st.booleans()):
        first, second = draw(st.sampled_from(PARTS)), draw(st.sampled_from(PARTS))
        name = f"{first}·{second}"
        spelled = draw(st.sampled_from([name, first + second, f"{first}•{second}", f"{first}・{second}",
                                        f"{first} {second}", f"{first}.{second}", first, second]))
        return name, spelled
    surname = draw(st.sampled_from(SURNAMES))
    given_name = "".join(draw(st.lists(st.sampled_from(GIVEN), min_size=1, max_size=2)))
    name = surname + given_name
    chars = list(name)
    spelled = draw(st.sampled_from([
        name, "\u3000".join(chars) if len(chars) == 2 else name, " ".join(chars), "\u200b".join(chars),
        name[0] + "\u3000" + name[1:], name.translate(str.maketrans("０１", "01")),
    ]))
    if len(chars) == 2 and draw(st.booleans()):
        name = chars[0] + "\u3000" + chars[1]  # the party itself written padded, as Excel leaves it
    return name, spelled


# Every field masked for names (model.MASKED_TEXT); institution and law names are shown as written.
PLACES = ["decision.facts", "decision.basis", "decision.outcome", "decision.explanation", "decision.review",
          "other.facts", "power.text", "power.process", "benchmark.violation",
          "benchmark.circumstances", "officer.unit", "agency.complaints", "revoked.reason"]


def _write(path, data):
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is YAML: exact strings


def _county(root, people, places, fates):
    officers = [{"name": "钱正", "certificate_no": "33070100001", "field": "乡镇综合执法", "valid_from": "2022-01-01",
                 "valid_until": "2030-12-31", "status": "在岗"},
                {"name": "葛文", "certificate_no": "33070100002", "field": "乡镇综合执法", "valid_from": "2022-01-01",
                 "valid_until": "2030-12-31", "status": "在岗"}]
    power = {"code": "TOWN-CF001", "name": "对违反规定焚烧秸秆的处罚", "category": "行政处罚",
             "basis": [{"law": "《中华人民共和国大气污染防治法》", "article": "第一百一十九条第一款", "text": "条文"}],
             "process": ["立案", "调查"]}
    bench = {"id": "town-B001", "power": "TOWN-CF001", "violation": "焚烧秸秆", "penalty_provision": "第一百一十九条",
             "tiers": [{"level": "一般处罚", "circumstances": "一般情节", "penalty": "罚款", "fine_min": 500,
                        "fine_max": 2000}]}
    agency = {"id": "town", "name": "测试县测试镇人民政府", "kind": "乡镇人民政府", "credit_code": "11330000MB0000001L",
              "complaints": {"phone": "0571-12345"}, "reconsideration_body": "测试县人民政府", "court": "测试县人民法院"}

    def decision(n, party, fate):
        d = {"case_no": f"测兴政罚决字〔2026〕第{n}号", "kind": "行政处罚", "party": party, "power": "TOWN-CF001",
             "benchmark": {"id": "town-B001", "level": "一般处罚", "explanation": "一般情节"},
             "facts": "在农田焚烧秸秆。", "basis": "第一百一十九条", "outcome": "罚款1000元。", "penalty_types": ["罚款"],
             "fine": 1000, "officers": ["33070100001", "33070100002"],
             "legal_review": {"reviewer": "司法所", "date": "2026-03-01", "conclusion": "同意"},
             "decided_on": "2026-03-02", "published_on": "2026-03-04"}
        if fate in ("revoked", "withheld"):
            d.update(status="撤销", status_changed_on="2026-04-01", status_reason="经复议撤销") if fate == "revoked" \
                else d.update(withheld={"reason": "涉及个人隐私"})
        return d

    decisions = []
    for i, ((name, _spelled), fate) in enumerate(zip(people, fates, strict=True), 1):
        decisions.append((decision(i, {"type": "自然人", "name": name}, fate), fate))
    company = decision(len(people) + 1, {"type": "法人", "name": "测试县兴旺建材有限公司",
                                          "credit_code": "91330000MA0000005N"}, "public")
    revoked = decision(len(people) + 2, {"type": "法人", "name": "测试县某某商店",
                                          "credit_code": "91330000MA0000005N"}, "revoked")
    for (_name, spelled), place in zip(people, places, strict=True):
        text = f"经查，{spelled}参与其中"
        target = decisions[0][0]
        match place:
            case "decision.facts" | "decision.basis" | "decision.outcome":
                target[place.split(".")[1]] += text
            case "decision.explanation":
                target["benchmark"]["explanation"] += text
            case "decision.review":
                target["legal_review"]["conclusion"] += text
            case "other.facts":
                company["facts"] += text
            case "power.text":
                power["basis"][0]["text"] += text
            case "power.process":
                power["process"].append(text)
            case "benchmark.violation":
                bench["violation"] += text
            case "benchmark.circumstances":
                bench["tiers"][0]["circumstances"] += text
            case "officer.unit":
                officers[0]["unit"] = text
            case "agency.complaints":
                agency["complaints"]["phone"] += text
            case "revoked.reason":
                revoked["status_reason"] += text
    town = root / "content/town"
    _write(root / "site_config/site.yaml", {"title": "测试县行政执法公示", "supervision_page": True})
    _write(town / "agency.yaml", agency)
    _write(town / "officers.yaml", officers)
    _write(town / "powers.yaml", [power])
    _write(town / "benchmarks.yaml", [bench])
    for n, (d, fate) in enumerate([*decisions, (company, "public"), (revoked, "revoked")]):
        where = root / ("drafts" if fate == "draft" else "content") / f"town/decisions/2026/d{n}.yaml"
        _write(where, d)


def _forbidden(name: str) -> list[str]:
    """What must not appear of a name: the whole name, and each part of two or more characters of a dotted one."""
    flat = skeleton(name)
    parts = [skeleton(p) for p in name.split("·")] if "·" in name else []
    return [flat, *[p for p in parts if len(p) >= 2]]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_no_natural_persons_name_survives_in_any_built_byte(tmp_path_factory, data):
    people = data.draw(st.lists(person(), min_size=1, max_size=4,
                                unique_by=lambda p: skeleton(p[0])))
    names = [skeleton(n) for n, _ in people]
    # a name inside another name (王伟 / 王伟强) is masked as the longer one: keep them apart
    assume(not any(a != b and a in b for a in names for b in names))
    places = data.draw(st.lists(st.sampled_from(PLACES), min_size=len(people), max_size=len(people)))
    fates = data.draw(st.lists(st.sampled_from(["public", "public", "revoked", "withheld", "draft"]),
                               min_size=len(people), max_size=len(people)))
    root = tmp_path_factory.mktemp("county")
    _county(root, people, places, fates)
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    texts = list(site_texts(root / "site"))
    assert any(p.suffix == ".pf_fragment" for p, _ in texts)
    for path, text in texts:
        flat = skeleton(text)
        for name, _spelled in people:
            for part in _forbidden(name):
                assert part not in flat, (path.relative_to(root), name, part)


# ---------------------------------------------------------------- supervision and coordination records

# Every non-public record in the supervision-private fixture carries one of these; none may reach a visitor.
INTERNAL = ("密司所监建〔2026〕第7号", "保密问题甲乙丙", "保密司法所丁", "保密依据癸", "保密整改方案戊", "保密监督意见子",
            "保密问题丑", "保密措施寅", "保密科室卯", "town-2026-neibu", "密移〔2026〕第8号", "保密外单位庚",
            "保密事由己", "保密结果辰", "保密总结辛", "13800138000",
            "测兴政罚决字〔2025〕第9号", "保密企业壬",  # a withheld decision a public notice names
            "测兴政罚决字〔2025〕第88号")  # a draft a public coordination record names


def test_nothing_of_a_non_public_supervision_or_coordination_record_reaches_any_byte(tree):
    root = tree("supervision-private")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    texts = list(site_texts(root / "site"))
    assert any(p.suffix == ".pf_fragment" for p, _ in texts)
    assert any(p.name == "supervision.json" for p, _ in texts)
    for path, text in texts:
        flat = skeleton(text)
        for marker in INTERNAL:
            assert marker not in flat, (path, marker)
        assert "张三丰" not in flat, path  # the public notice names a party: masked there as everywhere
    notice = (root / "site/supervision/notices/2026/jianyi-1/index.html").read_text(encoding="utf-8")
    assert "对张某某焚烧秸秆一案" in notice and "已补充对张某某一案的裁量说明" in notice  # masked, not dropped
    assert "一份未公开的决定" in notice and "已制发，未公开" in notice  # the withheld decision, the internal follow-up
    data = json.loads((root / "site/data/supervision.json").read_text(encoding="utf-8"))
    # the internal follow-up's date (its issued_on) is not shown either, on the pages or in the export
    for path in ("supervision/notices/2026/jianyi-1/index.html", "supervision/index.html", "data/supervision.json"):
        assert "2026-10-12" not in (root / "site" / path).read_text(encoding="utf-8"), path
    follow_up = [s for b in data["bodies"] for n in b["notices"] for s in n["timeline"] if s["step"] == "后续文书"]
    assert follow_up == [{"step": "后续文书", "date": None, "class": "ok", "note": "已制发，未公开"}]
    # a public transfer names a shown decision, a withheld one, a draft and a power item: the two not shown are counted
    moved = next(c for c in data["coordination_records"] if c.get("id") == "测兴政移〔2026〕第2号")
    assert moved["related"] == [{"decision": "测兴政罚决字〔2025〕第1号"}, {"power": "TOWN-CF001"}]
    assert moved["related_not_public"] == 2
    page = (root / "site/supervision/index.html").read_text(encoding="utf-8")
    # the internal notice, plan and transfer are counted; their findings too (S801, S803, S811, S821), and
    # the draft's (S102)
    assert "另有 2 份未公开的监督文书（尚未办结 2 份，其中逾期 1 份；已办结 0 份）" in page
    assert "另有 1 份未公开的整改方案" in page
    assert "5 项监督发现涉及依法不予公开" in page


def test_an_internal_follow_up_s_place_in_the_timeline_does_not_give_its_date_away(tree):
    """Issued between the report (09-25) and the closing (09-28) of the public notice it follows: undated,
    it would still sit between them; it is listed after every dated step."""
    root = tree("supervision-private")
    internal = root / "supervision/notices/2026/internal.yaml"
    internal.write_text(internal.read_text(encoding="utf-8").replace("issued_on: 2026-10-12", "issued_on: 2026-09-26"),
                        encoding="utf-8")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    data = json.loads((root / "site/data/supervision.json").read_text(encoding="utf-8"))
    [line] = [n for b in data["bodies"] for n in b["notices"] if n["id"] == "测司所监建〔2026〕第1号"]
    assert [s["step"] for s in line["timeline"]][-1] == "后续文书"
    assert [s["date"] for s in line["timeline"]][:-1] == sorted(s["date"] for s in line["timeline"][:-1])
    for path in ("supervision/notices/2026/jianyi-1/index.html", "data/supervision.json"):
        assert "2026-09-26" not in (root / "site" / path).read_text(encoding="utf-8"), path


def test_a_party_named_in_a_public_plan_s_title_or_source_or_a_notice_s_basis_is_masked(tree):
    """A plan made after a complaint is titled after it (关于张三丰投诉问题的整改方案), a notice's 监督依据 may
    be the tip-off (张三丰的举报): shown on their pages, 执法监督, data/supervision.json and the search index,
    masked there as in every other text."""
    root = tree("supervision-private")
    plan = root / "supervision/plans/town-2026-zgfa.yaml"
    plan.write_text(plan.read_text(encoding="utf-8")
                    .replace("title: 关于县司法局行政执法监督反馈问题的整改方案", "title: 关于张三丰投诉问题的整改方案")
                    .replace("source: 《测试县司法局关于对测试镇的行政执法监督意见》", "source: 张三丰的投诉信"), encoding="utf-8")
    notice = root / "supervision/notices/2026/jianyi-1.yaml"
    notice.write_text(notice.read_text(encoding="utf-8").replace("basis: 《测试县乡镇行政执法协调监督工作实施方案》第三条",
                                                                 "basis: 张三丰的举报"), encoding="utf-8")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    site = root / "site"
    assert "关于张某某投诉问题的整改方案" in (site / "supervision/plans/town-2026-zgfa/index.html").read_text(encoding="utf-8")
    assert "张某某的举报" in (site / "supervision/notices/2026/jianyi-1/index.html").read_text(encoding="utf-8")
    texts = list(site_texts(site))
    assert any(p.suffix == ".pf_fragment" and "张某某的投诉信" in skeleton(t) for p, t in texts)
    for path, text in texts:
        assert "张三丰" not in skeleton(text), path


def test_a_name_in_the_case_number_or_in_a_pinyin_file_name_is_an_error(tree, capsys):
    root = tree("natural-person")
    folder = root / "content/town/decisions/2026"
    path = folder / "2026-03-05-001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("测兴政罚决字〔2026〕第1号", "测兴政罚决字〔2026〕第1号孙 亮"), encoding="utf-8")
    (folder / "2026-03-05-001.yaml").rename(folder / "sunliang-fakuan.yaml")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert "content/town/decisions/2026/sunliang-fakuan.yaml:2:10: 错误 P004 决定书文号里有当事人的姓名" in err
    assert re.search(r"content/town/decisions/2026/sunliang-fakuan.yaml:\d+:1: 错误 P005 文件名里有当事人姓名的拼音", err)
    assert "孙 亮" not in err and "孙亮" not in err  # the message does not repeat the name


def test_a_public_notice_or_plan_named_in_chinese_gets_its_url_from_its_number(tree):
    """Staff name a notice's file after the case it is about (张三丰秸秆案.yaml): a short hash of that name,
    in its URL, the sitemap and the search index, could be reversed by trying names, as a decision's
    could. Its URL comes from its public 文号 (a plan's from its 编号), as a decision's from its 文号.
    A name from a GBK archive (not UTF-8) is named so too, not an internal error."""
    import hashlib

    root = tree("supervision-private")
    notices, plans = root / "supervision/notices/2026", root / "supervision/plans"
    (notices / "jianyi-1.yaml").rename(notices / "张三丰秸秆案监督建议书.yaml")
    os.rename(plans / "town-2026-zgfa.yaml", os.fsencode(plans) + "/张三丰案整改方案.yaml".encode("gbk"))
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    site = root / "site"
    notice = hashlib.sha1("测司所监建〔2026〕第1号".encode()).hexdigest()[:12]
    plan = hashlib.sha1(b"town-2026-zgfa").hexdigest()[:12]
    assert (site / f"supervision/notices/2026/{notice}/index.html").is_file()
    assert (site / f"supervision/plans/{plan}/index.html").is_file()
    hashed = [hashlib.sha1(stem.encode("utf-8", "surrogateescape")).hexdigest()[:8]
              for stem in ("张三丰秸秆案监督建议书", os.fsdecode("张三丰案整改方案".encode("gbk")))]
    texts = list(site_texts(site))
    assert any(f"/supervision/notices/2026/{notice}/" in t for p, t in texts if p.suffix == ".pf_fragment")
    for path, text in texts:
        for digest in hashed:
            assert digest not in text, (path, digest)


def test_a_public_notice_file_named_in_the_pinyin_of_a_party_is_an_error(tree, capsys):
    """zhangsanfeng-jiegan.yaml: the file name is the notice's URL, in the sitemap and the search index,
    while 张三丰 (a natural person, a party) is masked everywhere else. Not for a notice that is not public:
    it has no page, and internal records may name people."""
    root = tree("supervision-private")
    folder = root / "supervision/notices/2026"
    (folder / "jianyi-1.yaml").rename(folder / "ZhangSanFeng-jiegan.yaml")
    (folder / "internal.yaml").rename(folder / "zhangsanfeng-neibu.yaml")
    # jianyi-2.yaml (建议), public, names nobody: no error for a party named 简毅 (jianyi) in a decision.
    (folder / "jianyi-2.yaml").write_text((folder / "jianyi-2.yaml").read_text(encoding="utf-8") + "public: true\n",
                                          encoding="utf-8")
    decisions = root / "content/town/decisions/2025"
    (decisions / "2025-10-01-001.yaml").write_text((decisions / "national-day.yaml").read_text(encoding="utf-8")
                                                   .replace("张三丰", "简毅").replace("第1号", "第3号"), encoding="utf-8")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert [line.split("。")[0] for line in err.splitlines() if " P005 " in line] == [
        "supervision/notices/2026/ZhangSanFeng-jiegan.yaml:1:1: 错误 P005 文件名里有当事人姓名的拼音"
        "（填写的是 ZhangSanFeng-jiegan.yaml）"]
    assert "张三丰" not in err


def test_a_file_named_in_chinese_gets_its_url_from_the_case_number(tree):
    root = tree("natural-person")
    folder = root / "content/town/decisions/2026"
    (folder / "2026-03-05-001.yaml").rename(folder / "孙亮罚款.yaml")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    import hashlib

    digest = hashlib.sha1("测兴政罚决字〔2026〕第1号".encode()).hexdigest()[:12]
    assert (root / f"site/decisions/town/2026/{digest}/index.html").is_file()
    named = hashlib.sha1("孙亮罚款".encode()).hexdigest()[:8]
    for path, text in site_texts(root / "site"):
        assert named not in text and named not in str(path), path


def test_institution_and_law_names_are_not_rewritten_by_a_short_name(tree):
    root = tree("natural-person")
    agency = root / "content/town/agency.yaml"
    agency.write_text(agency.read_text(encoding="utf-8").replace("court: 测试县人民法院", "court: 金华市婺城区人民法院"),
                      encoding="utf-8")
    draft = root / "drafts/town/decisions/2026/2026-06-01-005.yaml"
    draft.write_text(draft.read_text(encoding="utf-8").replace("王小五", "金华"), encoding="utf-8")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    page = (root / "site/agencies/town/index.html").read_text(encoding="utf-8")
    assert "金华市婺城区人民法院" in page
    facts = (root / "site/data/decisions.json").read_text(encoding="utf-8")
    assert "金华" not in facts.replace("金华市", "")  # the person is masked in free text


def test_an_id_number_as_an_officers_certificate_or_in_the_site_title_stops_the_build(tree, capsys):
    root = tree("natural-person")
    officers = root / "content/town/officers.yaml"
    officers.write_text(officers.read_text(encoding="utf-8").replace("'33070100002'", "'110105199003071001'"),
                        encoding="utf-8")
    site = root / "site_config/site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "operator: 测试县司法局 13800138000\n", encoding="utf-8")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"content/town/officers.yaml:\d+:\d+: 错误 P001 公开文本里有身份证号", err), err
    assert "site_config/site.yaml:4:11: 错误 P001 公开文本里有手机号码" in err
    # only a decision can exempt a field: the hint for an officer or the site never offers privacy_exempt
    assert "privacy_exempt" not in err and "单位的办公电话等公开信息，写在网站的联系方式里" in err


def test_another_person_s_name_in_a_case_number_is_not_taken_for_the_party_s_own(tree, capsys, monkeypatch):
    """The guard screens every 文号 with one masker of all natural persons (guard.screening) and
    then asks the party's own: 阿依古丽·买买提's 文号 naming 孙亮 is screened in, and is not P004 for her;
    孙亮's own name in his 文号, however spaced, still is."""
    root = tree("natural-person")
    folder = root / "content/town/decisions/2026"
    other = folder / "revoked-minority.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("测兴政罚决字〔2026〕第3号", "测兴政罚决字〔2026〕第3号孙亮"),
                     encoding="utf-8")
    from generator import guard

    asked: list[str] = []  # the parties whose own masker is made: only those whose 文号 is screened in
    real = guard.privacy.mask_in_text
    monkeypatch.setattr(guard.privacy, "mask_in_text", lambda text, name, *a: asked.append(name) or real(text, name))
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 0
    assert "P004" not in capsys.readouterr().err
    assert asked == ["阿依古丽·买买提"]
    own = folder / "2026-03-05-001.yaml"
    own.write_text(own.read_text(encoding="utf-8").replace("测兴政罚决字〔2026〕第1号", "测兴政罚决字〔2026〕第1号孙　 亮"),
                   encoding="utf-8")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert "2026-03-05-001.yaml:2:10: 错误 P004" in err and err.count("P004") == 1
