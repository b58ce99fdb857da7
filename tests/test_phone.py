"""Every page template on a 390×844 phone and a 1280×800 desktop, in Debian's Chromium: no table cell
outside the screen, no sideways scrolling, no console error; the footer's government identity; the
deadline stamps in plain words, the agency's lateness as the agency's; the statistics' figures never
running together. One site, built once for the module: the example county with the identity
fixture's site.yaml (every identity field, a logo and a favicon, the 执法监督 page on) and a local
deadline rule (the 法律依据 page's table of local rules).

Screenshots of every template at both sizes are saved under tests/artifacts/templates/ (ignored by git).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest
import yaml
from browser import chromium, search_done, serve

from generator.cli import main

ROOT = Path(__file__).parent.parent
IDENTITY = Path(__file__).parent / "fixtures" / "gov-identity"
LOCAL = Path(__file__).parent / "fixtures" / "local-stricter" / "site_config"
ARTIFACTS = Path(__file__).parent / "artifacts" / "templates"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
TODAY = dt.date(2026, 11, 23)

# One page of every template (generator/render.py specs, the Markdown pages, the 404 page).
PAGES = {
    "home": "",
    "agencies": "agencies/",
    "agency": "agencies/zonghe/",
    "officers": "agencies/zonghe/officers/",
    "powers": "agencies/zonghe/powers/",
    "benchmarks": "agencies/zonghe/benchmarks/",
    "decision-years": "agencies/zonghe/decisions/",
    "decision-list": "agencies/zonghe/decisions/2025/",
    "power": "powers/330702cf003/",
    "power-decisions": "powers/330702cf003/decisions/",
    "decision": "decisions/zonghe/2026/2026-07-21-011/",
    "withdrawn": "decisions/zonghe/2026/2026-09-08-007/",
    "decisions-index": "decisions/",
    "officers-index": "officers/",
    "powers-index": "powers/",
    "benchmarks-index": "benchmarks/",
    "search": "search/?q=和顺",
    "certificates": "certificates/?no=33070200011",
    "downloads": "downloads/",
    "statistics-index": "statistics/",
    "statistics": "statistics/2026/",
    "legal": "legal/",
    "supervision": "supervision/",
    "sitemap": "sitemap/",
    "howto": "howto/",
    "about": "about/",
    "guide": "guide/",
    "404": "404.html",
}

# Every table cell that is drawn (closed <details> opened first) must lie inside the viewport.
OUTSIDE = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const width = document.documentElement.clientWidth, out = [];
  let cells = 0;
  for (const c of document.querySelectorAll('td, th')) {
    const r = c.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    cells++;
    if (r.left < -1 || r.right > width + 1) out.push(`${c.textContent.trim().slice(0, 24)} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
  }
  return {scroll: document.documentElement.scrollWidth - width, cells, out};
}"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("phone") / "county"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(IDENTITY / "site_config", root / "site_config")
    shutil.copy(ROOT / "site_config/calendar.yaml", root / "site_config/calendar.yaml")
    # A local rule stricter than the national one (penalties published within 5 working days from
    # 2026): the 法律依据 page then has its table of local rules, which must fit a phone too.
    for name in ("rules.yaml", "sources.yaml"):
        shutil.copy(LOCAL / name, root / "site_config" / name)
    assert main(["build", "--project", str(root), "--today", TODAY.isoformat()]) == 0
    return root


@pytest.fixture(scope="module")
def site(built):
    with serve(built / "site") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(params=list(SIZES))
def page(request, browser, site):
    """A page of the given size that records every console error, page error, failed request and
    request to another host."""
    context = browser.new_context(viewport=SIZES[request.param], locale="zh-CN")
    pg = context.new_page()
    pg.base, pg.size, pg.errors = site, request.param, []
    own = urllib.parse.urlsplit(site).netloc
    pg.on("console", lambda m: pg.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(f"page error: {e}"))
    pg.on("requestfailed", lambda r: pg.errors.append(f"request failed: {r.url}"))
    pg.on("response", lambda r: pg.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    pg.on("request", lambda r: pg.errors.append(f"request to another host: {r.url}")
          if urllib.parse.urlsplit(r.url).netloc not in (own, "") and not r.url.startswith("data:") else None)
    yield pg
    context.close()


def visit(pg, name: str) -> None:
    pg.goto(pg.base + PAGES[name])
    if name == "search":
        search_done(pg)
    if name == "certificates":
        pg.locator("[data-dc-cert-result] table").first.wait_for()


def test_every_template_fits_the_screen_without_errors(page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems, measured = [], 0
    for name in PAGES:
        page.errors.clear()
        visit(page, name)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{page.size}.png"), full_page=True)
        found = page.evaluate(OUTSIDE)
        measured += found["cells"]
        if found["scroll"] > 1:
            problems.append(f"{name}: the page scrolls sideways by {found['scroll']} px")
        if found["out"]:
            problems.append(f"{name}: table cells outside the screen: {found['out'][:4]}")
        if page.errors:
            problems.append(f"{name}: {page.errors}")
    assert measured > 500  # the measure reached the tables: statistics, lists, the data dictionary …
    assert problems == [], "\n".join(problems)


def test_statistics_figures_never_run_together(page):
    page.goto(page.base + PAGES["statistics"])
    cells = page.locator("table.dc-stats tbody td")
    assert cells.count() == 44
    looks = page.evaluate("""() => Array.from(document.querySelectorAll('table.dc-stats tbody td')).map(td => {
        const s = getComputedStyle(td), before = getComputedStyle(td, '::before').content;
        return {label: before, border: parseFloat(s.borderLeftWidth), pad: parseFloat(s.paddingLeft),
                top: Math.round(td.getBoundingClientRect().top)}; })""")
    if page.size == "phone":  # a card: every figure on its own line, after its label
        assert all(c["label"] not in ("none", "normal", '""') for c in looks), looks[:3]
        tops = [c["top"] for c in looks]
        assert len(set(tops)) == len(tops), "two figures share a line"
    else:  # a table: every figure in a bordered, padded cell of its own
        assert all(c["border"] >= 1 and c["pad"] >= 4 for c in looks), looks[:3]


def test_record_pages_use_the_whole_width_on_a_desktop(browser, site):
    context = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN")
    pg = context.new_page()
    for name in ("home", "decision", "decisions-index", "statistics", "power", "legal"):
        pg.goto(site + PAGES[name])
        assert not pg.locator(".md-sidebar--secondary").is_visible(), name  # no empty right-hand column
        width = pg.evaluate("document.querySelector('.md-content').getBoundingClientRect().width")
        assert width > 850, (name, width)
    context.close()


def test_footer_shows_the_site_s_identity_and_its_own_logo(page):
    site_yaml = yaml.safe_load((IDENTITY / "site_config/site.yaml").read_text(encoding="utf-8"))
    for name in ("home", "decision", "404"):
        visit(page, name)
        footer = page.inner_text(".md-footer")
        for key, label in (("sponsor", "主办单位："), ("organizer", "承办单位："), ("site_code", "网站标识码：")):
            assert label + site_yaml[key] in footer, (name, key)
        for key in ("icp", "police_record"):
            assert site_yaml[key] in footer, (name, key)
        for link in ("网站地图", "纠错 / 意见反馈", "怎样查询"):
            assert page.locator(".md-footer a", has_text=link).count() == 1, (name, link)
        assert page.locator(".md-footer a", has_text=site_yaml["icp"]).get_attribute("href") == "https://beian.miit.gov.cn/"
        logo = page.locator(".md-header img")
        assert logo.get_attribute("alt") == site_yaml["title"]
        assert page.evaluate("document.querySelector('.md-header img').naturalWidth") == 96  # it loaded
        assert not page.locator("[data-md-component='palette']").count()  # no dark-mode toggle
    icon = page.locator("link[rel='icon']").get_attribute("href")
    assert icon.endswith("assets/identity/favicon.ico")
    assert page.request.get(urllib.parse.urljoin(page.url, icon)).ok
    page.click(".md-footer a:text('网站地图')")
    page.wait_for_url("**/sitemap/")
    assert page.locator(".md-content a", has_text="示例县综合行政执法局").count() == 1
    assert page.errors == []


def text_of(pg) -> str:
    return re.sub(r"[ \t\r\n]+", " ", pg.inner_text("article.dc-record"))


def test_stamps_say_it_plainly(page):
    visit(page, "decision")
    stamps = re.sub(r"[ \t\r\n]+", " ", page.inner_text(".dc-stamps"))
    # 2026-07-21 (Tuesday) + 5 working days under the local rule: 22, 23, 24, 27, 28 July
    assert "最迟 2026-07-28（含当日）在网上公开，期限 5个工作日" in stamps
    assert re.search(r"行政复议 当事人不服的，最迟 2026-09-21（含当日）向 示例县人民政府.*申请行政复议 已届满", stamps)
    left = (dt.date(2027, 1, 25) - TODAY).days
    assert re.search(rf"最迟 2027-01-25（含当日）向 示例县人民法院.*提起行政诉讼 未届满，还有 {left} 天", stamps)
    assert "是否届满按本页生成之日 2026-11-23 计算" in stamps
    assert "暂定：2027 年的节假日安排本站还没有收录" in stamps  # explained where it shows, not folded away
    assert "公示至 2027-07-21（1年）" in stamps and "过了这一天就从网站撤下；它不是处罚持续的时间" in stamps
    assert page.locator(".dc-stamps a[href^='tel:']").count() == 2  # 复议机关 and court, tappable
    # on a phone the party, the decision and the amount come first, on the first screen; the deadlines after
    summary = page.locator(".dc-summary").bounding_box()
    assert summary["y"] < 844 and summary["y"] < page.locator(".dc-stamps").bounding_box()["y"]
    assert page.locator(".dc-summary th").all_inner_texts() == ["当事人", "决定内容", "处罚种类", "罚款金额"]


def working_days_after(start: dt.date, end: dt.date) -> int:
    """Counted here with chinesecalendar directly, not through the generator."""
    import chinese_calendar

    return sum(chinese_calendar.is_workday(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1))


def test_lateness_is_the_agency_s_and_never_beside_the_party_as_theirs(page, built):
    html_pages = list((built / "site/decisions").rglob("index.html"))
    shown_late = [p for p in html_pages if "本机关逾期" in p.read_text(encoding="utf-8")]
    assert shown_late, "the example county has a decision published late"
    url = shown_late[0].parent.relative_to(built / "site").as_posix() + "/"
    page.goto(page.base + url)
    stamps = re.sub(r"[ \t\r\n]+", " ", page.inner_text(".dc-stamps"))
    due, published = re.search(r"最迟 (\d{4}-\d\d-\d\d)（含当日）在网上公开.*实际公开 (\d{4}-\d\d-\d\d)", stamps).groups()
    n = working_days_after(dt.date.fromisoformat(due), dt.date.fromisoformat(published))
    assert n > 0 and f"本机关逾期 {n} 个工作日公开" in stamps
    assert "这是执法机关公开晚了，与当事人无关" in stamps
    assert "逾期" not in page.inner_text(".dc-summary")  # the party's lines say nothing of it
    # Nowhere a bare 逾期公开 that could read as the party's doing: lists and pages say 本机关.
    for path in [*html_pages, *(built / "site/agencies").rglob("index.html"), built / "site/index.html",
                 *(built / "site/powers").rglob("index.html")]:
        text = re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))
        assert not re.search(r"(?<!本机关)逾期", text), path


def test_withdrawn_entries_say_withdrawn_and_lists_give_them_no_verdict(page):
    visit(page, "withdrawn")
    notice = page.inner_text(".dc-notice")
    assert "撤回公告" in notice and "公示已撤回" in notice and "决定已撤销" in notice
    visit(page, "decisions-index")
    rows = page.locator("table.dc-sortable tbody tr", has=page.locator("a[href*='2026-09-08-007']"))
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert "公示已撤回" in row and "决定已撤销" in row and "按时" not in row and "逾期" not in row


def test_a_power_item_lists_its_decisions_and_draws_its_procedure(page):
    visit(page, "power")
    rows = page.locator("table.dc-sortable tbody tr")
    assert rows.count() == 5
    dates = [d.strip() for d in rows.locator("td:nth-child(4)").all_inner_texts()]
    assert dates == sorted(dates, reverse=True)  # most recent first
    page.click("text=查看全部 7 份")
    page.wait_for_url("**/powers/330702cf003/decisions/")
    assert page.locator("table.dc-sortable tbody tr").count() == 7
    visit(page, "power")
    chart = page.locator("svg.dc-flow")
    assert chart.get_attribute("role") == "img"
    title = chart.locator("title").text_content()
    steps = page.locator(".dc-flow-text li").all_text_contents()
    assert len(steps) > 2 and all(step in title for step in steps)  # the text equivalent says every step
    assert chart.bounding_box()["width"] <= SIZES[page.size]["width"]
