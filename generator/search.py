"""The search index: lean copies of the public records, indexed by Pagefind in shards.

Pagefind reads HTML. Feeding it the finished pages would make it parse the
whole Material frame of every page; instead each record gets a lean page
(title, filters, masked text) in a staging folder laid out like the site, so
result URLs are the real ones. The pages are split into shards of at most
SHARD_PAGES: each Pagefind run stays small in memory, runs beside another on
the second core, and the browser loads the shards it needs (newest decisions
first; one agency's shards when filtering by agency). Withdrawn, expired,
withheld and draft records never get a lean page, so they are not indexed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import public
from .render import Site, make_env, page_url

SHARD_PAGES = 2500  # measured: ~1 s and ~150 MB per Pagefind run
INDEX_DIR = "pagefind"

KIND_DECISION, KIND_POWER, KIND_OFFICER, KIND_BENCHMARK = "执法决定", "权责事项", "执法人员", "裁量基准"


def token(prefix: str, text: str) -> str:
    """An exact-match word for a whole 文号 or name (FNV-1a, base 36); assets/search.js computes the same."""
    h = 0x811C9DC5
    for byte in normalize(text).encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        h, r = divmod(h, 36)
        out = digits[r] + out
        if not h:
            break
    return prefix + out


def normalize(text: str) -> str:
    """How people type a 文号: half-width brackets, spaces. Mirrors normalize() in assets/search.js."""
    table = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "(": "（", ")": "）", "【": "〔", "】": "〕"})
    return "".join(text.split()).translate(table)


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
    return make_env(site.project.root, "search")


def lean_pages(site: Site, lazy: bool = False) -> list[tuple[str, str, str | None, Any]]:
    """(agency, site path, decision date or None, lean HTML) for every searchable public record.

    lazy: the fourth item is a function that renders the HTML, so a preview can
    work out which shards changed and render only those."""
    env = search_env(site)
    out: list[tuple[str, str, str | None, Any]] = []

    def page(template: str, uri: str, title: str, **ctx) -> Any:
        def render() -> str:
            return env.get_template(template).render(title=title, public=public, slug=site.slug, **ctx)

        return render if lazy else render()

    def path(uri: str) -> str:
        return page_url(uri.split("#")[0]) + "index.html"

    for aid, data in site.agencies.items():
        name = data.agency.name
        by_category: dict[str, list] = defaultdict(list)
        for p, _src in data.powers:
            by_category[p.category].append(p)
        for n, (category, powers) in enumerate(sorted(by_category.items()), 1):
            # 8,000 power items as 8,000 pages cost Pagefind ~6 s and every query their metadata;
            # as sections of one page per agency and category they are found the same way.
            out.append((aid, f"agencies/{aid}/powers/{n}/index.html", None, page(
                "power.html", "", f"{name} · {category}事项", powers=powers,
                filters=[("类型", KIND_POWER), ("执法主体", name), ("类别", category)],
                meta=[("kind", KIND_POWER), ("agency", name), ("aid", aid)], sort=None)))
        if data.officers:
            officers = [(o, public.certificate_status(o, site.today)) for o, _ in data.officers]
            uri = site.agency_uri(aid, "officers")
            out.append((aid, path(uri), None, page(
                "officers.html", uri, f"{name} · 执法人员", officers=officers,
                filters=[("类型", KIND_OFFICER), ("执法主体", name)],
                meta=[("kind", KIND_OFFICER), ("agency", name), ("aid", aid)], sort=None)))
        if data.benchmarks:
            uri = site.agency_uri(aid, "benchmarks")
            out.append((aid, path(uri), None, page(
                "benchmarks.html", uri, f"{name} · 裁量基准", benchmarks=[b for b, _ in data.benchmarks],
                filters=[("类型", KIND_BENCHMARK), ("执法主体", name)],
                meta=[("kind", KIND_BENCHMARK), ("agency", name), ("aid", aid)], sort=None)))
    for e in site.shown:
        if public.is_withdrawn(e):
            continue  # only the withdrawal notice is public, and it is not searchable
        d = e.decision
        name = site.agency_name(e.agency)
        party = public.party_name(d)
        publication = e.stamps.publication if e.stamps else "待公开"
        out.append((e.agency, path(site.decision_uri(e)), d.decided_on.isoformat(), page(
            "decision.html", site.decision_uri(e), d.case_no, d=d, party=party, agency=name,
            tokens=[token("wh", d.case_no), token("dsr", party)],
            filters=[("类型", KIND_DECISION), ("执法主体", name), ("类别", d.kind), ("年份", f"{e.year}年"),
                     ("公开状态", publication)],
            meta=[("kind", d.kind), ("agency", name), ("party", party), ("date", d.decided_on.isoformat()),
                  ("status", publication)],
            sort=d.decided_on.isoformat())))
    return out


def shards(pages: Iterable[tuple[str, str, str | None, Any]], limit: int = SHARD_PAGES) -> list[Shard]:
    """Group pages into shards of at most `limit` pages.

    Decisions: by year, then by date within the year, so shards hold disjoint
    date ranges and a date-sorted result list is the shards' own sorted lists
    one after another (Pagefind merges indexes by score, not by sort key).
    Other records: by runs of agencies.
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
        rows = sorted(decisions[year], reverse=True)
        for n, start in enumerate(range(0, len(rows), limit), 1):
            chunk = rows[start:start + limit]
            shard = Shard(f"{year}-{n}", "decisions", year, first=chunk[-1][0], last=chunk[0][0])
            for _date, path, agency, html in chunk:
                shard.agencies.add(agency)
                shard.pages[path] = html
            out.append(shard)
    return out


def pagefind_binary() -> str:
    from pagefind_bin_extended import get_executable

    return str(get_executable())


class SearchIndexError(Exception):
    """Pagefind failed; the message is its own output."""


class Runs:
    """The Pagefind processes of one index build, so that a build that failed can stop them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running: set[subprocess.Popen] = set()
        self.stopped = False

    def run(self, argv: list[str]) -> tuple[int, str, str]:
        with self.lock:  # no new process once stopped
            if self.stopped:
                raise SearchIndexError("搜索索引已停止（构建失败）")
            proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self.running.add(proc)
        try:
            out, err = proc.communicate()
        finally:
            with self.lock:
                self.running.discard(proc)
        if self.stopped:
            raise SearchIndexError("搜索索引已停止（构建失败）")
        return proc.returncode, out, err

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            for proc in self.running:
                proc.kill()


def pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin_extended")
    except PackageNotFoundError:
        return pagefind_binary()


def build_index(out_root: Path, shard_list: list[Shard], agency_names: dict[str, str],
                jobs: int | None = None, runs: Runs | None = None, cache: Any = None,
                keys: dict[str, str] | None = None, reused: list[str] | None = None) -> dict:
    """Run Pagefind once per shard (two at a time) into out_root/<shard>/; write shards.json.

    `cache` (generator.cache.PageCache): a shard whose lean pages are those the previous
    build indexed is copied from the previous site instead; `keys` receives each shard's key."""
    from . import cache as cache_mod

    if out_root.exists():
        shutil.rmtree(out_root)
    out_root.mkdir(parents=True)
    binary = pagefind_binary()
    runs = runs or Runs()
    # Two Pagefind runs at a time (~150 MB each): measured 63 s / 1.08 GB for the county build,
    # against 72 s / 0.87 GB one at a time. DISCLOSE_INDEX_JOBS=1 where memory is tight.
    jobs = jobs or int(os.environ.get("DISCLOSE_INDEX_JOBS") or 2)
    old = cache.old_shards() if cache is not None and cache.folder is not None else {}
    version = pagefind_version() if cache is not None and cache.folder is not None else ""
    keys = keys if keys is not None else {}
    reused = reused if reused is not None else []
    # Staged beside out_root, inside the caller's own temporary folder: removed with it, whatever happens.
    with tempfile.TemporaryDirectory(prefix="disclose-index-", dir=out_root.parent) as staging:

        def run(shard: Shard) -> None:
            root = Path(staging) / shard.name
            texts = [(rel_path, shard.html(rel_path)) for rel_path in shard.pages]
            if version:
                key = keys[shard.name] = cache_mod.shard_key(version, shard.name, texts)
                was = old.get(shard.name) or {}
                if was.get("key") == key and cache_mod.copy_tree_if_same(
                        cache.out / INDEX_DIR / shard.name, out_root / shard.name, was.get("files", {})):
                    reused.append(shard.name)
                    return  # the same lean pages: the previous build's index of them
            for n, (rel_path, text) in enumerate(texts):
                if n % 256 == 0 and runs.stopped:
                    raise SearchIndexError("搜索索引已停止（构建失败）")
                target = root / rel_path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            code, out, err = runs.run(
                [binary, "--site", str(root), "--output-path", str(out_root / shard.name), "--silent"])
            if code != 0:
                raise SearchIndexError(f"Pagefind 建立索引失败（{shard.name}）：{err.strip() or out.strip()}")
            shutil.rmtree(root, ignore_errors=True)

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(run, shard_list))
    manifest = {
        "version": 1,
        "agencies": agency_names,
        "shards": [s.manifest() for s in shard_list],
    }
    (out_root / "shards.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return manifest


class Indexer:
    """Index a site's records in the background while its pages are written.

    The lean pages are rendered here, in the calling thread; the thread only
    writes files and waits on Pagefind, so it holds no lock a forked page
    writer could need. `finish` moves the index into the built site; `stop`
    (a build that failed) kills the Pagefind runs and removes the staging folders.
    """

    def __init__(self, site: Site, jobs: int | None = None, cache: Any = None):
        self.cache = cache
        self.keys: dict[str, str] = {}  # shard → key of its lean pages (incremental builds)
        self.reused: list[str] = []  # shards copied from the previous build
        self.names = {aid: data.agency.name for aid, data in site.agencies.items()}
        self.shards = shards(lean_pages(site))
        self.tmp = Path(tempfile.mkdtemp(prefix="disclose-pagefind-"))
        self.runs = Runs()
        self.error: BaseException | None = None
        self.manifest: dict = {}
        self.thread = threading.Thread(target=self._run, args=(jobs,), name="disclose-index", daemon=True)
        self.thread.start()

    def _run(self, jobs: int | None) -> None:
        try:
            self.manifest = build_index(self.tmp / INDEX_DIR, self.shards, self.names, jobs, self.runs,
                                        self.cache, self.keys, self.reused)
        except BaseException as exc:  # handed to the build thread in finish()
            self.error = exc

    def finish(self, site_dir: Path) -> dict:
        self.thread.join()
        try:
            if self.error is not None:
                raise self.error
            target = site_dir / INDEX_DIR
            if target.exists():
                shutil.rmtree(target)
            shutil.move(str(self.tmp / INDEX_DIR), str(target))
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
