"""`disclose serve`: a live preview that stays quick at county scale and survives broken saves.

`mkdocs serve` rebuilds the whole site on every save: a minute for a county.
Here the first build is a full one; after that a saved decision re-renders
only its own page and the lists that show it (a second or two), and the data
files, the statistics pages and the search index catch up right after. A save
that breaks the content keeps the last good site on screen with the errors
laid over it; the next good save clears them. A saved list file (an agency's
officers, powers or benchmarks) re-renders its agency's pages, the pages of its
power items and the decisions that cite a record it changed (a few seconds).
Any other change (templates, site_config, agency.yaml) triggers a full rebuild
through the one build path (generator/build.py), swapped in only when it succeeds.

One worker thread makes every change to the served site, in order: saves
first, the catch-up when no save is waiting. The server resolves each request
under the lock the swap of a full rebuild holds, so it never looks into a
folder halfway swapped.

The browser learns of updates by long-polling /__disclose__/events; the
script that does so is added to every HTML page served, never to the built site.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import gc
import http.server
import json
import os
import re
import shutil
import signal
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import build, exports, identity, kinds, public, search, shell
from . import project as project_mod
from .render import Site, page_url

EVENTS = "/__disclose__/events"
LIVE_JS = "/__disclose__/live.js"
CLOCK_EVERY = 60.0  # seconds between looks at the clock while nothing is saved
DEBOUNCE = 0.15  # seconds of quiet after the last file event: editors save in several writes
WATCHED = (*kinds.top_folders(), "site_config", "drafts", "templates", "mkdocs.yml")
RELEVANT = (".yaml", ".yml", ".html", ".md", ".css", ".js", ".svg", ".png")
MAX_URL = 2048


@dataclass
class State:
    version: int = 0
    errors: list[str] = field(default_factory=list)
    busy: str = ""  # what is being rebuilt, shown in the page while it runs
    took: float = 0.0


class Preview:
    def __init__(self, root: Path, today: dt.date | Callable[[], dt.date], log=print):
        """`today`: the build date, or a function giving it (the CLI's clock: a preview left running
        overnight recomputes every stamp when the day changes, as the nightly build does)."""
        self.root = Path(root).resolve()
        self.clock: Callable[[], dt.date] = today if callable(today) else (lambda: today)
        self.today = self.clock()
        self.log = log
        self.state = State()
        self.changed = threading.Condition()
        self.base = Path(tempfile.mkdtemp(prefix="disclose-preview-"))
        self.dir = self.base / "site"  # the site served: always this path, full rebuilds are swapped in
        self.serving = threading.Lock()  # held by the swap, and by a request while it finds its file
        self.plugin: Any = None
        self.site: Site | None = None
        self.loaded: project_mod.Project | None = None  # the last load: the next one redoes only what changed
        self.indexed: dict[str, tuple[str, ...]] = {}  # shard name → the pages in it
        self.touched: set[str] = set()  # lean pages of decisions changed since the last re-index
        self.relisted: set[str] = set()  # agencies whose list files changed since the last re-index
        self.work = threading.Condition()  # guards `pending`; the worker waits on it
        self.pending: set[Path] = set()  # saved files the worker has not taken yet
        self.stale: Site | None = None  # the site whose data files and index are still to be written
        self.working = threading.Lock()  # held by the worker while it changes the site
        self.closed = False

    # ------------------------------------------------------------ state for the browser

    def publish(self, **changes: Any) -> None:
        with self.changed:
            for key, value in changes.items():
                setattr(self.state, key, value)
            self.state.version += 1
            self.changed.notify_all()

    def wait(self, since: int, timeout: float = 20.0) -> dict:
        with self.changed:
            self.changed.wait_for(lambda: self.state.version != since, timeout=timeout)
            s = self.state
            # catching_up: a save, the data files or the search index still being worked on
            settled = self.stale is None and not self.pending and not self.working.locked()
            return {"version": s.version, "errors": s.errors, "busy": s.busy, "took": round(s.took, 2),
                    "catching_up": not settled}

    # ------------------------------------------------------------ builds (the worker's, or before it starts)

    def full(self, project: project_mod.Project | None = None) -> bool:
        """Build the whole site through the one build path; it is swapped in on success."""
        started = time.perf_counter()
        project = project or self.load()
        if not project.ok:
            self.fail(project)
            return False
        try:
            plugin = build.build(project, self.dir, log=self.log, swap_lock=self.serving)
        except build.BuildFailed as exc:
            self.log(str(exc))
            self.publish(errors=[str(exc)], busy="")
            return False
        self.plugin = plugin
        self.site = plugin.site
        self.indexed = dict(plugin.index_members)
        self.stale, self.touched = None, set()  # the full build wrote every data file and the whole index
        took = time.perf_counter() - started
        self.log(f"已重新生成全部页面：{took:.1f} 秒")
        self.publish(errors=[], busy="", took=took)
        return True

    def placeholder(self) -> None:
        """What is served until the first good build."""
        build.mark_site(self.dir)  # a build may replace it once the errors are fixed
        self.put("index.html", (
            "<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>预览</title></head>"
            "<body><h1>预览尚未生成</h1><p>请按下方错误提示修改内容。</p></body></html>").encode())

    def fail(self, project: project_mod.Project) -> None:
        errors = [p.format() for p in project.problems if p.is_error]
        for line in errors:
            self.log(line)
        self.log(f"内容有 {len(errors)} 个错误：网页保留上一次正确的版本")
        self.publish(errors=errors[:100] + ([f"……另有 {len(errors) - 100} 个错误"] if len(errors) > 100 else []),
                     busy="")

    def update(self, paths: set[Path]) -> None:
        """Bring the served pages up to date with saved files; `catch_up` does the data files and index."""
        # The collector's full passes over a county's heap cost seconds: off while the
        # page is updated, one collection later in the catch-up.
        gc.disable()
        try:
            self._update(paths)
        finally:
            gc.enable()

    def _update(self, paths: set[Path]) -> None:
        started = time.perf_counter()
        project = self.load(paths)
        if not project.ok:
            self.fail(project)
            return
        lists = {p: _list_file(self.root, p) for p in paths if not _is_decision_file(self.root, p)}
        if self.site is None or not all(lists.values()):
            self.publish(busy="正在重新生成全部页面…")
            self.full(project)
            return
        old = self.site
        # Only records changed: the templates are those of the last full build.
        site = Site(project, env=old.env)
        written = self.decisions_changed(old, site)
        if written is not None and lists:
            more = self.lists_changed(old, site, {aid for aid in lists.values() if aid})
            written = None if more is None else written + more
        if written is None:  # a page of a depth the last full build had no frame for
            self.publish(busy="正在重新生成全部页面…")
            self.full(project)
            return
        self.site = site
        self.stale = site
        took = time.perf_counter() - started
        self.log(f"已更新 {written} 个页面：{took:.2f} 秒")
        self.publish(errors=[], busy="", took=took)

    def load(self, paths: set[Path] | None = None) -> project_mod.Project:
        """The project as build.load reads it. After a first load, one where only decision files
        were saved, added or deleted reads those and redoes what they can affect (project.load)."""
        project = project_mod.load(self.root, self.today, keep=True, previous=self.loaded, changed=paths)
        self.loaded = project
        found = identity.problems(project)  # as build.load: the logo and favicon site.yaml names
        if found:
            project.problems.extend(found)
            project.problems.sort()
        return project

    def put(self, rel: str, data: bytes) -> None:
        """Write one file of the served site whole: a request never reads it half-written."""
        target = self.dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.part")
        tmp.write_bytes(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)

    def write_page(self, site: Site, uri: str, template: str, title: str, ctx: dict) -> bool:
        """Render one page into the frame of its kind; False if the last full build made no such frame."""
        page = site.render(uri, template, title, **ctx)
        if uri in self.plugin.nav_frames:
            parts = self.plugin.nav_frames[uri]
        elif uri in self.plugin.nav_pages:
            return True  # a nav page MkDocs rendered whole and that shows no decision
        else:
            parts = self.plugin.frames.parts.get(shell.depth(uri))
            if parts is None:
                return False
        text = shell.fill(parts, page.title, page.html, page_url(uri), page.description)
        self.put(page_url(uri) + "index.html", text.encode("utf-8"))
        return True

    def decisions_changed(self, old: Site, site: Site) -> int | None:
        """Re-render the pages of changed decisions and the lists that show them; None if a full
        rebuild is needed instead."""
        before = {e.src.path: e for e in old.shown}
        after = {e.src.path: e for e in site.shown}
        changed = [p for p in before.keys() | after.keys()
                   if p not in before or p not in after or before[p].decision is not after[p].decision
                   or before[p].stamps is not after[p].stamps]
        agencies = {e.agency for p in changed for e in (before.get(p), after.get(p)) if e is not None}
        for p in changed:  # a decision that left the public view (deleted, moved, expired) leaves no page
            if p in before and (p not in after or site.decision_uri(after[p]) != old.decision_uri(before[p])):
                shutil.rmtree(self.dir / page_url(old.decision_uri(before[p])), ignore_errors=True)
        wanted = {site.decision_uri(after[p]) for p in changed if p in after}
        self.touched |= {page_url(s.decision_uri(e)) + "index.html"
                         for p in changed for s, e in ((old, before.get(p)), (site, after.get(p))) if e is not None}
        if site.view.masker is not old.view.masker:
            # A party's name came or went: a public supervision record's masked text may have changed too,
            # in a shard that holds no changed decision (its pages are redone in the catch-up).
            self.touched |= {page_url(uri) + "index.html"
                             for s in (old, site) for _name, _line, uri, _facets in search.supervision_records(s)}
        for aid in agencies:
            wanted |= {site.agency_uri(aid), site.agency_uri(aid, "decisions/index")}
            wanted |= {site.year_uri(aid, y) for y in site.years(aid)}
            for y in old.years(aid):
                if y not in site.years(aid):
                    shutil.rmtree(self.dir / page_url(old.year_uri(aid, y)), ignore_errors=True)
        wanted |= {"index.md", "agencies/index.md", "decisions/index.md"}
        # A power item's page lists its decisions (and, past a few, a page lists them all).
        # Only pages the site has: a URI missing from specs() would make the loop below run to its end.
        for p in changed:
            for e in (before.get(p), after.get(p)):
                code = e.decision.power if e is not None else None
                if not code or code not in site.powers:
                    continue
                wanted.add(site.power_uri(code))
                if len(site.by_power.get(code, ())) != len(old.by_power.get(code, ())):
                    # the lists of power items count each item's decisions (_power_list.html)
                    wanted |= {"powers/index.md", site.agency_uri(site.powers[code][1], "powers")}
                if len(site.by_power.get(code, ())) > site.POWER_LIST:
                    wanted.add(site.power_decisions_uri(code))
                else:  # not, or no longer, a page of them all
                    shutil.rmtree(self.dir / page_url(site.power_decisions_uri(code)), ignore_errors=True)
        count = 0
        seen = 0
        for uri, template, title, ctx in site.specs():
            if seen == len(wanted):
                break  # the rest (statistics, supervision) look at every decision: the catch-up's
            if uri not in wanted:
                continue
            seen += 1
            if not self.write_page(site, uri, template, title, ctx):
                return None
            count += 1
        return count

    def lists_changed(self, old: Site, site: Site, agencies: set[str]) -> int | None:
        """Re-render what a saved list file of `agencies` shows: their own pages (officers, powers,
        benchmarks, the agency page), the pages of their power items, the decisions of any agency
        that cite an officer, power item or benchmark whose record changed, and the indexes of
        every list. None if a full rebuild is needed instead."""
        changed: set[str] = set()  # certificate numbers, power codes and benchmark ids whose record changed
        for before, after in ((old.officers, site.officers), (old.powers, site.powers),
                              (old.benchmarks, site.benchmarks)):
            for key in before.keys() | after.keys():
                was, now = before.get(key), after.get(key)
                if was is None or now is None or was[1] != now[1] or was[0] != now[0]:
                    changed.add(key)
        wanted = {"index.md", "agencies/index.md", "officers/index.md", "powers/index.md", "benchmarks/index.md",
                  "certificates/index.md", "sitemap/index.md"}
        prefixes = tuple(f"agencies/{aid}/" for aid in agencies)
        for code in changed:
            for s in (old, site):
                if code in s.powers:  # a power item's own page, and the page of all its decisions
                    wanted |= {s.power_uri(code), s.power_decisions_uri(code)}
        for code in old.powers.keys() - site.powers.keys():  # a power item taken off the list: its pages go
            for uri in (old.power_uri(code), old.power_decisions_uri(code)):
                shutil.rmtree(self.dir / page_url(uri), ignore_errors=True)
        for e in site.shown:
            d = e.decision
            if public.is_withdrawn(e):
                continue  # a withdrawal notice names no officer, power item or benchmark
            if (d.power in changed or (d.benchmark is not None and d.benchmark.id in changed)
                    or any(c in changed for c in d.officers)):
                wanted.add(site.decision_uri(e))
                self.touched.add(page_url(site.decision_uri(e)) + "index.html")
        self.relisted |= agencies  # their lean pages (powers, officers, benchmarks) are indexed anew
        count = 0
        for uri, template, title, ctx in site.specs():
            if uri in wanted or uri.startswith(prefixes):
                if not self.write_page(site, uri, template, title, ctx):
                    return None
                count += 1
        return count

    def interrupted(self) -> bool:
        """A save is waiting (it goes first, the catch-up runs again after it), or the preview is closing."""
        with self.work:
            return bool(self.pending) or self.closed

    def catch_up(self) -> bool:
        """Data files, the pages that count every decision, the sitemap and the changed search
        shards of the newest site, after its pages are already on screen. Returns False if a
        newer save came first (the catch-up is then still due, for the site that save makes)."""
        site = self.stale
        if site is None or self.plugin is None:
            return True
        try:
            # Every data file, not only those a saved decision changes: the 数据下载 page describes
            # each file's columns from the site that wrote it (~1 s more at county scale, off screen).
            written: set[str] = set()
            for name in exports.NAMES:
                if self.interrupted():
                    return False
                for uri, data in exports.exports(site, only=(name,)).items():
                    self.put(uri, data)
                    written.add(uri)
            self.remove_unmade("data", lambda rel: rel in written)
            text = self.plugin.downloads_page(self.dir, site)
            if text is not None:
                self.put("downloads/index.html", text.encode("utf-8"))
            uris = []
            for uri, template, title, ctx in site.specs():
                uris.append(uri)
                # The sitemap page lists every agency's year pages: a save may add or drop one.
                if uri.startswith(("statistics/", "supervision/")) or uri == "sitemap/index.md":
                    if self.interrupted():
                        return False
                    self.write_page(site, uri, template, title, ctx)
            shell.write_sitemap(self.dir, getattr(self.plugin, "site_url", None), self.plugin.sitemap_uris(uris))
            # A year left without decisions has no statistics page in a full build.
            urls = {page_url(uri) for uri in uris}
            self.remove_unmade("statistics", lambda rel: not re.fullmatch(r"statistics/[0-9]+/index\.html", rel)
                               or rel[:-len("index.html")] in urls)
            if self.interrupted():
                return False
            self.reindex(site)
        finally:
            exports.release(site)
        if self.stale is site:
            self.stale = None
        gc.collect()
        return True

    def remove_unmade(self, top: str, kept: Callable[[str], bool]) -> None:
        """Remove the served files under `top` that `kept` (given the path in the site) refuses, and
        the folders they leave empty: what the last full build or catch-up wrote and the newest site
        no longer has (a year's statistics once its last decision is deleted)."""
        folder = self.dir / top
        for path in sorted(folder.rglob("*"), reverse=True):  # files before their folders
            rel = path.relative_to(self.dir).as_posix()
            if path.is_dir() and not path.is_symlink():
                with contextlib.suppress(OSError):
                    if not any(path.iterdir()):
                        path.rmdir()
            elif not kept(rel):
                with self.serving:  # never while a request is finding its file
                    path.unlink(missing_ok=True)

    def reindex(self, site: Site) -> None:
        """Re-run Pagefind only for shards that hold a changed decision or whose pages changed."""
        index = self.dir / search.INDEX_DIR
        if not (index / "shards.json").is_file():
            return  # built without search
        shards = search.shards(search.lean_pages(site, lazy=True))
        touched, self.touched = self.touched, set()
        relisted, self.relisted = tuple(f"agencies/{aid}/" for aid in self.relisted), set()
        stale = [s for s in shards if self.indexed.get(s.name) != s.members() or touched & s.pages.keys()
                 or (relisted and any(path.startswith(relisted) for path in s.pages))]
        if not stale and {s.name for s in shards} == set(self.indexed):
            return
        if self.closed:  # Pagefind takes seconds at county scale; Ctrl-C should not wait for it
            return
        started = time.perf_counter()
        names = {aid: data.agency.name for aid, data in site.agencies.items()}
        # Beside the served site (one file system): each shard is swapped in by renames.
        with tempfile.TemporaryDirectory(prefix="reindex-", dir=self.base) as tmp:
            manifest = search.build_index(Path(tmp) / "pf", stale, names)
            build.open_up(Path(tmp) / "pf")
            for s in stale:
                with self.serving:
                    if (index / s.name).exists():
                        (index / s.name).rename(Path(tmp) / f"old-{s.name}")
                    (Path(tmp) / "pf" / s.name).rename(index / s.name)
        for gone in set(self.indexed) - {s.name for s in shards}:
            shutil.rmtree(index / gone, ignore_errors=True)
        extra_manifest, extra_files, _ = search.extras(site)  # the exact lookup and counts.json
        search.write_files(index, extra_files, only_changed=True)
        manifest.update(extra_manifest)
        manifest["shards"] = [s.manifest() for s in shards]
        self.put(f"{search.INDEX_DIR}/shards.json", json.dumps(manifest, ensure_ascii=False).encode("utf-8"))
        self.indexed = {s.name: s.members() for s in shards}
        self.log(f"搜索索引已更新 {len(stale)} 个分片：{time.perf_counter() - started:.1f} 秒")

    # ------------------------------------------------------------ the worker and the watcher

    def submit(self, path: Path) -> None:
        with self.work:
            self.pending.add(path)
            self.work.notify()

    def step(self) -> None:
        """One piece of the worker's work: the saves waiting (once the editor is done writing),
        else the catch-up."""
        with self.work:
            # Woken by a save or a catch-up; else once a minute, to see whether the day has changed.
            while not (self.pending or self.stale is not None or self.clock() != self.today or self.closed):
                self.work.wait(timeout=CLOCK_EVERY)
            if self.pending:
                while self.work.wait(timeout=DEBOUNCE):  # debounce: until the editor stops writing
                    pass
            self.working.acquire()  # before the saves leave `pending`: the preview never looks settled between
            paths, self.pending = self.pending, set()
        try:
            if self.closed:
                return
            day = self.clock()
            if day != self.today:  # a new day: every deadline's days left, expiry, 逾期未公开
                self.today = day
                self.log(f"日期已变为 {day.isoformat()}：重新计算期限并生成全部页面")
                self.publish(busy=f"日期已变为 {day.isoformat()}，正在重新生成全部页面…")
                self.full()
            elif paths:
                self.update(paths)
            else:
                self.catch_up()
        except Exception as exc:  # keep serving the last good site whatever happened
            self.stale = None  # not retried in a loop; the next save brings everything up to date again
            self.log(f"预览更新失败：{type(exc).__name__}: {exc}")
            self.publish(errors=[f"预览更新失败（内部错误，请报告维护者）：{type(exc).__name__}: {exc}"], busy="")
        finally:
            self.working.release()

    def start(self) -> Any:
        """Watch the project and start the one worker that changes the served site; returns the observer."""
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        root = self.root
        submit = self.submit

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):
                if event.event_type in ("opened", "closed_no_write") or (
                        event.is_directory and event.event_type == "modified"):
                    return
                for raw in (event.src_path, getattr(event, "dest_path", "")):
                    if not raw:
                        continue
                    path = watched(root, raw, event.is_directory)
                    if path is not None:
                        if event.is_directory and path.parent == root and event.event_type in ("created", "moved"):
                            watch(path.name)  # made (templates/ for a first override) or moved in since the start
                        submit(path)

        def loop() -> None:
            while not self.closed:
                self.step()

        observer = Observer()
        watches: dict[str, Any] = {}

        def watch(name: str) -> None:
            if not (root / name).is_dir():
                return
            with contextlib.suppress(KeyError):  # the folder's old watch, gone with it
                observer.unschedule(watches.pop(name))
            watches[name] = observer.schedule(Handler(), str(root / name), recursive=True)

        # The project folder itself, not its subfolders: mkdocs.yml, and the folders of WATCHED made later.
        observer.schedule(Handler(), str(root), recursive=False)
        for name in WATCHED:
            watch(name)
        observer.start()
        threading.Thread(target=loop, name="disclose-preview-worker", daemon=True).start()
        return observer

    def close(self) -> None:
        """Remove the served site and everything beside it, once the worker is between two steps."""
        self.closed = True
        # A county's full rebuild can take a minute: past this, the process exits anyway.
        got = self.working.acquire(timeout=30)
        try:
            shutil.rmtree(self.base, ignore_errors=True)
        finally:
            if got:
                self.working.release()

    # ------------------------------------------------------------ serving

    def open(self, path: str) -> tuple[Any, str] | str | int:
        """The file a request path names, opened: (file, its path); a folder URL without its
        slash: the URL to redirect to; else an HTTP status. The lookup holds `serving`, so a
        full rebuild's swap never happens in the middle of it."""
        parts = request_parts(path)
        if parts is None:
            return 400
        with self.serving:
            local = self.dir.joinpath(*parts)
            try:
                if local.is_dir():
                    if not path.endswith("/"):
                        return path + "/"
                    local = local / "index.html"
                return (open(local, "rb"), str(local)) if local.is_file() else 404
            except (OSError, ValueError):
                return 404

    def handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        preview = self

        class Handler(http.server.SimpleHTTPRequestHandler):  # for its content types; every lookup is ours
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(preview.base), **kwargs)  # unused: spares os.getcwd()

            def log_message(self, *args):
                pass

            def do_GET(self):
                self.answer(body=True)

            def do_HEAD(self):
                self.answer(body=False)

            def answer(self, body: bool) -> None:
                if len(self.path) > MAX_URL:
                    return self.fail(400, body)
                url = urllib.parse.urlsplit(self.path)
                if url.path == EVENTS:
                    query = dict(urllib.parse.parse_qsl(url.query))
                    since = int(query["since"]) if query.get("since", "").lstrip("-").isdigit() else -1
                    return self.send(json.dumps(preview.wait(since)).encode(), "application/json", body)
                if url.path == LIVE_JS:
                    return self.send(LIVE_SCRIPT.encode(), "text/javascript", body)
                found = preview.open(url.path)
                if isinstance(found, int):
                    return self.fail(found, body)
                if isinstance(found, str):
                    self.send_response(301)
                    self.send_header("Location", found + (f"?{url.query}" if url.query else ""))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                f, local = found
                with f:
                    data = f.read()
                if local.endswith(".html"):
                    return self.send(self.live(data), "text/html; charset=utf-8", body)
                return self.send(data, self.guess_type(local), body)

            def live(self, data: bytes) -> bytes:
                """A page with the script that reloads it when the preview changes."""
                html = data.decode("utf-8", "replace")
                tag = f'<script src="{LIVE_JS}" data-version="{preview.state.version}"></script>'
                return (html.replace("</body>", tag + "</body>", 1) if "</body>" in html else html + tag).encode("utf-8")

            def fail(self, status: int, body: bool) -> None:
                """The site's own 404 page, as the published site answers (templates/deploy/nginx.conf), or
                a short Chinese page; never http.server's English one."""
                page = preview.open("/404.html") if status == 404 else None
                if isinstance(page, tuple):
                    with page[0] as f:
                        data = self.live(f.read())
                else:
                    data = ERROR_PAGE.format(status=status, what=ERRORS.get(status, "请求有误")).encode("utf-8")
                return self.send(data, "text/html; charset=utf-8", body, status)

            def send(self, data: bytes, ctype: str, body: bool = True, status: int = 200) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                if body:
                    self.wfile.write(data)

        return Handler


ERRORS = {400: "这个网址读不出来（含有不允许的字符，或太长）", 404: "没有这个页面"}
ERROR_PAGE = ('<!doctype html><html lang="zh"><meta charset="utf-8"><title>{what}</title>'
              '<p>{what}（{status}）。<a href="/">回到首页</a></p></html>')


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that leaves mid-answer (a reload during a long poll) is no error worth a traceback.
        import sys

        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError | TimeoutError):
            print(f"预览服务器出错：{type(exc).__name__}: {exc}", file=sys.stderr)


def request_parts(path: str) -> list[str] | None:
    """The folders and file a request path names inside the site, or None for a path that names
    nothing there: undecodable, a NUL byte, `..`, a name too long for the file system."""
    try:
        text = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if any(p == ".." or "\x00" in p or "\\" in p or len(p.encode("utf-8")) > 255 for p in parts):
        return None
    return parts


def watched(root: Path, raw: str | bytes, is_directory: bool) -> Path | None:
    """The path a file event names, if a load may read it (or it is a folder): else None.

    Its folder resolved, not the file: a file replaced by a link is reported as itself (a load
    sees the link), not as the file it points to. Editors save through temporary files (sed's
    "sedXXXX", vim's "4913", "x.yaml~", ".x.yaml.swp", Emacs' lock ".#x.yaml"): only files of the
    kinds a project holds count, and every file a load reads as a record does, whatever its case
    (x.YAML) and hidden ones (.x.yaml): saves load incrementally, and a file not reported is
    not read."""
    name = os.fsdecode(raw)
    path = Path(os.path.realpath(os.path.dirname(os.path.abspath(name)))) / os.path.basename(name)
    try:
        first = path.relative_to(root).parts[0]
    except (ValueError, IndexError):
        return None
    if first not in WATCHED or path.name.startswith(".#"):
        return None
    if path.name.lower().endswith(project_mod.YAML_SUFFIXES):
        return path
    if path.name.startswith((".", "~")):
        return None
    return path if path.suffix in RELEVANT or is_directory else None


def _list_file(root: Path, path: Path) -> str | None:
    """The agency whose officers, powers or benchmarks list `path` is (content/<agency>/<list>.yaml)."""
    try:
        parts = path.resolve().relative_to(root.resolve()).parts
    except ValueError:
        return None
    names = {k.files.path for k in kinds.agency_lists()}
    return parts[1] if len(parts) == 3 and parts[0] == "content" and parts[2] in names else None


def _is_decision_file(root: Path, path: Path) -> bool:
    try:
        parts = path.resolve().relative_to(root.resolve()).parts
    except ValueError:
        return False
    return (len(parts) >= 4 and parts[0] in ("content", "drafts") and parts[2] == "decisions"
            and path.suffix.lower() in project_mod.YAML_SUFFIXES)


def serve(root: Path, today: dt.date | Callable[[], dt.date], host: str, port: int, log=print) -> int:
    preview = Preview(root, today, log)
    observer = None
    stop_on_term = threading.current_thread() is threading.main_thread()
    if stop_on_term:  # `kill`: clean up like Ctrl+C (the preview's folders, Pagefind)
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        try:  # the port first: a busy one is told before a minute of building
            server = Server((host, port), preview.handler())
        except (OSError, OverflowError) as exc:
            if getattr(exc, "errno", None) == errno.EADDRINUSE:
                log(f"错误：端口 {port} 已被占用（{host}:{port}），预览无法启动。"
                    f"提示：关掉占用它的程序，或换一个端口，例如 --dev-addr {host}:{port + 1}")
            else:
                log(f"错误：无法在 {host}:{port} 上启动预览：{getattr(exc, 'strerror', None) or exc}。"
                    "提示：--dev-addr 写成 地址:端口，例如 127.0.0.1:8000")
            return 2
        with server:
            log("正在生成预览网站…")
            if not preview.full():
                log("内容有错误，改正后保存即可继续（预览会自动重试）")
                preview.placeholder()  # served with the errors until the first good build
            observer = preview.start()
            log(f"预览地址：http://{host}:{port}/（保存文件后自动刷新；按 Ctrl+C 停止）")
            server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if observer is not None:
            observer.stop()
        preview.close()
        if stop_on_term:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


# Added to every page while previewing: reload on a new version, show errors over the page.
LIVE_SCRIPT = r"""
(function () {
  var me = document.currentScript;
  var version = parseInt(me.getAttribute("data-version"), 10);
  var box = null;
  function show(errors, busy) {
    if (!errors.length && !busy) { if (box) { box.remove(); box = null; } return; }
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:45vh;overflow:auto;z-index:10000;" +
        "background:#fff8e1;color:#3e2723;border-top:4px solid #b71c1c;padding:12px 16px;font:15px/1.6 sans-serif;" +
        "box-shadow:0 -2px 8px rgba(0,0,0,.3)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var h = document.createElement("strong");
    h.textContent = busy ? busy : "内容有 " + errors.length + " 处错误，页面仍是上一次正确的版本。改正后保存即可：";
    box.appendChild(h);
    var ul = document.createElement("ul");
    errors.forEach(function (e) { var li = document.createElement("li"); li.textContent = e; ul.appendChild(li); });
    box.appendChild(ul);
  }
  function poll() {
    fetch("/__disclose__/events?since=" + version, { cache: "no-store" }).then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.version !== version) {
          version = s.version;
          if (!s.errors.length && !s.busy) { location.reload(); return; }
          show(s.errors, s.busy);
        }
        poll();
      }).catch(function () { setTimeout(poll, 1000); });
  }
  fetch("/__disclose__/events?since=-1", { cache: "no-store" }).then(function (r) { return r.json(); })
    .then(function (s) {
      if (s.version !== version && !s.errors.length && !s.busy) { location.reload(); return; }
      version = s.version; show(s.errors, s.busy); poll();
    })
    .catch(function () { setTimeout(poll, 1000); });
})();
"""

