"""The search index: lean copies of the public records, indexed by Pagefind in shards.

Pagefind reads HTML. Feeding it the finished pages would make it parse the
whole Material frame of every page; instead each record gets a lean page
(title, filters, masked text), handed to Pagefind over a pipe under its site
path (…/index.html), so result URLs are the real ones. The pages are split
into shards of at most SHARD_PAGES: each Pagefind run stays small in memory,
runs on the second core beside the page writers, and the browser loads the shards it
needs (newest decisions first; one agency's shards when filtering by agency).
Expired, withheld and draft records never get a lean page; a withdrawn
decision gets one holding only its withdrawal notice (what its public page
shows); a supervision notice or plan gets one only when it says `public: true`
(its page is public).

Beside Pagefind's own files (pagefind/):
- shards.json: the shards, for the browser to plan its loading;
- exact/<n>.json: every whole 文号, party name, credit code, officer name,
  certificate number, power code and benchmark id → its records, in buckets by
  hash, so that an exact query is answered from every year with one small file;
- counts.json: how many records each combination of filter values holds, so
  that browsing without a query shows counts of records, all years included;
- <records shard>/sections.json: where each record starts inside the lean
  pages that hold many (officers, power items, benchmarks: one page per agency
  and category), so the browser counts matching records, not pages, without
  fetching those pages.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import public
from .cache import INDEX_DIR
from .heap import no_gc
from .render import Site, make_env, page_url
from .textkey import normalize

SHARD_PAGES = 2500  # measured: ~1 s and ~150 MB per Pagefind run
EXACT_DIR = "exact"
BUCKET_BYTES = 16_000  # an exact lookup fetches one bucket file of about this size (~4 KB gzipped)

KIND_DECISION, KIND_POWER, KIND_OFFICER, KIND_BENCHMARK = "执法决定", "权责事项", "执法人员", "裁量基准"
KIND_NOTICE = "撤回公告"  # a withdrawn decision: only its notice is public
LISTS = "lists"  # a lean page made of an agency and its officers, powers or benchmarks (lean_pages' `source`)
# A supervision notice or a plan's 整改进展 marked `public: true` (its 类别: the notice's kind, or PROGRESS).
KIND_SUPERVISION, PROGRESS = "执法监督", "整改进展"
FILTERS = ("类型", "执法主体", "类别", "年份", "公开状态")  # the facets, in the order the search page shows them

def hash32(text: str) -> int:
    """CRC-32 of the normalized text's UTF-8 (zlib's, in C: 150,000 keys in a county); assets/search.js
    computes the same."""
    return zlib.crc32(normalize(text).encode("utf-8"))


def token(text: str) -> str:
    """An exact-match word for a whole 文号, party name or credit code (base 36). Pagefind indexes it
    from the page's metadata, never its text, so it can not show in an excerpt."""
    h, digits, out = hash32(text), "0123456789abcdefghijklmnopqrstuvwxyz", ""
    while True:
        h, r = divmod(h, 36)
        out = digits[r] + out
        if not h:
            break
    return "x" + out


@dataclass
class Shard:
    name: str
    kind: str  # "decisions" or "records"
    year: int | None
    first: str | None = None  # decisions: the earliest and latest date held
    last: str | None = None
    agencies: set[str] = field(default_factory=set)
    pages: dict[str, Any] = field(default_factory=dict)  # site path (…/index.html) → lean HTML, or what renders it

    def manifest(self) -> dict:
        """This shard's entry in pagefind/shards.json, which the browser plans its loading from."""
        return {"name": self.name, "kind": self.kind, "year": self.year, "first": self.first, "last": self.last,
                "agencies": sorted(self.agencies), "pages": len(self.pages)}

    def members(self) -> tuple[str, ...]:
        return tuple(sorted(self.pages))

    def html(self, path: str) -> str:
        value = self.pages[path]
        return value() if callable(value) else value


def search_env(site: Site) -> jinja2.Environment:
    return make_env(site.project.root, "search", site.compiled("search"))


def decision_facets(site: Site, e: Any) -> dict[str, str]:
    """The filter values of a shown decision (or of its withdrawal notice): its lean page, the
    exact lookup and counts.json all use these."""
    d = e.decision
    if public.is_withdrawn(e):
        return {"类型": KIND_NOTICE, "执法主体": site.agency_name(e.agency), "类别": d.kind, "年份": f"{e.year}年"}
    return {"类型": KIND_DECISION, "执法主体": site.agency_name(e.agency), "类别": d.kind, "年份": f"{e.year}年",
            "公开状态": e.stamps.publication if e.stamps else "待公开"}


def exact_keys(d: Any) -> list[str]:
    """What identifies a decision when typed whole: its 文号 and, unless the party is a natural
    person (whose name is masked and not unique), the party's name and credit code."""
    keys = [d.case_no]
    if d.party.type != "自然人" and d.party.name:
        keys.append(d.party.name)
        if d.party.credit_code:
            keys.append(d.party.credit_code)
    return keys


def progress_text(progress: Any) -> str:
    return f"整改完成率 {progress.rate}%" if progress.rate is not None else ""


def supervision_records(site: Site) -> list[tuple[str, Any, str, dict[str, str]]]:
    """(kind name, NoticeLine or PlanLine, page uri, filter values) of every supervision record the
    site publishes as a page: only those marked `public: true`, as the public view has them (masked).
    Dated by the day a notice was issued or a plan adopted, they share the decisions' shards: a
    notice's 文号 names its year, as a decision's does, and the browser searches that year's shards."""
    out: list[tuple[str, Any, str, dict[str, str]]] = []
    for body in site.supervision.bodies.values():
        for line in body.notices:
            n = line.notice
            out.append(("notice", line, site.record_uri("notice", line.item), {
                "类型": KIND_SUPERVISION, "执法主体": site.agency_name(n.issued_to), "类别": n.kind,
                "年份": f"{n.issued_on.year}年"}))
        for line in body.plans:
            p = line.plan
            owner = site.body_key(p.owner)  # an agency by its id or its full name
            facets = {"类型": KIND_SUPERVISION, "执法主体": site.agency_name(owner), "类别": PROGRESS,
                      "年份": f"{p.adopted_on.year}年"}
            if owner not in site.agencies:  # a body outside the site is no 执法主体 to filter by
                del facets["执法主体"]
            out.append(("plan", line, site.record_uri("plan", line.item), facets))
    return out


def lean_pages(site: Site, lazy: bool = False) -> list[tuple[str, str, str | None, Any]]:
    """(agency, site path, date or None, lean HTML) for every searchable public record; dated ones (decisions,
    public supervision notices and plans) go into the shards by year.

    lazy: the fourth item is a function that renders the HTML, so a preview can
    work out which shards changed and render only those."""
    env = search_env(site)
    out: list[tuple[str, str, str | None, Any]] = []

    def text(template: str, title: str, facets: dict[str, str], meta: dict[str, str], **ctx) -> str:
        ctx.setdefault("sort", None)
        return env.get_template(template).render(title=title, public=public, slug=site.slug,
                                                 filters=facets.items(), meta=meta.items(), **ctx)

    def page(template: str, title: str, facets: dict[str, str], meta: dict[str, str], *, source: Any = None,
             **ctx) -> Any:
        def render() -> str:
            return text(template, title, facets, meta, **ctx)

        # What the page is made of besides the project's other files (cache.PageCache.lean_key): the
        # shown entry of a decision, LISTS for an agency's lists; none: only its text tells.
        render.source = source  # type: ignore[attr-defined]
        return render if lazy else render()

    def path(uri: str) -> str:
        return page_url(uri.split("#")[0]) + "index.html"

    for aid, data in site.agencies.items():
        name = data.agency.name
        by_category: dict[str, list] = defaultdict(list)
        for p, _src in data.powers:
            by_category[p.category].append(p)
        for n, (category, powers) in enumerate(sorted(by_category.items()), 1):
            # 8,000 power items as 8,000 pages cost Pagefind ~6 s and every query their metadata
            # (measured: 罚款 over 15,000 record pages took 0.8 s in Chromium against 0.2 s);
            # as sections of one page per agency and category they are found the same way,
            # and sections.json lets the browser count them one by one.
            out.append((aid, f"agencies/{aid}/powers/{n}/index.html", None, page(
                "power.html", f"{name} · {category}事项", {"类型": KIND_POWER, "执法主体": name, "类别": category},
                {"type": KIND_POWER, "agency": name, "aid": aid}, powers=powers, source=LISTS)))
        if data.officers:
            officers = [(o, public.certificate_status(o, site.today)) for o, _ in data.officers]
            out.append((aid, path(site.agency_uri(aid, "officers")), None, page(
                "officers.html", f"{name} · 执法人员", {"类型": KIND_OFFICER, "执法主体": name},
                {"type": KIND_OFFICER, "agency": name, "aid": aid}, officers=officers, source=LISTS)))
        if data.benchmarks:
            out.append((aid, path(site.agency_uri(aid, "benchmarks")), None, page(
                "benchmarks.html", f"{name} · 裁量基准", {"类型": KIND_BENCHMARK, "执法主体": name},
                {"type": KIND_BENCHMARK, "agency": name, "aid": aid}, benchmarks=[b for b, _ in data.benchmarks],
                source=LISTS)))

    def decision_page(e: Any) -> str:
        """A decision's lean page (or its withdrawal notice's): its facets and exact words are worked
        out only when it is rendered, which a shard reused unrendered never is (~1.4 s a county)."""
        d = e.decision
        facets = decision_facets(site, e)
        # Exact-match words go into the metadata: Pagefind 1.5 searches it, and excerpts never show it.
        exact = " ".join(token(k) for k in exact_keys(d))
        if public.is_withdrawn(e):
            return text("withdrawn.html", d.case_no, facets,
                        {"type": KIND_NOTICE, "kind": d.kind, "agency": facets["执法主体"], "status": f"已{d.status}",
                         "changed": d.status_changed_on.isoformat() if d.status_changed_on else "",
                         "date": d.decided_on.isoformat(), "exact": exact},
                        d=d, agency=facets["执法主体"], sort=d.decided_on.isoformat())
        party = public.party_name(d)
        return text("decision.html", d.case_no, facets,
                    {"type": KIND_DECISION, "kind": d.kind, "agency": facets["执法主体"], "party": party,
                     "date": d.decided_on.isoformat(), "status": facets["公开状态"], "exact": exact},
                    d=d, party=party, agency=facets["执法主体"], sort=d.decided_on.isoformat())

    def later(e: Any) -> Any:
        def render() -> str:
            return decision_page(e)

        render.source = e  # type: ignore[attr-defined]
        return render if lazy else render()

    for e in site.shown:
        out.append((e.agency, path(site.decision_uri(e)), e.decision.decided_on.isoformat(), later(e)))
    for name, line, uri, facets in supervision_records(site):
        if name == "notice":
            record, owner, dated, day = line.notice, line.notice.issued_to, "制发日期", line.notice.issued_on
            title, status = f"{record.kind} {record.id}", line.state
        else:
            record, owner, dated, day = line.plan, site.body_key(line.plan.owner), "印发日期", line.plan.adopted_on
            title, status = f"{record.title} · {PROGRESS}", progress_text(line.progress)
        out.append((owner, path(uri), day.isoformat(), page(
            f"supervision_{name}.html", title, facets,
            # dated: what the date is, for the result line (a decision's is its 作出日期)
            {"type": KIND_SUPERVISION, "kind": facets["类别"], "agency": site.agency_name(owner),
             "date": day.isoformat(), "dated": dated, "status": status},
            line=line, record=record, site=site, sort=day.isoformat())))
    return out


def shards(pages: Iterable[tuple[str, str, str | None, Any]], limit: int = SHARD_PAGES) -> list[Shard]:
    """Group pages into shards of at most `limit` pages (a year's newest: under 1.5 × `limit`).

    Decisions: by year, then by date within the year, so shards hold disjoint
    date ranges and a date-sorted result list is the shards' own sorted lists
    one after another (Pagefind merges indexes by score, not by sort key).
    A year is cut from its oldest decision on, so that a decision added as the newest
    changes only the year's last shard and an incremental build runs Pagefind on it
    alone: cut from the newest, every shard of the year moved by one. A newest remainder
    of under half a shard joins the shard before it: a search starts with the newest
    shard (search.js), which so holds at least half a shard's decisions once the year
    has a full one. Listed newest first. Other records: by runs of agencies.
    """
    decisions: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)
    records: dict[str, dict[str, str]] = defaultdict(dict)
    for agency, path, date, html in pages:
        if date is None:
            records[agency][path] = html
        else:
            decisions[int(date[:4])].append((date, path, agency, html))
    out: list[Shard] = []
    current: Shard | None = None
    for agency in sorted(records):
        items = records[agency]
        if current is None or (current.pages and len(current.pages) + len(items) > limit):
            current = Shard(f"records-{sum(s.kind == 'records' for s in out) + 1}", "records", None)
            out.append(current)
        current.agencies.add(agency)
        current.pages.update(items)
    for year in sorted(decisions, reverse=True):
        rows = sorted(decisions[year])
        starts = list(range(0, len(rows), limit))
        if len(starts) > 1 and len(rows) - starts[-1] < limit / 2:
            starts.pop()
        cut = [rows[a:b] for a, b in zip(starts, [*starts[1:], len(rows)], strict=True)]
        for n in range(len(cut), 0, -1):
            chunk = cut[n - 1][::-1]  # newest first within the shard, as before
            shard = Shard(f"{year}-{n}", "decisions", year, first=chunk[-1][0], last=chunk[0][0])
            for _date, path, agency, html in chunk:
                shard.agencies.add(agency)
                shard.pages[path] = html
            out.append(shard)
    return out


# ---------------------------------------------------------------- beside Pagefind: lookup, counts, sections


def _record_facets(kind: str, agency: str, category: str | None = None) -> list[str | None]:
    return [kind, agency, category, None, None]


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# A shown decision's share of the extras: its normalized exact keys, what a result shows of it
# (JSON text, as the bucket files hold it) and its filter values (a row of counts.json).
Part = tuple[tuple[str, ...], str, tuple]


def decision_part(site: Site, e: Any) -> Part:
    d = e.decision
    facets = decision_facets(site, e)
    combo = tuple(facets.get(k) for k in FILTERS)
    facets["执法主体"] = e.agency
    entry = {"f": [facets.get(k) for k in FILTERS], "title": d.case_no, "url": page_url(site.decision_uri(e)),
             "date": d.decided_on.isoformat()}
    if public.is_withdrawn(e):
        entry.update(status=f"已{d.status}", changed=d.status_changed_on.isoformat() if d.status_changed_on else None)
    else:
        entry["party"] = public.party_name(d)
    return tuple({normalize(k) for k in exact_keys(d) if k}), _text(entry), combo


def exact_lookup(site: Site, parts: list[Part]) -> dict[str, list[str]]:
    """Normalized whole 文号, party name, credit code, officer name, certificate number, power code
    or name, benchmark id → the records it names, each as the JSON text of what a result shows.
    Filter values as in FILTERS, the agency by its id (shards.json names it): a county's lookup
    is 30 MB. `parts`: decision_part of each shown decision, in order."""
    out: dict[str, list[str]] = defaultdict(list)

    def add(keys: Iterable[str], entry: dict) -> None:
        text = _text(entry)
        for key in {normalize(k) for k in keys if k}:
            out[key].append(text)

    for keys, text, _combo in parts:
        for key in keys:
            out[key].append(text)
    for aid, data in site.agencies.items():
        for o, _ in data.officers:
            add([o.name, o.certificate_no], {
                "f": _record_facets(KIND_OFFICER, aid), "title": f"{o.name} {o.certificate_no}",
                "url": page_url(site.agency_uri(aid, "officers")) + "#" + o.certificate_no,
                "info": f"{o.field} · 证件{public.certificate_status(o, site.today)}"})
        for p, _ in data.powers:
            add([p.code, p.name], {"f": _record_facets(KIND_POWER, aid, p.category), "title": p.name,
                                   "url": page_url(site.power_uri(p.code)), "info": f"事项编码 {p.code}"})
        for b, _ in data.benchmarks:
            add([b.id], {"f": _record_facets(KIND_BENCHMARK, aid), "title": f"{b.violation} {b.id}",
                         "url": page_url(site.agency_uri(aid, "benchmarks")) + "#" + site.slug(b.id)})
    return out


def exact_buckets(lookup: dict[str, list[str]]) -> tuple[int, dict[int, bytes]]:
    """The lookup (key → JSON texts) split into 2^k files of about BUCKET_BYTES each, by
    hash32(key) % 2^k: each file the JSON object of its keys, in key order, with compact separators."""
    def item(key: str) -> str:  # the text of one key and its records in a file: "key":[record,record]
        return f"{_text(key)}:[{','.join(lookup[key])}]"

    keys = sorted(lookup)
    # Sized from a sample: the whole lookup's bytes counted cost 0.3 s in a county.
    sample = [item(key) for key in keys[:: max(1, len(keys) // 500)]]
    per_key = (2 + sum(len(t.encode("utf-8")) for t in sample) + max(len(sample) - 1, 0)) / max(1, len(sample))
    total = per_key * len(keys)
    n = 1
    while n * BUCKET_BYTES < total:
        n *= 2
    parts: list[list[str]] = [[] for _ in range(n)]
    for key in keys:
        parts[zlib.crc32(key.encode("utf-8")) % n].append(key)  # keys are normalized: hash32(key)
    # One file's text at a time: the whole lookup as text at once was ~50 MB more at the build's peak.
    return n, {i: ("{" + ",".join(map(item, part)) + "}").encode("utf-8") for i, part in enumerate(parts)}


def record_counts(site: Site, parts: list[Part]) -> dict:
    """How many records hold each combination of filter values (all years): the browser counts
    from this when nothing is typed. Values are indices into `values`; -1 where a record has none."""
    combos: Counter[tuple] = Counter(combo for _keys, _text, combo in parts)
    for _name, _line, _uri, facets in supervision_records(site):
        combos[tuple(facets.get(k) for k in FILTERS)] += 1
    for data in site.agencies.values():
        name = data.agency.name
        combos[tuple(_record_facets(KIND_OFFICER, name))] += len(data.officers)
        combos[tuple(_record_facets(KIND_BENCHMARK, name))] += len(data.benchmarks)
        for p, _ in data.powers:
            combos[tuple(_record_facets(KIND_POWER, name, p.category))] += 1
    values = sorted({v for combo in combos for v in combo if v is not None})
    index = {v: i for i, v in enumerate(values)}
    rows = [[-1 if v is None else index[v] for v in combo] + [n] for combo, n in sorted(
        combos.items(), key=lambda item: [v or "" for v in item[0]]) if n]
    return {"filters": list(FILTERS), "values": values, "rows": rows}


def extras(site: Site, kept: dict[str, Part] | None = None,
           key_of: Callable[[Any], str] | None = None) -> tuple[dict, dict[str, bytes], dict[str, Part]]:
    """What the index holds beside Pagefind's files: the manifest's part (bucket count), the files
    (path under pagefind/ → bytes): the exact lookup and counts.json, and each shown decision's
    share of them (decision_part) by `key_of` (cache.entry_key), when given. `kept`: those shares
    from a build under the same base key (list files, site, day): a decision whose key is there
    is not made again (an incremental build after one decision changed: 1.2 s → ~0.4 s)."""
    # ~40,000 entries and 80,000 keys made at once: the lookup took 1.4 s instead of 0.5 s with the
    # collector passing over a grown heap.
    with no_gc():
        kept = kept or {}
        parts: list[Part] = []
        mine: dict[str, Part] = {}
        for e in site.shown:
            key = key_of(e) if key_of is not None else None
            part = kept.get(key) if key is not None else None
            if part is None:
                part = decision_part(site, e)
            parts.append(part)
            if key is not None:
                mine[key] = part
        n, buckets = exact_buckets(exact_lookup(site, parts))
        files = {f"{EXACT_DIR}/{i}.json": data for i, data in buckets.items()}
        counts = record_counts(site, parts)
    files["counts.json"] = _text(counts).encode("utf-8")
    return {"exact": n}, files, mine


# Section starts as one string per page: each gap from the previous start (Pagefind word positions)
# in base 32, the last digit of a number in "0-9a-v" and the others in "A-Z!$()*+" (10 + 22 = 32).
_LAST, _MORE = "0123456789abcdefghijklmnopqrstuv", "ABCDEFGHIJKLMNOPQRSTUVWXYZ!$()*+"


def encode_gaps(locations: list[int]) -> str:
    out, previous = [], 0
    for loc in locations:
        gap, previous = loc - previous, loc
        digits = [_LAST[gap % 32]]
        gap //= 32
        while gap:
            digits.append(_MORE[gap % 32])
            gap //= 32
        out.append("".join(reversed(digits)))
    return "".join(out)


def decode_gaps(text: str) -> list[int]:
    """The inverse of encode_gaps (assets/search.js decodes the same)."""
    out, value, previous = [], 0, 0
    for ch in text:
        if ch in _MORE:
            value = value * 32 + _MORE.index(ch)
        else:
            previous += value * 32 + _LAST.index(ch)
            out.append(previous)
            value = 0
    return out


def read_fragment(path: Path) -> dict:
    raw = gzip.decompress(path.read_bytes())
    return json.loads(raw[raw.index(b"{"):])


def sections(shard_dir: Path) -> dict:
    """Where each record starts in the shard's lean pages that hold many (h2 anchors, the same
    ones Pagefind makes sub-results of), with each page's filter values (indices into `values`,
    in FILTERS order, -1 for none, trailing ones left out): sections.json."""
    pages: dict[str, list] = {}
    values: dict[str, int] = {}
    for path in sorted((shard_dir / "fragment").glob("*.pf_fragment")):
        frag = read_fragment(path)
        starts = sorted(a["location"] for a in frag.get("anchors", [])
                        if re.search(r"h\d", a.get("element", ""), re.I) and (a.get("text") or "").strip())
        filters = frag.get("filters", {})
        own = [values.setdefault(v[0], len(values)) if (v := filters.get(k)) else -1 for k in FILTERS]
        while own and own[-1] == -1:
            own.pop()
        pages[path.name.split(".")[0]] = [own, encode_gaps(starts)]
    return {"filters": list(FILTERS), "values": list(values), "pages": pages}


def pagefind_binary() -> str:
    """The extended build (it segments Chinese into words), never the plain one nor one on PATH
    (which the pagefind package's own client would take if PAGEFIND_BINARY_PATH pointed there)."""
    from pagefind_bin_extended import get_executable

    return str(get_executable())


class SearchIndexError(Exception):
    """Pagefind failed; the message says which shard and what Pagefind said."""


STOPPED = "搜索索引已停止（构建失败）"


class Runs:
    """The Pagefind processes of one index build, so that a build that failed can stop them."""

    def __init__(self, limit: int = 1) -> None:
        self.lock = threading.Condition()
        self.running: set[subprocess.Popen] = set()
        self.stopped = False
        self.holding = False
        self.limit = limit  # Pagefind processes alive at once (build_index's `jobs`)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """No Pagefind run while the caller works (once the current one has ended): the data
        files of a county take ~250 MB for a few seconds, as much as a run does."""
        with self.lock:
            self.holding = True
            self.lock.wait_for(lambda: not self.running or self.stopped)
        try:
            yield
        finally:
            with self.lock:
                self.holding = False
                self.lock.notify_all()

    def start(self, argv: list[str], stderr: Any) -> subprocess.Popen:
        with self.lock:  # no new process once stopped
            self.lock.wait_for(lambda: (not self.holding and len(self.running) < self.limit) or self.stopped)
            if self.stopped:
                raise SearchIndexError(STOPPED)
            try:
                proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
            except OSError as exc:
                raise SearchIndexError(f"无法启动 Pagefind（{argv[0]}）：{exc}") from exc
            self.running.add(proc)
        for pipe in (proc.stdin, proc.stdout):
            _widen(pipe)
        return proc

    def end(self, proc: subprocess.Popen) -> None:
        """Kill the process if it still runs, and reap it."""
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            with contextlib.suppress(OSError):  # stdin may hold unsent bytes of a process now gone
                pipe.close()
        with self.lock:
            self.running.discard(proc)
            self.lock.notify_all()

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            for proc in self.running:
                proc.kill()
            self.lock.notify_all()


def _widen(pipe: Any) -> None:
    """Fewer, larger writes and reads on a pipe (1 MB: Linux's default limit for any user): each
    blocking one gives up the GIL, and getting it back may take 5 ms beside a busy thread."""
    with contextlib.suppress(ImportError, OSError, AttributeError, ValueError):  # not Linux, or a lower limit
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)


def _request(message_id: int, payload: dict) -> bytes:
    """One request to `pagefind --service`: its JSON in base64, then a comma."""
    text = json.dumps({"message_id": message_id, "payload": payload}, ensure_ascii=False)
    return base64.b64encode(text.encode("utf-8")) + b","


def _replies(stream: Any) -> Iterator[dict]:
    """The service's answers as they come (base64 JSON, each ended by a comma), until it exits."""
    held: list[bytes] = []  # the answer being read: GetFiles' is a whole index (megabytes), joined once
    while chunk := stream.read1(1 << 20):
        start = 0
        while (end := chunk.find(b",", start)) != -1:
            held.append(chunk[start:end])
            part, held = b"".join(held), []
            start = end + 1
            try:
                yield json.loads(base64.b64decode(part, validate=True))
            except ValueError as exc:
                raise OSError(f"unreadable answer: {part[:80]!r}") from exc
        held.append(chunk[start:])


def _index_pages(proc: subprocess.Popen, runs: Runs, pages: list[tuple[str, str]]) -> str | list[dict]:
    """Talk one index into being: its files (GetFiles' answer), or what Pagefind answered if it refused.
    Raises OSError when the process went away (killed, crashed)."""
    send, replies = proc.stdin.write, _replies(proc.stdout)
    send(_request(1, {"type": "NewIndex", "config": None}))  # the CLI's defaults, as `pagefind --site`
    proc.stdin.flush()
    first = next(replies, None)
    if first is None:
        raise OSError("no answer")
    if first["payload"]["type"] != "NewIndex":
        return first["payload"].get("message") or str(first["payload"])
    index_id = first["payload"]["index_id"]
    last = len(pages) + 2
    # Every request before any answer is read: the service queues both without bound, and answers in order.
    # Encoded first and written at once through widened pipes: sent page by page, this thread needed the GIL
    # back after each blocking write, each wait up to the interpreter's 5 ms switch interval beside a busy
    # build thread (a shard of 2,515 pages beside a thread counting in Python: 2.3 s, now 2.0 s; alone 1.9 s).
    # The site path, not a URL: Pagefind makes the URL from it as the CLI did from the file (…/index.html → /…/).
    body = b"".join(_request(n, {"type": "AddFile", "index_id": index_id, "file_path": path, "url": None,
                                 "file_contents": html}) for n, (path, html) in enumerate(pages, 2))
    # GetFiles, not WriteFiles: Pagefind answers WriteFiles once it has handed the bytes to tokio, whose
    # writes finish in the background, and exits the moment its input ends (process::exit), so a file
    # could be left empty (an empty wasm.unknown.pagefind: no search in that shard). Written here instead.
    body += _request(last, {"type": "GetFiles", "index_id": index_id})
    if runs.stopped:
        raise OSError("stopped")
    send(body)
    proc.stdin.flush()
    for reply in replies:
        payload, message_id = reply["payload"], reply.get("message_id")
        if payload["type"] == "Error":
            where = pages[message_id - 2][0] + "：" if isinstance(message_id, int) and 2 <= message_id < last else ""
            return where + (payload.get("message") or "")
        if message_id == last:
            proc.stdin.close()  # the service exits when its input ends
            proc.wait()
            return payload["files"]
    raise OSError("ended early")


def _write_index(output: Path, files: list[dict], previous: Path | None = None) -> None:
    """The files of an index as GetFiles gives them (a relative path, base64 bytes), under `output`,
    written by a process of its own (fsjobs.write_index: beside a busy build thread, each small
    write here waited for the GIL). `previous`: the previous build's index of the shard; a file
    there with the same bytes is hard-linked instead (write_files): after a one-record commit
    nearly all of the shard's page fragments are unchanged."""
    from . import fsjobs

    parts: list[bytes] = []
    for f in files:
        rel = Path(f["path"])
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise OSError(f"unexpected path: {f['path']!r}")
        path, raw = os.fsencode(f["path"]), base64.b64decode(f["content"])
        parts += (b"%d %d\n" % (len(path), len(raw)), path, raw)
    output.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-I", fsjobs.__file__, "index", str(output), *([str(previous)] if previous else [])]
    # Handed over in a file, not a pipe: one write, not one wake-up (and GIL wait) per 64 KB.
    with tempfile.TemporaryFile() as data, tempfile.TemporaryFile() as err:
        data.write(b"".join(parts))
        del parts
        data.seek(0)
        code = subprocess.call(argv, stdin=data, stdout=subprocess.DEVNULL, stderr=err)
        if code != 0:
            err.seek(0)
            raise OSError(err.read().decode("utf-8", "replace").strip() or f"退出码 {code}")


def index_pages(runs: Runs, binary: str, name: str, pages: list[tuple[str, str]], output: Path,
                previous: Path | None = None) -> None:
    """Index `pages` (site path, lean HTML) into `output` with one `pagefind --service` process.

    Its protocol is the one the pagefind package's PagefindIndex speaks, spoken here directly:
    that client sleeps 0.1 s before reading each answer (34 s for a shard of 331 pages, against
    1.3 s here). No page is written to disk: staging 38,000 files and removing them took a third
    of the index thread's time at county scale, beside the page writers."""
    with tempfile.TemporaryFile() as err:  # read only once the process is gone: never fills up
        proc = runs.start([binary, "--service"], err)
        try:
            answer = _index_pages(proc, runs, pages)
        except OSError:  # a broken pipe, an answer cut short: the process went away (or was stopped)
            answer = ""
        finally:
            runs.end(proc)
        if runs.stopped:
            raise SearchIndexError(STOPPED)
        if isinstance(answer, str):
            err.seek(0)
            said = err.read().decode("utf-8", "replace").strip()
            detail = "；".join(x for x in (answer, said) if x) or f"进程意外退出（退出码 {proc.returncode}）"
            raise SearchIndexError(f"Pagefind 建立索引失败（{name}）：{detail}")
    # Written once the process has ended: the next shard's run starts meanwhile (decoding and
    # writing a shard's files beside the page writers took ~1 s, Pagefind idle).
    try:
        _write_index(output, answer, previous)
    except (OSError, ValueError) as exc:
        raise SearchIndexError(f"Pagefind 建立索引失败（{name}）：无法写入索引文件：{exc}") from exc


def write_files(root: Path, files: dict[str, bytes], only_changed: bool = False,
                previous: Path | None = None) -> None:
    """Write the files of extras() under root (a preview rewrites only those that changed).
    `previous`: the previous build's folder of them (an incremental build's); a file there with the
    same bytes is hard-linked instead. After a commit most of a county's 2,048 lookup buckets are
    unchanged, and making each file anew took ~0.4 ms where a site had just been removed (ext4
    searching past recently freed inodes)."""
    from .fsjobs import link_if_same

    for rel, data in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not only_changed:
            if previous is None or not link_if_same(str(previous / rel), str(target), data):
                target.write_bytes(data)  # a fresh folder, not served yet
        elif not target.is_file() or target.read_bytes() != data:
            tmp = target.with_name(f".{target.name}.part")  # served: replaced whole
            tmp.write_bytes(data)
            os.replace(tmp, target)


def pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin_extended")
    except PackageNotFoundError:
        return pagefind_binary()


def build_index(out_root: Path, shard_list: list[Shard], agency_names: dict[str, str],
                jobs: int | None = None, runs: Runs | None = None, cache: Any = None,
                keys: dict[str, dict] | None = None, reused: list[str] | None = None,
                lean_key: Callable[[str, Shard], str | None] | None = None) -> dict:
    """Run Pagefind once per shard (one at a time, see below) into out_root/<shard>/, with sections.json beside
    each records shard; return the manifest (its callers add the extras() and write shards.json).

    `cache` (generator.cache.PageCache): a shard whose lean pages are those the previous
    build indexed is copied from the previous site instead. `keys` receives each shard's
    {"key": of its lean pages' text (shard_key), "inputs": of what they are made of}, the latter
    from `lean_key(version, shard)` (PageCache.lean_key) or None. A shard whose inputs are those
    of the previous build's is not even rendered; one whose inputs differ is rendered and compared
    by its text (an officer's edit changes every shard's inputs, not the decisions' pages)."""
    from . import cache as cache_mod

    if out_root.exists():
        shutil.rmtree(out_root)
    out_root.mkdir(parents=True)
    binary = pagefind_binary()
    runs = runs or Runs()
    # One Pagefind run at a time by default. With the pages piped to it (no staging files) it
    # finishes before the page writers at county scale either way, and a second run (~250 MB
    # at its peak, beside the page writers) took the build's memory past 1 GB (measured
    # 1.19 GB with two against 0.96 GB with one). DISCLOSE_INDEX_JOBS=2 where memory is plenty.
    # One service process holding several indexes would use one core: it answers one request
    # at a time (measured at --scale 0.1, indexing only: 4.6-6.0 s / 150-185 MB, against
    # 3.4-4.7 s / 255 MB for two processes and 5.8-6.3 s / 130 MB for one at a time).
    # At least one: a limit of 0 (DISCLOSE_INDEX_JOBS=0) would leave every run waiting for ever (Runs.start).
    jobs = max(1, jobs or int(os.environ.get("DISCLOSE_INDEX_JOBS") or 1))
    old = cache.old_shards() if cache is not None and cache.folder is not None else {}
    # "+service": pages fed over the pipe are numbered in the shard's order, not the order of a
    # folder walk, so an index made from staged files (same pages, other bytes) is not reused.
    # "+files": nor one Pagefind wrote itself (WriteFiles), which may hold an empty file (_index_pages).
    version = pagefind_version() + "+service+files" if cache is not None and cache.folder is not None else ""
    keys: dict[str, Any] = keys if keys is not None else {}
    reused = reused if reused is not None else []

    # The lean pages of the next shard are rendered while Pagefind indexes the current one: rendered
    # by the run itself, they left Pagefind (and so the second core) idle between shards, ~1 s in 3.
    runs.limit = jobs
    # Shards rendered and not yet done: those in Pagefind, one whose files are being written, one ready.
    ahead = threading.Semaphore(jobs + 2)
    failed = threading.Event()  # a run failed: no other starts, no more is rendered

    def render(shard: Shard) -> list[tuple[str, str]]:
        texts = [(rel_path, shard.html(rel_path)) for rel_path in shard.pages]
        # Indexed or reused, its lean pages are not needed again (a county's are ~90 MB): the
        # shard keeps their paths, which its manifest counts.
        shard.pages = dict.fromkeys(shard.pages)
        return texts

    def prepare(shard: Shard) -> list[tuple[list[tuple[str, str]] | None, str | None, str | None]]:
        """The shard's lean pages (None: not rendered, see below) and keys, in a box its run empties:
        the future would otherwise hold every shard's pages until the whole index is built."""
        ahead.acquire()
        if runs.stopped or failed.is_set():
            return [([], None, None)]
        inputs = lean_key(version, shard) if version and lean_key is not None else None
        was = old.get(shard.name) or {}
        if inputs is not None and was.get("inputs") == inputs and was.get("key"):
            # Made of what the previous build's shard was: its text too (rendered only if the copy fails).
            return [(None, was["key"], inputs)]
        texts = render(shard)
        return [(texts, cache_mod.shard_key(version, shard.name, texts) if version else None, inputs)]

    def run(shard: Shard, prepared: Future) -> None:
        try:
            if failed.is_set():
                return
            texts, key, inputs = prepared.result().pop()
            if runs.stopped:
                raise SearchIndexError(STOPPED)
            previous = cache.out / INDEX_DIR / shard.name if version else None  # the previous build's index of it
            if key is not None:  # (keyed only with a version, so with `previous`)
                keys[shard.name] = {"key": key, "inputs": inputs}
                was = old.get(shard.name) or {}
                if was.get("key") == key and cache.reuse_shard(shard.name, was.get("files", {})):
                    reused.append(shard.name)
                    keys[shard.name]["files"] = was["files"]  # kept: the very files recorded, as recorded
                    shard.pages = dict.fromkeys(shard.pages)
                    return  # the same lean pages: the previous build's index of them
            if texts is None:  # keyed as the previous shard, whose files are gone or changed
                texts = render(shard)
            index_pages(runs, binary, shard.name, texts, out_root / shard.name, previous)
            if shard.kind == "records":
                (out_root / shard.name / "sections.json").write_text(
                    json.dumps(sections(out_root / shard.name), ensure_ascii=False, separators=(",", ":")),
                    encoding="utf-8")
        except BaseException:
            failed.set()
            raise
        finally:
            texts = None  # let go before the next shard may be rendered: at most jobs + 2 held at once
            ahead.release()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="disclose-lean") as renderer, \
            ThreadPoolExecutor(max_workers=jobs + 1) as pool:  # runs.limit keeps Pagefind to `jobs`
        prepared = [renderer.submit(prepare, shard) for shard in shard_list]  # in order, one at a time
        try:
            list(pool.map(run, shard_list, prepared))
        except BaseException:
            runs.stop()  # a run that started in the meantime: the index has failed anyway
            raise
        finally:
            # A run failed: start no other, render no more (the renderer may wait on `ahead` for a
            # run that never comes).
            pool.shutdown(wait=False, cancel_futures=True)
            for future in prepared:
                future.cancel()
            for _ in shard_list:
                ahead.release()
    return {
        "version": 2,
        "agencies": agency_names,
        "shards": [s.manifest() for s in shard_list],
    }


class Indexer:
    """Index a site's records in the background while its pages are written.

    The lean pages are rendered by build_index's renderer thread, a shard or two
    ahead of Pagefind. No page writer is forked while these threads run
    (shell.write_pages forks only a process without other threads), so none
    can inherit a lock they hold. `finish` moves the index into the built site;
    `stop` (a build that failed) kills the Pagefind runs and removes the
    temporary folder.
    """

    def __init__(self, site: Site, jobs: int | None = None, cache: Any = None):
        self.cache = cache
        self.keys: dict[str, dict] = {}  # shard → keys of its lean pages (incremental builds: build_index)
        self.reused: list[str] = []  # shards copied from the previous build
        self.names = {aid: data.agency.name for aid, data in site.agencies.items()}
        self.site = site
        # Rendered lazily, by build_index's renderer thread as Pagefind needs them: rendering all
        # first kept the page writers waiting ~2 s at county scale.
        self.shards = shards(lean_pages(site, lazy=True))
        self.tmp = Path(tempfile.mkdtemp(prefix="disclose-pagefind-"))
        self.runs = Runs()
        self.error: BaseException | None = None
        self.manifest: dict = {}
        self.thread = threading.Thread(target=self._run, args=(jobs,), name="disclose-index", daemon=True)
        self.thread.start()

    def _run(self, jobs: int | None) -> None:
        try:
            cache, site = self.cache, self.site
            lean_key = ((lambda version, shard: cache.lean_key(site, version, shard.name, shard.pages))
                        if cache is not None else None)
            self.manifest = build_index(self.tmp / INDEX_DIR, self.shards, self.names, jobs, self.runs,
                                        cache, self.keys, self.reused, lean_key)
        except BaseException as exc:  # handed to the build thread in finish()
            self.error = exc

    def finish(self, site_dir: Path) -> dict:
        # The exact lookup and counts, made while Pagefind indexes its last shards (the build's
        # pages are written by now, so a cache has its keys: an unchanged county's are reused).
        # Made from scratch, they wait for Pagefind instead: beside its last run, on top of what the
        # data files left in this process, they made the build's peak (1,040 MB at county scale,
        # 919 MB waiting; measured). Made from the previous build's shares, they are small.
        try:
            if self.cache is not None:
                extra_manifest, extra_files = self.cache.search_extras(self.site, extras, self.thread.join)
            else:
                self.thread.join()
                extra_manifest, extra_files = extras(self.site)[:2]
            self.thread.join()
        except BaseException:
            # Failed or interrupted (Ctrl-C): stop Pagefind rather than wait for its last shards, and remove
            # its folder; the build's own stop() no longer reaches this indexer (the plugin let go of it).
            self.stop()
            raise
        try:
            if self.error is not None:
                raise self.error
            target = site_dir / INDEX_DIR
            if target.exists():
                shutil.rmtree(target)
            shutil.move(str(self.tmp / INDEX_DIR), str(target))
            write_files(target, extra_files, previous=self.cache.out / INDEX_DIR if self.cache is not None else None)
            self.manifest.update(extra_manifest)
            (target / "shards.json").write_text(json.dumps(self.manifest, ensure_ascii=False), encoding="utf-8")
            return self.manifest
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def stop(self) -> None:
        """Kill the running Pagefind processes, start no more, wait for the thread, remove the folders."""
        self.runs.stop()
        self.thread.join()
        shutil.rmtree(self.tmp, ignore_errors=True)


def index_site(site: Site, site_dir: Path, jobs: int | None = None) -> dict:
    """Index every searchable public record of `site` into site_dir/pagefind/ (and wait)."""
    return Indexer(site, jobs).finish(site_dir)
