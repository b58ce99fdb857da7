"""Search on the example site, in Debian's Chromium: what the public types, what it finds, what it counts."""

from __future__ import annotations

import gzip
import itertools
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import urllib.parse
from collections import Counter
from pathlib import Path

import pytest
from browser import chromium, search_done, serve

from generator import search as search_mod
from generator.cli import main
from generator.search import (
    decode_gaps,
    encode_gaps,
    exact_buckets,
    hash32,
    normalize,
    read_fragment,
    shards,
    token,
)

ROOT = Path(__file__).parent.parent
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def example_site(example_built):
    return example_built / "site"


@pytest.fixture(scope="module")
def data(example_site):
    """The published data files: what the counts on the search page must agree with."""
    return {name: json.loads((example_site / f"data/{name}.json").read_text(encoding="utf-8"))
            for name in ("decisions", "officers", "powers", "benchmarks", "agencies")}


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:  # one Playwright per module: the sync API cannot run two in a thread
        yield b


@pytest.fixture(scope="module")
def server(example_site):
    with serve(example_site) as base:
        yield base


@pytest.fixture(scope="module")
def page(server, browser):
    pg = browser.new_page()
    pg.base = server
    yield pg


@pytest.fixture
def phone(server, browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    pg = context.new_page()
    pg.base = server
    yield pg
    context.close()


def search(page, query: str = "", **params) -> list[dict]:
    """Type nothing: load the search page with the query in its URL, as the header form does."""
    items = [("q", query)] if query else []
    for key, values in params.items():
        items += [(key, v) for v in (values if isinstance(values, list) else [values])]
    page.goto(page.base + "search/?" + urllib.parse.urlencode(items))
    search_done(page, or_text="不可用")
    return results(page)


def results(page) -> list[dict]:
    return page.eval_on_selector_all(".dc-result", """els => els.map(li => ({
        title: li.querySelector('h2').textContent.trim(),
        url: li.querySelector('h2 a').getAttribute('href'),
        meta: li.querySelector('.dc-result__meta').textContent,
        exact: !!li.querySelector('.dc-result__exact'),
        text: li.textContent }))""")


def status(page) -> str:
    return page.text_content("[data-dc-status]")


def found(page) -> int:
    return int(re.search(r"找到 (\d+) 条", status(page))[1])


def open_filters(page) -> None:
    if page.get_attribute("[data-dc-toggle]", "aria-expanded") != "true":
        page.click("[data-dc-toggle]")
    page.locator("fieldset.dc-filter").first.wait_for()


def facet(page, name: str) -> dict[str, str]:
    """{value: count as shown} of one filter group (count '未查找' for a year not searched yet)."""
    rows = page.locator("fieldset.dc-filter", has=page.locator(f"legend:text-is('{name}')")).locator(".dc-filter__item")
    out = {}
    for text in rows.all_inner_texts():
        value, count = re.fullmatch(r"\s*(.+?)\s*（(.+)）\s*", text.replace("\n", "")).groups()
        out[value] = count
    return out


def search_everything(page) -> None:
    """Press 继续查找 until every year has been searched."""
    for _ in range(10):
        button = page.locator(".dc-search__more [data-dc-older]")
        if not button.is_visible():
            return
        button.click()
        search_done(page)
    pytest.fail("继续查找 never ends")


def published_supervision(site: Path) -> list[str]:
    """The body (agency id or name) of each supervision record the site publishes as a page: public notices
    (the agency supervised) and public plans (the body rectifying), from data/supervision.json."""
    held = json.loads((site / "data/supervision.json").read_text(encoding="utf-8"))
    return [*(n["issued_to"] for b in held["bodies"] for n in b["notices"]),
            *(p["owner"] for b in held["bodies"] for p in b["plans"])]


def valid(rows):
    return [r for r in rows if r["status"] == "有效"]


# ---------------------------------------------------------------- finding

def test_two_characters_inside_a_longer_name(page):
    got = search(page, "和顺")
    assert got, status(page)
    assert all("和顺" in r["text"] for r in got)
    assert any("示例县和顺装饰工程有限公司" in r["meta"] for r in got)


def test_two_characters_inside_the_facts(page):
    got = search(page, "倾倒")
    assert got and all("倾倒" in r["text"] for r in got)


def test_exact_case_number_comes_first_however_it_is_typed(page):
    for query in ("示综执罚决字〔2026〕第11号", "示综执罚决字[2026]第11号", "示综执罚决字［２０２６］第１１号",
                  " 示综执罚决字 (2026) 第11号", "示综执罚决字〔2026〕第1\u200b1号"):  # (a zero-width space pasted in)
        got = search(page, query)
        assert got[0]["title"] == "示综执罚决字〔2026〕第11号", query
        assert got[0]["exact"] and "完全相同" in status(page), query
        assert got[0]["url"].endswith("/decisions/zonghe/2026/2026-07-21-011/"), got[0]


def test_credit_code_finds_the_decision_in_any_case(page):
    for query in ("91330000MA0005211T", "91330000ma0005211t"):
        got = search(page, query)
        assert got[0]["title"] == "示市监罚决字〔2026〕第12号" and got[0]["exact"], query


def test_full_party_name_lists_its_decisions_of_every_year_first(page, data):
    """Every organisation's full name: all its decisions, of every year, before anything else,
    although only the newest year's index was loaded."""
    parties = {}
    for r in valid(data["decisions"]):
        if r["party"]["type"] != "自然人":
            parties.setdefault(r["party"]["name"], []).append(r)
    assert len(parties) > 10
    spans_years = [n for n, rows in parties.items() if len({r["decided_on"][:4] for r in rows}) > 1]
    assert spans_years  # the example has a party with decisions in two years: the check below can fail
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    for name, rows in parties.items():
        requested.clear()
        got = search(page, name)
        first = got[:len(rows)]
        assert sorted(r["title"] for r in first) == sorted(r["case_no"] for r in rows), name
        assert all(r["exact"] and f"当事人：{name}" in r["meta"] for r in first), name
        assert not any(r["exact"] for r in got[len(rows):]), name
        assert f"找到 {len(rows)} 条与“{name}”完全相同的结果" in status(page) or "其中" in status(page), status(page)
        assert not any("/pagefind/2025-1/" in u for u in requested), name  # other years: from the lookup


def test_officer_by_certificate_number_and_by_name(page):
    for query in ("33070200011", "冯娜国"):
        first = search(page, query)[0]
        assert first["title"] == "冯娜国 33070200011", query
        assert first["url"].endswith("/agencies/zonghe/officers/#33070200011"), first
        assert "执法人员 · 示例县综合行政执法局" in first["meta"]
        assert found(page) == 1


def test_power_item_by_code_and_by_words_of_its_name(page):
    first = search(page, "330702CF003")[0]
    assert first["title"] == "对随意倾倒建筑垃圾的处罚"
    assert first["url"].endswith("/powers/330702cf003/"), first
    got = search(page, "户外广告", 类型="权责事项")
    assert "对擅自设置大型户外广告的处罚" in [r["title"] for r in got]
    assert all(r["meta"].startswith("权责事项") for r in got)


def test_power_items_filter_by_category(page):
    got = search(page, "检查", 类型="权责事项", 类别="行政检查")
    assert got and all("检查" in r["title"] for r in got)
    assert all("/powers/" in r["url"] and "jc" in r["url"] for r in got), got


def test_benchmark_by_violation(page):
    got = search(page, "户外广告", 类型="裁量基准")
    assert [r["title"] for r in got] == ["擅自设置大型户外广告 zonghe-B001"]
    assert got[0]["url"].endswith("/agencies/zonghe/benchmarks/#zonghe-b001")


def test_result_links_lead_to_real_pages(page, example_site, data):
    withdrawn = [r["case_no"] for r in data["decisions"] if r["status"] != "有效"]
    for query in ("冯娜国", "330702CF003", "户外广告", "和顺", "示例县明珠建材商行", *withdrawn):
        for r in search(page, query):
            path = urllib.parse.urlsplit(r["url"]).path.lstrip("/")
            assert (example_site / path / "index.html").is_file() or (example_site / path).is_file(), r["url"]


def test_withdrawn_case_number_leads_to_its_withdrawal_notice(page, example_site, data):
    withdrawn = [r for r in data["decisions"] if r["status"] != "有效"]
    assert withdrawn
    for row in withdrawn:
        got = search(page, row["case_no"].replace("〔", "[").replace("〕", "]"))
        first = got[0]
        assert first["title"] == f"{row['case_no']}（已撤回）" and first["exact"], got
        assert f"已于 {row['status_changed_on']} 被依法{row['status']}" in first["text"]
        assert f"已被依法{row['status']}，公示信息已撤回" in status(page) and "撤回公告" in status(page)
        notice = (example_site / urllib.parse.urlsplit(first["url"]).path.lstrip("/") / "index.html").read_text("utf-8")
        assert "撤回公告" in notice and row["case_no"] in notice
        # Nothing else of a withdrawn decision: no other decision is offered as "close" to it.
        assert len(got) == 1 and "相近" not in status(page), got


def test_a_case_number_that_does_not_exist_is_said_so(page):
    assert search(page, "示综执罚决字〔2026〕第999号") == []
    assert "没有找到文号为" in status(page) and "相近" not in status(page)


def test_markup_in_a_record_shows_as_text_in_results(tmp_path, browser):
    root = tmp_path / "minimal"
    shutil.copytree(ROOT / "tests/fixtures/minimal", root)
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    with serve(root / "site") as base:
        pg = browser.new_page()
        dialogs = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pg.base = base
        got = search(pg, "焚烧", 类型="执法决定")
        assert got and "张某某" in got[0]["meta"]
        assert pg.locator(".dc-results script, .dc-results img, .dc-results a[href*='evil']").count() == 0
        assert "<script>alert(1)" in got[0]["text"]  # shown as text (the excerpt may end inside it)
        assert dialogs == []


# ---------------------------------------------------------------- counting records, not pages

def test_counts_without_a_query_are_the_records_of_every_year(page, data, example_site):
    page.goto(page.base + "search/")
    open_filters(page)
    kinds = facet(page, "类型")
    supervised = published_supervision(example_site)
    assert supervised
    assert kinds == {"执法决定": str(len(valid(data["decisions"]))),
                     "撤回公告": str(len(data["decisions"]) - len(valid(data["decisions"]))),
                     "执法人员": str(len(data["officers"])), "权责事项": str(len(data["powers"])),
                     "裁量基准": str(len(data["benchmarks"])), "执法监督": str(len(supervised))}
    names = {a["id"]: a["name"] for a in data["agencies"]}
    per_agency = Counter(names[r["agency"]] for rows in data.values() for r in rows if "agency" in r)
    per_agency.update(names[body] for body in supervised if body in names)
    assert facet(page, "执法主体") == {k: str(v) for k, v in per_agency.items()}

    search(page, "", 类型="执法决定")
    assert found(page) == len(valid(data["decisions"]))
    open_filters(page)
    years = Counter(f"{r['decided_on'][:4]}年" for r in valid(data["decisions"]))
    assert facet(page, "年份") == {k: str(v) for k, v in years.items()}

    search(page, "", 类型="执法人员")
    assert found(page) == len(data["officers"])
    open_filters(page)
    officers = Counter(names[r["agency"]] for r in data["officers"])
    assert facet(page, "执法主体") == {k: str(v) for k, v in officers.items()}
    shown = [r for r in results(page)]
    assert {r["title"] for r in shown} == {f"{o['name']} {o['certificate_no']}" for o in data["officers"]}


def test_counts_of_a_query_count_records_inside_pages_of_many(page, data):
    """Officers, power items and benchmarks are indexed as one page per agency (and category): the
    counts must be the officers and power items that match, not the pages they sit in."""
    names = {a["id"]: a["name"] for a in data["agencies"]}
    search(page, "城市管理")
    officers = [o for o in data["officers"] if "城市管理" in o["field"] + (o.get("unit") or "")]
    assert 1 < len(officers) < len(data["officers"])
    open_filters(page)
    assert facet(page, "类型")["执法人员"] == str(len(officers))
    assert "（0）" not in page.inner_text("[data-dc-filters]")  # nothing with no records is offered
    listed = [r["title"] for r in results(page) if r["meta"].startswith("执法人员")]  # each a result of its own
    assert sorted(listed) == sorted(f"{o['name']} {o['certificate_no']}" for o in officers)

    search(page, "事项编码", 执法主体="示例县综合行政执法局")
    mine = [p for p in data["powers"] if p["agency"] == "zonghe"]
    assert found(page) == len(mine)
    open_filters(page)
    assert facet(page, "类别") == {k: str(v) for k, v in Counter(p["category"] for p in mine).items()}
    # Another agency stays on offer, counted as if chosen instead.
    assert facet(page, "执法主体") == {k: str(v) for k, v in Counter(names[p["agency"]] for p in data["powers"]).items()}
    assert "（0）" not in page.inner_text("[data-dc-filters]")


def test_counts_of_decisions_after_searching_every_year(page, data):
    search(page, "统一社会信用代码")
    search_everything(page)
    assert "全部年份" in page.text_content("[data-dc-scope]")
    organisations = [r for r in valid(data["decisions"]) if r["party"]["type"] != "自然人"]
    assert found(page) == len(organisations)
    open_filters(page)
    assert facet(page, "年份") == {k: str(v) for k, v in Counter(f"{r['decided_on'][:4]}年" for r in organisations).items()}
    assert facet(page, "公开状态") == {k: str(v) for k, v in
                                   Counter(r["stamps"]["publication"] for r in organisations).items()}


def test_the_count_is_the_number_of_results_listed(page):
    for query, params in (("城市管理", {}), ("事项编码", {}), ("户外广告", {}), ("和顺", {}), ("罚款", {}),
                          ("检查", {"类型": "权责事项"}), ("", {"类型": ["执法人员", "裁量基准"]})):
        search(page, query, **params)
        search_everything(page)
        for _ in range(20):
            if not page.locator("[data-dc-more]").is_visible():
                break
            page.click("[data-dc-more]")
            search_done(page)
        listed = results(page)
        assert found(page) == len(listed) == len({r["url"] for r in listed}), (query, params)


def test_filters_narrow_results_and_can_be_bookmarked(page, example_site, data):
    search(page, "罚款")
    assert found(page) > len(results(page)) >= 10  # ten at a time, more on request
    open_filters(page)
    page.check("input[id='dc-f-执法主体-示例县综合行政执法局']")
    search_done(page)
    metas = [r["meta"] for r in results(page)]
    assert metas and all("示例县综合行政执法局" in m for m in metas)
    assert "执法主体=" in urllib.parse.unquote(page.url)
    assert "已选 1 项" in page.inner_text("[data-dc-toggle]")

    by_year = search(page, "", 执法主体="示例县综合行政执法局", 年份="2025年", 类型="执法决定")
    expected = [r for r in valid(data["decisions"]) if r["agency"] == "zonghe" and r["decided_on"][:4] == "2025"]
    assert f"找到 {len(expected)} 条结果" in status(page)
    assert all("作出日期：2025-" in r["meta"] for r in by_year)
    assert "已选 3 项" in page.inner_text("[data-dc-toggle]")


def test_sort_by_date(page):
    got = search(page, "罚款", sort="desc", 类型="执法决定")
    dates = [r["meta"].split("作出日期：")[1][:10] for r in got]
    assert dates == sorted(dates, reverse=True) and len(dates) == 10
    got = search(page, "罚款", sort="asc", 类型="执法决定")
    dates = [r["meta"].split("作出日期：")[1][:10] for r in got]
    assert dates == sorted(dates)


# ---------------------------------------------------------------- what was searched

def test_older_years_load_only_when_asked_and_the_page_says_so(page):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    search(page, "罚款")
    first = found(page)
    scope = page.text_content("[data-dc-scope]")
    assert "2026 年以来的执法决定" in scope and not any("/pagefind/2025-1/" in u for u in requested), scope
    older = page.locator(".dc-search__more [data-dc-older]")
    assert older.inner_text() == "继续查找 2025 年的执法决定"
    shown = page.locator(".dc-result").count()
    older.click()
    search_done(page)
    assert any("/pagefind/2025-1/" in u for u in requested)
    assert "全部年份（2025—2026 年）的执法决定" in page.text_content("[data-dc-scope]")
    assert not older.is_visible()
    assert found(page) > first and page.locator(".dc-result").count() >= shown
    open_filters(page)
    assert "未查找" not in page.inner_text("[data-dc-filters]")


def test_a_case_number_is_answered_from_one_small_file(page):
    requested = []
    page.on("request", lambda r: requested.append(urllib.parse.urlsplit(r.url).path))
    got = search(page, "示综执罚决字〔2025〕第18号")
    assert got[0]["title"] == "示综执罚决字〔2025〕第18号" and len(got) == 1
    index = [u.split("/pagefind/")[1] for u in requested if "/pagefind/" in u]
    assert [u for u in index if u != "shards.json"] == [index[-1]] and index[-1].startswith("exact/"), index
    assert "已在全部年份中查找" in page.text_content("[data-dc-scope]")
    assert "未查找" not in page.inner_text("[data-dc-filters]")
    # Records that merely mention it: on request.
    wider = page.locator(".dc-search__more [data-dc-older]")
    assert wider.inner_text() == "也查找提到“示综执罚决字〔2025〕第18号”的其他记录"
    wider.click()
    search_done(page)
    assert any("/pagefind/2025-1/" in u for u in requested)
    assert results(page)[0]["title"] == "示综执罚决字〔2025〕第18号"


def test_a_case_number_not_found_searches_its_own_year_only(page):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    assert search(page, "示综执罚决字〔2025〕第99号") == []
    loaded = {u.split("/pagefind/")[1].split("/")[0] for u in requested
              if "/pagefind/" in u and not u.endswith(".json")}
    assert loaded == {"2025-1"}, loaded
    scope = page.text_content("[data-dc-scope]")
    assert "2025 年的执法决定" in scope and "已在全部年份中查找" in scope, scope


def test_header_search_box_leads_to_results(page):
    page.goto(page.base + "agencies/zonghe/")
    page.fill("#dc-header-q", "和顺")
    page.press("#dc-header-q", "Enter")
    search_done(page)
    assert page.locator(".dc-result").count() > 0


# ---------------------------------------------------------------- on a phone

def test_on_a_phone_the_first_result_is_on_the_first_screen(phone, data):
    name = next(r["party"]["name"] for r in valid(data["decisions"]) if r["party"]["type"] == "个体工商户")
    search(phone, name)
    assert phone.get_attribute("[data-dc-toggle]", "aria-expanded") == "false"
    assert not phone.locator("[data-dc-panel]").is_visible()
    box = phone.locator(".dc-result").first.bounding_box()
    assert box and box["y"] + 100 <= PHONE["height"], box  # its title and the line under it
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_phone_every_control_is_at_least_44_px(phone):
    search(phone, "罚款")
    open_filters(phone)
    sizes = phone.evaluate("""() => [...document.querySelectorAll(
        '.dc-search-page a, .dc-search-page button, .dc-search-page input, .dc-search-page select')]
      .filter(e => e.getClientRects().length)
      .map(e => { const t = e.type === 'checkbox' ? e.closest('label') : e;  // a checkbox is tapped by its row
                  const r = t.getBoundingClientRect();
                  return [e.tagName, e.type || '', (t.textContent || e.value || '').slice(0, 12), r.width, r.height]; })""")
    assert any(s[1] == "checkbox" for s in sizes) and any(s[0] == "A" for s in sizes)
    small = [s for s in sizes if s[3] < 44 or s[4] < 44]
    assert small == [], small


def test_the_filter_button_says_how_many_filters_are_in_use(phone):
    search(phone, "罚款", 类型="执法决定", 年份="2026年")
    assert phone.inner_text("[data-dc-toggle]").replace("\n", "") == "筛选（已选 2 项）"
    open_filters(phone)
    phone.click("[data-dc-clear]")
    search_done(phone)
    assert phone.inner_text("[data-dc-toggle]").replace("\n", "") == "筛选"
    assert "类型=" not in urllib.parse.unquote(phone.url)


# ---------------------------------------------------------------- no internal word is ever shown

def exact_words(data) -> set[str]:
    keys = [r["case_no"] for r in data["decisions"]]
    keys += [r["party"][k] for r in valid(data["decisions"]) if r["party"]["type"] != "自然人" for k in ("name", "credit_code")]
    return {token(k) for k in keys}


def test_no_exact_match_word_is_ever_shown(page, data):
    words = exact_words(data)
    queries = [r["case_no"] for r in data["decisions"][:6]] + ["示例县明珠建材商行", "91330000MA0005211T", "和顺", "罚款"]
    for q in queries:
        search(page, q)
        marks = page.eval_on_selector_all(".dc-results mark", "els => els.map(e => e.textContent)")
        assert all(m and (m in normalize(q) or m in q) for m in marks), (q, marks)
        text = page.inner_text(".dc-search-page")
        assert not [w for w in words if w in text], q


def test_the_index_holds_exact_words_only_as_metadata(example_site, data):
    words = exact_words(data)
    fragments = [read_fragment(p) for p in (example_site / "pagefind").glob("*/fragment/*.pf_fragment")]
    decisions = {f["meta"]["title"]: f for f in fragments if f["meta"].get("type") in ("执法决定", "撤回公告")}
    assert len(decisions) == len(data["decisions"])
    for row in data["decisions"]:
        assert token(row["case_no"]) in decisions[row["case_no"]]["meta"]["exact"].split()
    for frag in fragments:
        assert not [w for w in words if w in frag["content"]], frag["content"]


def index_text(site: Path) -> str:
    """Every Pagefind file decompressed: words, fragments, filters and metadata, as text."""
    out = []
    for path in (site / "pagefind").rglob("*"):
        if path.suffix.startswith(".pf_"):
            out.append(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
        elif path.suffix == ".json":
            out.append(path.read_text(encoding="utf-8"))
    return "\n".join(out)


def test_index_holds_no_real_name_and_of_a_withdrawn_decision_only_its_notice(example_site):
    import yaml

    text = index_text(example_site)
    assert "示例县和顺装饰工程有限公司" in text  # the index is readable here: the checks below can fail
    rows = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "content").glob("*/decisions/*/*.yaml")]
    names = [r["party"]["name"] for r in rows if r["party"]["type"] == "自然人"]
    assert len(names) > 5
    for name in names:
        assert name not in text, name
    withdrawn = [r for r in rows if r.get("status", "有效") != "有效"]
    assert withdrawn
    for r in withdrawn:
        assert r["case_no"] in text  # its notice is public, and searchable
        for secret in (r["facts"], r["outcome"], r["party"].get("credit_code") or r["facts"]):
            assert secret not in text, secret
        others = [o for o in rows if o["party"]["name"] == r["party"]["name"] and o.get("status", "有效") == "有效"]
        if not others and r["party"]["type"] != "自然人":
            assert r["party"]["name"] not in text


# ---------------------------------------------------------------- supervision records

def flat(text: str) -> str:
    """Text without Pagefind's word breaks (zero-width spaces) and spaces, as a reader would copy it."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKC", text)
                   if not c.isspace() and unicodedata.category(c) != "Cf")


def test_public_supervision_records_are_found_and_nothing_of_the_others_is_in_the_index(tree, browser):
    from conftest import site_texts
    from supervision_helpers import edit

    root = tree("supervision-private")
    # Words of the non-public notice and plan that nothing else in the fixture holds (鼋鼍: whole characters,
    # so that no word break can hide them), beside the public notice's 秸秆 and the public plan's 台账.
    edit(root, "supervision/notices/2026/jianyi-2.yaml", "内部事项", "内部事项鼋鼍")
    edit(root, "supervision/plans/internal-plan.yaml", "保密措施寅", "保密措施寅鼋鼍")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    site = root / "site"
    fragments = {f["url"]: f for f in (read_fragment(p) for p in (site / "pagefind").rglob("*.pf_fragment"))}
    notice = fragments["/supervision/notices/2026/jianyi-1/"]
    assert notice["filters"]["类型"] == ["执法监督"] and notice["filters"]["类别"] == ["监督建议书"]
    assert notice["meta"]["title"] == "监督建议书 测司所监建〔2026〕第1号"
    assert "对张某某焚烧秸秆一案" in flat(notice["content"])  # masked, as on its page
    plan = fragments["/supervision/plans/town-2026-zgfa/"]
    assert plan["filters"]["类别"] == ["整改进展"] and "建立执法证件到期提醒台账" in flat(plan["content"])
    assert (site / "supervision/notices/2026/jianyi-1/index.html").is_file()  # each result leads to its page
    assert (site / "supervision/plans/town-2026-zgfa/index.html").is_file()
    supervision = [u for u, f in fragments.items() if f["filters"].get("类型") == ["执法监督"]]
    assert sorted(supervision) == ["/supervision/notices/2026/jianyi-1/", "/supervision/plans/town-2026-zgfa/"]
    counts = json.loads((site / "pagefind/counts.json").read_text(encoding="utf-8"))
    assert sum(r[-1] for r in counts["rows"] if counts["values"][r[0]] == "执法监督") == 2
    texts = list(site_texts(site))
    assert any(p.suffix == ".pf_index" for p, _ in texts) and any("秸秆" in t for p, t in texts if p.suffix == ".pf_index")
    for path, text in texts:
        text = flat(text)
        for secret in ("鼋", "鼍", "测司所监建〔2026〕第2号", "密司所监建〔2026〕第7号", "保密问题甲乙丙", "保密措施寅",
                       "保密整改方案戊", "town-2026-neibu", "测兴政罚决字〔2025〕第9号", "张三丰"):
            assert secret not in text, (path.relative_to(site), secret)
    with serve(site) as base:
        pg = browser.new_page()
        pg.base = base
        [got] = search(pg, "秸秆", 类型="执法监督")
        assert got["title"] == "监督建议书 测司所监建〔2026〕第1号" and got["url"].endswith("/supervision/notices/2026/jianyi-1/")
        assert "制发日期：2026-09-01" in got["meta"] and "作出日期" not in got["meta"]
        [got] = search(pg, "台账")
        assert "整改进展" in got["title"] and "印发日期：2026-05-10" in got["meta"]
        assert search(pg, "鼋鼍") == [] and search(pg, "保密措施寅") == []
        pg.close()


# ---------------------------------------------------------------- the files beside Pagefind's

def test_sections_count_every_officer_power_and_benchmark(example_site, data):
    names = {a["id"]: a["name"] for a in data["agencies"]}
    counted: Counter = Counter()
    for path in (example_site / "pagefind").glob("records-*/sections.json"):
        held = json.loads(path.read_text(encoding="utf-8"))
        for own, gaps in held["pages"].values():
            counted[(held["values"][own[0]], held["values"][own[1]])] += len(decode_gaps(gaps))
    expected = Counter()
    for kind, rows in (("执法人员", data["officers"]), ("权责事项", data["powers"]), ("裁量基准", data["benchmarks"])):
        expected.update((kind, names[r["agency"]]) for r in rows)
    assert counted == expected


def test_counts_file_agrees_with_the_data_files(example_site, data):
    table = json.loads((example_site / "pagefind/counts.json").read_text(encoding="utf-8"))
    by_kind: Counter = Counter()
    for row in table["rows"]:
        by_kind[table["values"][row[0]]] += row[-1]
    public_records = len(published_supervision(example_site))
    assert public_records  # the example publishes notices and a plan: the count below can fail
    assert by_kind == Counter({"执法决定": len(valid(data["decisions"])),
                               "撤回公告": len(data["decisions"]) - len(valid(data["decisions"])),
                               "执法人员": len(data["officers"]), "权责事项": len(data["powers"]),
                               "裁量基准": len(data["benchmarks"]), "执法监督": public_records})


def test_every_exact_key_is_in_its_bucket(example_site, data):
    manifest = json.loads((example_site / "pagefind/shards.json").read_text(encoding="utf-8"))
    n = manifest["exact"]
    keys = [r["case_no"] for r in data["decisions"]] + [o["certificate_no"] for o in data["officers"]]
    keys += [r["party"]["credit_code"] for r in valid(data["decisions"]) if r["party"].get("credit_code")]
    for key in keys:
        bucket = json.loads((example_site / f"pagefind/exact/{hash32(key) % n}.json").read_text(encoding="utf-8"))
        assert normalize(key) in bucket, key
    natural = [r["party"]["name"] for r in valid(data["decisions"]) if r["party"]["type"] == "自然人"]
    for name in natural:  # masked names are not unique: never a key
        assert normalize(name) not in json.loads(
            (example_site / f"pagefind/exact/{hash32(name) % n}.json").read_text(encoding="utf-8"))


def test_a_preview_save_updates_the_exact_lookup(tree):
    from conftest import TODAY

    from generator.preview import Preview

    root = tree("minimal")
    preview = Preview(root, TODAY, log=lambda text: None)
    try:
        assert preview.full()
        index = preview.dir / "pagefind"

        def bucket(key: str) -> dict:
            n = json.loads((index / "shards.json").read_text(encoding="utf-8"))["exact"]
            return json.loads((index / f"exact/{hash32(key) % n}.json").read_text(encoding="utf-8"))

        old, new = "测兴政罚决字〔2025〕第1号", "测兴政罚决字〔2025〕第101号"
        assert old in bucket(old)
        path = root / "content/town/decisions/2025/national-day.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        preview.update({path})
        assert preview.catch_up()
        assert new in bucket(new) and old not in bucket(old)
        assert bucket(new)[new][0]["url"] == "decisions/town/2025/national-day/"
    finally:
        preview.close()


def test_buckets_split_by_size_and_hold_every_key():
    lookup = {f"示综执罚决字〔2026〕第{i}号": [json.dumps({"title": "x" * 200})] for i in range(400)}
    n, files = exact_buckets(lookup)
    assert n > 1 and n & (n - 1) == 0 and sorted(files) == list(range(n))
    merged = {}
    for i, raw in files.items():
        part = json.loads(raw)
        assert all(hash32(k) % n == i for k in part)
        merged.update(part)
    assert merged.keys() == {normalize(k) for k in lookup}


def test_gaps_round_trip():
    for locations in ([], [0], [11], [3, 40, 41, 2000, 70000, 70031], list(range(5, 5000, 37))):
        assert decode_gaps(encode_gaps(locations)) == locations


def test_normalize_token_and_gaps_match_the_browser(page):
    page.goto(page.base + "search/")
    js = page.evaluate("""() => { const s = document.querySelector('script[src*="search.js"]'); return s.src; }""")
    assert js.endswith("assets/search.js")
    source = (ROOT / "templates/docs/assets/search.js").read_text(encoding="utf-8")
    # Run the page's own functions on the same inputs as the Python side.
    fns = source.split("// Mirrors generator/textkey.py: normalize(), and generator/search.py: hash32() and token().")[1]
    fns = fns.split("  function el(")[0]
    for text in ("示综执罚决字[2026]第11号", "示例县和顺装饰工程有限公司", "张某某 ", "示综执罚决字［２０２６］第１１号",
                 "91330000ma0005211t", "【2025】　第3号", "第1\u200b1号\u00ad\ufeff\u200e\u2063\u180e\ufe0f"):
        got = page.evaluate(f"(t) => {{ {fns}; return [normalize(t), hash32(t), token(t)]; }}", text)
        assert got == [normalize(text), hash32(text), token(text)], text
    gaps = encode_gaps([3, 40, 41, 2000, 70000])
    assert page.evaluate(f"(t) => {{ {fns}; return decodeGaps(t); }}", gaps) == [3, 40, 41, 2000, 70000]


def test_shards_split_decisions_by_date_and_records_by_agency():
    pages = [(f"a{a}", f"decisions/a{a}/{y}/{i}/index.html", f"{y}-{1 + i % 12:02d}-{1 + a:02d}", "")
             for a in range(5) for y in (2025, 2026) for i in range(30)]
    pages += [(f"a{a}", f"powers/p{a}{i}/index.html", None, "") for a in range(5) for i in range(30)]
    out = shards(pages, limit=70)
    # A year's shards are cut from its oldest decision (2026-1: January on), listed newest first; the
    # newest 10 (under half a shard) join the shard before them, where a search starts.
    assert [s.name for s in out] == ["records-1", "records-2", "records-3", "2026-2", "2026-1", "2025-2", "2025-1"]
    assert [len(s.pages) for s in out if s.kind == "decisions"] == [80, 70] * 2
    assert all(len(s.pages) <= 70 for s in out if s.kind == "records")

    def year(n: int, limit: int) -> list[int]:
        rows = [("a0", f"decisions/a0/2026/{i}/index.html", f"2026-{1 + i // 28:02d}-{1 + i % 28:02d}", "")
                for i in range(n)]
        return [len(s.pages) for s in shards(rows, limit=limit)]

    assert year(40, 70) == [40]  # a year within one shard
    assert year(135, 50) == [35, 50, 50]  # a remainder of half a shard or more stands alone
    assert year(120, 50) == [70, 50]
    assert sum(len(s.pages) for s in out) == len(pages)
    decisions = [s for s in out if s.kind == "decisions"]
    for newer, older in itertools.pairwise(decisions):
        assert older.last <= newer.first  # disjoint, newest first: sorted lists concatenate
    agencies = [a for s in out if s.kind == "records" for a in sorted(s.agencies)]
    assert agencies == sorted(set(agencies))  # an agency's records are never split
    # A decision added as the newest, or one edited in place, changes one shard's pages: an incremental
    # build runs Pagefind on that shard alone (cut from the newest, every shard of its year moved).
    before = {s.name: list(s.pages) for s in out}
    added = shards([*pages, ("a1", "decisions/a1/2026/new/index.html", "2026-12-31", "")], limit=70)
    assert [n for n, paged in before.items() if paged != list(next(s for s in added if s.name == n).pages)] == ["2026-2"]
    assert [s.name for s in added] == [s.name for s in out]


def test_the_browser_plans_a_year_s_shards_newest_first_when_two_start_on_one_date(page):
    """More decisions on one date than a shard holds: two shards start on that date. The browser
    orders decision shards by `first` (search.js plan()); on a tie the one reaching later is the
    newer. Its comparator once returned -1 for a tie, and V8's sort put the older shard (that date
    only) first: a search began there, missed the year's newest decisions, and told its scope as
    "作出日期在 that date 及以后"."""
    rows = [("a0", f"decisions/a0/2026/d{i}/index.html", "2026-03-01" if i < 9 else f"2026-04-{i:02d}", "")
            for i in range(13)]
    listed = [s.manifest() for s in shards(rows, limit=4)]
    assert [(s["name"], s["first"], s["last"]) for s in listed] == [
        ("2026-3", "2026-03-01", "2026-04-12"), ("2026-2", "2026-03-01", "2026-03-01"),
        ("2026-1", "2026-03-01", "2026-03-01")]
    page.goto(page.base + "search/")
    source = (ROOT / "templates/docs/assets/search.js").read_text(encoding="utf-8")
    plan = re.search(r"\n  function plan\(.*?\n  }\n", source, re.S).group(0)
    newest, oldest = page.evaluate(
        "(m) => { var CASE_NO = /$^/, DECISION_ONLY = [], GROUPS = {};" + plan +
        "return [plan(m, {}, 'x', '').decisions.map(function (s) { return s.name; }),"
        " plan(m, {}, 'x', 'asc').decisions.map(function (s) { return s.name; })]; }",
        {"agencies": {}, "shards": listed})
    assert newest == ["2026-3", "2026-2", "2026-1"] and oldest == ["2026-1", "2026-2", "2026-3"]


# ---------------------------------------------------------------- when Pagefind fails

# Stand-ins for `pagefind --service`: one that dies as Pagefind does when its disk is full, one
# that speaks the protocol (base64 JSON messages ending in a comma) and refuses every page.
CRASHES = """
import sys
sys.stdin.buffer.read(10)
sys.stderr.write("thread 'main' panicked at pagefind/src/output/mod.rs:58:\\nNo space left on device (os error 28)\\n")
sys.exit(101)
"""
REFUSES = """
import base64, json, sys
rest = b""
while chunk := sys.stdin.buffer.read1(65536):
    *whole, rest = (rest + chunk).split(b",")
    for part in whole:
        m = json.loads(base64.b64decode(part))
        payload = ({"type": "NewIndex", "index_id": 0} if m["payload"]["type"] == "NewIndex"
                   else {"type": "Error", "message": "Failed to add file", "original_message": None})
        reply = json.dumps({"message_id": m["message_id"], "payload": payload}).encode()
        sys.stdout.buffer.write(base64.b64encode(reply) + b",")
        sys.stdout.flush()
"""


@pytest.mark.parametrize(("script", "said"), [
    (CRASHES, r"Pagefind 建立索引失败（[^）]+）：thread 'main' panicked.*No space left on device"),
    (REFUSES, r"Pagefind 建立索引失败（[^）]+）：[^：]+/index\.html：Failed to add file"),
])
def test_a_pagefind_failure_is_reported_in_chinese_and_leaves_nothing_behind(tree, tmp_path, monkeypatch, capsys,
                                                                            script, said):
    root = tree("minimal")
    fake = tmp_path / "bin" / "pagefind"
    fake.parent.mkdir()
    pids = tmp_path / "pids"
    fake.write_text(f"#!{sys.executable}\nimport os\nopen({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n')\n{script}",
                    encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(search_mod, "pagefind_binary", lambda: str(fake))
    scratch = tmp_path / "scratch"  # where the indexer's temporary folder goes
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    # The CLI logs to the stderr of its first run in this process: this test's own, please.
    monkeypatch.setattr(logging.getLogger("mkdocs"), "handlers", [])
    capsys.readouterr()
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert re.search(said, err, re.S), err
    assert "Traceback" not in err, err
    assert list(scratch.iterdir()) == []  # no page staged, no half-built index left
    started = [int(pid) for pid in pids.read_text().split()]
    assert started
    for pid in started:  # every Pagefind started has ended and been reaped
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


# Pagefind 1.5 as it behaves with its files: it answers WriteFiles once it has handed each file's
# bytes to tokio, whose writes finish in the background, and it exits the moment its input ends
# (process::exit), whatever is still unwritten: under load a shard was left with an empty
# wasm.unknown.pagefind or pagefind.js (seen in 3 of 25 runs at three at a time). This stand-in
# speaks for the real binary and makes the race certain: its files are written 0.5 s after it answers.
LATE_WRITER = """
import base64, json, os, subprocess, sys, threading, time
real = subprocess.Popen([REAL, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def message(n, payload):
    return base64.b64encode(json.dumps({"message_id": n, "payload": payload}).encode()) + b","
def answers():
    rest = b""
    while chunk := real.stdout.read1(65536):
        *whole, rest = (rest + chunk).split(b",")
        yield from (json.loads(base64.b64decode(part)) for part in whole)
def write_later(out, files):
    time.sleep(0.5)
    for f in files:
        os.makedirs(os.path.dirname(os.path.join(out, f["path"])), exist_ok=True)
        with open(os.path.join(out, f["path"]), "wb") as target:
            target.write(base64.b64decode(f["content"]))
replies, rest = answers(), b""
while chunk := sys.stdin.buffer.read1(65536):
    *whole, rest = (rest + chunk).split(b",")
    for part in whole:
        m = json.loads(base64.b64decode(part))
        request = m["payload"]
        if request["type"] == "WriteFiles":
            request = {"type": "GetFiles", "index_id": request["index_id"]}
        real.stdin.write(message(m["message_id"], request))
        real.stdin.flush()
        answer = next(replies)
        if m["payload"]["type"] == "WriteFiles":
            threading.Thread(target=write_later, args=(m["payload"]["output_path"], answer["payload"]["files"])).start()
            answer["payload"] = {"type": "WriteFiles", "output_path": m["payload"]["output_path"]}
        sys.stdout.buffer.write(message(answer["message_id"], answer["payload"]))
        sys.stdout.flush()
os._exit(0)
"""


def test_every_file_pagefind_made_is_whole_though_it_exits_before_writing_them(tree, tmp_path, monkeypatch):
    root = tree("minimal")
    fake = tmp_path / "pagefind"
    fake.write_text(f"#!{sys.executable}\nREAL = {search_mod.pagefind_binary()!r}\n{LATE_WRITER}", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(search_mod, "pagefind_binary", lambda: str(fake))
    monkeypatch.setattr(logging.getLogger("mkdocs"), "handlers", [])
    assert main(["build", "--project", str(root), "--today", "2026-11-23", "--no-cache"]) == 0
    shards = [d for d in (root / "site/pagefind").iterdir() if d.is_dir() and d.name != "exact"]
    assert len(shards) >= 2
    for shard in shards:
        names = {p.name for p in shard.iterdir()}
        assert {"pagefind.js", "pagefind-entry.json", "wasm.unknown.pagefind"} <= names, shard.name
        assert any(p.suffix == ".pf_meta" for p in shard.iterdir()) and (shard / "fragment").is_dir(), shard.name
        empty = [str(p.relative_to(shard)) for p in shard.rglob("*") if p.is_file() and p.stat().st_size == 0]
        assert empty == [], shard.name
        for p in shard.rglob("*.pf_*"):
            assert gzip.decompress(p.read_bytes()).startswith(b"pagefind_dcd"), p


# ---------------------------------------------------------------- the certificate lookup (same script)

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


def test_no_pagefind_run_starts_while_the_data_files_are_made():
    """Runs.held: the data files and a Pagefind run each take ~250 MB at county scale; the build
    holds new runs back while it makes the data files (after the one running has ended)."""
    import subprocess
    import threading

    runs = search_mod.Runs()
    first = runs.start([sys.executable, "-c", "import time; time.sleep(0.3)"], subprocess.DEVNULL)
    order: list[str] = []
    ended = threading.Thread(target=lambda: (first.wait(), order.append("first ended"), runs.end(first)))
    ended.start()
    second: list[subprocess.Popen] = []
    with runs.held():
        order.append("held")  # only once the first run is gone
        starter = threading.Thread(target=lambda: second.append(
            runs.start([sys.executable, "-c", "pass"], subprocess.DEVNULL)))
        starter.start()
        starter.join(0.3)
        assert not second  # blocked while held
        order.append("released")
    starter.join(5)
    ended.join(5)
    assert order == ["first ended", "held", "released"] and len(second) == 1
    runs.end(second[0])
    assert not runs.running


def test_a_failing_exact_lookup_stops_pagefind_and_leaves_no_temporary_index(tree, monkeypatch):
    """Indexer.finish makes the exact lookup while Pagefind indexes: if that fails (or is interrupted),
    the build stops the Pagefind runs instead of waiting for every shard, and removes their folder."""
    import datetime as dt
    import threading

    from generator.project import load
    from generator.render import Site

    root = tree("minimal")
    site = Site(load(root, dt.date(2026, 11, 23)))
    seen_stop, indexing = threading.Event(), threading.Event()

    def slow_index(runs, binary, name, pages, output, previous=None):  # a shard that takes long unless stopped
        indexing.set()
        for _ in range(200):
            if runs.stopped:
                seen_stop.set()
                raise search_mod.SearchIndexError(search_mod.STOPPED)
            threading.Event().wait(0.05)
        output.mkdir(parents=True, exist_ok=True)

    def broken(_site):
        assert indexing.wait(10)  # while Pagefind indexes a shard
        raise KeyboardInterrupt  # Ctrl-C while the lookup is made

    class Shares:  # a cache holding the previous build's shares: the lookup is made beside Pagefind
        folder = None

        def search_extras(self, site, make, scratch=None):
            return make(site)[:2]

    monkeypatch.setattr(search_mod, "index_pages", slow_index)
    monkeypatch.setattr(search_mod, "extras", broken)
    indexer = search_mod.Indexer(site, cache=Shares())
    with pytest.raises(KeyboardInterrupt):
        indexer.finish(root / "site")
    assert seen_stop.is_set()  # stopped, not waited for
    assert not indexer.thread.is_alive() and not indexer.tmp.exists()


def test_a_lookup_made_from_scratch_waits_for_pagefind(tree, monkeypatch):
    """Made from scratch (no cache, or none of the previous build's shares), the exact lookup is
    made once Pagefind is done: beside its last run it made the county build's memory peak."""
    import datetime as dt
    import threading

    from generator.project import load
    from generator.render import Site

    root = tree("minimal")
    site = Site(load(root, dt.date(2026, 11, 23)))
    indexed = threading.Event()
    made_after: list[bool] = []

    def slow_index(runs, binary, name, pages, output, previous=None):
        threading.Event().wait(0.3)
        output.mkdir(parents=True, exist_ok=True)
        indexed.set()

    def lookup(site_, *args):
        made_after.append(indexed.is_set())
        return made(site_, *args)

    made = search_mod.extras
    monkeypatch.setattr(search_mod, "index_pages", slow_index)
    monkeypatch.setattr(search_mod, "extras", lookup)
    search_mod.Indexer(site).finish(root / "site")
    assert made_after == [True]
    assert (root / "site" / search_mod.INDEX_DIR / "shards.json").is_file()


def test_pagefind_runs_one_at_a_time_back_to_back_and_a_failed_run_stops_the_rest(tmp_path, monkeypatch):
    """One Pagefind process at a time (jobs=1), but the next starts as soon as the last has ended: a
    shard's files are written, and the next shards' lean pages rendered, while it runs. When a run
    fails, nothing more is rendered or started, a run already started is stopped, and build_index
    returns (no thread left waiting for a run that will not come)."""
    import subprocess
    import threading

    rendered: list[str] = []
    indexed: list[str] = []
    alive: list[int] = []  # Pagefind processes alive when one had started
    overlapped: list[int] = []  # alive while a shard's files were written
    lock = threading.Lock()

    def page(name: str):
        def render() -> str:
            with lock:
                rendered.append(name)
            return f"<html><body>{name}</body></html>"
        return render

    def fake_index(runs, binary, name, pages, output, previous=None):  # as index_pages: a process, then its files
        # Outlives the previous shard's 0.3 s of writing by far: a writer thread woken late must
        # still find the next run alive (with 0.3 s both, the margin was Python's start-up, ~30 ms).
        proc = runs.start([sys.executable, "-c", "import time; time.sleep(0.6)"], subprocess.DEVNULL)
        try:
            with lock:
                indexed.append(name)
                alive.append(len(runs.running))
            proc.wait()
        finally:
            runs.end(proc)
        if runs.stopped:
            raise search_mod.SearchIndexError(search_mod.STOPPED)
        if name == "s2":
            raise search_mod.SearchIndexError("Pagefind 建立索引失败（s2）：测试")
        threading.Event().wait(0.3)  # writing the files
        with lock:
            overlapped.append(len(runs.running))
        output.mkdir(parents=True, exist_ok=True)

    monkeypatch.setattr(search_mod, "index_pages", fake_index)
    monkeypatch.setattr(search_mod, "pagefind_binary", lambda: "pagefind")
    shards = [search_mod.Shard(f"s{i}", "decisions", 2026, pages={f"d/{i}/index.html": page(f"s{i}")})
              for i in range(8)]
    done = threading.Event()
    failed: list[BaseException] = []

    def go() -> None:
        try:
            search_mod.build_index(tmp_path / "index", shards, {}, jobs=1)
        except search_mod.SearchIndexError as exc:
            failed.append(exc)
        done.set()

    threading.Thread(target=go, daemon=True).start()
    assert done.wait(30), "build_index hung after a failed run"
    assert failed and "s2" in str(failed[0])
    assert max(alive) == 1  # never two Pagefind processes
    assert overlapped[:2] == [1, 1]  # s0's and s1's files were written while the next shard was indexed
    # s0 and s1 go to the pool's two workers at once: either may reach runs.start first.
    assert {"s0", "s1", "s2"} <= set(indexed) <= {"s0", "s1", "s2", "s3"}
    assert rendered == [f"s{i}" for i in range(len(rendered))] and len(rendered) <= 5  # none after the failure


def test_a_broken_search_template_fails_the_build_in_chinese_and_keeps_the_site(tree, tmp_path, monkeypatch, capsys):
    """The lean pages are rendered beside the page writers (build_index's renderer thread): a project's
    broken override of a search template still fails the build with its file and line, no traceback,
    no Pagefind left running, the previous site untouched."""
    root = tree("minimal")
    monkeypatch.setattr(logging.getLogger("mkdocs"), "handlers", [])
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    before = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    (root / "templates" / "search").mkdir(parents=True)
    (root / "templates" / "search" / "decision.html").write_text("<p>{{ d.case_no }}</p>\n{% if %}坏了",
                                                                 encoding="utf-8")
    scratch = tmp_path / "scratch"  # where the indexer's temporary folder goes
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    capsys.readouterr()
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert "templates/search/decision.html:2: 错误 模板有误" in err, err
    assert "Traceback" not in err
    assert list(scratch.iterdir()) == []
    after = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before
def test_a_shard_s_lean_pages_are_let_go_once_it_is_indexed(tmp_path, monkeypatch):
    """The lean pages of a county are ~90 MB: a shard's are freed once Pagefind has had them, not
    held (by the renderer's futures) until the whole index is built."""
    import gc
    import weakref

    class Lean:  # a lean page that can be watched for being freed (a str cannot be weakly referenced)
        pass

    made: dict[str, weakref.ref] = {}
    alive_at_last: list[str] = []

    def page(name: str):
        def render() -> Lean:
            lean = Lean()
            made[name] = weakref.ref(lean)
            return lean
        return render

    def fake_index(runs, binary, name, pages, output, previous=None):
        if name == "s7":
            gc.collect()
            alive_at_last.extend(n for n, ref in made.items() if ref() is not None)
        output.mkdir(parents=True, exist_ok=True)

    monkeypatch.setattr(search_mod, "index_pages", fake_index)
    monkeypatch.setattr(search_mod, "pagefind_binary", lambda: "pagefind")
    shards = [search_mod.Shard(f"s{i}", "decisions", 2026, pages={f"d/{i}/index.html": page(f"s{i}")})
              for i in range(8)]
    search_mod.build_index(tmp_path / "index", shards, {}, jobs=1)
    assert made.keys() == {f"s{i}" for i in range(8)}
    # s7's own, and those of a run still writing its files or rendered ahead: at most `ahead`'s
    # jobs + 2, whichever they are (a slow worker may still be on any earlier shard), never all eight
    assert "s7" in alive_at_last and len(alive_at_last) <= 3, alive_at_last


def test_index_jobs_set_to_zero_indexes_one_shard_at_a_time(tmp_path, monkeypatch):
    """DISCLOSE_INDEX_JOBS=0 (a clerk's "no parallelism") is one run at a time, not a limit of no
    Pagefind process at all, which left every run waiting for ever."""
    import subprocess
    import threading

    def fake_index(runs, binary, name, pages, output, previous=None):
        proc = runs.start([sys.executable, "-c", "pass"], subprocess.DEVNULL)
        try:
            proc.wait()
        finally:
            runs.end(proc)
        output.mkdir(parents=True, exist_ok=True)

    monkeypatch.setattr(search_mod, "index_pages", fake_index)
    monkeypatch.setattr(search_mod, "pagefind_binary", lambda: "pagefind")
    monkeypatch.setenv("DISCLOSE_INDEX_JOBS", "0")
    runs = search_mod.Runs()
    shards = [search_mod.Shard(f"s{i}", "decisions", 2026, pages={f"d/{i}/index.html": "<p>x</p>"}) for i in range(3)]
    done = threading.Event()
    manifest: list[dict] = []

    def go() -> None:
        try:
            manifest.append(search_mod.build_index(tmp_path / "index", shards, {}, runs=runs))
        finally:
            done.set()

    threading.Thread(target=go, daemon=True).start()
    if not done.wait(30):
        runs.stop()  # let the thread go
        pytest.fail("build_index hung with DISCLOSE_INDEX_JOBS=0")
    assert [s["name"] for s in manifest[0]["shards"]] == ["s0", "s1", "s2"]
    assert all((tmp_path / "index" / f"s{i}").is_dir() for i in range(3))


def test_index_files_are_written_by_their_own_process_and_its_failure_is_told(tmp_path):
    """search._write_index hands a shard's files to fsjobs.write_index in a process of its own; a
    path outside the shard is refused before, and a file the writer cannot make fails the shard
    with the writer's own words, never silently."""
    import base64

    def files(*pairs: tuple[str, bytes]) -> list[dict]:
        return [{"path": p, "content": base64.b64encode(b).decode()} for p, b in pairs]

    out = tmp_path / "shard"
    search_mod._write_index(out, files(("pagefind.js", b"js"), ("fragment/zh_1.pf_fragment", b"\x00\xff")))
    assert (out / "pagefind.js").read_bytes() == b"js"
    assert (out / "fragment/zh_1.pf_fragment").read_bytes() == b"\x00\xff"
    for bad in ("/etc/passwd", "../x", "fragment/../../x"):
        with pytest.raises(OSError, match="unexpected path"):
            search_mod._write_index(tmp_path / "other", files((bad, b"x")))
    assert not (tmp_path / "x").exists()
    with pytest.raises(OSError, match="Error"):  # a file where the writer needs a folder
        search_mod._write_index(tmp_path / "third", files(("fragment", b"x"), ("fragment/zh_2.pf_fragment", b"y")))


def test_the_scope_line_says_when_a_day_s_decisions_were_searched_only_in_part(page):
    """A day with more decisions than a shard holds spans two shards: after the newer one only,
    "作出日期在 D 及以后" would claim all of D's decisions were searched (search.js describe())."""
    rows = [("a0", f"decisions/a0/2026/d{i}/index.html", "2026-03-01" if i < 9 else f"2026-04-{i:02d}", "")
            for i in range(13)]
    rows += [("a0", f"decisions/a0/2026/e{i}/index.html", f"2026-05-{10 + i:02d}", "") for i in range(6)]
    listed = [s.manifest() for s in shards(rows, limit=6)]
    # The day 2026-03-01 spans the second and third shards.
    assert [(s["first"], s["last"]) for s in listed] == [
        ("2026-04-12", "2026-05-15"), ("2026-03-01", "2026-04-11"), ("2026-03-01", "2026-03-01")]
    page.goto(page.base + "search/")
    source = (ROOT / "templates/docs/assets/search.js").read_text(encoding="utf-8")
    describe = re.search(r"\n    function describe\(c\) \{.*?\n    }\n", source, re.S).group(0)

    def said(nd: int, sort: str) -> str:
        shown = listed if sort != "asc" else listed[::-1]
        return page.evaluate(
            "([m, nd, sort]) => { var CASE_NO = /$^/;" + describe +
            "return describe({answered: false, nd: nd, sort: sort, lookedUp: false, q: 'x',"
            " plan: {records: [], decisions: m, years: []}}); }", [shown, nd, sort])

    assert "作出日期在 2026-04-12 及以后的执法决定" in said(1, "")  # no day split at this edge
    assert "作出日期晚于 2026-03-01 的执法决定，以及 2026-03-01 当天的部分决定" in said(2, "")
    assert "作出日期在 2026-03-01 及以后" not in said(2, "")
    assert "作出日期早于 2026-03-01 的执法决定，以及 2026-03-01 当天的部分决定" in said(1, "asc")
    assert "作出日期在 2026-04-11 及以前的执法决定" in said(2, "asc")
