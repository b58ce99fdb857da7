"""Search on the example site, in Debian's Chromium: what the public types, what it finds."""

from __future__ import annotations

import gzip
import itertools
import json
import shutil
import urllib.parse
from pathlib import Path

import pytest
from browser import chromium, search_done, serve

from generator.cli import main
from generator.search import normalize, shards, token

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def example_site(example_built):
    return example_built / "site"


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:  # one Playwright per module: the sync API cannot run two in a thread
        yield b


@pytest.fixture(scope="module")
def page(example_site, browser):
    with serve(example_site) as base:
        pg = browser.new_page()
        pg.base = base
        yield pg


def search(page, query: str = "", **params) -> list[dict]:
    """Type nothing: load the search page with the query in its URL, as the header form does."""
    items = [("q", query)] if query else []
    for key, values in params.items():
        items += [(key, v) for v in (values if isinstance(values, list) else [values])]
    page.goto(page.base + "search/?" + urllib.parse.urlencode(items))
    search_done(page, or_text="没有|不可用")
    return page.eval_on_selector_all(".dc-result", """els => els.map(li => ({
        title: li.querySelector('h2').textContent.trim(),
        url: li.querySelector('h2 a').getAttribute('href'),
        meta: li.querySelector('.dc-result__meta').textContent,
        text: li.textContent }))""")


def status(page) -> str:
    return page.text_content("[data-dc-status]")


def test_two_characters_inside_a_longer_name(page):
    results = search(page, "和顺")
    assert results, status(page)
    assert all("和顺" in r["text"] for r in results)
    assert any("示例县和顺装饰工程有限公司" in r["meta"] for r in results)


def test_two_characters_inside_the_facts(page):
    results = search(page, "倾倒")
    assert results and all("倾倒" in r["text"] for r in results)


def test_exact_case_number_comes_first_even_typed_with_square_brackets(page):
    for query in ("示综执罚决字〔2026〕第11号", "示综执罚决字[2026]第11号"):
        results = search(page, query)
        assert results[0]["title"] == "示综执罚决字〔2026〕第11号", query
        assert results[0]["url"].endswith("/decisions/zonghe/2026/2026-07-21-011/"), results[0]


def test_credit_code_finds_the_decision(page):
    results = search(page, "91330000MA0005211T")
    assert results[0]["title"] == "示市监罚决字〔2026〕第12号"


def test_full_company_name_comes_first(page):
    results = search(page, "示例县和顺装饰工程有限公司")
    assert "示例县和顺装饰工程有限公司" in results[0]["meta"]


def test_officer_by_certificate_number_and_by_name(page):
    for query in ("33070200011", "冯娜国"):
        first = search(page, query)[0]
        assert first["title"] == "冯娜国 33070200011", query
        assert first["url"].endswith("/agencies/zonghe/officers/#33070200011"), first
        assert "执法人员 · 示例县综合行政执法局" in first["meta"]


def test_power_item_by_code_and_by_words_of_its_name(page):
    first = search(page, "330702CF003")[0]
    assert first["title"] == "对随意倾倒建筑垃圾的处罚"
    assert first["url"].endswith("/powers/330702cf003/"), first
    results = search(page, "户外广告", 类型="权责事项")
    assert "对擅自设置大型户外广告的处罚" in [r["title"] for r in results]
    assert all(r["meta"].startswith("权责事项") for r in results)


def test_power_items_filter_by_category(page):
    results = search(page, "检查", 类型="权责事项", 类别="行政检查")
    assert results and all("检查" in r["title"] for r in results)
    assert all("/powers/" in r["url"] and "jc" in r["url"] for r in results), results


def test_benchmark_by_violation(page):
    results = search(page, "户外广告", 类型="裁量基准")
    assert [r["title"] for r in results] == ["擅自设置大型户外广告 zonghe-B001"]
    assert results[0]["url"].endswith("/agencies/zonghe/benchmarks/#zonghe-b001")


def test_result_links_lead_to_real_pages(page, example_site):
    for query in ("冯娜国", "330702CF003", "户外广告", "和顺"):
        for r in search(page, query):
            path = urllib.parse.urlsplit(r["url"]).path.lstrip("/")
            assert (example_site / path / "index.html").is_file() or (example_site / path).is_file(), r["url"]


def test_filters_show_counts_and_narrow_results(page, example_site):
    everything = search(page, "罚款")
    total = int(status(page).split("找到 ")[1].split(" ")[0])
    assert total > len(everything) >= 10  # ten at a time, more on request
    legend = page.locator("fieldset.dc-filter", has_text="执法主体")
    counts = legend.locator(".dc-filter__item").all_inner_texts()
    assert any(c.startswith("示例县综合行政执法局") and "(" in c for c in counts), counts

    page.check("input[id='dc-f-执法主体-示例县综合行政执法局']")
    search_done(page)
    filtered = page.eval_on_selector_all(".dc-result .dc-result__meta", "els => els.map(e => e.textContent)")
    assert filtered and all("示例县综合行政执法局" in m for m in filtered)
    assert "执法主体=" in urllib.parse.unquote(page.url)  # the filtered view can be bookmarked

    by_year = search(page, "", 执法主体="示例县综合行政执法局", 年份="2025年", 类型="执法决定")
    rows = json.loads((example_site / "data/decisions.json").read_text(encoding="utf-8"))
    expected = [r for r in rows if r["agency"] == "zonghe" and r["status"] == "有效" and r["decided_on"][:4] == "2025"]
    assert f"找到 {len(expected)} 条结果" in status(page)
    assert all("作出日期：2025-" in r["meta"] for r in by_year)


def test_sort_by_date(page):
    results = search(page, "罚款", sort="desc", 类型="执法决定")
    dates = [r["meta"].split("作出日期：")[1][:10] for r in results]
    assert dates == sorted(dates, reverse=True) and len(dates) == 10
    results = search(page, "罚款", sort="asc", 类型="执法决定")
    dates = [r["meta"].split("作出日期：")[1][:10] for r in results]
    assert dates == sorted(dates)


def test_header_search_box_leads_to_results(page):
    page.goto(page.base + "agencies/zonghe/")
    page.fill("#dc-header-q", "和顺")
    page.press("#dc-header-q", "Enter")
    search_done(page)
    assert page.locator(".dc-result").count() > 0


def test_certificate_lookup(page):
    page.goto(page.base + "certificates/")
    page.fill("#dc-cert", "33070200011")
    page.click("form[data-dc-cert] button")
    result = page.locator("[data-dc-cert-result]")
    result.locator("table").wait_for()
    text = result.inner_text()
    assert "冯娜国" in text and "示例县综合行政执法局" in text and "城市管理" in text
    assert "2021-06-01 至 2026-05-31" in text and "已过期" in text
    page.fill("#dc-cert", "99999999999")
    page.click("form[data-dc-cert] button")
    page.locator("[data-dc-cert-result] .dc-notice").wait_for()
    assert "没有查到" in result.inner_text()


def index_text(site: Path) -> str:
    """Every Pagefind file decompressed: words, fragments, filters and metadata, as text."""
    out = []
    for path in (site / "pagefind").rglob("*"):
        if path.suffix.startswith(".pf_"):
            out.append(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
    return "\n".join(out)


def test_index_holds_no_real_name_and_no_withdrawn_record(example_site, page):
    text = index_text(example_site)
    assert "示例县和顺装饰工程有限公司" in text  # the index is readable here: the checks below can fail
    rows = []
    for path in (ROOT / "content").glob("*/decisions/*/*.yaml"):
        import yaml

        rows.append(yaml.safe_load(path.read_text(encoding="utf-8")))
    names = [r["party"]["name"] for r in rows if r["party"]["type"] == "自然人"]
    assert len(names) > 5
    for name in names:
        assert name not in text, name
    withdrawn = [r["case_no"] for r in rows if r.get("status", "有效") != "有效"]
    assert withdrawn
    for case_no in withdrawn:
        assert case_no not in text, case_no
        assert case_no not in [r["title"] for r in search(page, case_no)], case_no


def test_token_and_normalize_match_the_browser(page):
    page.goto(page.base + "search/")
    js = page.evaluate("""() => { const s = document.querySelector('script[src*="search.js"]'); return s.src; }""")
    assert js.endswith("assets/search.js")
    source = (ROOT / "templates/docs/assets/search.js").read_text(encoding="utf-8")
    # Run the page's own functions on the same inputs as the Python side.
    fns = source.split("// Mirrors generator/search.py: normalize() and token().")[1].split("  function el(")[0]
    for text in ("示综执罚决字[2026]第11号", "示例县和顺装饰工程有限公司", "张某某 "):
        got = page.evaluate(f"(t) => {{ {fns}; return [normalize(t), token('wh', t)]; }}", text)
        assert got == [normalize(text), token("wh", text)]


def test_shards_split_decisions_by_date_and_records_by_agency():
    pages = [(f"a{a}", f"decisions/a{a}/{y}/{i}/index.html", f"{y}-{1 + i % 12:02d}-{1 + a:02d}", "")
             for a in range(5) for y in (2025, 2026) for i in range(30)]
    pages += [(f"a{a}", f"powers/p{a}{i}/index.html", None, "") for a in range(5) for i in range(30)]
    out = shards(pages, limit=70)
    assert [s.name for s in out] == ["records-1", "records-2", "records-3", "2026-1", "2026-2", "2026-3",
                                     "2025-1", "2025-2", "2025-3"]
    assert all(len(s.pages) <= 70 for s in out)
    assert sum(len(s.pages) for s in out) == len(pages)
    decisions = [s for s in out if s.kind == "decisions"]
    for newer, older in itertools.pairwise(decisions):
        assert older.last <= newer.first  # disjoint, newest first: sorted lists concatenate
    agencies = [a for s in out if s.kind == "records" for a in sorted(s.agencies)]
    assert agencies == sorted(set(agencies))  # an agency's records are never split


def test_older_years_load_only_when_asked(page):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    search(page, "罚款")
    first = status(page)
    assert "以来的决定" in first and not any("/pagefind/2025-1/" in u for u in requested)
    shown = page.locator(".dc-result").count()
    for _ in range(20):  # ten more per click; older years when the loaded ones run out
        if not page.locator("[data-dc-more]").is_visible():
            break
        page.click("[data-dc-more]")
        search_done(page)
    assert "已搜索" not in status(page)
    assert any("/pagefind/2025-1/" in u for u in requested)
    assert page.locator(".dc-result").count() > shown
    assert int(status(page).split("找到 ")[1].split(" ")[0]) > int(first.split("找到 ")[1].split(" ")[0])


def test_a_case_number_loads_only_its_year(page):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    results = search(page, "示综执罚决字〔2025〕第18号")
    assert results[0]["title"] == "示综执罚决字〔2025〕第18号"
    shards = {u.split("/pagefind/")[1].split("/")[0] for u in requested if "/pagefind/" in u and "shards.json" not in u}
    assert shards == {"2025-1"}, shards


def test_markup_in_a_record_shows_as_text_in_results(tmp_path, browser):
    root = tmp_path / "minimal"
    shutil.copytree(ROOT / "tests/fixtures/minimal", root)
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    with serve(root / "site") as base:
        pg = browser.new_page()
        dialogs = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pg.base = base
        results = search(pg, "焚烧", 类型="执法决定")
        assert results and "张某某" in results[0]["meta"]
        assert pg.locator(".dc-results script, .dc-results img, .dc-results a[href*='evil']").count() == 0
        assert "<script>alert(1)</script>" in results[0]["text"]
        assert dialogs == []
