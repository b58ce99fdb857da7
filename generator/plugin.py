"""The thin MkDocs plugin: runs the generator and hands its pages and exports to MkDocs.

`disclose build` and `disclose serve` run MkDocs through generator/build.py,
which hands this plugin the project it already loaded and checked (the
`handoff` attribute, set between MkDocs' load_config and build). Run by
`mkdocs build` / `mkdocs serve` directly, the plugin loads the project itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import time
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager
from pathlib import Path

import markupsafe
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import build, exports, identity, kinds, search, shell
from . import cache as cache_mod
from .calendar import BEIJING
from .heap import no_gc
from .problems import summary
from .render import Page, Site

log = logging.getLogger("mkdocs.plugins.disclose")


class DiscloseConfig(Config):
    project = c.Optional(c.Type(str))
    """The project folder holding content/ and site_config/; default: the folder of mkdocs.yml."""
    today = c.Optional(c.Type(str))
    """Fix the build date (YYYY-MM-DD) for reproducible builds; default: today."""
    strict = c.Type(bool, default=False)
    """Treat warnings as errors."""


def _give_back() -> None:
    """Return the memory the data files were made in to the system. Freed rows leave glibc's heap
    with holes it keeps (~240 MB at county scale), while Pagefind, still indexing, needs as much
    again: the build's peak."""
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc (musl, macOS): nothing to ask
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class DisclosePlugin(BasePlugin[DiscloseConfig]):
    """Pages in nav go through MkDocs as usual. The record pages (tens of thousands in a county)
    are rendered straight into a frame that MkDocs + Material rendered once per folder depth:
    the same HTML MkDocs would write, without its ~2 ms of per-page work."""

    handoff: build.Handoff | None = None  # set by generator.build.render; None under plain mkdocs
    indexer: search.Indexer | None = None
    cache = None  # generator.cache.PageCache of an incremental build
    shard_keys: dict[str, dict] | None = None
    shards_reused = 0

    def on_config(self, config):
        handoff = self.handoff
        if handoff is not None:  # disclose build/serve: loaded, checked and reported already
            project, strict = handoff.project, handoff.strict
            self.cache = handoff.cache
            exiting = handoff.exiting
            root, today = Path(project.root), project.today
        else:  # mkdocs build/serve: load here and report
            root = Path(self.config.project or Path(config.config_file_path).parent).resolve()
            today_text = self.config.today or os.environ.get("DISCLOSE_TODAY")
            # The plugin is an entry point (mkdocs build/serve): reading the clock is allowed here only.
            today = dt.date.fromisoformat(today_text) if today_text else dt.datetime.now(BEIJING).date()
            strict = self.config.strict
            exiting = False
            try:
                build.check_out(root, config.site_dir)
            except build.Refused as exc:
                raise PluginError(str(exc)) from exc
            build.mark_site(Path(config.site_dir))  # so the next build may replace what this one writes
            project = build.load(root, today)  # with the logo/favicon files checked (identity.problems)
            for p in project.problems:
                (log.error if p.is_error else log.warning)(p.format())
        self.handoff = None  # the project is held as self.site from here on
        if not project.ok or (strict and any(p.fails_strict for p in project.problems)):
            raise PluginError(summary(project.problems))
        # Tens of thousands of long-lived, acyclic objects (the view, the page list, the lean pages):
        # with the collector on, its passes over them cost more than making them (~1 s at county scale).
        # A command that exits after the build freezes them, as it froze the records: the collector's
        # later passes, _give_back's included, need not walk them. A preview, long-running, does not.
        with no_gc(freeze=exiting):
            self._set_up(project, config)
        # site.yaml text reaches the theme escaped once, as Markup (see model.Site.for_theme).
        shown = project.site.for_theme() if project.site else {}
        if project.site:
            config.site_name = shown["title"]
            if project.site.base_url:  # validated: http(s) only
                config.site_url = project.site.base_url
        # Printed raw by Material where a page has no description of its own (the 404 page): escaped here.
        config.site_description = markupsafe.Markup("{}：行政执法公示信息").format(config.site_name)
        config.extra["disclose"] = {**shown, "today": today.isoformat()}
        # The agency's own logo and favicon (site.yaml), copied into the site under fixed names.
        self.identity_files = identity.assets(project.site, root)
        for uri in self.identity_files:
            key = "logo" if uri.rsplit("/", 1)[-1].startswith("logo") else "favicon"
            config.theme[key] = uri
        for sub in (*kinds.top_folders(), "site_config", "drafts"):
            if (root / sub).is_dir() and str(root / sub) not in config.watch:
                config.watch.append(str(root / sub))
        return config

    def _set_up(self, project, config) -> None:
        """The site's view and page list; Pagefind started on the lean pages."""
        folder = self.cache.folder if self.cache is not None else None
        self.site = Site(project, masked=self.cache.masked_views() if self.cache is not None else None,
                         compiled=functools.partial(cache_mod.compiled_templates, folder))
        # Pagefind runs beside MkDocs and the page writers: it is the longest step at county scale,
        # and after a commit the newest shard's run (~2 s) is what the build waits for. Started
        # before the page list is made (~1 s at county scale), which its lean pages do not need.
        self.indexer = (search.Indexer(self.site, cache=self.cache)
                        if os.environ.get("DISCLOSE_NO_SEARCH") != "1" else None)
        in_nav = set(shell.nav_uris(config.nav or []))
        self.nav_pages: dict[str, Page] = {}
        self.nav_frames: dict[str, list[str]] = {}
        self.direct: list[tuple] = []
        for spec in self.site.specs():
            if spec[0] in in_nav:
                render = functools.partial(self.site.render, spec[0], spec[1], spec[2], **spec[3])
                self.nav_pages[spec[0]] = (self.cache.nav_page(self.site, *spec[:3], render) if self.cache is not None
                                           else render())
            else:
                self.direct.append(spec)
        self.frames = shell.Frames({shell.depth(spec[0]) for spec in self.direct})
        self.index_members = {s.name: s.members() for s in self.indexer.shards} if self.indexer else {}

    def on_files(self, files: Files, config) -> Files:
        for uri in [*self.nav_pages, *self.frames.uris()]:
            files.append(File.generated(config, uri, content=""))
        for uri, path in self.identity_files.items():
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        return files

    def on_env(self, env, config, files):
        env.filters.update(identity.filters())  # the footer's links (partials/copyright.html)
        if self.cache is not None:
            env.bytecode_cache = cache_mod.compiled_templates(self.cache.folder, "theme")
        return env

    def on_page_markdown(self, markdown, page, config, files):
        uri = page.file.src_uri
        found = self.nav_pages.get(uri)
        if found:
            page.meta["title"] = found.title
            page.meta["description"] = markupsafe.escape(found.description)
        elif self.frames.is_frame(uri):
            page.meta["title"] = shell.TITLE
            page.meta["description"] = shell.DESCRIPTION
        else:  # a Markdown page (关于本站, 怎样查询, the staff guide): its front matter, escaped, or its title
            title = page.title or ("使用说明" if uri.startswith("guide/") else "")
            said = page.meta.get("description") or f"{self.site.title} · {title}"
            page.meta["description"] = markupsafe.escape(said)
        if found or self.frames.is_frame(uri):
            # Record pages have no table of contents: the right-hand column would sit empty beside them.
            page.meta["hide"] = [*page.meta.get("hide", []), "toc"]
        if uri.startswith("guide/"):
            from . import guide

            return guide.fill(markdown, self.site.project.rules)
        return markdown

    def on_page_content(self, html, page, config, files):
        found = self.nav_pages.get(page.file.src_uri)
        if found:
            return found.html
        if self.frames.is_frame(page.file.src_uri):
            return shell.BODY
        return html

    def on_post_page(self, output, page, config):
        uri = page.file.src_uri
        if self.frames.is_frame(uri):
            self.frames.keep(uri, output)
        elif uri in self.nav_pages:
            # Kept for `disclose serve`, which re-renders a nav page's body and splices it back.
            before, found, after = output.partition(self.nav_pages[uri].html)
            if found:
                self.nav_frames[uri] = shell.split(before + shell.BODY + after)  # its title never changes
        return output

    def write_exports(self, site_dir: Path, hold: Callable[[], ContextManager] = contextlib.nullcontext) -> None:
        """Every data file; with a cache, a group whose inputs did not change is kept from the
        previous build instead (generator/cache.py), its row counts and columns as recorded.
        `hold`: entered while the decision rows are in memory (the build holds Pagefind back)."""
        site = self.site
        try:
            for name in exports.NAMES:
                if name not in exports.ROWS:
                    self._write_groups(site_dir, name)
            with hold():
                for name in exports.ROWS:
                    self._write_groups(site_dir, name)
                exports.release(site)
                _give_back()
        finally:
            exports.release(site)

    def _write_groups(self, site_dir: Path, name: str) -> None:
        site, cache = self.site, self.cache
        for group in exports.groups(site, name):
            key = cache.group_key(site, group) if cache is not None else None
            was = cache.reuse_group(group.id, key) if key is not None else None
            if was is not None:
                site.export_rows.update(was.get("rows", {}))
                site.export_fields.update(was.get("fields", {}))
                continue
            # What the group counts (export_rows, export_fields: its CSV columns, filled in place).
            rows, fields = dict(site.export_rows), {k: list(v) for k, v in site.export_fields.items()}
            parts = None
            if group.id == "decisions" and cache is not None and key is not None:
                made, parts = cache.decision_files(site)  # unchanged rows from the previous files
            elif group.id == "shuanggongshi" and cache is not None and key is not None:
                made, parts = cache.shuanggongshi_files(site)  # the same, for the two 双公示 files
            else:
                made = group.make()
            for uri, data in made.items():
                target = site_dir / uri
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            if cache is not None:
                cache.wrote_group(group.id, key, made, {k: v for k, v in site.export_rows.items()
                                                        if rows.get(k) != v},
                                  {k: list(v) for k, v in site.export_fields.items() if fields.get(k) != v},
                                  parts)

    def sitemap_uris(self, uris: list[str]) -> list[str]:
        """Every public page, as sitemap.xml lists them: the record pages in the navigation, the other
        record pages (`uris`: all of them, in the order of Site.specs), the navigation's Markdown pages."""
        return [*(u for u in uris if u in self.nav_pages), *(u for u in uris if u not in self.nav_pages),
                *getattr(self, "markdown", [])]

    def markdown_pages(self, config) -> list[str]:
        return [uri for uri in shell.nav_uris(config.nav or []) if uri not in self.nav_pages and uri.endswith(".md")]

    def downloads_page(self, site_dir: Path, site: Site | None = None) -> str | None:
        """The 数据下载 page lists sizes and row counts: rendered once the files exist.
        `site`: the one whose exports were written last (a preview passes its newest)."""
        uri = "downloads/index.md"
        if uri not in self.nav_frames:
            return None
        from .downloads import COLLECTIONS, listing

        site = site or self.site
        listed = listing(site_dir, list(site.agencies), site.export_rows, site.export_fields,
                         self.cache.kept_files() if self.cache is not None else None)
        page = site.render(uri, "downloads.html", "数据下载", listing=listed, collections=COLLECTIONS)
        return shell.fill(self.nav_frames[uri], page.title, page.html, "downloads/", page.description)

    def stop(self) -> None:
        """Stop the search indexer (its Pagefind runs) of a build that failed. Safe to call twice."""
        indexer, self.indexer = self.indexer, None
        if indexer is not None:
            indexer.stop()

    def on_build_error(self, error):
        self.stop()

    def on_post_build(self, config):
        site_dir = Path(config.site_dir)
        self.site_url = config.site_url  # a preview rewrites the sitemap after a save
        started = time.perf_counter()
        written = shell.write_pages(self.site, self.direct, self.frames, site_dir, self.cache)
        self.frames.remove(site_dir)
        # Every public page: the record pages and the Markdown pages of the navigation (not the staff guide).
        self.markdown = self.markdown_pages(config)  # listed again by a preview's sitemap after a save
        shell.write_sitemap(site_dir, config.site_url, self.sitemap_uris([*self.nav_pages, *written]))
        log.info(f"记录页面 {len(written)} 个：{time.perf_counter() - started:.1f} 秒")
        # Data files after the page writers have exited, one at a time: a county's decisions.json
        # is ~40 MB and need not sit in memory beside them.
        started = time.perf_counter()
        self.write_exports(site_dir, self.indexer.runs.held if self.indexer is not None else contextlib.nullcontext)
        text = self.downloads_page(site_dir)
        if text is not None:
            (site_dir / "downloads" / "index.html").write_text(text, encoding="utf-8")
        log.info(f"数据下载文件：{time.perf_counter() - started:.1f} 秒")
        if self.indexer is not None:
            started = time.perf_counter()
            indexer, self.indexer = self.indexer, None
            try:
                manifest = indexer.finish(site_dir)
            except search.SearchIndexError as exc:
                raise PluginError(str(exc)) from exc
            self.shard_keys, self.shards_reused = indexer.keys, len(indexer.reused)
            pages = sum(s["pages"] for s in manifest["shards"])
            log.info(f"搜索索引 {pages} 页、{len(manifest['shards'])} 个分片（与页面同时建立），"
                     f"另等待 {time.perf_counter() - started:.1f} 秒")
