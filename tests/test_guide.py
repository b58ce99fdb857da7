"""The staff guide on the site: every error code explained, and the generated parts true to the code."""

from __future__ import annotations

import re
from pathlib import Path

from generator import kinds as record_kinds
from generator.importer import KINDS
from generator.plan_import import COLUMNS as PLAN_COLUMNS

REPO = Path(__file__).parent.parent
GUIDE = REPO / "templates" / "docs" / "guide"
CODE = re.compile(r'"([A-Z]\d{3})"')


def codes_in_source() -> set[str]:
    """Every problem or finding code the tool can emit."""
    found = set()
    for path in (REPO / "generator").rglob("*.py"):
        found |= set(CODE.findall(path.read_text(encoding="utf-8")))
    return found


def guide_entries() -> dict[str, str]:
    text = (GUIDE / "errors.md").read_text(encoding="utf-8")
    parts = re.split(r"^### ([A-Z]\d{3}) .+$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_error_code_has_an_entry_with_an_example_and_a_fix():
    emitted, entries = codes_in_source(), guide_entries()
    assert len(emitted) > 50
    missing = sorted(emitted - set(entries))
    assert not missing, f"error codes without an entry in templates/docs/guide/errors.md: {missing}"
    stale = sorted(set(entries) - emitted)
    assert not stale, f"guide entries for codes the tool no longer emits: {stale}"
    for code, body in entries.items():
        example = re.search(r"示例：\s*```text\n(.+?)\n```", body, re.S)
        assert example, f"{code}: no example"
        line = example[1]
        if code.startswith("S") and not code.startswith("S0"):  # disclose check findings (S0xx: project structure)
            assert re.match(rf"^\S+:\d+:\d+: {code} \S+：", line), (code, line)
        else:
            assert re.match(rf"^\S+:\d+:\d+: (错误|警告|提示) {code} ", line), (code, line)
        fix = re.search(r"怎样改：(.+)", body)
        assert fix and len(fix[1].strip()) > 5, f"{code}: no fix"


def test_guide_is_out_of_the_public_menu_has_its_own_and_its_generated_parts_are_filled(example_built):
    """The staff guide is built with the site (its generated parts match the very build staff publish)
    but is not public navigation: not in the menu, the 网站地图, the sitemap or search engines."""
    site = example_built / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "使用说明" not in home and "guide/" not in home
    assert 'href="howto/"' in home and "怎样查询" in home  # the public page that took its place
    assert "guide/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "guide/" not in (site / "sitemap/index.html").read_text(encoding="utf-8")
    for page in ("index", "records", "import", "deadlines", "errors"):
        path = site / "guide" / ("index.html" if page == "index" else f"{page}/index.html")
        html = path.read_text(encoding="utf-8")
        assert "disclose:" not in html, page  # every marker filled
        assert '<meta name="robots" content="noindex">' in html, page
        nav = html[html.index('<nav class="dc-guide-nav"'):]
        nav = nav[:nav.index("</nav>")]
        assert nav.count("<li>") == 5 and nav.count('aria-current="page"') == 1, page
        assert "md-nav__link--active" not in html, page  # nothing of the public menu is "here"
    records = (site / "guide/records/index.html").read_text(encoding="utf-8")
    for kind, k in record_kinds.KINDS.items():
        for name, info in k.model.model_fields.items():
            name = info.alias or name
            assert f"<code>{name}</code>" in records or f"<code>{name}" in records, (kind, name)
    columns = (site / "guide/import/index.html").read_text(encoding="utf-8")
    for kind in KINDS.values():
        for column in kind.columns:
            assert "、".join(column.names) in columns, column
    for names in PLAN_COLUMNS.values():
        assert "、".join(names) in columns, names
    deadlines = (site / "guide/deadlines/index.html").read_text(encoding="utf-8")
    assert "国办发〔2018〕118号" in deadlines and "7个工作日" in deadlines and "第四十八条第二款" in deadlines
    errors = (site / "guide/errors/index.html").read_text(encoding="utf-8")
    assert all(code in errors for code in codes_in_source())
