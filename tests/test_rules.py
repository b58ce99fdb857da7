"""Versioned rules: national defaults, local overrides with their own effective dates, and every mistake located."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.calendar import WorkCalendar
from generator.cli import main
from generator.deadlines import compute
from generator.project import load
from generator.rules import DECISION_SECTIONS, SECTIONS, defaults

D = dt.date
TODAY = D(2026, 11, 23)


def book_of(root):
    project = load(root, TODAY, use_git=False)
    return project, project.rules


def stamps(book, **kw):
    base = dict(kind="行政处罚", party_type="法人", penalty_types=["罚款"], decided_on=D(2026, 1, 5),
                served_on=None, published_on=None, status="有效", status_changed_on=None, agency="town")
    base.update(kw)
    return compute(WorkCalendar(), book, TODAY, **base)


def write_rules(root, text: str) -> None:
    (root / "site_config/rules.yaml").write_text(text, encoding="utf-8")


def problems(root, code: str):
    project = load(root, TODAY, use_git=False)
    return [p for p in project.problems if p.code == code]


def test_the_defaults_load_without_a_problem_and_cover_every_section(tree):
    project, _ = book_of(tree("minimal"))
    assert [p.format() for p in project.problems if p.path.startswith("generator/")] == []  # not even a warning
    book = defaults()
    for section in SECTIONS:
        # supervision and coordination periods are set by local rules: national law names none we could verify
        assert bool(book.national.section(section)) is (section in DECISION_SECTIONS), section
    for rule in book.all_rules():
        assert rule.refs and len(rule.refs) == len(rule.cite), rule.label()
        assert rule.basis and rule.name


def test_a_local_rule_applies_from_its_own_effective_date(tree):
    project, book = book_of(tree("local-stricter"))
    assert project.ok and not [p for p in project.problems if p.fails_strict], [p.format() for p in project.problems]
    before = stamps(book, decided_on=D(2025, 12, 31)).publish_by
    after = stamps(book, decided_on=D(2026, 1, 5)).publish_by
    assert before.rule == "7个工作日" and before.applied.layer == "国家" and "国办发〔2018〕118号" in before.basis
    assert after.rule == "5个工作日" and after.date == D(2026, 1, 12)
    text = after.explain()
    assert "适用本地规则“行政处罚决定的公开期限（测试县）”（2026-01-01 起施行的版本，依据测政办发〔2025〕5号）" in text
    assert "对应的国家规定“行政许可、行政处罚决定的公开期限”为7个工作日" in text
    assert "测政办发〔2025〕5号" in after.basis
    # A local rule for one kind leaves the others to the national rules.
    assert stamps(book, kind="行政强制", penalty_types=[]).publish_by.applied.layer == "国家"


def test_a_looser_local_publication_deadline_warns_citing_118_and_gives_way(tree, capsys):
    root = tree("local-looser")
    [warning] = problems(root, "L005")
    assert warning.path == "site_config/rules.yaml" and warning.severity == "警告"
    line = (root / "site_config/rules.yaml").read_text(encoding="utf-8").splitlines()[warning.line - 1]
    assert line.strip() == "working_days: 20"
    assert "行政许可决定 7个工作日" in warning.message and "国办发〔2018〕118号" in warning.message
    _, book = book_of(root)
    licence = stamps(book, kind="行政许可", penalty_types=[], decided_on=D(2026, 9, 29)).publish_by
    assert licence.rule == "7个工作日" and licence.date == D(2026, 10, 14) and licence.applied.layer == "国家"
    assert "本地规则“其他行政执法决定的公开期限（兴隆县）”为20个工作日，宽于国家规定，按国家规定计算" in licence.explain()
    penalty = stamps(book, decided_on=D(2026, 9, 29)).publish_by  # same length as the national rule: local applies
    assert penalty.applied.layer == "本地" and "兴隆县人民政府办公室" not in penalty.basis  # basis is the title
    assert "关于加强乡镇人民政府行政执法规范化建设的指导意见" in penalty.basis
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 0
    assert main(["validate", "--project", str(root), "--today", "2026-11-23", "--strict"]) == 1
    assert "L005" in capsys.readouterr().err


OVERLAP = """publish:
  - when: {kinds: [行政处罚]}
    working_days: 5
    effective_until: 2026-06-30
    cite: [gbf-2018-118#xzxk-xzcf-7]
  - when: {kinds: [行政处罚]}
    working_days: 6
    effective_from: 2026-06-01
    cite: [gbf-2018-118#xzxk-xzcf-7]
"""


def test_overlapping_versions_are_a_located_error(tree):
    root = tree("minimal")
    write_rules(root, OVERLAP)
    [error] = problems(root, "L002")
    assert (error.path, error.line, error.severity) == ("site_config/rules.yaml", 8, "错误")
    assert "施行期重叠" in error.message and "effective_until 改为 2026-05-31" in error.hint


def test_a_gap_between_versions_is_a_located_error(tree):
    root = tree("minimal")
    write_rules(root, OVERLAP.replace("effective_from: 2026-06-01", "effective_from: 2026-08-01"))
    [error] = problems(root, "L003")
    assert (error.path, error.line) == ("site_config/rules.yaml", 8)
    assert "2026-07-01 至 2026-07-31 没有施行中的版本" in error.message


def test_versions_in_reverse_order_and_dates_upside_down(tree):
    root = tree("minimal")
    write_rules(root, """publish:
  - when: {kinds: [行政处罚]}
    working_days: 5
    effective_from: 2026-07-01
    effective_until: 2026-01-01
    cite: [gbf-2018-118#xzxk-xzcf-7]
""")
    [error] = problems(root, "F009")
    assert error.line == 5 and "施行至早于施行日期" in error.message


def test_a_citation_missing_from_the_register_is_a_located_error(tree, capsys):
    root = tree("minimal")
    write_rules(root, """sue:
  - months: 3
    cite: [gbf-2018-118#zfjd-20, xzssf-1989#a39]
""")
    [error] = problems(root, "L001")
    assert (error.line, error.col) == (3, 34) and error.given == "xzssf-1989#a39"
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    assert "L001" in capsys.readouterr().err


def test_a_rule_citing_a_repealed_source_for_later_events_warns(tree, capsys):
    root = tree("minimal")
    write_rules(root, """public_until:
  - when: {kinds: [行政处罚]}
    years: 3
    cite: [fgw-2023-58#xzcf-gsq]
""")
    [warning] = problems(root, "L004")
    assert warning.severity == "警告" and warning.line == 4
    assert "2026-04-01" in warning.message and "effective_until: 2026-03-31" in warning.hint
    assert main(["validate", "--project", str(root), "--today", "2026-11-23", "--strict"]) == 1
    write_rules(root, """public_until:
  - when: {kinds: [行政处罚]}
    years: 3
    effective_until: 2026-03-31
    cite: [fgw-2023-58#xzcf-gsq]
""")
    assert problems(root, "L004") == []


def test_a_local_source_may_not_take_a_national_id(tree):
    root = tree("local-stricter")
    path = root / "site_config/sources.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: ceshi-2025-5", "id: gbf-2018-118"), encoding="utf-8")
    errors = problems(root, "L006")
    assert errors and errors[0].path == "site_config/sources.yaml" and errors[0].line == 2


def test_the_old_single_mapping_sections_still_read(tree):
    root = tree("minimal")
    write_rules(root, """withdraw:
  working_days: 2
  cite: [xzcff-2021#a48-2]
""")
    project, book = book_of(root)
    assert project.ok, [p.format() for p in project.problems]
    withdraw = stamps(book, status="撤销", status_changed_on=D(2026, 1, 5)).withdraw_by
    assert withdraw.rule == "2个工作日" and withdraw.applied.layer == "本地"


def test_an_agency_rule_counted_from_publication_as_the_market_regulator_s_order_45(tree):
    root = tree("minimal")
    write_rules(root, """public_until:
  - name: 市场监管部门的行政处罚信息公示期
    when: {kinds: [行政处罚], agencies: [town]}
    years: 3
    counted_from: 公开之日
    cite: [scjgzj-45#a13-1]
""")
    project, book = book_of(root)
    assert project.ok, [p.format() for p in project.problems]
    ours = stamps(book, decided_on=D(2026, 5, 8), published_on=D(2026, 5, 15)).public_until
    assert ours.date == D(2029, 5, 15) and ours.start == D(2026, 5, 15) and "自公示之日起" in ours.basis
    other = stamps(book, decided_on=D(2026, 5, 8), published_on=D(2026, 5, 15), agency="zonghe").public_until
    assert other.date == D(2027, 5, 8) and other.applied.layer == "国家"


def test_counted_from_belongs_to_the_publicity_period_only(tree):
    root = tree("minimal")
    write_rules(root, """publish:
  - working_days: 5
    counted_from: 公开之日
    cite: [gbf-2018-118#xzxk-xzcf-7]
""")
    [error] = [p for p in problems(root, "F004") if "counted_from" in p.message]
    assert error.line == 3


def test_counting_back_belongs_to_coordination_only(tree):
    root = tree("minimal")
    write_rules(root, """escalate:
  - working_days: 3
    before: true
    cite: [gbf-2018-118#xzxk-xzcf-7]
coordination:
  - when: {coordination_kinds: [联合执法]}
    days: 5
    before: true
    cite: [gbf-2018-118#xzxk-xzcf-7]
""")
    [error] = [p for p in problems(root, "F004") if "before" in p.message]
    assert (error.line, error.path) == (3, "site_config/rules.yaml")


def test_supervision_conditions_select_the_rule():
    from generator.rules import ConditionalPeriod, Facts, first_match

    def rule(**when):
        return ConditionalPeriod.model_validate({"working_days": 3, "cite": ["x#y"], "when": when})

    urgent, transfer, to_bureau = (rule(coordination_kinds=["案件移送"], urgent=True), rule(coordination_kinds=["案件移送"]),
                                   rule(coordination_kinds=["协助请求"], to=["示例县司法局"]))
    rules = [urgent, transfer, to_bureau]
    day = D(2026, 5, 8)
    assert first_match(rules, Facts("", "", record_kind="案件移送", urgent=True), day) is urgent
    assert first_match(rules, Facts("", "", record_kind="案件移送"), day) is transfer
    assert first_match(rules, Facts("", "", record_kind="协助请求", to="示例县司法局"), day) is to_bureau
    assert first_match(rules, Facts("", "", record_kind="协助请求", to="示例县住建局"), day) is None
    assert first_match([rule(notice_kinds=["监督建议书"])], Facts("", "", record_kind="监督通知书"), day) is None
    assert urgent.when.describe() == "案件移送；情况紧急" and to_bureau.when.describe() == "协助请求；接收方为示例县司法局"


@pytest.mark.parametrize("cls", ["轻微", "严重"])
def test_a_county_may_assume_another_credit_class(tree, cls):
    root = tree("minimal")
    write_rules(root, f"assume_credit_class: {cls}\n")
    _, book = book_of(root)
    until = stamps(book, decided_on=D(2026, 5, 8)).public_until
    assert until.assumed == cls and f"按“{cls}”失信信息计算" in until.explain()
