"""`disclose serve`: a live preview that stays quick at county scale and survives broken saves.

`mkdocs serve` rebuilds the whole site on every save: a minute for a county.
Here the first build is a full one; after that a saved decision re-renders
only its own page and the lists that show it (a second or two), and the
search index and data files catch up in the background. A save that breaks
the content keeps the last good site on screen with the errors laid over it;
the next good save clears them. Any other change (templates, site_config,
officer or power lists) triggers a full rebuild, also kept off screen until
it succeeds.

The browser learns of updates by long-polling /__disclose__/events; the
script that does so is added to every HTML page served, never to the built site.
"""

from __future__ import annotations

import datetime as dt
import gc
import http.server
import json
import os
import shutil
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import exports, search, shell
from . import project as project_mod
from .render import Site, page_url

EVENTS = "/__disclose__/events"
LIVE_JS = "/__disclose__/live.js"
DEBOUNCE = 0.15  # seconds of quiet after the last file event: editors save in several writes
WATCHED = ("content", "site_config", "drafts", "templates", "mkdocs.yml")
RELEVANT = (".yaml", ".yml", ".html", ".md", ".css", ".js", ".svg", ".png")


@dataclass
class State:
    version: int = 0
    errors: list[str] = field(default_factory=list)
    busy: str = ""  # what is being rebuilt, shown in the page while it runs
    took: float = 0.0


class Preview:
    def __init__(self, root: Path, today: dt.date, log=print):
        self.root = root
        self.today = today
        self.log = log
        self.state = State()
        self.changed = threading.Condition()
        self.dir: Path | None = None  # the site being served
        self.plugin: Any = None
        self.site: Site | None = None
        self.background: threading.Thread | None = None
        self.indexed: dict[str, tuple[str, ...]] = {}  # shard name → the pages in it
        self.touched: set[str] = set()  # lean pages of decisions changed since the last re-index

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
            catching_up = self.background is not None and self.background.is_alive()
            return {"version": s.version, "errors": s.errors, "busy": s.busy, "took": round(s.took, 2),
                    "catching_up": catching_up}  # search index and data files still being updated

    # ------------------------------------------------------------ builds

    def full(self, project: project_mod.Project | None = None) -> bool:
        """Build the whole site beside the one served; swap on success."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        from .cli import config_file
        from .plugin import PRELOADED

        started = time.perf_counter()
        project = project or project_mod.load(self.root, self.today)
        if not project.ok:
            self.fail(project)
            return False
        target = Path(tempfile.mkdtemp(prefix="disclose-preview-"))
        PRELOADED[(str(self.root.resolve()), self.today.isoformat())] = project
        old_env = {k: os.environ.get(k) for k in ("DISCLOSE_PROJECT", "DISCLOSE_TODAY")}
        os.environ.update(DISCLOSE_PROJECT=str(self.root), DISCLOSE_TODAY=self.today.isoformat())
        try:
            cfg = load_config(config_file=config_file(self.root), site_dir=str(target))
            build(cfg)
        except (MkDocsException, SystemExit) as exc:
            shutil.rmtree(target, ignore_errors=True)
            self.publish(errors=[f"构建失败：{exc}"], busy="")
            return False
        finally:
            PRELOADED.clear()
            for k, v in old_env.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        old, self.dir = self.dir, target
        self.plugin = cfg.plugins["disclose"]
        self.site = self.plugin.site
        self.indexed = dict(self.plugin.index_members)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        took = time.perf_counter() - started
        self.log(f"已重新生成全部页面：{took:.1f} 秒")
        self.publish(errors=[], busy="", took=took)
        return True

    def fail(self, project: project_mod.Project) -> None:
        errors = [p.format() for p in project.problems if p.is_error]
        for line in errors:
            self.log(line)
        self.log(f"内容有 {len(errors)} 个错误：网页保留上一次正确的版本")
        self.publish(errors=errors[:100] + ([f"……另有 {len(errors) - 100} 个错误"] if len(errors) > 100 else []),
                     busy="")

    def update(self, paths: set[Path]) -> None:
        """Bring the served site up to date with saved files."""
        # The collector's full passes over a county's heap cost seconds: off while the
        # page is updated, one collection later in the background.
        gc.disable()
        try:
            self._update(paths)
        finally:
            gc.enable()

    def _update(self, paths: set[Path]) -> None:
        started = time.perf_counter()
        project = project_mod.load(self.root, self.today)
        if not project.ok:
            self.fail(project)
            return
        if self.site is None or not all(_is_decision_file(self.root, p) for p in paths):
            self.publish(busy="正在重新生成全部页面…")
            self.full(project)
            return
        old, site = self.site, Site(project)
        written = self.decisions_changed(old, site)
        self.site = site
        took = time.perf_counter() - started
        self.log(f"已更新 {written} 个页面：{took:.2f} 秒")
        self.publish(errors=[], busy="", took=took)
        self.catch_up(site)

    def decisions_changed(self, old: Site, site: Site) -> int:
        """Re-render the pages of changed decisions and the lists that show them."""
        assert self.dir is not None
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
        for aid in agencies:
            wanted |= {site.agency_uri(aid), site.agency_uri(aid, "decisions/index")}
            wanted |= {site.year_uri(aid, y) for y in site.years(aid)}
            for y in old.years(aid):
                if y not in site.years(aid):
                    shutil.rmtree(self.dir / page_url(old.year_uri(aid, y)), ignore_errors=True)
        wanted |= {"index.md", "agencies/index.md", "decisions/index.md"}
        count = 0
        seen = 0
        for uri, template, title, ctx in site.specs():
            if seen == len(wanted):
                break  # the rest (statistics, supervision) look at every decision: not for one save
            if uri not in wanted:
                continue
            seen += 1
            page = site.render(uri, template, title, **ctx)
            if uri in self.plugin.nav_frames:
                text = shell.fill(self.plugin.nav_frames[uri], page.title, page.html, page_url(uri))
            elif uri not in self.plugin.nav_pages:
                text = shell.fill(self.plugin.frames.parts[shell.depth(uri)], page.title, page.html, page_url(uri))
            else:
                continue
            target = self.dir / page_url(uri) / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            count += 1
        return count

    def catch_up(self, site: Site) -> None:
        """Data files and the changed search shards, after the pages are already on screen."""
        if self.background is not None and self.background.is_alive():
            self.background.join()

        def run() -> None:
            assert self.dir is not None
            for uri, data in exports.exports(site, only=("decisions", "per_agency", "feeds", "shuanggongshi")).items():  # what a decision can change
                target = self.dir / uri
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            exports.release(site)
            self.reindex(site)
            gc.collect()

        self.background = threading.Thread(target=run, name="disclose-catch-up", daemon=True)
        self.background.start()

    def reindex(self, site: Site) -> None:
        """Re-run Pagefind only for shards that hold a changed decision or whose pages changed."""
        assert self.dir is not None
        if not (self.dir / search.INDEX_DIR / "shards.json").is_file():
            return  # built without search
        shards = search.shards(search.lean_pages(site, lazy=True))
        touched, self.touched = self.touched, set()
        stale = [s for s in shards if self.indexed.get(s.name) != s.members() or touched & s.pages.keys()]
        if not stale and {s.name for s in shards} == set(self.indexed):
            return
        started = time.perf_counter()
        names = {aid: data.agency.name for aid, data in site.agencies.items()}
        with tempfile.TemporaryDirectory(prefix="disclose-reindex-") as tmp:
            manifest = search.build_index(Path(tmp) / "pf", stale, names)
            root = self.dir / search.INDEX_DIR
            for s in stale:
                shutil.rmtree(root / s.name, ignore_errors=True)
                shutil.move(str(Path(tmp) / "pf" / s.name), str(root / s.name))
        for gone in set(self.indexed) - {s.name for s in shards}:
            shutil.rmtree(self.dir / search.INDEX_DIR / gone, ignore_errors=True)
        manifest["shards"] = [s.manifest() for s in shards]
        (self.dir / search.INDEX_DIR / "shards.json").write_text(json.dumps(manifest, ensure_ascii=False),
                                                                   encoding="utf-8")
        self.indexed = {s.name: s.members() for s in shards}
        self.log(f"搜索索引已更新 {len(stale)} 个分片：{time.perf_counter() - started:.1f} 秒")

    # ------------------------------------------------------------ watching

    def watch(self) -> Any:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        pending: set[Path] = set()
        lock = threading.Condition()
        root = self.root.resolve()

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):
                if event.event_type in ("opened", "closed_no_write") or (
                        event.is_directory and event.event_type == "modified"):
                    return
                for raw in (event.src_path, getattr(event, "dest_path", "")):
                    if not raw:
                        continue
                    path = Path(os.fsdecode(raw)).resolve()
                    try:
                        first = path.relative_to(root).parts[0]
                    except (ValueError, IndexError):
                        continue
                    # Editors save through temporary files (sed's "sedXXXX", vim's "4913", "x.yaml~"):
                    # only files of the kinds a project holds count.
                    if first in WATCHED and not path.name.startswith((".", "~")) and (
                            path.suffix in RELEVANT or event.is_directory):
                        with lock:
                            pending.add(path)
                            lock.notify()

        def loop() -> None:
            while True:
                with lock:
                    lock.wait_for(lambda: bool(pending))
                    # Debounce: wait until the editor has finished writing.
                    while lock.wait(timeout=DEBOUNCE):
                        pass
                    paths = set(pending)
                    pending.clear()
                try:
                    self.update(paths)
                except Exception as exc:  # keep serving the last good site whatever happened
                    self.log(f"预览更新失败：{type(exc).__name__}: {exc}")
                    self.publish(errors=[f"预览更新失败（内部错误，请报告维护者）：{type(exc).__name__}: {exc}"],
                                 busy="")

        observer = Observer()
        for name in WATCHED:
            if (root / name).exists():
                observer.schedule(Handler(), str(root / name if (root / name).is_dir() else root),
                                  recursive=(root / name).is_dir())
        observer.start()
        threading.Thread(target=loop, name="disclose-watch", daemon=True).start()
        return observer

    # ------------------------------------------------------------ serving

    def handler(self) -> type[http.server.SimpleHTTPRequestHandler]:
        preview = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(preview.dir), **kwargs)

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path.split("?", 1)[0]
                if path == EVENTS:
                    query = dict(urllib.parse.parse_qsl(self.path.partition("?")[2]))
                    since = int(query["since"]) if query.get("since", "").lstrip("-").isdigit() else -1
                    return self.send(json.dumps(preview.wait(since)).encode(), "application/json")
                if path == LIVE_JS:
                    return self.send(LIVE_SCRIPT.encode(), "text/javascript")
                local = Path(self.translate_path(path))
                if local.is_dir():
                    local = local / "index.html"
                if local.suffix == ".html" and local.is_file():
                    html = local.read_text(encoding="utf-8")
                    tag = f'<script src="{LIVE_JS}" data-version="{preview.state.version}"></script>'
                    html = html.replace("</body>", tag + "</body>", 1) if "</body>" in html else html + tag
                    return self.send(html.encode("utf-8"), "text/html; charset=utf-8")
                return super().do_GET()

            def send(self, body: bytes, ctype: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

        return Handler


def _is_decision_file(root: Path, path: Path) -> bool:
    try:
        parts = path.resolve().relative_to(root.resolve()).parts
    except ValueError:
        return False
    return (len(parts) >= 4 and parts[0] in ("content", "drafts") and parts[2] == "decisions"
            and path.suffix in (".yaml", ".yml"))


def serve(root: Path, today: dt.date, host: str, port: int, log=print) -> int:
    preview = Preview(root, today, log)
    log("正在生成预览网站…")
    if not preview.full():
        log("内容有错误，改正后保存即可继续（预览会自动重试）")
        # Serve an empty page with the errors until the first good build.
        preview.dir = Path(tempfile.mkdtemp(prefix="disclose-preview-"))
        (preview.dir / "index.html").write_text(
            "<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>预览</title></head>"
            "<body><h1>预览尚未生成</h1><p>请按下方错误提示修改内容。</p></body></html>", encoding="utf-8")
    observer = preview.watch()
    server = http.server.ThreadingHTTPServer((host, port), preview.handler())
    server.daemon_threads = True
    log(f"预览地址：http://{host}:{port}/（保存文件后自动刷新；按 Ctrl+C 停止）")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.server_close()
        if preview.dir is not None:
            shutil.rmtree(preview.dir, ignore_errors=True)
    return 0


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

