"""年度行政执法监督工作总结 (supervision/summaries.yaml): owed by every body that issued notices, by 31 December."""

from __future__ import annotations

from supervision_helpers import codes, edit, found, problems

SUMMARIES = "supervision/summaries.yaml"
SECOND = "supervision/notices/2026/jianyi-2.yaml"


def test_due_on_31_december_from_the_local_rule(tree):
    from conftest import TODAY

    from generator import project as project_mod
    from generator.kinds.summary import due

    project = project_mod.load(tree("supervision"), TODAY, use_git=False)
    count = due(project, 2025, "测试县测试司法所")
    assert count.date.isoformat() == "2025-12-31"
    assert "江委法办发〔2022〕1号" in count.explain() and "按12个月计算" in count.explain()
    weekend = due(project, 2022, "测试县测试司法所")  # 2022-12-31 is a Saturday, 2023-01-02 the New Year holiday
    assert weekend.date.isoformat() == "2023-01-03"
    assert "期满日 2022-12-31 不是工作日，顺延至 2023-01-03" in weekend.explain() and "元旦" in weekend.explain()


def test_a_summary_not_sent_and_one_sent_late(tree):
    root = tree("supervision")
    assert codes(root) == []
    edit(root, SUMMARIES, "  submitted_on: 2025-12-26\n", "")
    [f] = found(root)
    assert (f.code, f.path, f.line, f.agency) == ("S831", SUMMARIES, 2, "测试县测试司法所")
    assert "最迟 2025-12-31（含当日）报送 2025 年度" in f.message and "12月31日前向司法局报送年度行政执法监督工作总结" in f.citation
    edit(root, SUMMARIES, "  to: 测试县司法局", "  to: 测试县司法局\n  submitted_on: 2026-01-06")
    [f] = found(root)
    assert f.code == "S832" and "实际 2026-01-06 报送" in f.message


def test_a_body_that_issued_notices_owes_a_summary_even_when_none_is_listed(tree):
    root = tree("supervision")
    edit(root, SECOND, "issued_by: 测试县测试司法所", "issued_by: 测试县另一司法所")
    edit(root, SECOND, "issued_on: 2026-11-02", "issued_on: 2025-11-03")
    edit(root, SECOND, "status: 整改中", "status: 已整改\nclosed_on: 2025-11-20")
    (root / SECOND).rename(root / "supervision/notices/2025.yaml")  # any file under notices/
    [f] = found(root)
    assert (f.code, f.path, f.line, f.col, f.agency) == ("S831", SUMMARIES, 1, 1, "测试县另一司法所")


def test_one_summary_per_body_and_year(tree):
    root = tree("supervision")
    text = (root / SUMMARIES).read_text(encoding="utf-8")
    (root / SUMMARIES).write_text(text + text, encoding="utf-8")
    [p] = problems(root)
    assert p.startswith(f"{SUMMARIES}:7:") and "D008" in p


def test_an_agency_is_one_body_whether_written_by_its_id_or_its_full_name(tree):
    """An agency of the site supervising (a 司法所 kept as an agency, a bureau) issues notices as `town` and
    reports its summary as 测试县测试镇人民政府, or the other way round: one body, its summary on record."""
    root = tree("supervision")
    edit(root, SECOND, "issued_by: 测试县测试司法所", "issued_by: town")
    edit(root, SECOND, "issued_on: 2026-11-02", "issued_on: 2025-11-03")
    edit(root, SECOND, "status: 整改中", "status: 已整改\nclosed_on: 2025-11-20")
    text = (root / SUMMARIES).read_text(encoding="utf-8")
    (root / SUMMARIES).write_text(text + text.replace("by: 测试县测试司法所", "by: 测试县测试镇人民政府"), encoding="utf-8")
    assert codes(root) == []  # without the name read as `town`: S831, town's 2025 summary not on record
    (root / SUMMARIES).write_text(text + text.replace("by: 测试县测试司法所", "by: town") +
                                  text.replace("by: 测试县测试司法所", "by: 测试县测试镇人民政府"), encoding="utf-8")
    [p] = problems(root)
    assert p.startswith(f"{SUMMARIES}:12:") and "D008" in p  # by id, then by name: the same body twice
