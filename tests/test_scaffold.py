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


def test_new_for_unsupported_type_says_so(tree, capsys):
    root = tree("minimal")
    assert main(["new", "officer", "--agency", "town", "--project", str(root)]) == 1
    assert "暂不支持新建“officer”" in capsys.readouterr().err
