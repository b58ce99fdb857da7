"""Hostile and broken input: validate always ends in exit 0 or 1 with a message, never a traceback;
a failed build never leaves a half-written site."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
DECISION = "content/town/decisions/2025/national-day.yaml"
ORIGINAL = (FIXTURES / "minimal" / DECISION).read_text(encoding="utf-8")

# Characters that mean something to YAML, plus what Excel and Word paste in.
NASTY = [*":-[]{}&*!|>'\"#%@`,?\t\n\r\u3000\ufeff\x00\\", "  ", "\n- ", ": ", "---\n", "<script>", "{{ x }}", "张三", "9" * 30]


def run_validate(root: Path, capsys) -> tuple[int, str]:
    code = main(["validate", "--project", str(root), "--today", "2026-11-23"])
    return code, capsys.readouterr().err


mutation = st.lists(
    st.tuples(st.sampled_from(["insert", "delete", "duplicate"]), st.integers(0, len(ORIGINAL)), st.sampled_from(NASTY)),
    min_size=1, max_size=6,
)


def mutate(text: str, steps) -> str:
    for op, at, piece in steps:
        at = min(at, len(text))
        if op == "insert":
            text = text[:at] + piece + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + len(piece):]
        else:
            line_start = text.rfind("\n", 0, at) + 1
            line_end = text.find("\n", at)
            line = text[line_start:line_end if line_end >= 0 else len(text)]
            text = text[:line_start] + line + "\n" + text[line_start:]
    return text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=mutation)
def test_mutated_decision_never_crashes_validate(tmp_path_factory, capsys, steps):
    root = tmp_path_factory.mktemp("m") / "minimal"
    shutil.copytree(FIXTURES / "minimal", root)
    (root / DECISION).write_text(mutate(ORIGINAL, steps), encoding="utf-8", newline="")
    code, err = run_validate(root, capsys)
    assert code in (0, 1), err
    assert "Traceback" not in err and "内部错误" not in err
    if code == 1:
        assert "national-day.yaml:" in err and "错误" in err


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20) | st.dates(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(["case_no", "kind", "party", "fine", "officers", "decided_on", "x"]),
                            values, max_size=7))
def test_generated_records_never_crash_validate(tmp_path_factory, capsys, data):
    root = tmp_path_factory.mktemp("g") / "minimal"
    shutil.copytree(FIXTURES / "minimal", root)
    (root / DECISION).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, err = run_validate(root, capsys)
    assert code == 1 and "national-day.yaml:" in err and "Traceback" not in err, err


def test_failed_validation_leaves_the_previous_site(tree, capsys):
    root = tree("minimal")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    page = root / "site/decisions/town/2025/national-day/index.html"
    before = page.read_text(encoding="utf-8")
    (root / DECISION).write_text(ORIGINAL.replace("fine: 1000", "fine: [1000"), encoding="utf-8")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 1
    assert page.read_text(encoding="utf-8") == before
    assert not list(root.glob(".site-*")), "no half-written build left beside it"


def test_failed_render_leaves_the_previous_site(tree, capsys):
    root = tree("minimal")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    files = sorted(p.relative_to(root / "site") for p in (root / "site").rglob("*"))
    own = root / "templates/records"
    own.mkdir(parents=True)
    (own / "decision.html").write_text("{% if %}broken", encoding="utf-8")  # a broken override template
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 1
    assert "templates/records/decision.html:1: 错误 模板有误" in capsys.readouterr().err
    assert sorted(p.relative_to(root / "site") for p in (root / "site").rglob("*")) == files
    # an error met while rendering: located at the template's own line, said in Chinese
    (own / "decision.html").write_text("<p>{{ e.decision.case_no }}</p>\n<p>{{ nonexistent_var }}</p>\n", encoding="utf-8")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 1
    assert "templates/records/decision.html:2: 错误 模板有误：变量「nonexistent_var」不存在" in capsys.readouterr().err
    assert sorted(p.relative_to(root / "site") for p in (root / "site").rglob("*")) == files
    assert not list(root.glob(".site-*"))
