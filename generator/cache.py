"""Incremental publishing: reuse what the previous build read and wrote.

Two caches live in the cache folder (and the search extras beside them) (`.cache/disclose/` in the project by
default; `disclose validate` and `disclose build` share it):

- records/ (RecordCache): what each record file was read as (records, their
  problems, the personal-data guard's problems), by the SHA-256 of its bytes,
  so a load parses and validates only the files that changed. The checks
  across records (references, duplicates, page addresses) and the stamps run
  over every record on every load.
- manifest.json (PageCache): which key produced which page, data file and
  Pagefind shard of the site now in `--out`.

A page, a group of data files or a Pagefind shard is reused only when the key
of everything that goes into it equals the key recorded when the previous
build wrote it, and the file in `--out` is still the one that build wrote
(a plain file of the size, mtime and mode recorded), and only when the site in
`--out` is the one the manifest describes: the manifest records the build token
of the site's marker (build.site_token), which every build writes anew. A
reused file is not written: where most of the site is kept, the build patches
`--out` in place with the files it wrote and deletes those it no longer builds
(generator/sitepatch.py); where most was written anew, the kept files are
hard-linked (copied across file systems) into the new site, which is swapped in
whole. Either way the result is the same bytes a full build writes;
tests/test_incremental.py compares. Modification times are compared in whole
seconds: CI caches (tar) keep no more. In CI, keep both the cache folder and the
output folder between runs, in one cache entry.

Keys:
- `base`: what every page depends on beyond its own records: the generator
  (generator_key: its version, its own files and templates hashed, Python's and
  the libraries' versions), the build date, the frames MkDocs + Material
  rendered (theme, nav, site.yaml, mkdocs.yml), every project file that is not
  a decision (agencies, officers, powers, benchmarks, site_config/, rules,
  calendar, templates/, supervision records…: files_key, hashed before the
  project is loaded, so that a file saved during a build is never recorded under
  its new text's key), and what masking changed in the agency records pages show
  beside their own (masked_lists_key).
- a decision page: base + the decision's file hash, its place (agency, slug,
  path) and its publication date, + the masked text of any field masking
  changed (entry_key). Stamps are computed from the record, the publication
  date, the rules, the calendar and the day: all in the key.
- a power page: base + the decisions listed under the power.
- a year's list of an agency's decisions: base + the decisions it lists.
- an agency's own pages: base + the counts of decisions they show (key);
  the indexes of every agency's officers, powers and benchmarks: the bodies
  kept in nav-pages.pickle, keyed alike (nav_page), only where the load read
  the files files_key hashed (Project.files_checked).
- where the project overrides a record template or any partial
  (templates/records/), no page of that template is kept: it may show anything.
- every other page (home, statistics, supervision: a few dozen) is rendered
  anew in every build.
- data files (generator/exports.py groups): base, + one agency's decisions for
  its own files and feeds, + every decision for the site-wide decision files.
- a Pagefind shard: Pagefind's version + the lean pages it indexes.
- the search index's exact lookup and counts.json (search-extras.pickle): base
  + every decision, as for the site-wide data files; beside it each decision's
  share of them by its entry key, taken under the same base.
- what masking changed in each decision (masked-views.pickle): the generator,
  the names of natural persons masked (all of them: a new name may sit in any
  text) and the content id of the decision's file; a withdrawn decision's
  notice is made every time.
- Jinja's compiled templates (compiled-templates/<generator key>/<environment>/,
  compiled_templates): by template file and source text, as Jinja keys them.
  Like the record cache's pickles, they are code and data the build trusts:
  the cache folder is as trusted as the project.

The daily stamps: the base key holds the build date, because every page that
shows a deadline says how many days are left, and certificate states, public
periods and publication states move with the day. The first build of a new day
(a nightly build) therefore renders every page and writes every data file
anew. What it still reuses: the record cache (nothing is parsed or validated
again unless its file changed), and every Pagefind shard whose lean pages are
the same (they show no countdown), which is most of Pagefind's work. Later
builds of the same day reuse what did not change.

What bounds a commit's build (measured at county scale, bench/run.py): building a
new tree beside the old made ~50,000 page folders (mkdir costs 100-250 µs on the
VM measured: 5-8 s the build waited for) and left the old tree to remove (as long
again): hence the patch. What is left is a dozen passes of ~0.3-1 s each over
every record.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import os
import pickle
import re
import shutil
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from importlib import metadata, resources
from pathlib import Path
from typing import IO, Any

import jinja2
import jinja2.bccache

from . import __version__, gitindex
from .gitindex import blob_id
from .heap import no_gc
from .sitepatch import files_under
from .yamlio import _real_folder, within

MANIFEST = "manifest.json"
INDEX_DIR = "pagefind"  # the search index's folder in the site (search.INDEX_DIR)
RECORDS = "records"  # the folder of the record cache (RecordCache) inside the cache folder
EXTRAS = "search-extras.pickle"  # the search index's exact lookup and counts (PageCache.search_extras)
MASKED = "masked-views.pickle"  # what masking changed in each decision (PageCache.masked_views)
NAV = "nav-pages.pickle"  # the bodies of the navigation pages that list every agency's lists (PageCache.nav_page)
COMPILED = "compiled-templates"  # Jinja's compiled templates, by generator_key and environment (compiled_templates)
_KEY_NAME = re.compile(r"[0-9a-f]{32}")  # a folder of compiled templates: generator_key()[:32]
# What Jinja writes a compiled template through (FileSystemBytecodeCache.dump_bytecode): a killed build's.
_COMPILING = re.compile(r"__jinja2_[0-9a-f]{40}\.cache[a-z0-9_]{8}\.tmp")
FORMAT = 3
TMP = ".tmp-"  # the prefix of the files the caches are written through (_write_whole)
# What older versions wrote the manifest and the search extras through: a killed build's are removed.
OLD_TMP = (MANIFEST + ".tmp", EXTRAS + ".tmp")
# The libraries whose behaviour shapes what a record reads as and how a page looks: a new version of
# any of them invalidates both caches (the generator's own files are hashed: generator_key).
DEPENDENCIES = ("pydantic", "pydantic-core", "PyYAML", "chinesecalendar", "pypinyin", "Jinja2", "MarkupSafe",
                "mkdocs", "mkdocs-material")
# Not project content: the outputs, caches and tools' folders beside it.
SKIP_DIRS = {".git", ".cache", "site", "node_modules", ".venv", "__pycache__"}
# … and inside the project's folders: `site` is the default output beside them, never in them, while
# content/site/ is the folder of an agency whose id is `site` (a valid id), read like any other.
INNER_SKIP_DIRS = SKIP_DIRS - {"site"}


def _h(*parts: Any) -> str:
    """SHA-256 of the parts, each followed by a NUL byte: joined first and hashed in one call,
    which costs a third of one update a part (keys of ~100,000 pages and entries a build)."""
    joined = b"\0".join(p if isinstance(p, bytes) else str(p).encode("utf-8") for p in parts)
    return hashlib.sha256(joined + b"\0" if parts else b"").hexdigest()


def _tree_digest(root: Path, skip: set[str], h: Any, skip_dirs: frozenset[str] | set[str] = frozenset()) -> None:
    """Hash every file under root, but those in `skip` and in folders named in `skip_dirs` (at any depth)."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in skip_dirs and not d.startswith(".disclose"))
        for name in sorted(files):
            path = os.path.join(folder, name)
            if path in skip:
                continue
            _file_digest(h, path, root, {})


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


@functools.lru_cache(maxsize=1)
def generator_key() -> str:
    """The generator itself: its version, every file of the package (code, record templates, default
    rules, the register of sources), Python's version and the libraries in DEPENDENCIES. Hashing the
    files, not trusting the version number alone, keeps a development checkout or a county pinned to a
    commit from reusing what older code made."""
    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0".encode())
    for name in DEPENDENCIES:
        h.update(f"{name}={_dist_version(name)}\0".encode())
    for package in ("generator", "generator.templates"):  # the templates are a package of their own
        h.update(f"{package}\0".encode())
        _tree_digest(Path(str(resources.files(package))), set(), h, SKIP_DIRS)
    return h.hexdigest()


def base_key(project: Any, frames: dict[int, list[str]], files: str) -> str:
    """The key every cached page shares (see the module's docstring); `files`: files_key of the
    project, made before it was loaded."""
    h = hashlib.sha256()
    h.update(f"{generator_key()}\0{project.today.isoformat()}\0".encode())
    for d in sorted(frames):
        h.update(f"frame{d}\0".encode() + "\0".join(frames[d]).encode("utf-8") + b"\0")
    h.update(b"project\0" + files.encode() + b"\0")
    return h.hexdigest()


def files_key(root: Path, out: Path | None, cache: Path | None = None, known: dict[str, str] | None = None) -> str:
    """Every project file but the decisions (keyed one by one, by the bytes read: entry_key), the
    output folder and the cache folder, hashed: list files, rules, calendar, site_config/,
    templates/, supervision records…

    Call it before the project is loaded, never after: a file saved between the two is then read
    in its new text but keyed by its old one, so the next build finds another key and renders
    anew. Hashed after the load, the pages of the old text would be recorded under the new
    text's key and reused by every later build. What is left out is told by location, not by
    what the load found (there is no load yet): content/<agency>/decisions/ and
    drafts/<agency>/decisions/ (every file there is a decision or an unread file that shows
    nowhere), the output folder and what a build makes beside it (its lock, `.<out>-xxxxxxxx`:
    an old site being removed), the cache folder, and the outputs and tools' folders of SKIP_DIRS.
    A linked folder is hashed as what it links to: the load reads through it. `known`:
    gitindex.clean_ids(root), made here when not given."""
    root = Path(root)
    if known is None:
        known = gitindex.clean_ids(root)
    skip = {str(p) for p in (out, cache) if p is not None}
    if out is not None:  # its lock (build.locked), made by the first build into it
        skip.add(str(out.parent / f".{out.name}.lock"))
    beside = (str(out.parent), f".{out.name}-") if out is not None else None

    def kept(folder: str, name: str) -> bool:
        path = os.path.join(folder, name)
        if path in skip or name in INNER_SKIP_DIRS or name.startswith(".disclose"):
            return False
        if beside is not None and folder == beside[0] and name.startswith(beside[1]):
            return False
        parts = os.path.relpath(path, root).split(os.sep)
        return not (len(parts) == 3 and parts[0] in ("content", "drafts") and parts[2] == "decisions")

    # A linked folder is followed (templates/search shared with other counties through a link: the
    # load renders through it), unless it leads into the output or cache folder or up into a folder
    # being walked (a loop). `chain`: the real folders from the top one down to the one walked.
    outside = [os.path.realpath(p) for p in skip]
    chain: list[str] = []

    def followed(folder: str, name: str) -> bool:
        path = os.path.join(folder, name)
        if not os.path.islink(path):
            return True
        real = os.path.realpath(path)
        return not any(real == s or s.startswith(real.rstrip("/") + "/") for s in chain) and \
            not any(real == s or real.startswith(s.rstrip("/") + "/") for s in outside)

    h = hashlib.sha256()
    tops = sorted(root.iterdir())
    for top in tops:
        if not top.is_dir() or top.name in SKIP_DIRS or top.name.startswith(".") or str(top) in skip:
            continue
        depth = str(top).count(os.sep)
        for folder, dirs, names in os.walk(top, followlinks=True):
            del chain[folder.count(os.sep) - depth:]
            chain.append(os.path.realpath(folder))
            dirs[:] = sorted(d for d in dirs if kept(folder, d) and followed(folder, d))
            for name in sorted(names):
                if os.path.join(folder, name) not in skip:
                    _file_digest(h, os.path.join(folder, name), root, known)
    for top in tops:
        if top.is_file() and str(top) not in skip:
            _file_digest(h, str(top), root, known)
    return h.hexdigest()


def _file_digest(h: Any, path: str, root: Path, known: dict[str, str]) -> None:
    """The file's name and content id; `known`: ids git vouches for (gitindex.clean_ids), by path
    relative to root. Git keeps no path through a linked folder: such a file is read."""
    rel = os.path.relpath(path, root)
    h.update(os.fsencode(rel) + b"\0")  # a name need not be UTF-8 (a GBK archive's)
    kept = known.get(rel.replace(os.sep, "/"))
    if kept is not None:
        h.update(kept.encode("ascii"))
        return
    try:
        with open(path, "rb") as f:
            h.update(blob_id(f.read()).encode("ascii"))
    except OSError:
        h.update(b"?")


def _all_entries(project: Any) -> Iterable[Any]:
    for data in project.agencies.values():
        yield from data.decisions
    yield from getattr(project, "drafts", []) or []


def entry_key(entry: Any, digest: str | None = None, raw: Any = None) -> str:
    """The public copy of a decision as a page shows it: record, stamps, place.

    With the content hash of its file (`digest`) and the decision as read (`raw`): the file
    stands for the record, and the stamps for what they are computed from besides the record,
    the rules, the calendar and the day (all in the base key): the agency and the publication
    date (the record's own or, when it gives none, the day git first saw the file). The view
    differs from the record read only by masking: where a masked field is not the record's own
    text (a natural person's name found in it, by the names of all records), the masked text is
    part of the key. Without them, the public copy itself is serialized (slower)."""
    if digest is None or raw is None:
        return _h(entry.agency, entry.slug, entry.draft, entry.decision.model_dump_json(), repr(entry.stamps))
    if entry.decision is raw:
        return _read_key(entry, digest)
    stamps = entry.stamps
    parts = [entry.agency, entry.slug, entry.draft, entry.src.path, digest,
             stamps.published_on if stamps is not None else "-"]
    d = entry.decision
    for head in _masked_heads():
        value = getattr(d, head, None)
        if value is not getattr(raw, head, None):  # masking keeps an unchanged field the very same object
            parts += [head, _dump(value)]
    return _h(*parts)


def _read_key(entry: Any, digest: str | None) -> str:
    """entry_key of a decision as read (nothing masked in it), in one call: every decision's,
    in every build (PageCache._all_decisions)."""
    if digest is None:
        return entry_key(entry)
    stamps = entry.stamps
    return _h(entry.agency, entry.slug, entry.draft, entry.src.path, digest,
              stamps.published_on if stamps is not None else "-")


@functools.lru_cache(maxsize=1)
def _masked_heads() -> tuple[str, ...]:
    from .kinds import MASKED_TEXT

    return tuple(dict.fromkeys(path.split(".")[0] for path in MASKED_TEXT["Decision"]))


def _dump(value: Any) -> str:
    return value.model_dump_json() if hasattr(value, "model_dump_json") else repr(value)


def masked_lists_key(site: Any) -> str:
    """What masking changed in the records every page may show beside its own (an agency, its officers,
    powers and benchmarks: site.powers, site.benchmarks…): the names masked come from every decision,
    so a new decision can change them while their files stay the same."""
    from . import kinds

    h = hashlib.sha256()
    for aid, data in site.agencies.items():
        raw = site.project.agencies.get(aid)
        if raw is None:
            continue
        if data.agency is not raw.agency:
            h.update(f"{aid}\0agency\0{_dump(data.agency)}\0".encode())
        for kind in kinds.agency_lists():
            for i, ((shown, _), (read, _)) in enumerate(zip(getattr(data, kind.attr), getattr(raw, kind.attr),
                                                           strict=True)):
                if shown is not read:
                    h.update(f"{aid}\0{kind.attr}\0{i}\0{_dump(shown)}\0".encode())
    return h.hexdigest()


class PageCache:
    """Which pages of the previous build can be copied instead of rendered."""

    def __init__(self, folder: Path | None, out: Path, files: str | None = None, token: str | None = None):
        """`token`: the build token of the site in `out` (build.site_token): a manifest recorded
        for another site (a build without the cache since, a site restored from elsewhere) is not
        used (nothing is reused), and the site it describes may be patched in place (`forget`)."""
        self.folder = folder
        self.out = out
        self.files = files  # files_key of the project, made before it was loaded
        self.old: dict[str, list] = {}  # site path → [key, size, mtime in whole seconds]
        self.shards: dict[str, Any] = {}  # shard → {"key", "files"} of the previous build
        self.new: dict[str, str] = {}  # site path → key, of this build
        self.kept: dict[str, list] = {}  # site path → its record in `old`, for the pages linked from it
        self.old_groups: dict[str, Any] = {}  # data file group → {"key", "files", "rows", "fields"} of the previous build
        self.groups: dict[str, dict[str, Any]] = {}  # … of this build
        self.groups_reused = 0
        self._all = ""
        self.mkdocs_wrote: set[str] = set()  # files MkDocs wrote in the new site before our pages (start)
        self.kept_shards: dict[str, dict[str, list[int]]] = {}  # search shard → its files, kept (reuse_shard)
        self.rows_reused = 0  # rows of data/decisions.json|csv taken from the previous build's files
        self.shuanggongshi_reused = 0  # rows of the two 双公示 files taken so
        self.masked: dict[str, Any] | None = None  # masked_views
        self.entry_keys: dict[int, str] = {}
        self.base = ""
        self.site: Any = None  # the site whose pages are keyed (see _prepare)
        # (site, decision file → the decision as read (its view is masked), masked_lists_key): made once
        # for both users, the page writers and the search index's renderer thread (_read_as).
        self._read: tuple[Any, dict[str, Any], str] | None = None
        self._reading = threading.Lock()
        self.reused = 0
        # What the site in `out` held when the build started (sitepatch.Lister.result), given by the
        # build: a kept page is checked there, not by a call to the file system of its own.
        self.listed: Callable[[], Any] | None = None
        self.listing: Any = None  # its result (sitepatch.Listing), taken in `start`
        self._own_templates: frozenset[str] | None = None  # the project's templates/records/ (_overridden)
        self._files_base: str | None = None  # see _lists_base
        self._nav: tuple[dict[str, tuple[str, Any]], dict[str, tuple[str, Any]]] | None = None  # nav_page: (old, new)
        if folder is not None:
            data = _read_manifest(folder / MANIFEST)
            pages, shards, groups = (data.get(name, {}) for name in ("pages", "shards", "groups"))
            # A manifest of another shape (torn by hand, another tool's) costs the reuse, not the build.
            if (data.get("format") == FORMAT and data.get("out") == str(out) and token is not None
                    and data.get("site") == token
                    and isinstance(pages, dict) and isinstance(shards, dict) and isinstance(groups, dict)):
                self.old = {path: was for path, was in pages.items()
                            if type(was) is list and len(was) == 3 and type(was[1]) is int and type(was[2]) is int}
                self.shards = {name: was for name, was in shards.items() if isinstance(was, dict)}
                # A group's files are linked by these paths: only plain ones inside the site (see _inside).
                self.old_groups = {gid: was for gid, was in groups.items() if isinstance(was, dict)
                                   and isinstance(was.get("files", {}), dict) and all(map(_inside, was.get("files", {})))}

    # ------------------------------------------------------------ the previous site, kept or patched

    def start(self, project: Any, frames: dict[int, list[str]], site_dir: Path | None = None) -> None:
        """Called before the first page is written (shell.write_pages), into `site_dir`."""
        if self.folder is not None:
            # Hashed only now when the caller hashed nothing before the load (files_key): right only
            # if nothing was saved since, as for a caller that loads and builds at once.
            files = self.files if self.files is not None else files_key(Path(project.root), self.out, self.folder)
            self.base = base_key(project, frames, files)
        if self.listed is not None and self.old:  # waited for here, before any page writer may fork
            self.listing = self.listed()
        if site_dir is not None and self.old:
            # What MkDocs wrote (its own pages, the theme's files): a page of ours at such a path is
            # written over it, as a full build does, never kept from the previous site (`reuse`).
            self.mkdocs_wrote = files_under(site_dir)

    def keep(self, paths: Iterable[str]) -> None:
        """The pages `reuse` kept (page writers may be forked processes: told here, by their caller)."""
        for path in paths:
            self.kept[path] = self.old[path]
        self.reused = len(self.kept)

    def unplaced(self) -> list[str]:
        """The files of the previous site this build keeps and did not write (pages, data files,
        search shards): a patch leaves them where they are, a swap links them into the new site."""
        files = [*self.kept, *self._kept_group_files()]
        for name, recorded in self.kept_shards.items():
            files += [f"{INDEX_DIR}/{name}/{rel}" for rel in recorded]
        return files

    def _kept_group_files(self) -> list[str]:
        return [rel for group in self.groups.values() if group.get("linked") for rel in group["files"]]

    def kept_files(self) -> dict[str, Path]:
        """Where the data files this build kept are: in `out` (reuse_group)."""
        return {rel: self.out / rel for rel in self._kept_group_files()}

    def complete(self, site_dir: Path) -> None:
        """Link into `site_dir` (a new site, to be swapped in) the previous site's files this build
        keeps (`unplaced`); copied across file systems."""
        made: set[str] = set()
        for rel in self.unplaced():
            folder = os.path.dirname(rel)
            if folder not in made:
                os.makedirs(os.path.join(site_dir, folder), exist_ok=True)
                made.add(folder)
            _link_or_copy(os.path.join(self.out, rel), os.path.join(site_dir, rel))

    def forget(self) -> bool:
        """Remove the manifest before the site in `out` changes in place: a build killed while
        patching it leaves none, and the next build makes a whole new site. False if it stays."""
        if self.folder is None:
            return False
        try:
            os.unlink(self.folder / MANIFEST)
        except FileNotFoundError:
            pass
        except OSError:
            return False
        return True

    def _read_as(self, site: Any) -> tuple[dict[str, Any], str]:
        """The decisions of `site` as read, by file, and its masked_lists_key."""
        with self._reading:
            if self._read is None or self._read[0] is not site:
                self._read = (site, {e.src.path: e.decision for e in _all_entries(site.project)},
                              masked_lists_key(site))
            return self._read[1], self._read[2]

    def _prepare(self, site: Any) -> None:
        self.site = site
        self.base = _h(self.base, self._read_as(site)[1])

    def _entry(self, e: Any, site: Any = None) -> str:
        """entry_key of a shown decision, made once for its page and its search shard (two threads:
        equal values, each stored whole)."""
        key = self.entry_keys.get(id(e))
        if key is None:
            site = site or self.site
            path = e.src.path
            key = self.entry_keys[id(e)] = entry_key(e, site.project.digests.get(path), self._read_as(site)[0].get(path))
        return key

    def key(self, site: Any, uri: str, template: str, title: str, ctx: dict[str, Any]) -> str | None:
        """The key of a page whose inputs are known, or None: render it anew."""
        if self.folder is None or self._overridden(site, template):
            return None
        if self.site is not site:
            self._prepare(site)
        if template in ("decision.html", "withdrawn.html"):
            return _h(self.base, uri, template, title, self._entry(ctx["e"]))
        if template in ("power.html", "power_decisions.html"):
            code = ctx["p"].code
            listed = [self._entry(e) for e in site.by_power.get(code, ())]
            return _h(self.base, uri, template, title, code, *listed)
        if template == "decision_list.html":  # an agency's decisions of a year: 250 pages listing all in a county
            return _h(self.base, uri, template, title, ctx["year"], *[self._entry(e) for e in ctx["entries"]])
        # An agency's own pages: its record and lists are in the base key (files_key, masking); of its
        # decisions they show only counts, which are keyed here (templates/records/<template>).
        if template in ("officers.html", "benchmarks.html"):
            return _h(self.base, uri, template, title)
        if template == "powers.html":  # each item's number of decisions (_power_list.html)
            return _h(self.base, uri, template, title,
                      *[f"{p.code}:{len(site.by_power.get(p.code, ()))}" for p, _ in ctx["a"].powers])
        if template == "agency.html":
            return _h(self.base, uri, template, title, *site.counts(ctx["a"].agency.id))
        if template == "decision_years.html":
            aid = ctx["a"].agency.id
            return _h(self.base, uri, template, title, site.withheld[aid],
                      *[f"{year}:{len(entries)}" for year, entries in ctx["years"].items()])
        return None

    def _lists_base(self, site: Any) -> str | None:
        """What the keys of pages made of the agencies' lists share (the search shards' lean_key, the
        navigation pages'): the project's files but the decisions (files_key: the lists, site.yaml,
        its own templates), the generator (the record templates), the day (证件状态) and what masking
        changed in the lists. None without a cache folder or a files_key, or where the load may have
        read other files than those hashed (Project.files_checked)."""
        if self.folder is None or self.files is None or not getattr(site.project, "files_checked", False):
            return None
        if self._files_base is None:
            self._files_base = _h(FORMAT, generator_key(), site.today.isoformat(), self.files, self._read_as(site)[1])
        return self._files_base

    def _overridden(self, site: Any, template: str) -> bool:
        """The project overrides this record template or a partial any template may include
        (templates/records/): it may show anything of the site, which no key here covers."""
        if self._own_templates is None:
            own = Path(site.project.root) / "templates" / "records"
            try:
                self._own_templates = frozenset(os.listdir(own)) if own.is_dir() else frozenset()
            except OSError:
                self._own_templates = frozenset({"?"})  # unreadable: what it holds is unknown
        own = self._own_templates
        return bool(own) and (template in own or "?" in own or any(n.startswith("_") for n in own))

    def lean_key(self, site: Any, version: str, name: str, pages: dict[str, Any]) -> str | None:
        """A key of a search shard from what its lean pages are made of (search.lean_pages'
        `source`), so that an unchanged shard is reused without rendering its pages: the project's
        other files (files_key, hashed before the load), the generator, the day, what masking changed
        in the agencies' lists (masked_lists_key), and the entry key of each decision. A page without
        such a source (a public supervision notice or plan: a few) is rendered and keyed by its text.
        None without a cache folder or a files_key. Coarser than the key of the pages' text (shard_key):
        an officer's edit changes every shard's, so a shard whose inputs differ is rendered and
        compared by its text (search.build_index). Called from the index's renderer thread only.
        None too where the load may have read other files than those hashed (_lists_base)."""
        base = self._lists_base(site)
        if base is None:
            return None
        parts: list[Any] = [base, "lean", version, name]
        for path, value in pages.items():
            source = getattr(value, "source", None)
            if isinstance(source, str):  # search.LISTS: the agency and its lists, all in files_key and masking
                parts += [path, source]
            elif source is not None:  # a shown decision
                parts += [path, "entry", self._entry(source, site)]
            else:
                parts += [path, "text", value() if callable(value) else value]
        return _h(*parts)

    def reuse(self, path: str, key: str | None) -> bool:
        """True if the previous build's `path` was written under `key` and is still in `out` as it
        recorded it: kept there (a patch leaves it, a swap links it: `unplaced`), not written."""
        if key is None or path in self.mkdocs_wrote:
            return False
        was = self.old.get(path)
        if not was or was[0] != key:
            return False
        if self.listing is not None:  # as the site was listed at the build's start (sitepatch.Lister)
            return self.listing.stats.get(path) == (was[1], was[2], 0o644)
        return _as_recorded(os.path.join(self.out, path), was[1], was[2])

    # ------------------------------------------------------------ data files (generator/exports.py groups)

    def group_key(self, site: Any, group: Any) -> str | None:
        """The key of a group of data files: the base key, and the decisions its scope names."""
        if self.folder is None:
            return None
        if self.site is not site:
            self._prepare(site)
        scope = group.scope
        if scope.startswith("agency:"):
            return _h(self.base, group.id, *[self._entry(e) for e in site.by_agency.get(scope[7:], ())])
        if scope == "all":
            if not self._all:
                self._all = self._all_decisions(site)
            return _h(self.base, group.id, self._all)
        return _h(self.base, group.id)

    def search_extras(self, site: Any, make: Any, scratch: Callable[[], Any] | None = None) -> Any:
        """search.extras (`make`): the exact lookup and counts.json, (manifest part, files).
        `scratch`: called first when they are made without the previous build's shares.
        Kept in the cache folder under the key of all it reads: the base key (list files,
        supervision and coordination records, site.yaml, the day) and every decision as shown;
        beside it each decision's share (search.decision_part) by its entry key, which a build
        under the same base key takes for the decisions that did not change. Call after `start`
        (the base key is made there)."""
        if self.folder is None:
            if scratch is not None:
                scratch()
            return make(site)[:2]
        if self.site is not site:
            self._prepare(site)
        if not self._all:
            self._all = self._all_decisions(site)
        key = _h(self.base, "search-extras", self._all)
        path = self.folder / EXTRAS
        kept = None
        try:
            with open(path, "rb") as f:
                was, value, base, parts = pickle.load(f)
            if was == key:
                return value
            if base == self.base:
                kept = parts
        except Exception:  # missing, torn or foreign: made again
            pass
        if kept is None and scratch is not None:
            scratch()
        manifest, files, parts = make(site, kept, self._entry)
        value = (manifest, files)
        with contextlib.suppress(OSError):  # not kept: made again next time, nothing else
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_whole(path, lambda f: pickle.dump((key, value, self.base, parts), f,
                                                     protocol=pickle.HIGHEST_PROTOCOL))
        return value

    def _all_decisions(self, site: Any) -> str:
        """Every decision as shown, and every one not shown (withheld, expired, drafts: counted in
        the statistics) as read."""
        h = hashlib.sha256()
        for e in site.shown:
            h.update(self._entry(e).encode() + b"\0")
        h.update(b"read\0")
        digests = site.project.digests
        for e in _all_entries(site.project):
            h.update(_read_key(e, digests.get(e.src.path)).encode() + b"\0")
        return h.hexdigest()

    def reuse_group(self, gid: str, key: str | None) -> dict[str, Any] | None:
        """Keep the previous build's files of the group if they were written under `key` and are
        still in `out` as recorded (as `reuse` does); their row counts and CSV fields as recorded, or None."""
        was = self.old_groups.get(gid)
        if key is None or not was or was.get("key") != key:
            return None
        files: dict[str, list[int]] = was.get("files", {})
        for path, recorded in files.items():
            if type(recorded) is not list or len(recorded) != 2 or path in self.mkdocs_wrote:
                return None
            if not _as_recorded(os.path.join(self.out, path), *recorded):
                return None  # not as written, or no longer readable by all (build.open_up trusts it)
        self.groups[gid] = {**was, "linked": True}
        self.groups_reused += 1
        return was

    def reuse_shard(self, name: str, recorded: dict[str, list[int]]) -> bool:
        """Keep the previous build's index of search shard `name` if its files are exactly those
        recorded (called from the search index's thread)."""
        previous = self.out / INDEX_DIR / name
        try:
            if stat.S_IMODE(os.lstat(previous).st_mode) != 0o755 or files_of(previous, readable=True) != recorded:
                return False
        except OSError:
            return False
        self.kept_shards[name] = recorded
        return True

    def wrote_group(self, gid: str, key: str | None, files: Iterable[str], rows: dict[str, int],
                    fields: dict[str, list[str]], parts: dict[str, Any] | None = None) -> None:
        """Record a group written anew (its files are stat'ed at `save`); `parts`: how its files
        were made of rows (decision_files)."""
        if key is not None:
            self.groups[gid] = {"key": key, "files": dict.fromkeys(files), "rows": rows, "fields": fields,
                                **({"parts": parts} if parts is not None else {})}

    def decision_files(self, site: Any) -> tuple[dict[str, bytes], dict[str, Any]]:
        """data/decisions.json|csv (exports.decision_files), the rows of decisions that did not
        change taken from the previous build's files when those are still as it wrote them and
        were made under the same base key (the rows carry stamps: a new day makes them all)."""
        from .exports import Rows, decision_files

        if self.site is not site:
            self._prepare(site)
        previous = None
        was, parts = _group_parts(self.old_groups, "decisions")
        if parts.get("base") == self.base:
            try:
                data = []
                for path in ("data/decisions.json", "data/decisions.csv"):
                    written = self._as_written(was, path)
                    if written is None:
                        raise OSError(path)
                    data.append(written)
                rows = Rows(**{name: parts[name] for name in ("keys", "json", "csv", "shape", "shapes", "columns")})
                if not _rows_shaped(rows):
                    raise TypeError("rows")
                previous = (rows, data[0], data[1])
            except (OSError, KeyError, TypeError):
                previous = None
        files, rows = decision_files(site, self._entry, previous)
        self.rows_reused = len(set(rows.keys) & set(previous[0].keys)) if previous is not None else 0
        return files, {"base": self.base, **rows.as_dict()}

    def _as_written(self, was: dict[str, Any], path: str) -> bytes | None:
        """The bytes of a data file of the previous build (`path` in the site) if it is still as
        that build recorded it in its group `was` (size, time), else None."""
        try:
            with open(os.path.join(self.out, path), "rb") as f:
                st = os.fstat(f.fileno())
                if [st.st_size, int(st.st_mtime)] != was.get("files", {}).get(path):
                    return None
                return f.read()
        except OSError:
            return None

    def shuanggongshi_files(self, site: Any) -> tuple[dict[str, bytes], dict[str, Any]]:
        """The 双公示 files (shuanggongshi.exports), the rows of decisions that did not change taken
        from the previous build's files when those are still as it wrote them and were made under
        the same base key, as decision_files does."""
        from . import shuanggongshi

        if self.site is not site:
            self._prepare(site)
        was, parts = _group_parts(self.old_groups, "shuanggongshi")
        kept: dict[str, tuple[list[str], list[int], bytes]] = {}
        if parts.get("base") == self.base:
            for path in shuanggongshi.FILES:  # fixed names, never a path the manifest gives
                try:
                    keys, sizes = parts["files"][path]
                except (KeyError, TypeError, ValueError):
                    continue
                if not (_strs(keys) and _counts(sizes) and len(keys) == len(sizes)):
                    continue  # not what this version records
                written = self._as_written(was, path)
                if written is not None:
                    kept[path] = (keys, sizes, written)
        files, made = shuanggongshi.exports(site, self._entry, kept)
        self.shuanggongshi_reused = sum(len(set(made[p][0]) & set(kept[p][0])) for p in kept)
        return files, {"base": self.base, "files": {path: [keys, sizes] for path, (keys, sizes) in made.items()}}

    def masked_views(self) -> dict[str, Any] | None:
        """What masking changed in each decision by its file's content id, as the previous build
        left it (public.view fills it in): kept in the cache folder for the same generator."""
        if self.folder is None:
            return None
        masked = _read_ours(self.folder / MASKED)  # missing, torn or foreign: every decision masked again
        self.masked = masked if isinstance(masked, dict) and isinstance(masked.get("by"), dict) else {}
        return self.masked

    def nav_page(self, site: Any, uri: str, template: str, title: str, render: Callable[[], Any]) -> Any:
        """The body of a navigation page made of the agencies' lists (and the number of decisions
        under each power item), as the previous build rendered it from the same inputs, else
        `render()`; kept for the next build. The 权责清单 page lists a county's 8,000 items:
        rendering it took ~0.4 s of every build. Other pages: rendered."""
        key = self._nav_key(site, uri, template, title)
        if key is None:
            return render()
        if self._nav is None:
            old = _read_ours(self.folder / NAV)  # missing, torn or foreign: rendered
            self._nav = (old if isinstance(old, dict) else {}, {})
        hit = self._nav[0].get(uri)
        page = hit[1] if isinstance(hit, tuple) and hit[0] == key else render()
        self._nav[1][uri] = (key, page)
        return page

    def _nav_key(self, site: Any, uri: str, template: str, title: str) -> str | None:
        base = self._lists_base(site)
        if base is None or self._overridden(site, template):
            return None
        base = _h(base, "nav", uri, template, title)
        if template == "powers_index.html":  # each item's number of decisions (_power_list.html)
            return _h(base, *[f"{p.code}:{len(site.by_power.get(p.code, ()))}"
                              for a in site.agencies.values() for p, _ in a.powers])
        if template in ("officers_index.html", "benchmarks_index.html"):
            return base
        return None

    def _save_nav(self) -> None:
        if self._nav is not None and self._nav[0] != self._nav[1]:
            _write_ours(self.folder / NAV, self._nav[1])  # not kept: rendered again next time, nothing else

    def _save_masked(self) -> None:
        masked = self.masked
        if self.folder is None or not masked or "used" not in masked:
            return
        used = masked.pop("used")
        stale = [k for k in masked["by"] if k not in used]
        for k in stale:
            del masked["by"][k]
        if masked.pop("changed", False) or stale:
            _write_ours(self.folder / MASKED, masked)  # not kept: masked again next time, nothing else

    def save(self, shard_keys: dict[str, Any] | None = None, token: str | None = None) -> None:
        """Record what the build now in `out` was made of (call once it is in place). `shard_keys`: each
        search shard's {"key": of its lean pages' text, "inputs": of what they are made of (lean_key)};
        `token`: the site's build token (build.site_token)."""
        if self.folder is None:
            return
        shards = {}
        for name, keys in (shard_keys or {}).items():
            files = keys.get("files")  # a shard linked from the previous build: its files as recorded then
            if files is None:
                try:
                    files = files_of(self.out / INDEX_DIR / name)
                except OSError:
                    continue
            shards[name] = {**keys, "files": files}
        pages: dict[str, list] = {}
        with no_gc():
            for path, key in self.new.items():
                was = self.kept.get(path)
                if was is not None and was[0] == key:
                    pages[path] = was
                    continue
                try:
                    st = os.stat(os.path.join(self.out, path))
                except OSError:
                    continue
                pages[path] = [key, st.st_size, int(st.st_mtime)]
            groups: dict[str, Any] = {}
            for gid, group in self.groups.items():
                if not group.pop("linked", False):
                    try:
                        group["files"] = {path: _stat(os.path.join(self.out, path)) for path in group["files"]}
                    except OSError:
                        continue
                groups[gid] = group
            text = json.dumps({"format": FORMAT, "out": str(self.out), "site": token, "pages": pages,
                               "shards": shards or {}, "groups": groups})
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_whole(self.folder / MANIFEST, lambda f: f.write(text.encode("utf-8")))
        self._save_masked()
        self._save_nav()
        _remove_leftovers(self.folder)

    def old_shards(self) -> dict[str, Any]:
        """What the previous build's search shards were made of (read with its pages)."""
        return self.shards


def _write_whole(path: Path, write: Callable[[IO[bytes]], Any]) -> None:
    """Write `path` through a file of its own beside it, renamed into place: a reader sees the old
    file or the new one, and two builds sharing the cache folder never write into one file (the
    last rename wins, whole). The file is locked from its making to its rename, so that another
    build's `_remove_leftovers` takes only what a killed build left; removed on failure."""
    for _ in range(3):
        fd, tmp = tempfile.mkstemp(prefix=TMP, dir=path.parent)
        with contextlib.suppress(OSError):  # a file system without locks: no other build removes it either
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            mine = os.path.samestat(os.fstat(fd), os.stat(tmp))
        except OSError:
            mine = False
        if mine:
            break
        os.close(fd)  # removed by another build between its making and the lock: make another
    else:
        raise OSError(f"{path}: no file to write it through")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.replace(tmp, path)  # still locked: nobody removes it meanwhile
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class _Compiled(jinja2.FileSystemBytecodeCache):
    """Jinja's bytecode cache, as careful as the other caches: a file it cannot read (torn, foreign,
    a link, a pipe) is a template compiled anew, and a failure to write costs the next build a
    compile, never this build."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            fd = os.open(self._get_cache_filename(bucket), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            return
        try:
            f = open(fd, "rb")  # noqa: SIM115 (closed below, with the descriptor)
        except OSError:
            os.close(fd)
            return
        with f:
            try:
                if stat.S_ISREG(os.fstat(fd).st_mode):
                    bucket.load_bytecode(f)
            except Exception:  # Jinja guards only the last of its reads
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def compiled_templates(folder: Path | None, which: str) -> jinja2.BytecodeCache | None:
    """Jinja's compiled templates of one environment (`which`: records, search, theme) kept in the
    cache folder: compiling them anew was ~1.4 s of every build at county scale. Jinja keys a template
    by its file name and source text, not by the environment's options or filters: each environment
    has its own folder, under one named by generator_key (our code, Jinja's, MkDocs' and Material's
    versions); the folders of older keys are removed, nothing else. None without a cache folder, or
    where one of these folders is a link or a file: never written through to elsewhere."""
    if folder is None:
        return None
    key = generator_key()[:32]
    parent = Path(folder) / COMPILED
    mine = parent / key / which
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for path in (parent, parent / key, mine):
            with contextlib.suppress(FileExistsError):
                os.mkdir(path)
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                return None
        for entry in os.scandir(parent):
            if entry.name != key and _KEY_NAME.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
        for entry in os.scandir(mine):  # a killed build's half-written files
            if _COMPILING.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                _remove_unlocked(entry.path)
    except OSError:
        return None
    return _Compiled(str(mine))


def _remove_leftovers(folder: Path) -> None:
    """Remove the files a killed build was writing the caches through (`_write_whole`): those no
    live writer holds locked, and those of older versions (OLD_TMP)."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(TMP) or entry.name in OLD_TMP:
                _remove_unlocked(entry.path)


def _remove_unlocked(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held by a live writer: left to it
        os.unlink(path)
    except OSError:
        pass
    finally:
        os.close(fd)


def _merge(source: str, target: str, left: str, behind: list[str], rel: str = "") -> None:
    """Move what `source` holds into `target`: whole folders where `target` has none of that name,
    merged where it has; where both hold a file of one name, `target`'s stays (MkDocs wrote it) and
    `source`'s stays behind or is moved aside into `left` (a folder beside `source`, removed with it).
    What of `source` did not make it is added to `behind` (paths relative to the first `source`).

    Where `target`'s folder holds far fewer entries than `source`'s (MkDocs' powers/index.html
    beside 8,000 power folders), those few are moved the other way and `source`'s folder takes
    its place: a handful of renames instead of thousands."""
    for entry in os.scandir(source):
        into = os.path.join(target, entry.name)
        here = rel + entry.name
        if not os.path.lexists(into):
            os.rename(entry.path, into)
        elif entry.is_dir(follow_symlinks=False) and os.path.isdir(into) and not os.path.islink(into):
            theirs = os.listdir(into)
            if len(theirs) * 4 < len(os.listdir(entry.path)):
                for name in theirs:
                    _take(os.path.join(into, name), os.path.join(entry.path, name), left, behind, f"{here}/{name}")
                os.rmdir(into)
                os.rename(entry.path, into)
            else:
                _merge(entry.path, into, left, behind, here + "/")
        else:  # a file of that name is there (MkDocs'), or a folder where ours is a file: ours stays behind
            behind.append(here)


def _take(theirs: str, mine: str, left: str, behind: list[str], rel: str) -> None:
    """Move `theirs` (what MkDocs wrote) to `mine`, merged with what is there, `theirs` winning."""
    if os.path.lexists(mine):
        if (os.path.isdir(theirs) and not os.path.islink(theirs)
                and os.path.isdir(mine) and not os.path.islink(mine)):
            _merge(mine, theirs, left, behind, rel + "/")  # ours into theirs; what is left of ours is behind
        else:
            behind.append(rel)
        _aside(mine, left)
    os.rename(theirs, mine)


def _aside(path: str, left: str) -> None:
    os.makedirs(left, exist_ok=True)
    os.rename(path, os.path.join(tempfile.mkdtemp(dir=left), "x"))


def _inside(path: Any) -> bool:
    """A relative path under a folder, as a build writes them: no `..`, no `.`, nothing absolute."""
    return (isinstance(path, str) and bool(path) and "\0" not in path and "\n" not in path
            and not path.startswith("/") and all(part not in ("", ".", "..") for part in path.split("/")))


def _as_recorded(path: str, size: Any, mtime: Any) -> bool:
    """`path` is a plain file (not a link) of this size and mtime (whole seconds), readable by all
    (0644, as build.open_up leaves them: it trusts the modes of what is kept)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return (stat.S_ISREG(st.st_mode) and st.st_size == size and int(st.st_mtime) == mtime
            and stat.S_IMODE(st.st_mode) == 0o644)


def _read_ours(path: Path) -> Any:
    """What `_write_ours` kept at `path` for this generator; None if missing, torn or another's."""
    try:
        with open(path, "rb") as f:
            was, value = pickle.load(f)
    except Exception:
        return None
    return value if was == generator_key() else None


def _write_ours(path: Path, value: Any) -> None:
    """Keep `value` at `path` for this generator, whole (_write_whole); a failure only costs time."""
    kept = (generator_key(), value)
    with contextlib.suppress(Exception):  # a full disk, a value pickle refuses
        _write_whole(path, lambda f: pickle.dump(kept, f, protocol=pickle.HIGHEST_PROTOCOL))


def _stat(path: str) -> list[int]:
    st = os.stat(path)
    return [st.st_size, int(st.st_mtime)]


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        with no_gc():
            data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def shard_key(version: str, name: str, pages: Iterable[tuple[str, str]]) -> str:
    h = hashlib.sha256(f"{FORMAT}\0{version}\0{name}\0".encode())
    for path, text in pages:
        h.update(path.encode("utf-8") + b"\0" + text.encode("utf-8") + b"\0")
    return h.hexdigest()


def files_of(folder: Path, readable: bool = False) -> dict[str, list[int]] | None:
    """relative path → [size, mtime in whole seconds] of every file under folder. `readable`: None
    if a file or folder is not readable by all (0644, 0755) as build.open_up leaves them: the umask's
    fast path there trusts the modes of what is linked (files) or copied with its modes (folders)."""
    out: dict[str, list[int]] = {}
    for base, dirs, files in os.walk(folder):
        if readable and any(stat.S_IMODE(os.lstat(os.path.join(base, d)).st_mode) != 0o755 for d in dirs):
            return None
        for name in files:
            path = os.path.join(base, name)
            st = os.lstat(path)
            if readable and (stat.S_IMODE(st.st_mode) != 0o644 or not stat.S_ISREG(st.st_mode)):
                return None
            out[os.path.relpath(path, folder)] = [st.st_size, int(st.st_mtime)]
    return out


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copyfile(src, dst)


# ---------------------------------------------------------------- records read from files


def file_digest(path: str, max_bytes: int) -> str | None:
    """The content hash of a record file a cache may stand for: a regular file (not a link, a pipe…)
    of at most max_bytes (the caller checks where its folder resolves). None otherwise: such a
    file is read as usual and its problems found afresh every time."""
    try:
        # O_NOFOLLOW: a link fails to open; O_NONBLOCK: a pipe cannot block. 50,000 files: few calls each.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
            return None
        data = os.read(fd, st.st_size + 1)
        while len(data) <= max_bytes:  # a file still growing: read on, never past the limit
            more = os.read(fd, max_bytes + 1 - len(data))
            if not more:
                break
            data += more
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        return None
    return blob_id(data)


class RecordCache:
    """What loading made of each record file, by the file's content: a later load copies it
    instead of reading, parsing and validating the file again.

    Kept per file, under (path, what was read: a decision, a list of officers…): the content hash
    of the bytes read, the records and their problems (file:line:col, as if just found), and the
    personal-data guard's problems for each record. The hash decides, not the file's time: CI
    restores a checkout with new times. The hash is git's content id (gitindex.blob_id), taken
    from git's index for the files git vouches for (gitindex.clean_ids: ~2 s less than reading
    a county's files), computed from the bytes for the others. A file is kept only when it read
    the same before and after parsing (an editor saving meanwhile is read again next time). The cross-record checks
    (references, duplicates, page addresses) and the stamps are not kept: they run over all
    records on every load.

    Stored with pickle, one file per project folder (records/<hash of the folder>.pickle): the
    cache folder is the project's own, written by its builds and nobody else, trusted like the
    project itself. A file written by another generator (generator_key), another read limit or
    for another folder is ignored.
    """

    def __init__(self, folder: Path | None, root: Path, max_bytes: int, guards: dict | None = None,
                 known: dict[str, str] | None = None):
        self.folder = Path(folder) / RECORDS if folder is not None else None
        self.known = known  # gitindex.clean_ids(root), made at the first lookup when not given
        self.root = Path(root)
        self.prefix = str(root).rstrip("/") + "/"
        self.max_bytes = max_bytes
        self.key = _h(generator_key(), max_bytes)
        self.guards = guards if guards is not None else {}  # project._guard_cache: id(record) → (record, path, problems)
        self.buckets: dict[str, dict[tuple[str, str], list]] = {}  # folder → {(file name, what): [digest, payload, guards]}
        self.used: dict[str, set[tuple[str, str]]] = {}  # folder → the files looked up in this load
        self.changed: set[str] = set()
        self.live: dict[tuple[str, str, str], list] = {}  # (folder, name, what) → this load's records of the file
        self.digests: dict[str, str] = {}  # relpath → content hash of the file its records were read from
        self.hits = 0
        self.inside: dict[str, bool] = {}

    def _inside(self, folder: str) -> bool:
        """The folder (relative) resolves inside the project: the file itself is opened without
        following a link, so this and `file_digest` together say what yamlio.read_yaml would."""
        inside = self.inside.get(folder)
        if inside is None:
            inside = self.inside[folder] = within(_real_folder(os.path.join(self.prefix, folder)), self.root)
        return inside

    def rel(self, path: str) -> str:
        return path[len(self.prefix):] if path.startswith(self.prefix) else os.path.relpath(path, self.root)

    def _bucket(self, folder: str) -> dict[tuple[str, str], list]:
        bucket = self.buckets.get(folder)
        if bucket is None:
            bucket = {}
            if self.folder is not None:
                try:
                    with open(self.folder / _bucket_name(folder), "rb") as f:
                        key, where, data = pickle.load(f)
                    if key == self.key and where == folder:
                        bucket = data
                except Exception:  # missing, torn or foreign: read the files instead
                    bucket = {}
            self.buckets[folder] = bucket
        return bucket

    def get(self, path: str, what: str) -> Any | None:
        """The payload kept for the file as it is now, or None: read it, then `put`."""
        if self.folder is None:
            return None
        rel = self.rel(path)
        folder, name = os.path.split(rel)
        bucket = self._bucket(folder)
        self.used.setdefault(folder, set()).add((name, what))
        hit = bucket.get((name, what))
        if hit is None:
            return None  # nothing kept: no need to hash it here, reading it will
        # A link (in or out of the project: Y009) is read every time, never taken from the cache.
        if not self._inside(folder):
            return None
        if self.known is None:
            self.known = gitindex.clean_ids(self.root)
        digest = self.known.get(rel.replace(os.sep, "/")) or file_digest(path, self.max_bytes)
        if digest is None or hit[0] != digest:
            return None
        self.digests[rel] = digest
        self.hits += 1
        return hit[1]

    def put(self, path: str, what: str, payload: Any, digest: str | None) -> None:
        """Keep what reading the file gave; `digest`: the content hash of the very bytes read
        (yamlio.read_yaml), None when none were read (the file is not kept)."""
        if self.folder is None or digest is None:
            return
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return  # a link: read every time (see `get`)
        except OSError:
            return
        rel = self.rel(path)
        folder, name = os.path.split(rel)
        self._bucket(folder)[(name, what)] = [digest, payload, None]
        self.changed.add(folder)
        self.digests[rel] = digest

    def records(self, path: str, what: str, records: list) -> None:
        """The records this load made of the file (hit or read): their guard problems are kept
        at `save` and, when the cache has them, handed to the guard now."""
        if self.folder is None:
            return
        rel = self.rel(path)
        folder, name = os.path.split(rel)
        entry = self._bucket(folder).get((name, what))
        if entry is None or entry[0] != self.digests.get(rel):
            return
        self.live[(folder, name, what)] = records
        for record, found in zip(records, entry[2] or [], strict=False):
            if found is not None and record is not None:
                self.guards[id(record)] = (record, rel, found)

    def save(self) -> None:
        """Write the folders whose files changed; forget files and folders no longer read."""
        if self.folder is None:
            return
        for (folder, name, what), records in self.live.items():
            entry = self.buckets[folder][(name, what)]
            rel = f"{folder}/{name}" if folder else name
            found = []
            for record in records:
                hit = self.guards.get(id(record))
                found.append(hit[2] if hit is not None and hit[0] is record and hit[1] == rel else None)
            if found != (entry[2] or [None] * len(found)):
                entry[2] = found
                self.changed.add(folder)
        for folder, used in self.used.items():
            bucket = self.buckets[folder]
            stale = [k for k in bucket if k not in used]
            for k in stale:
                del bucket[k]
            if stale:
                self.changed.add(folder)
        # A cache that cannot be written costs the next load time, nothing else: errors are let pass.
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
        for folder in self.changed:
            bucket = (self.key, folder, self.buckets[folder])
            with contextlib.suppress(Exception):  # a full disk, a record pickle refuses: not kept, nothing else
                _write_whole(self.folder / _bucket_name(folder),
                             lambda f, bucket=bucket: pickle.dump(bucket, f, protocol=pickle.HIGHEST_PROTOCOL))
        self.changed.clear()
        keep = {_bucket_name(folder) for folder in self.used}
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                if entry.name not in keep and entry.name.endswith(".pickle"):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
        _remove_leftovers(self.folder)


def _strs(value: Any) -> bool:
    return isinstance(value, list) and all(type(v) is str for v in value)


def _counts(value: Any) -> bool:
    return isinstance(value, list) and all(type(v) is int and v >= 0 for v in value)


def _rows_shaped(rows: Any) -> bool:
    """The rows of data/decisions.json|csv as this version records them (exports.Rows)."""
    n = len(rows.keys) if _strs(rows.keys) else -1
    return (n >= 0 and _counts(rows.json) and _counts(rows.csv) and _counts(rows.shape)
            and len(rows.json) == len(rows.csv) == len(rows.shape) == n and _strs(rows.columns)
            and isinstance(rows.shapes, list) and all(_strs(s) for s in rows.shapes)
            and all(i < len(rows.shapes) for i in rows.shape))


def _group_parts(groups: dict[str, Any], gid: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A data file group's record in the previous manifest and how its files were made of rows,
    each {} when missing or of another shape (a manifest costs its reuse, never the build)."""
    was = groups.get(gid)
    was = was if isinstance(was, dict) else {}
    parts = was.get("parts")
    return was, parts if isinstance(parts, dict) else {}


def _bucket_name(folder: str) -> str:
    return hashlib.sha256(folder.encode("utf-8")).hexdigest()[:32] + ".pickle"
