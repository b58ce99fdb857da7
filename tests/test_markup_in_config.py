"""Staff text in site_config/ (site.yaml, rules.yaml) is data, never markup: a real build, every page read back."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import markupsafe
import pytest
import yaml

from generator.cli import main
from generator.model import Site

FIXTURES = Path(__file__).parent / "fixtures"
CONFIG = FIXTURES / "markup-in-config" / "site_config"
SITE = yaml.safe_load((CONFIG / "site.yaml").read_text(encoding="utf-8"))
RULES = yaml.safe_load((CONFIG / "rules.yaml").read_text(encoding="utf-8"))
SOURCES = yaml.safe_load((CONFIG / "sources.yaml").read_text(encoding="utf-8"))
# Staff text of the rules: their names and the quoted passages of local sources they cite.
BASES = [r["name"] for r in RULES["publish"]] + [p["text"] for s in SOURCES for p in s["passages"]]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("markup") / "markup-in-config"
    shutil.copytree(FIXTURES / "markup-in-config", root)
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    return root / "site"


class Page(HTMLParser):
    """What a browser would make of a page: its elements, attributes and visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.tags: list[str] = []
        self.head_title = ""
        self.text: list[str] = []
        self._in_head_title = False
        self._head = True

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, name, value) for name, value in attrs]
        if tag == "script":
            self.scripts.append(dict(attrs))
        self._in_head_title = tag == "title" and self._head

    def handle_endtag(self, tag):
        if tag == "head":
            self._head = False
        if tag == "title":
            self._in_head_title = False

    def handle_data(self, data):
        if self._in_head_title:
            self.head_title += data
        self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def one_line(text: str) -> str:
    return " ".join(text.splitlines())


def test_every_page_shows_site_yaml_as_text_and_runs_only_the_sites_scripts(built):
    pages = sorted(built.rglob("*.html"))
    assert len(pages) >= 25 and built / "guide/deadlines/index.html" in pages
    own_scripts = 0
    for path in pages:
        page = parse(path)
        where = path.relative_to(built)
        for tag, name, value in page.attrs:
            assert not name.startswith("on"), (where, tag, name, value)
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                assert not (value or "").strip().lower().startswith("javascript:"), (where, tag, value)
        for script in page.scripts:
            if script.get("id") == "__config":
                assert script.get("type") == "application/json", where
                continue
            src = script.get("src") or ""
            assert src and "//" not in src, (where, script)  # a file of this site, never inline, never a host
            rel = src.split("?")[0]
            file = built / rel.lstrip("/") if rel.startswith("/") else path.parent / rel  # 404.html links from the root
            assert file.resolve().is_file(), (where, src)
            own_scripts += 1
        for tag in ("img", "svg", "b"):  # the markup in the fixture's site.yaml never became an element
            markup = [n for t, n, _v in page.attrs if t == tag and n in ("src", "onerror", "onload")]
            assert not markup, (where, tag)
        # The title shows exactly what site.yaml says: escaped once (not raw, not &amp;lt;).
        assert SITE["title"] in page.head_title, (where, page.head_title)
        text = "".join(page.text)
        assert text.count(SITE["title"]) >= 2, where  # <title> and the header
        assert f"本站由{SITE['operator']}维护" in text, where
        assert f"联系方式：{SITE['contact']}" in text, where
        for key in ("sponsor", "organizer", "site_code", "icp", "police_record"):  # the footer's identity
            assert SITE[key] in text, (where, key)
        assert ("href", "https://zfgs.example.gov.cn/jiucuo/?a=1&b=2") in [(n, v) for t, n, v in page.attrs if t == "a"]
        assert "&lt;" not in text and "&amp;amp;" not in text, where  # nothing escaped twice
    assert own_scripts >= len(pages)


def test_raw_markup_from_site_yaml_is_nowhere_in_the_html(built):
    for path in built.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for raw in ("<script>alert", "<img src=x", "<svg onload", 'x"><', '12345 "><', "<b onmouseover"):
            assert raw not in html, (path.relative_to(built), raw)


def test_home_page_region_and_a_single_title(built):
    page = parse(built / "index.html")
    assert page.head_title.strip() == SITE["title"]  # the site title once, not "title - title"
    assert SITE["region"] in "".join(page.text)


def test_rules_basis_text_is_text_in_the_staff_guide(built):
    html = (built / "guide/deadlines/index.html").read_text(encoding="utf-8")
    start = html.index("<table>", html.index("本站使用的规则"))
    page = Page()
    page.feed(html[start:html.index("</table>", start) + len("</table>")])  # the rules table alone
    text = "".join(page.text)
    for basis in BASES:
        assert one_line(basis) in text, basis
    # Neither Markdown nor HTML was applied to it: no link, image, emphasis or code made from it.
    assert "**粗体**" in text and "`代码`" in text and "[点我](javascript:alert(1))" in text
    assert set(page.tags) == {"table", "thead", "tbody", "tr", "th", "td"} and not page.attrs


def test_feeds_and_sitemap_are_well_formed_with_the_title_as_text(built):
    atom = "{http://www.w3.org/2005/Atom}"
    for name in ("decisions", "withdrawals"):
        feed = ET.parse(built / f"feeds/{name}.xml").getroot()
        assert feed.find(f"{atom}title").text.startswith(SITE["title"] + " · ")
    locs = [e.text for e in ET.parse(built / "sitemap.xml").iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith(SITE["base_url"]) for loc in locs)


def test_site_values_reach_the_theme_escaped_once():
    site = Site.model_validate({**SITE, "supervision_page": True})
    shown = site.for_theme()
    assert set(shown) == set(Site.model_fields)  # every field, those added later too
    assert isinstance(shown["title"], markupsafe.Markup)
    assert shown["title"] == markupsafe.escape(SITE["title"]) and "&lt;script&gt;" in shown["title"]
    assert markupsafe.escape(shown["title"]) == shown["title"]  # `|e` does not escape it again
    assert shown["supervision_page"] is True


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x", "//evil.example/", "https://", "zfgs.example.gov.cn",
                                 'https://x.cn/"><script>alert(1)</script>', "https://x.cn/ a", "data:text/html,x"])
def test_base_url_other_than_a_web_address_is_a_located_error(tree, capsys, url):
    root = tree("minimal")
    path = root / "site_config/site.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, f"base_url: '{url}'"]) + "\n", encoding="utf-8")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert f"site_config/site.yaml:{len(lines) + 1}:11: 错误 F003 「网站地址」(base_url)填写有误：" in err, err
    assert "只能是 http:// 或 https:// 开头的网站地址" in err


@pytest.mark.parametrize("url", ["https://zfgs.example.gov.cn/", "http://127.0.0.1:8000/gs/", "HTTPS://Example.cn"])
def test_web_addresses_are_accepted(tree, capsys, url):
    root = tree("minimal")
    path = root / "site_config/site.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"base_url: {url}\n", encoding="utf-8")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 0, capsys.readouterr().err
