import datetime as dt

from generator.cli import main


def test_new_decision_never_overwrites(tree):
    root = tree("minimal")
    args = ["new", "decision", "--agency", "town", "--project", str(root), "--today", "2026-11-23"]
    assert main(args) == 0
    first = root / "content/town/decisions/2026/2026-11-23.yaml"
    first.write_text("# staff work\n", encoding="utf-8")
    assert main(args) == 0
    assert first.read_text(encoding="utf-8") == "# staff work\n"
    assert (root / "content/town/decisions/2026/2026-11-23-2.yaml").is_file()
    assert dt.date(2026, 11, 23).isoformat() in (root / "content/town/decisions/2026/2026-11-23-2.yaml").read_text(
        encoding="utf-8")


def test_new_for_unknown_agency_fails_cleanly(tree, capsys):
    root = tree("minimal")
    assert main(["new", "decision", "--agency", "nope", "--project", str(root)]) == 1
    assert "执法主体 nope 不存在" in capsys.readouterr().err


def test_new_list_items_are_appended_and_valid_after_filling(tree):
    from generator.project import load

    root = tree("minimal")
    officers = root / "content/town/officers.yaml"
    before = officers.read_text(encoding="utf-8")
    assert main(["new", "officer", "--agency", "town", "--project", str(root), "--today", "2026-11-23"]) == 0
    after = officers.read_text(encoding="utf-8")
    assert after.startswith(before)  # nothing the staff wrote is touched
    filled = after.replace('name: ""', "name: 赵六").replace('certificate_no: ""', "certificate_no: '33070100009'")
    officers.write_text(filled.replace('field: ""', "field: 乡镇综合执法").replace('unit: ""', "unit: 一中队"),
                        encoding="utf-8")
    project = load(root, dt.date(2026, 11, 23), use_git=False)
    assert [p.format() for p in project.problems if p.is_error] == []
    assert "33070100009" in project.officers()


def test_new_agency_never_overwrites(tree, capsys):
    root = tree("minimal")
    assert main(["new", "agency", "--agency", "newtown", "--project", str(root)]) == 0
    assert (root / "content/newtown/agency.yaml").is_file()
    assert main(["new", "agency", "--agency", "town", "--project", str(root)]) == 1
    assert "已存在" in capsys.readouterr().err
