"""Write record pages into frames that MkDocs + Material rendered once per folder depth.

MkDocs spends ~2 ms on every page (Markdown, page context, theme render);
at 50,000 decisions that alone breaks the one-minute build. A record page
differs from any other page of the same depth only in its title, its URL and
its body, so MkDocs renders one frame page per depth with placeholders in
those three places and we splice each record into it: the same HTML,
relative links included, at the cost of a Jinja render and a file write.
"""

from __future__ import annotations

import gc
import gzip
import html
import multiprocessing
import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from . import fsjobs
from .render import Site, page_url

TITLE = "DISCLOSEFRAMETITLE"
BODY = "<h1>DISCLOSEFRAMEBODY</h1>"  # an <h1> so Material does not add a title heading of its own
URL = "DISCLOSEFRAMEURL/"
DESCRIPTION = "DISCLOSEFRAMEDESCRIPTION"  # the content of <meta name="description">
FRAME_DIR = "_disclose_frame"

# Below this many pages a second process costs more than it saves.
PARALLEL_FROM = 3000


def nav_uris(nav: list) -> list[str]:
    """Every page file named in an MkDocs nav (nested lists and dicts)."""
    out: list[str] = []
    for item in nav:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                out.extend(nav_uris(value) if isinstance(value, list) else [value] if isinstance(value, str) else [])
        elif isinstance(item, list):
            out.extend(nav_uris(item))
    return out


def depth(uri: str) -> int:
    """How many folders deep a page's URL is: agencies/a01/ → 2."""
    return page_url(uri).count("/")


class Frames:
    def __init__(self, depths: set[int]):
        self.by_uri = {self.uri_for(d): d for d in depths if d > 0}
        self.parts: dict[int, list[str]] = {}

    @staticmethod
    def uri_for(d: int) -> str:
        return "/".join([f"{FRAME_DIR}{d}", *["x"] * (d - 1), "index.md"])

    def uris(self) -> list[str]:
        return list(self.by_uri)

    def is_frame(self, uri: str) -> bool:
        return uri in self.by_uri

    def keep(self, uri: str, output: str) -> None:
        own_url = page_url(uri)
        text = output.replace(own_url, URL)  # the canonical link names the page's own URL
        self.parts[self.by_uri[uri]] = split(text)

    def remove(self, site_dir: Path) -> None:
        for d in self.by_uri.values():
            shutil.rmtree(site_dir / f"{FRAME_DIR}{d}", ignore_errors=True)


def split(text: str) -> list[str]:
    """The frame cut at its placeholders, kept in order: text, marker, text, marker, …"""
    out: list[str] = []
    rest = text
    markers = (TITLE, BODY, URL, DESCRIPTION)
    while True:
        found = [(rest.find(m), m) for m in markers if m in rest]
        if not found:
            out.append(rest)
            return out
        at, marker = min(found)
        out.extend([rest[:at], marker])
        rest = rest[at + len(marker):]


def fill(parts: list[str], title: str, body: str, url: str, description: str = "") -> str:
    values = {TITLE: html.escape(title, quote=True), BODY: body, URL: url,
              DESCRIPTION: html.escape(description or title, quote=True)}
    return "".join(values.get(p, p) if i % 2 else p for i, p in enumerate(parts))


# Set before forking so the workers inherit them instead of receiving them pickled.
_job: tuple | None = None


def _write(target: str, data: bytes) -> None:
    fsjobs.make_folder(os.path.dirname(target))  # every record page has a folder of its own
    with open(target, "wb") as f:
        f.write(data)


def _write_range(bounds: tuple[int, int]) -> list[tuple[str, str, str | None, bool]]:
    """(uri, path in the site, key, kept from the previous site) of each page in `bounds`."""
    site, specs, parts_by_depth, site_dir, cache = _job  # type: ignore[misc]
    out = []
    root = str(site_dir)
    # Rendering holds the GIL, file system calls release it: two writer threads take the
    # mkdir/open/write (~0.4 ms a page here) off the rendering thread.
    with ThreadPoolExecutor(max_workers=2) as writers:
        pending: list = []
        for uri, template, title, ctx in specs[bounds[0]:bounds[1]]:
            url = page_url(uri)
            key = cache.key(site, uri, template, title, ctx) if cache is not None else None
            if key is not None and cache.reuse(f"{url}index.html", key):
                out.append((uri, f"{url}index.html", key, True))  # the previous build's page: same inputs, same bytes
                continue
            page = site.render(uri, template, title, **ctx)
            text = fill(parts_by_depth[depth(uri)], page.title, page.html, url, page.description)
            pending.append(writers.submit(_write, f"{root}/{url}index.html", text.encode("utf-8")))
            out.append((uri, f"{url}index.html", key, False))
            if len(pending) > 256:  # bounded: finished writes are checked (and their errors raised) as we go
                for f in pending[:128]:
                    f.result()
                del pending[:128]
        for f in pending:
            f.result()
    return out


def write_pages(site: Site, specs: list[tuple], frames: Frames, site_dir: Path, cache=None) -> list[str]:
    """Render and write every page in `specs`; returns their URIs. `cache` (generator.cache.PageCache):
    copy instead of render the pages whose inputs did not change since the previous build."""
    global _job
    if cache is not None:
        cache.start(site.project, frames.parts, site_dir)
    _job = (site, specs, frames.parts, site_dir, cache)
    try:
        # One process by default: forked writers copy the project's pages as they touch them
        # (+500 MB at county scale) and compete with Pagefind for the same two cores.
        workers = int(os.environ.get("DISCLOSE_JOBS") or 1)
        # The workers must inherit `_job` by fork, and a fork beside running threads (a preview's
        # server, the search indexer) could copy a lock one of them holds: then no pool.
        if (len(specs) >= PARALLEL_FROM and workers > 1 and threading.active_count() == 1
                and "fork" in multiprocessing.get_all_start_methods()):
            step = max(1, len(specs) // (workers * 8))
            ranges = [(i, min(i + step, len(specs))) for i in range(0, len(specs), step)]
            gc.freeze()  # the workers inherit the heap: keep their collector off it (copy-on-write)
            try:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    done = [item for chunk in pool.imap(_write_range, ranges) for item in chunk]
            finally:
                gc.unfreeze()
        else:
            done = _write_range((0, len(specs)))
        if cache is not None:  # the keys of this build, recorded once it is in place (cache.save)
            cache.new.update({path: key for _uri, path, key, _kept in done if key is not None})
            cache.keep(path for _uri, path, _key, kept in done if kept)
        return [uri for uri, _path, _key, _kept in done]
    finally:
        _job = None


def write_sitemap(site_dir: Path, site_url: str | None, uris: list[str]) -> None:
    """MkDocs' sitemap lists only the pages it rendered (and the frames); list every page instead."""
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        (site_dir / name).unlink(missing_ok=True)
    if not site_url:
        return  # a sitemap needs absolute URLs
    base = site_url.rstrip("/") + "/"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{xml_escape(base + page_url(uri))}</loc></url>" for uri in uris]
    lines.append("</urlset>\n")
    data = "\n".join(lines).encode("utf-8")
    (site_dir / "sitemap.xml").write_bytes(data)
    # zlib's default level: level 9 took 3× as long at county scale for 10 % fewer bytes.
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(data, compresslevel=6, mtime=0))
