"""Render the public site: record pages (HTML fragments) and data exports.

Pages are produced as ready HTML and handed to MkDocs + Material, which adds
the chrome; Markdown is never run over record text, so nothing in a field can
become markup. Jinja2 autoescapes every value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from . import checks, csvfile, flowchart, identity, kinds, public, statistics
from .deadlines import LATE, MISSING, ON_TIME, PENDING, days_left
from .downloads import COLLECTIONS, headers
from .kinds import common
from .model import POWER_CATEGORIES
from .project import Entry, Project, record_slug


@dataclass
class Page:
    title: str
    html: str
    description: str = ""  # plain text for <meta name="description">: escaped where it is written


def page_url(uri: str) -> str:
    """The directory URL MkDocs gives a page (use_directory_urls)."""
    if uri == "index.md":
        return ""
    if uri.endswith("/index.md"):
        return uri[: -len("index.md")]
    return uri[: -len(".md")] + "/"


def relative(from_uri: str, to: str) -> str:
    """Link from one page to a page (…/x.md, optionally #anchor) or a file, relative so the site
    works under any prefix. Up to the root, then down: plain string work, as every page has dozens."""
    path, _, anchor = to.partition("#")
    target = page_url(path) if path.endswith(".md") else path
    return "../" * page_url(from_uri).count("/") + target + ("#" + anchor if anchor else "")


# The page being rendered, and its site (Site.render sets them; each thread has its own): the
# templates' `link` and `site` globals read them. Globals, not values passed with each page, so
# that `{% from "_macros.html" import … %}` need not be `with context`: Jinja then makes the macros
# once per environment instead of once per page (~3 % of a county's pages step, measured).
_RENDERING: ContextVar[tuple[Any, str]] = ContextVar("disclose_rendering")


def page_link(to: str) -> str:
    """A link from the page being rendered to `to` (see relative)."""
    return relative(_RENDERING.get()[1], to)


class _CurrentSite:
    """The site of the page being rendered, for the macros (an environment outlives a site in a preview)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_RENDERING.get()[0], name)


def template_dirs(project_root: Path, sub: str = "records") -> list[str]:
    dirs = []
    own = project_root / "templates" / sub
    if own.is_dir():  # an agency's repository may override any record template
        dirs.append(str(own))
    dirs.append(str(resources.files("generator.templates").joinpath(sub)))
    return dirs


def make_env(project_root: Path, sub: str = "records", compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """`compiled`: where compiled templates are kept between builds (cache.compiled_templates)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dirs(project_root, sub)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        # Profiled: checking every template's mtime on every get_template was ~5% of a county
        # build. An environment lives for one build (a preview makes a new Site per rebuild).
        auto_reload=False,
        bytecode_cache=compiled,
    )
    env.filters["money"] = money
    env.filters["d"] = lambda v: v.isoformat() if v else "—"
    env.globals.update(site=_CurrentSite(), link=page_link, public=public, pub_class=PUBLICATION_CLASS,
                       cert_class=CERT_CLASS)
    return env


def money(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} 元"


PUBLICATION_CLASS = {ON_TIME: "ok", LATE: "late", MISSING: "late", PENDING: "pending"}
CERT_CLASS = {"有效": "ok", "即将到期": "pending", "已过期": "late", "已失效": "late", "未生效": "pending"}


class Site:
    """Everything the templates need, computed once per build."""

    categories = POWER_CATEGORIES
    slug = staticmethod(record_slug)  # a power's page name and a benchmark's anchor
    tel = staticmethod(identity.tel)
    is_email = staticmethod(identity.is_email)
    flowchart = staticmethod(flowchart.svg)
    days_left = staticmethod(days_left)
    POWER_LIST = 5  # decisions listed on a power's page (a phone's screenful or two); more: a page of them all

    def __init__(self, project: Project, env: jinja2.Environment | None = None, masked: dict | None = None,
                 compiled: Callable[[str], jinja2.BytecodeCache | None] | None = None):
        """`env`: the record templates of an earlier Site of the same project, when they cannot have
        changed (a preview re-rendering a saved decision: compiling them again took ~0.2 s a save).
        `masked`: what masking changed in each decision, kept by the cache (public.view).
        `compiled`: an environment's name → where its compiled templates are kept (cache.compiled_templates)."""
        self.project = project  # for its configuration (site, rules, calendar, root): records come from the view
        self.today = project.today
        self.compiled = compiled or (lambda which: None)
        self.env = env or make_env(project.root, compiled=self.compiled("records"))
        self.view = public.view(project, masked)
        self.agencies = self.view.agencies
        self.powers = {p.code: (p, aid) for aid, a in self.agencies.items() for p, _ in a.powers}
        self.benchmarks = {b.id: (b, aid) for aid, a in self.agencies.items() for b, _ in a.benchmarks}
        self.officers = {o.certificate_no: (o, aid) for aid, a in self.agencies.items() for o, _ in a.officers}
        self._sources_html: dict[tuple, tuple] = {}  # see sources_html
        self.export_rows: dict[str, int] = {}  # rows of each data file written, for the 数据下载 page
        self.export_fields: dict[str, list[str]] = {}  # field path of each column of a CSV file written
        self.decision_rows_kept: list[dict[str, Any]] | None = None  # exports: site-wide rows, split per agency
        self._years: dict[str, dict[int, list[Entry]]] = {}  # see years
        self._counts: dict[str, tuple[int, int]] = {}  # see counts
        self._stats: dict[str, int] | None = None  # see stats
        self._by_power: dict[str, list] = defaultdict(list)  # looked up once per power page: 8,000 × 5,000 otherwise
        for b, _agency in self.benchmarks.values():
            self._by_power[b.power].append(b)
        self.shown: list[Entry] = self.view.shown
        self.by_agency: dict[str, list[Entry]] = {aid: a.decisions for aid, a in self.agencies.items()}
        self.withheld = self.view.withheld
        # Decisions under each power item, newest first (the view is): a withdrawn one is only its notice.
        self.by_power: dict[str, list[Entry]] = defaultdict(list)
        for e in self.shown:
            if not public.is_withdrawn(e) and e.decision.power:
                self.by_power[e.decision.power].append(e)

    def sources_html(self, c: Any, link: Any, unverified: bool = True) -> markupsafe.Markup:
        """The "依据" line of a stamp: each source the rule version cites, linked to its entry on the
        法律依据 page, and the passage quoted. The same few rule versions are cited by tens of
        thousands of pages, all at a handful of folder depths: built once per version and depth."""
        href = link("legal/index.md")
        key = (id(c.applied), href, unverified)
        found = self._sources_html.get(key)
        if found is None:
            parts = []
            for src, p in c.citations():
                quote = markupsafe.Markup('<a href="{}#{}">{}</a>{}：“{}”').format(
                    href, src.id, src.cite_title(), p.article or "", p.text)
                if unverified and not p.verified:
                    quote += markupsafe.Markup("（未能与原文逐字核对）")
                parts.append(quote)
            # keyed by id(): the rule version is kept alive with it, so the id is never reused
            found = self._sources_html[key] = (markupsafe.Markup("；").join(parts), c.applied)
        return found[0]

    # ------------------------------------------------------------ URIs

    @staticmethod
    def agency_uri(agency_id: str, part: str = "index") -> str:
        return f"agencies/{agency_id}/{part}.md"

    def power_uri(self, code: str) -> str:
        return f"powers/{record_slug(code)}.md"

    def benchmark_uri(self, bench_id: str) -> str:
        agency = self.benchmarks[bench_id][1]
        return f"agencies/{agency}/benchmarks.md#{record_slug(bench_id)}"

    @staticmethod
    def decision_uri(entry: Entry) -> str:
        return f"decisions/{entry.agency}/{entry.year}/{entry.slug}.md"

    @staticmethod
    def year_uri(agency_id: str, year: int) -> str:
        return f"agencies/{agency_id}/decisions/{year}.md"

    @staticmethod
    def record_uri(kind: str, item: Any) -> str:
        """The page of a public supervision record: a notice by year, a plan's 整改进展 by its file name."""
        if kind == "notice":
            return f"supervision/notices/{item.record.issued_on.year}/{item.slug}.md"
        return f"supervision/plans/{item.slug}.md"

    @property
    def supervision(self) -> public.SupervisionView:
        """The public part of the supervisor's view, computed once (pages, the 执法监督 page, the JSON export)."""
        if not hasattr(self, "_supervision"):
            self._supervision = public.supervision(self.project, self.view)
        return self._supervision

    @property
    def annual(self) -> list:
        """The annual figures (statistics.years), computed once: the statistics pages and their
        CSV files show the same (~0.3 s a county each time)."""
        if not hasattr(self, "_annual"):
            self._annual = statistics.years(self.project, self.today)
        return self._annual

    @property
    def supervision_page(self) -> bool:
        return bool(self.project.site and self.project.site.supervision_page)

    def power_decisions_uri(self, code: str) -> str:
        return f"powers/{record_slug(code)}/decisions.md"

    # ------------------------------------------------------------ pages

    def render(self, uri: str, template: str, title: str, **ctx: Any) -> Page:
        token = _RENDERING.set((self, uri))
        try:
            html = self.env.get_template(template).render(site=self, uri=uri, title=title, **ctx)
        finally:
            _RENDERING.reset(token)
        return Page(title, html, self.description(template, title, ctx))

    @property
    def title(self) -> str:
        return self.project.site.title if self.project.site else "行政执法公示"

    def description(self, template: str, title: str, ctx: dict[str, Any]) -> str:
        """One sentence saying what the page holds, for search engines and shared links (plain text)."""
        site = self.title
        if template == "decision.html":
            d, a = ctx["d"], ctx["a"].agency
            what = "、".join(d.penalty_types) if d.penalty_types else d.kind
            fine = f"，罚款 {money(d.fine)}" if d.fine is not None else ""
            return f"{a.name}对{public.party_name(d)}作出的{d.kind}决定（{d.case_no}）：{what}{fine}。作出日期 {d.decided_on}。"
        if template == "withdrawn.html":
            d, a = ctx["e"].decision, ctx["a"].agency
            return f"撤回公告：{a.name}作出的{d.kind}决定（{d.case_no}）已被依法{d.status}，原公示信息已撤回。"
        if template == "power.html":
            p = ctx["p"]
            return f"{ctx['a'].agency.name}的{p.category}事项“{p.name}”（{p.code}）：执法依据、执法程序、责任事项和作出的决定。"
        if template == "agency.html":
            return f"{title}：主体信息、执法人员、权责清单、裁量基准、执法决定、投诉举报渠道和救济途径。"
        if template == "home.html":
            region = self.project.site.region if self.project.site and self.project.site.region else "本地区"
            return (f"{site}：公开{region}行政执法主体的执法人员、权责清单、裁量基准和执法决定，"
                    f"数据截至 {self.today.isoformat()}。")
        return f"{site} · {title}：{DESCRIPTIONS.get(template, '行政执法公示信息')}。"

    def pages(self) -> dict[str, Page]:
        """Every page rendered (small sites, tests); builds stream `specs()` instead."""
        return {uri: self.render(uri, template, title, **ctx) for uri, template, title, ctx in self.specs()}

    def specs(self) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """(uri, template, title, context) of every page, rendered on demand so a county's
        tens of thousands of pages never sit in memory at once."""
        yield "index.md", "home.html", self.title, {}
        yield "agencies/index.md", "agencies.html", "执法主体", {}
        yield "officers/index.md", "officers_index.html", "执法人员", {}
        yield "powers/index.md", "powers_index.html", "权责清单", {}
        yield "benchmarks/index.md", "benchmarks_index.html", "裁量基准", {}
        yield "decisions/index.md", "decisions_index.html", "执法决定", {}
        yield "search/index.md", "search.html", "搜索", {}
        yield "certificates/index.md", "certificates.html", "执法证查询", {}
        yield "downloads/index.md", "downloads.html", "数据下载", {"listing": None, "collections": COLLECTIONS}
        yield "legal/index.md", "legal.html", "法律依据", {}  # the register of legal sources (generator/rules.py)
        yield "sitemap/index.md", "sitemap.html", "网站地图", {}
        for aid, data in self.agencies.items():
            name = data.agency.name
            yield self.agency_uri(aid), "agency.html", name, {"a": data}
            yield self.agency_uri(aid, "officers"), "officers.html", f"{name} · 执法人员", {"a": data}
            yield self.agency_uri(aid, "powers"), "powers.html", f"{name} · 权责清单", {"a": data,
                                                                                     "categories": POWER_CATEGORIES}
            yield self.agency_uri(aid, "benchmarks"), "benchmarks.html", f"{name} · 裁量基准", {"a": data}
            years = self.years(aid)
            yield (self.agency_uri(aid, "decisions/index"), "decision_years.html", f"{name} · 执法决定",
                   {"a": data, "years": years})
            for year, entries in years.items():
                yield (self.year_uri(aid, year), "decision_list.html", f"{name} · {year}年执法决定",
                       {"a": data, "year": year, "entries": entries})
            for power, _src in data.powers:
                yield self.power_uri(power.code), "power.html", power.name, {"a": data, "p": power}
                if len(self.by_power.get(power.code, ())) > self.POWER_LIST:
                    yield (self.power_decisions_uri(power.code), "power_decisions.html",
                           f"{power.name} · 执法决定", {"a": data, "p": power})
        for entry in self.shown:
            a = self.agencies[entry.agency]
            if public.is_withdrawn(entry):
                yield (self.decision_uri(entry), "withdrawn.html", f"{entry.decision.case_no}（已撤回）",
                       {"a": a, "e": entry})
            else:
                yield self.decision_uri(entry), "decision.html", entry.decision.case_no, {"a": a, "e": entry,
                                                                                          "d": entry.decision}
        for kind in kinds.KINDS.values():  # pages a kind brings itself: public supervision records
            if kind.pages is not None:
                yield from kind.pages(self)
        # Last: these look at every decision, and a preview stops before them when it can.
        stats = self.annual
        yield "statistics/index.md", "statistics_index.html", "年度数据", {"stats": stats}
        for y in stats:
            # supervision figures beside the enforcement ones, where the county shows its 执法监督 page
            oversight = statistics.oversight(self.project, self.today, y.year) if self.supervision_page else None
            yield f"statistics/{y.year}.md", "statistics_year.html", f"{y.year}年行政执法数据", {
                "y": y, "buckets": statistics.BUCKETS, "yuan": statistics.yuan, "charts": self.charts(y),
                "states": statistics.STATES, "public_fines": self.public_fines(y.year), "oversight": oversight,
                "oversight_labels": statistics.OVERSIGHT_LABELS}
        if self.supervision_page:
            found, hidden = public.findings(checks.findings(self.project, self.today), self.project, self.view)
            legend = sorted({(f.code, f.rule, f.citation) for f in found})
            yield "supervision/index.md", "supervision.html", "执法监督", {
                "found": found, "groups": checks.group(found), "legend": legend, "hidden": hidden,
                "rates": checks.publication_rates(self.project, self.today), "sv": self.supervision}

    def years(self, agency_id: str) -> dict[int, list[Entry]]:
        """An agency's decisions shown, by year, newest first: asked for by several pages and their
        keys, made once (read-only; the view never changes under a Site)."""
        found = self._years.get(agency_id)
        if found is None:
            years: dict[int, list[Entry]] = defaultdict(list)
            for e in self.by_agency.get(agency_id, []):
                years[e.year].append(e)
            found = self._years[agency_id] = dict(sorted(years.items(), reverse=True))
        return found

    def benchmarks_for_power(self, code: str) -> list:
        return self._by_power.get(code, [])

    def agency_name(self, agency_id: str) -> str:
        data = self.agencies.get(agency_id)
        return data.agency.name if data else agency_id

    def body_key(self, written: str) -> str:
        """A body as staff wrote it (an agency's id or full name, or another body's name), as counted."""
        return common.body_key(self.project, written)

    def stats(self) -> dict[str, int]:
        """The site's totals (every page's footer asks: counted once, as `counts` is)."""
        if self._stats is None:
            self._stats = self._count_all()
        return dict(self._stats)

    def _count_all(self) -> dict[str, int]:
        notices = sum(public.is_withdrawn(e) for e in self.shown)
        return {
            "agencies": len(self.agencies),
            "officers": len(self.officers),
            "powers": len(self.powers),
            "benchmarks": len(self.benchmarks),
            "decisions": len(self.shown) - notices,
            "notices": notices,  # withdrawn decisions: only their notice is shown (and exported)
            "withheld": sum(self.withheld.values()),
        }

    def counts(self, agency_id: str) -> tuple[int, int]:
        """(decisions shown in full, withdrawal notices) of an agency: counted apart everywhere, so
        that the figures on every page add up to the home page's and the data files'."""
        found = self._counts.get(agency_id)
        if found is None:
            entries = self.by_agency.get(agency_id, [])
            notices = sum(public.is_withdrawn(e) for e in entries)
            found = self._counts[agency_id] = (len(entries) - notices, notices)
        return found

    def public_fines(self, year: int) -> Any:
        """Fines of the decisions of a year the site shows in full: what the data files add up to
        (all years added up in one pass: each year's page asked for its own over every decision)."""
        from decimal import Decimal

        if not hasattr(self, "_public_fines"):
            fines: dict[int, Decimal] = defaultdict(Decimal)
            for e in self.shown:
                if e.decision.fine is not None and not public.is_withdrawn(e):
                    fines[e.year] += Decimal(repr(float(e.decision.fine)))
            self._public_fines = fines
        return self._public_fines.get(year, Decimal(0))

    def charts(self, y: Any) -> dict[str, str]:
        names = {aid: self.agency_name(aid) for aid in y.agencies}
        return {
            "kinds": statistics.bar_chart(f"{y.year}年执法决定数量（按类别）",
                                          [(b, y.total.kinds[b]) for b in statistics.BUCKETS], " 份"),
            "rates": statistics.bar_chart(f"{y.year}年各执法主体按时公开率",
                                          [(names[a], f.rate) for a, f in y.agencies.items() if f.rate is not None],
                                          "%", 100),
            "penalties": statistics.bar_chart(f"{y.year}年行政处罚种类", list(y.total.penalties.most_common()), " 次"),
        }

# What a page of each template holds, for its meta description.
DESCRIPTIONS = {
    "agencies.html": "本站公开的全部行政执法主体及其执法人员、权责事项和执法决定数量",
    "officers_index.html": "各执法主体的执法人员、执法证号、执法类别、证件有效期和证件状态",
    "officers.html": "执法人员、执法证号、执法类别、证件有效期和证件状态",
    "powers_index.html": "各执法主体的权责清单：事项编码、名称、类别和执法依据",
    "powers.html": "权责清单：事项编码、名称、类别和执法依据",
    "power_decisions.html": "按这一权责事项作出的全部执法决定，新的在前",
    "benchmarks_index.html": "各执法主体的行政裁量权基准",
    "benchmarks.html": "行政裁量权基准：违法行为、裁量阶次、适用情形和罚款幅度",
    "decisions_index.html": "按执法主体和年份查看执法决定，最新公开的决定，订阅和数据下载",
    "decision_years.html": "按年份列出的执法决定",
    "decision_list.html": "这一年公开的执法决定：文号、当事人、类别、作出日期和公开情况",
    "search.html": "按文号、当事人、信用代码、执法人员、执法证号、权责事项查找",
    "certificates.html": "输入执法证号，查看持证人、执法主体、执法类别、有效期和证件状态",
    "downloads.html": "执法决定、执法人员、权责清单、裁量基准和执法主体的 CSV、JSON 数据及数据字典",
    "legal.html": "本站计算期限和监督发现所依据的法律、法规、规章和文件原文",
    "sitemap.html": "本站全部栏目和各执法主体的页面",
    "statistics_index.html": "各年度行政执法总体情况数据",
    "statistics_year.html": "本年度各执法主体作出的执法决定数量、罚款没收金额、撤回数和按时公开率",
    "supervision.html": "行政执法监督：按时公开率和自动检查发现的问题",
}


def flatten(obj: Any, prefix: str = "") -> dict[str, str]:
    """One CSV cell per leaf: party.name, stamps.publish_by, basis.0.law …; lists of text joined by 、."""
    out: dict[str, str] = {}
    if isinstance(obj, dict):
        for key, value in obj.items():
            out.update(flatten(value, f"{prefix}{key}."))
    elif isinstance(obj, list) and all(not isinstance(v, dict | list) for v in obj):
        out[prefix[:-1]] = "、".join(str(v) for v in obj)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            out.update(flatten(value, f"{prefix}{i}."))
    else:
        out[prefix[:-1]] = "" if obj is None else ("是" if obj is True else "否" if obj is False else str(obj))
    return out


_flat_memo: dict[int, tuple[dict, dict[str, str]]] = {}


def _flat(item: dict[str, Any]) -> dict[str, str]:
    """Flatten once per row object: a decision row is written site-wide and again for its agency."""
    hit = _flat_memo.get(id(item))
    if hit is not None and hit[0] is item:
        return hit[1]
    flat = flatten(item)
    if len(_flat_memo) > 200_000:
        _flat_memo.clear()
    _flat_memo[id(item)] = (item, flat)
    return flat


def to_csv(items: list[dict[str, Any]], model: Any = None, fields: list[str] | None = None) -> bytes:
    """CSV of exported rows. With the record `model`, the header is in Chinese (downloads.headers):
    the file is read in Excel by people; the JSON twin keeps the contract's field names. `fields`,
    when given, receives the field path of each column (for the data dictionary)."""
    flat = [_flat(item) for item in items]
    columns: dict[str, None] = {}
    for row in flat:
        columns.update(dict.fromkeys(row))
    paths = list(columns)
    if fields is not None:
        fields[:] = paths
    header = headers(model, paths) if model is not None else paths
    # BOM, CRLF, formula-looking cells neutralised
    return csvfile.to_bytes(header, ([row.get(c) for c in paths] for row in flat))
