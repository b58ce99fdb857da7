"""The public experience in Debian's Chromium: journeys on a desktop and a 390×844 phone, no request
to any host but the site's own, accessibility (axe-core), reading without JavaScript.

Screenshots of the main pages are saved under tests/artifacts/ (ignored by git) for review.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest
from browser import chromium, search_done, serve

ROOT = Path(__file__).parent.parent
ARTIFACTS = Path(__file__).parent / "artifacts"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

# One page of every template.
PAGES = {
    "home": "",
    "agencies": "agencies/",
    "agency": "agencies/zonghe/",
    "officers": "agencies/zonghe/officers/",
    "powers": "agencies/zonghe/powers/",
    "power": "powers/330702cf003/",
    "benchmarks": "agencies/zonghe/benchmarks/",
    "decision-years": "agencies/zonghe/decisions/",
    "decision-list": "agencies/zonghe/decisions/2025/",
    "decision": "decisions/zonghe/2026/2026-07-21-011/",
    "withdrawn": "decisions/zonghe/2026/2026-09-08-007/",
    "decisions-index": "decisions/",
    "officers-index": "officers/",
    "powers-index": "powers/",
    "benchmarks-index": "benchmarks/",
    "search": "search/?q=和顺",
    "certificates": "certificates/?no=33070200011",
    "about": "about/",
    "downloads": "downloads/",
    "statistics": "statistics/2025/",
    "power-decisions": "powers/330702cf003/decisions/",
    "legal": "legal/",
    "sitemap": "sitemap/",
    "howto": "howto/",
}


@pytest.fixture(scope="module")
def site(example_built):
    with serve(example_built / "site") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(params=list(SIZES))
def page(request, browser, site):
    """A fresh page of the given size that fails the test on any request to another host."""
    context = browser.new_context(viewport=SIZES[request.param], locale="zh-CN")
    pg = context.new_page()
    pg.base = site
    pg.size = request.param
    pg.foreign = []
    own = urllib.parse.urlsplit(site).netloc
    pg.on("request", lambda r: pg.foreign.append(r.url)
          if urllib.parse.urlsplit(r.url).netloc not in (own, "") and not r.url.startswith("data:") else None)
    # The server sends the shipped nginx CSP header and every page carries its <meta> policy:
    # anything they block (an inline script, a stray style) shows up here and fails the test.
    pg.blocked = []
    pg.on("console", lambda m: pg.blocked.append(m.text) if "Content Security Policy" in m.text else None)
    pg.on("pageerror", lambda e: pg.blocked.append(f"page error: {e}"))
    yield pg
    assert pg.foreign == [], f"requests to other hosts: {pg.foreign}"
    assert pg.blocked == [], f"blocked by the Content-Security-Policy, or failed: {pg.blocked}"
    context.close()


def shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}-{pg.size}.png"), full_page=True)


def wait_search(pg) -> None:
    search_done(pg)


def test_find_a_decision_by_party_and_read_its_stamps(page):
    page.goto(page.base)
    shot(page, "home")
    if page.size == "phone":  # the header field is hidden on phones: the icon leads to the search page
        page.click(".dc-header-search__button")
        page.wait_for_url("**/search/**")
        page.fill("#dc-q", "和顺")
        page.press("#dc-q", "Enter")
    else:
        page.fill("#dc-header-q", "和顺")
        page.press("#dc-header-q", "Enter")
    wait_search(page)
    shot(page, "search")
    page.locator(".dc-result h2 a").first.click()
    page.wait_for_url("**/decisions/**/")
    assert "和顺" in page.text_content("article")
    stamps = page.locator(".dc-stamps")
    assert "最迟" in stamps.inner_text() and "（含当日）" in stamps.inner_text() and "行政复议" in stamps.inner_text()
    badge = stamps.locator(".dc-badge").first
    assert re.fullmatch(r"本机关(按时公开|逾期( \d+ 个工作日)?公开|逾期未公开.*)|待公开", badge.inner_text())  # text, not colour alone
    page.click("details.dc-explain summary")
    assert "依据" in page.inner_text("details.dc-explain")
    shot(page, "decision")


def test_browse_decisions_by_agency_and_year(page):
    page.goto(page.base + "agencies/")
    content = page.locator(".md-content")
    content.locator("a", has_text="示例县综合行政执法局").first.click()
    page.wait_for_url("**/agencies/zonghe/")
    content.locator("a", has_text="执法决定").first.click()
    page.wait_for_url("**/agencies/zonghe/decisions/")
    content.locator("a", has_text="2025").first.click()
    page.wait_for_url("**/agencies/zonghe/decisions/2025/")  # clicks navigate: wait before reading
    rows = page.locator("table.dc-table tbody tr")
    rows.first.wait_for()
    assert rows.count() > 0
    dates = rows.locator("td:nth-child(4)").all_inner_texts()
    assert dates and all(d.startswith("2025-") for d in dates)
    shot(page, "decision-list")


def test_filter_by_agency_and_year_in_search(page):
    page.goto(page.base + "search/")
    page.wait_for_selector("fieldset.dc-filter")
    page.check("input[id='dc-f-执法主体-示例县综合行政执法局']")
    wait_search(page)
    page.check("input[id='dc-f-年份-2025年']")
    wait_search(page)
    metas = page.locator(".dc-result__meta").all_inner_texts()
    assert metas and all("示例县综合行政执法局" in m and "2025-" in m for m in metas)


def test_look_up_a_certificate(page):
    page.goto(page.base)
    if page.size == "phone":
        page.click("label.md-header__button[for='__drawer']")
    page.click("nav.md-nav--primary >> text=执法证查询")
    page.fill("#dc-cert", "33070200011")
    page.press("#dc-cert", "Enter")
    page.locator("[data-dc-cert-result] table").first.wait_for()
    assert page.locator("[data-dc-cert-result] table").count() == 1
    assert "冯娜国" in page.inner_text("[data-dc-cert-result]")
    shot(page, "certificates")


def test_certificate_typed_before_the_script_arrives_is_kept_and_answered_once(page):
    """A slow connection: the reader types while search.js is still on its way, then presses Enter twice."""
    import time

    def slow(route):
        time.sleep(0.8)
        route.continue_()

    page.route("**/assets/search.js", slow)
    page.goto(page.base + "certificates/", wait_until="commit")
    page.fill("#dc-cert", "33070200011")
    page.wait_for_load_state("load")
    assert page.input_value("#dc-cert") == "33070200011"
    # Enter twice in one breath: the second lookup starts while the first still waits for its data
    page.evaluate("() => { const f = document.querySelector('form[data-dc-cert]'); f.requestSubmit(); f.requestSubmit(); }")
    page.locator("[data-dc-cert-result] table").first.wait_for()
    page.wait_for_timeout(500)  # let the other answer land: it must not add a second table
    assert page.locator("[data-dc-cert-result] table").count() == 1
    assert "冯娜国" in page.inner_text("[data-dc-cert-result]")


def test_power_item_leads_to_its_benchmark(page):
    page.goto(page.base + "powers/330702cf003/")
    shot(page, "power")
    page.click("text=zonghe-B003")
    page.wait_for_url("**/agencies/zonghe/benchmarks/#zonghe-b003")
    assert page.locator("#zonghe-b003").is_visible()


def test_tables_scroll_inside_their_box_on_phones(page):
    page.goto(page.base + "agencies/zonghe/decisions/2025/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, "the page itself must not scroll sideways"


def test_one_light_palette_and_no_dark_mode_toggle(page):
    page.goto(page.base)
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    assert page.locator("[data-md-component='palette']").count() == 0
    header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert header == "rgb(29, 78, 137)"  # the calm blue of assets/site.css, not Material's stock colour


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violations(browser, site, name):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN")
    pg = context.new_page()
    pg.goto(site + PAGES[name])
    if name == "search":
        wait_search(pg)
    if name == "certificates":
        pg.locator("[data-dc-cert-result] table").wait_for()
    assert pg.get_attribute("html", "lang") == "zh"
    result = Axe().run(pg)
    context.close()
    violations = [(v["id"], v["impact"], len(v["nodes"]), v["help"]) for v in result.response["violations"]]
    ARTIFACTS.mkdir(exist_ok=True)  # the lesser findings, for review
    (ARTIFACTS / f"axe-{name}.txt").write_text("\n".join(map(str, violations)) + "\n", encoding="utf-8")
    bad = [v for v in violations if v[1] in ("serious", "critical")]
    assert bad == [], bad


@pytest.mark.parametrize("name", ["decision", "decision-list", "agency", "officers", "power", "benchmarks", "home"])
def test_pages_read_without_javascript(browser, site, name):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(site + PAGES[name])
    text = pg.inner_text("article, .md-content")
    context.close()
    assert len(text) > 100
    if name == "decision":
        assert "最迟" in text and "（含当日）" in text and "行政复议" in text


def tab_to(pg, reached: str, presses: int) -> bool:
    """Press Tab until the JavaScript condition `reached` holds; False if it never does."""
    for _ in range(presses):
        pg.keyboard.press("Tab")
        if pg.evaluate(reached):
            return True
    return False


def test_keyboard_reaches_search_and_focus_is_visible(browser, site):
    context = browser.new_context(viewport=SIZES["desktop"])
    pg = context.new_page()
    pg.goto(site)
    if not tab_to(pg, "document.activeElement && document.activeElement.id === 'dc-header-q'", 30):
        pytest.fail("the header search field is not reachable with Tab")
    outline = pg.evaluate("getComputedStyle(document.activeElement).outlineStyle + ' ' + "
                          "getComputedStyle(document.activeElement).boxShadow")
    assert outline.split()[0] != "none" or "rgb" in outline, outline
    pg.keyboard.type("和顺")
    pg.keyboard.press("Enter")
    wait_search(pg)
    pg.keyboard.press("Tab")
    context.close()


def test_text_zoom_200_percent_keeps_content(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.goto(site + PAGES["decision"])
    pg.evaluate("document.documentElement.style.fontSize = '200%'")
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    assert pg.locator(".dc-stamps").is_visible()
    context.close()


def test_download_a_csv(page):
    page.goto(page.base + "decisions/")
    with page.expect_download() as info:
        page.click("#downloads ~ ul >> text=CSV >> nth=0")
    path = info.value.path()
    data = Path(path).read_bytes()
    header = data.decode("utf-8-sig").splitlines()[0]
    assert data.startswith(b"\xef\xbb\xbf") and "决定书文号" in header and "case_no" not in header  # Excel readers


def test_open_an_agencys_feed(page):
    page.goto(page.base + "agencies/zonghe/")
    link = page.locator(".md-content a", has_text="执法决定").last
    href = link.get_attribute("href")
    assert href.endswith("feeds/zonghe/decisions.xml")
    response = page.request.get(urllib.parse.urljoin(page.url, href))
    assert response.ok and "<feed" in response.text() and "示例县综合行政执法局" in response.text()


def test_larger_text_toggle_for_older_readers(browser, site):
    context = browser.new_context(viewport=SIZES["phone"])
    pg = context.new_page()
    pg.goto(site + PAGES["decision"])
    size = pg.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    pg.click("[data-dc-bigger]")
    assert pg.get_attribute("[data-dc-bigger]", "aria-pressed") == "true"
    bigger = pg.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert bigger >= size * 1.2
    pg.goto(site + PAGES["agency"])  # remembered on the next page
    assert pg.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == bigger
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    pg.size = "phone-bigger"
    shot(pg, "agency")
    context.close()


def test_sort_a_table_with_the_keyboard(browser, site):
    context = browser.new_context(viewport=SIZES["desktop"])
    pg = context.new_page()
    pg.goto(site + PAGES["decision-list"])
    if not tab_to(pg, "document.activeElement.tagName === 'TH'", 80):
        pytest.fail("no sortable column header reachable with Tab")
    column = pg.evaluate("Array.prototype.indexOf.call(document.activeElement.parentNode.children, document.activeElement)")
    cells = f"table.dc-sortable tbody tr td:nth-child({column + 1})"
    pg.keyboard.press("Enter")
    first = pg.locator(cells).all_inner_texts()
    assert pg.evaluate("document.activeElement.getAttribute('aria-sort')") == "ascending"
    pg.keyboard.press("Enter")
    assert pg.evaluate("document.activeElement.getAttribute('aria-sort')") == "descending"
    assert pg.locator(cells).all_inner_texts() == list(reversed(first))
    context.close()


def test_a_decision_prints_on_a4_without_navigation(browser, site):
    context = browser.new_context(viewport=SIZES["desktop"])
    pg = context.new_page()
    pg.goto(site + PAGES["decision"])
    pg.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    pg.emulate_media(media="print")
    assert not pg.locator(".md-header").is_visible() and not pg.locator(".md-sidebar--primary").is_visible()
    assert pg.locator(".dc-stamps").is_visible()
    assert pg.locator("details.dc-explain dd").first.is_visible()  # the computation is printed too
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = pg.pdf(format="A4", path=str(ARTIFACTS / "decision-print.pdf"))
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pdf.startswith(b"%PDF") and 1 <= pages <= 3, pages
    context.close()
