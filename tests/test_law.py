"""The register of legal sources and the public 法律依据 page, built with the real MkDocs and read back."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from pathlib import Path

from generator import checks, sources
from generator.cli import main
from generator.rules import defaults

REPO = Path(__file__).parent.parent
CODE = re.compile(r'"(S\d{3})"')


def squash(text: str) -> str:
    """Whitespace out: the pages' line breaks between tags are not part of what a visitor reads."""
    return re.sub(r"\s+", "", text)


def text_of(page: Path) -> str:
    """The visible text of a built page's article, tags dropped, whitespace squeezed out."""
    raw = page.read_text(encoding="utf-8")
    body = raw[raw.index("<article"):raw.index("</article>")]
    return squash(htmllib.unescape(re.sub(r"<[^>]+>", "", body)))


def test_every_rule_and_every_finding_cites_an_entry_of_the_register():
    book = defaults()
    for rule in book.all_rules():
        for ref in rule.cite:
            assert book.register.resolve(ref), (rule.label(), ref)
    emitted = {code for path in [REPO / "generator/checks.py", *(REPO / "generator/kinds").glob("*.py")]
               for code in CODE.findall(path.read_text(encoding="utf-8"))}
    assert emitted == set(checks.FINDING_CITES), "every finding code has its citations"
    for code, (_title, refs) in checks.FINDING_CITES.items():
        for ref in [*refs, *checks.SUPERVISION_CITES.get(code, [])]:
            assert book.register.resolve(ref), (code, ref)


def test_no_source_lacks_a_quotation_and_unverified_ones_say_why():
    book = defaults()
    assert len(book.register.sources) >= 10
    for source in book.register.sources.values():
        assert source.passages, source.id
        for passage in source.passages:
            assert len(passage.text.strip()) >= 6, (source.id, passage.id)
            assert passage.verified or passage.note or source.note, (source.id, passage.id)
            if passage.verified:
                assert passage.checked, (source.id, passage.id)  # where it was checked


def test_the_register_knows_what_is_in_force_on_a_day():
    book = defaults()
    old, new = book.register.sources["fgw-2023-58"], book.register.sources["fgw-2025-36"]
    assert old.in_force(dt.date(2026, 3, 31)) and not old.in_force(dt.date(2026, 4, 1))
    assert not new.in_force(dt.date(2026, 3, 31)) and new.in_force(dt.date(2026, 4, 1))
    assert old.replaced_by == new.id
    assert book.register.text("gwyl-825#a6-1").startswith("《行政执法监督条例》（国务院令第825号）第六条第一款：")
    assert book.register.resolve("gwyl-825#a99") is None and book.register.resolve("nothing#a1") is None
    assert sources.NATIONAL_PATH == "generator/sources.yaml"


def blocks(page: Path) -> dict[str, str]:
    """The visible text of each source on the 法律依据 page by its id, and of each part (h2) by its heading."""
    raw = page.read_text(encoding="utf-8")
    raw = raw[raw.index("<article"):raw.index("</article>")]

    def plain(fragment: str) -> str:
        return squash(htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)))

    out = {m[1]: plain(m[2]) for m in re.finditer(r'<section class="dc-source" id="([^"]+)">(.*?)</section>', raw, re.S)}
    parts = re.split(r"<h2[^>]*>(.*?)</h2>", raw)
    out.update({plain(title): plain(body) for title, body in zip(parts[1::2], parts[2::2], strict=True)})
    return out


def test_the_legal_page_of_the_example_county(example_built):
    site = example_built / "site"
    assert "legal/" in (site / "index.html").read_text(encoding="utf-8")  # in the nav
    parts = blocks(site / "legal/index.html")
    in_force = next(v for k, v in parts.items() if k.startswith("现行有效的依据"))
    repealed = next(v for k, v in parts.items() if k.startswith("已废止或失效的依据"))
    # What each source drives: stamps and findings.
    gbf = parts["gbf-2018-118"]
    assert "国办发〔2018〕118号" in gbf and gbf in in_force
    assert "公开期限：行政许可、行政处罚决定的公开期限，7个工作日" in gbf
    assert "公开期限：其他执法决定的公开期限，20个工作日" in gbf and squash("S101 逾期公开") in gbf
    credit = parts["fgw-2025-36"]
    assert credit in in_force and "国家发展改革委令第36号" in credit and squash("2026-04-01 起施行") in credit
    assert squash("公示期限：一般失信信息的公示期，1年（2026-04-01 起施行的版本") in credit
    assert "未能与原文逐字核对" in credit  # the press-release wording is marked as such
    supervision = parts["gwyl-825"]
    assert supervision in in_force and squash("2026-02-01 起施行") in supervision
    assert squash("S101 逾期公开") in supervision and "S601" not in supervision
    assert "县级以上人民政府司法行政部门是本级人民政府的行政执法监督机构" in supervision
    # Repealed sources with their dates, and the rule versions that still use them for earlier events.
    old = parts["fgw-2023-58"]
    assert old in repealed and old not in in_force and "国家发展改革委令2023年第58号" in old
    assert squash("2023-05-01 起施行") in old and squash("2026-04-01 起废止或失效") in old
    assert squash("行政处罚的公示期（第58号令施行期间），3年（施行至 2026-03-31 的版本") in old
    assert squash("由 《信用修复管理办法》（国家发展改革委令第36号） 取代") in old
    assert parts["xzfyf-2017"] in repealed and squash("2024-01-01 起废止或失效") in parts["xzfyf-2017"]
    # The assumption the site makes when a decision gives no class.
    assert "按“一般”失信信息计算公示期限" in parts["本站采用的假设"]
    # 45号 is listed but drives nothing by default: it binds 市场监督管理部门 only and counts from publication.
    market = parts["scjgzj-45"]
    assert "自公示之日起届满三年的，停止公示" in market and "本站现在的规则和监督发现都不引用它" in market


def test_a_decision_page_shows_the_version_its_source_and_the_assumed_class(example_built):
    page = example_built / "site/decisions/scjg/2026"
    html = next(p for p in page.glob("*/index.html") if "示市监罚决字〔2026〕第17号" in p.read_text(encoding="utf-8"))
    raw = html.read_text(encoding="utf-8")
    text = text_of(html)
    assert squash("公示至 2027-05-27（1年）：决定没有标注失信程度，按“一般”失信信息计算") in text
    assert squash("适用国家规则“一般失信信息的公示期”（2026-04-01 起施行的版本，依据国家发展改革委令第36号）：作出决定之日 2026-05-27 在其施行期内") in text
    assert 'legal/#fgw-2025-36"' in raw and 'legal/#gbf-2018-118"' in raw


def test_the_legal_page_shows_a_local_source_beside_the_national_one_it_departs_from(tree):
    root = tree("local-stricter")
    assert main(["build", "--project", str(root), "--today", "2026-11-23", "--strict"]) == 0
    page = root / "site/legal/index.html"
    parts = blocks(page)
    local = parts["本地规定"]
    assert squash("行政处罚决定的公开期限（测试县）：5个工作日（2026-01-01 起施行的版本；行政处罚决定）") in local
    assert squash("《测试县行政执法决定公开办法》（测政办发〔2025〕5号） 第三条") in local
    assert squash("行政许可、行政处罚决定的公开期限：7个工作日（ 《国务院办公厅关于") in local
    ours = parts["ceshi-2025-5"]
    assert "本地规定" in ours and "适用于测试县" in ours and "公开期限：行政处罚决定的公开期限（测试县）" in ours
    raw = page.read_text(encoding="utf-8")
    assert raw.index('id="ceshi-2025-5"') < raw.index('id="gbf-2018-118"')  # local sources first
    decision = text_of(root / "site/decisions/town/2025/national-day/index.html")
    assert "适用国家规则“行政许可、行政处罚决定的公开期限”" in decision  # decided 2025: before the local rule


def test_staff_text_in_a_local_source_stays_text_and_a_link_must_be_http(tree, capsys):
    root = tree("local-stricter")
    path = root / "site_config/sources.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  region: 测试县\n", "  region: 测试县\n  url: javascript:alert(1)\n"), encoding="utf-8")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert "site_config/sources.yaml:8:8: 错误" in err and "网址只能以 http:// 或 https:// 开头" in err
    assert "L001" not in err  # the rule citing the broken source is not reported a second time
    path.write_text(text.replace("5个工作日内公开。", "5个工作日内公开。<script>alert(3)</script>"), encoding="utf-8")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    raw = (root / "site/legal/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in raw and "<script>alert(3)" not in raw


def test_a_looser_local_rule_is_shown_as_such_and_decisions_name_the_national_rule_beside_it(tree):
    root = tree("local-looser")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    local = blocks(root / "site/legal/index.html")["本地规定"]
    assert squash("其他行政执法决定的公开期限（兴隆县）：20个工作日（2022-01-18 起施行的版本）") in local
    assert "对行政许可决定宽于国办发〔2018〕118号，本站按国家规定计算" in local
    page = text_of(root / "site/decisions/town/2025/national-day/index.html")
    assert squash("适用本地规则“行政处罚决定的公开期限（兴隆县）”（2022-01-18 起施行的版本") in page
    assert squash("对应的国家规定：7个工作日，依据 《国务院办公厅关于") in page
    assert "除法律、法规另有规定外,行政处罚决定等信息应当自执法决定作出之日起7个工作日内公开" in page
