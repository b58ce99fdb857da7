"""Incremental publishing: reuse the pages and search shards of the previous build in `--out`.

A page or a Pagefind shard is reused only when the key of everything that
goes into it equals the key recorded when the previous build wrote it, and the
file in `--out` is still the one that build wrote (size and mtime as recorded).
A reused file is copied (hard-linked where possible) into the new build, so the
result is the same bytes a full build writes; tests/test_incremental.py compares.
Modification times are compared in whole seconds: CI caches (tar) keep no more.
In CI, keep both the cache folder and the output folder between runs.

Keys:
- `base`: what every page depends on beyond its own record: generator version,
  build date (the stamps and "还有 N 天" change daily, so a new day re-renders
  every page; loading is still the big cost and Pagefind shards whose lean
  pages did not change are still reused), the frames MkDocs + Material rendered
  (theme, nav, site.yaml, mkdocs.yml), the record templates, and every project
  file that is not a decision (agencies, officers, powers, benchmarks,
  site_config/, rules, calendar, templates/, supervision records…).
- a decision page: base + the public (masked) record with its stamps.
- a power page: base + the decisions listed under the power.
- every other page (agency pages, year lists, statistics: a few hundred in a
  county) is rendered anew in every build.
- a Pagefind shard: Pagefind's version + the lean pages it indexes.

The cache folder (`.cache/disclose/` in the project by default) holds only
manifests: which key produced which file of the site in `--out`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from . import __version__

MANIFEST = "manifest.json"
FORMAT = 1
# Not project content: the outputs, caches and tools' folders beside it.
SKIP_DIRS = {".git", ".cache", "site", "node_modules", ".venv", "__pycache__"}


def _h(*parts: Any) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else str(p).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _tree_digest(root: Path, skip: set[str], h: Any) -> None:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith(".disclose"))
        for name in sorted(files):
            path = os.path.join(folder, name)
            if path in skip:
                continue
            h.update(os.fsencode(os.path.relpath(path, root)) + b"\0")  # a name need not be UTF-8 (a GBK archive's)
            try:
                with open(path, "rb") as f:
                    h.update(hashlib.sha256(f.read()).digest())
            except OSError:
                h.update(b"?")


def base_key(project: Any, frames: dict[int, list[str]], out: Path | None) -> str:
    """The key every cached page shares (see the module's docstring)."""
    h = hashlib.sha256()
    h.update(f"{FORMAT}\0{__version__}\0{project.today.isoformat()}\0".encode())
    for d in sorted(frames):
        h.update(f"frame{d}\0".encode() + "\0".join(frames[d]).encode("utf-8") + b"\0")
    h.update(b"templates\0")
    _tree_digest(Path(str(resources.files("generator.templates"))), set(), h)
    h.update(b"package\0")  # default rules and sources shipped with the generator
    for name in ("default_rules.yaml", "sources.yaml"):
        h.update(resources.files("generator").joinpath(name).read_bytes())
    # Every project file but the decisions (those are keyed one by one) and the output folder.
    root = Path(project.root)
    decisions = {str(Path(e.src.path) if os.path.isabs(e.src.path) else root / e.src.path)
                 for e in _all_entries(project)}
    h.update(b"project\0")
    skip_root = {str(out)} if out is not None else set()
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name not in SKIP_DIRS
                         and not p.name.startswith(".") and str(p) not in skip_root):
        _tree_digest(folder, decisions, h)
    for path in sorted(p for p in root.iterdir() if p.is_file()):
        h.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _all_entries(project: Any) -> Iterable[Any]:
    for data in project.agencies.values():
        yield from data.decisions
    yield from getattr(project, "drafts", []) or []


def entry_key(entry: Any) -> str:
    """The public copy of a decision as a page shows it: record, stamps, place."""
    return _h(entry.agency, entry.slug, entry.draft, entry.decision.model_dump_json(), repr(entry.stamps))


class PageCache:
    """Which pages of the previous build can be copied instead of rendered."""

    def __init__(self, folder: Path | None, out: Path):
        self.folder = folder
        self.out = out
        self.old: dict[str, list] = {}  # site path → [key, size, mtime_ns]
        self.new: dict[str, str] = {}  # site path → key, of this build
        self.entry_keys: dict[int, str] = {}
        self.base = ""
        self.reused = 0
        if folder is not None:
            try:
                data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
                if data.get("format") == FORMAT and data.get("out") == str(out):
                    self.old = data.get("pages", {})
            except (OSError, ValueError):
                pass

    def start(self, project: Any, frames: dict[int, list[str]]) -> None:
        if self.folder is not None:
            self.base = base_key(project, frames, self.out)

    def _entry(self, e: Any) -> str:
        key = self.entry_keys.get(id(e))
        if key is None:
            key = self.entry_keys[id(e)] = entry_key(e)
        return key

    def key(self, site: Any, uri: str, template: str, title: str, ctx: dict[str, Any]) -> str | None:
        """The key of a page whose inputs are known, or None: render it anew."""
        if self.folder is None:
            return None
        if template in ("decision.html", "withdrawn.html"):
            return _h(self.base, uri, template, title, self._entry(ctx["e"]))
        if template in ("power.html", "power_decisions.html"):
            code = ctx["p"].code
            listed = [self._entry(e) for e in site.by_power.get(code, ())]
            return _h(self.base, uri, template, title, code, *listed)
        return None

    def reuse(self, path: str, key: str | None, target: str) -> bool:
        """Copy the previous build's `path` to `target` if it was written under `key`; True if done."""
        if key is None:
            return False
        was = self.old.get(path)
        if not was or was[0] != key:
            return False
        source = os.path.join(self.out, path)
        try:
            st = os.stat(source)
        except OSError:
            return False
        if [st.st_size, int(st.st_mtime)] != was[1:]:
            return False
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        self.reused += 1
        return True

    def save(self, shard_keys: dict[str, str] | None = None) -> None:
        """Record what the build now in `out` was made of (call after the swap)."""
        if self.folder is None:
            return
        shards = {}
        for name, key in (shard_keys or {}).items():
            try:
                shards[name] = {"key": key, "files": files_of(self.out / "pagefind" / name)}
            except OSError:
                continue
        pages: dict[str, list] = {}
        for path, key in self.new.items():
            try:
                st = os.stat(os.path.join(self.out, path))
            except OSError:
                continue
            pages[path] = [key, st.st_size, int(st.st_mtime)]
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps({"format": FORMAT, "out": str(self.out), "pages": pages,
                                   "shards": shards or {}}), encoding="utf-8")
        os.replace(tmp, self.folder / MANIFEST)

    def old_shards(self) -> dict[str, Any]:
        if self.folder is None:
            return {}
        try:
            data = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if data.get("format") != FORMAT or data.get("out") != str(self.out):
            return {}
        return data.get("shards", {})


def shard_key(version: str, name: str, pages: Iterable[tuple[str, str]]) -> str:
    h = hashlib.sha256(f"{FORMAT}\0{version}\0{name}\0".encode())
    for path, text in pages:
        h.update(path.encode("utf-8") + b"\0" + text.encode("utf-8") + b"\0")
    return h.hexdigest()


def files_of(folder: Path) -> dict[str, list[int]]:
    """relative path → [size, mtime in whole seconds] of every file under folder."""
    out: dict[str, list[int]] = {}
    for base, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(base, name)
            st = os.stat(path)
            out[os.path.relpath(path, folder)] = [st.st_size, int(st.st_mtime)]
    return out


def copy_tree_if_same(source: Path, target: Path, recorded: dict[str, list[int]]) -> bool:
    """Copy `source` (a shard's index in the previous build) to `target` if its files are
    exactly those recorded; False (and nothing left at target) otherwise."""
    try:
        if files_of(source) != recorded:
            return False
    except OSError:
        return False
    try:
        shutil.copytree(source, target, copy_function=_link_or_copy)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)
