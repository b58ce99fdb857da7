"""Patch a published site in place: the files a build wrote moved into it, those it no longer
builds deleted, the folders they leave empty removed.

A commit's build at county scale changes a few hundred of the site's ~90,000 files. Building a
whole new tree beside the old one and swapping it in made ~50,000 page folders (mkdir costs
0.1-0.25 ms on the VM measured: 5-8 s) and left as many to remove; moving in what changed costs
a rename per file. The build chooses (build.publishing): a patch where most of the site is
kept, the whole-tree swap where most was rendered anew (the first build of a day, a template
changed) or where a patch cannot be made safely (`plan` says None).

What a visitor sees meanwhile: each file is replaced whole (rename), so every file is either the
old one or the new one; for the milliseconds of the patch a new page may stand beside an old
one. What a killed patch leaves: the build removes its cache manifest before the first change
(PageCache.forget), so the next build swaps in a whole new site.

The site is listed whole while the build renders (Lister: a small process walking it, ~0.6 s
for a county's 140,000 entries when its folders are in the page cache), so that a patch leaves
exactly what a swap would: whatever the site holds that this build did not write (a page no
longer built, a file someone put there) is deleted, and so is every folder left empty. A site
holding a link, or anything but plain files and folders, is not patched: the build swaps in a
whole new one, so that nothing is ever written or deleted through a link.
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import fsjobs

SAME_UP_TO = 1 << 20  # a file written anew is compared with the published one up to this size


@dataclass
class Listing:
    """What the published site holds (fsjobs.list_tree): paths relative to it, with /."""

    files: set[str]
    folders: set[str]
    other: list[str]  # links, pipes…: a site holding any is not patched


class Lister:
    """List the published site in a process of its own (fsjobs.py list) while the build goes on."""

    def __init__(self, site: Path, output: Path):
        self.output = output
        self.child: subprocess.Popen | None = subprocess.Popen(
            [sys.executable, "-I", fsjobs.__file__, "list", str(site), str(output)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def result(self) -> Listing | None:
        """The listing once the process is done; None if it failed."""
        child, self.child = self.child, None
        if child is None or child.wait() != 0:
            return None
        try:
            data = self.output.read_bytes()
        except OSError:
            return None
        files, folders, other = set(), set(), []
        for item in data.split(b"\0")[:-1]:
            path = os.fsdecode(item[1:])
            kind = item[:1]
            (files.add if kind == b"f" else folders.add if kind == b"d" else other.append)(path)
        return Listing(files, folders, other)

    def stop(self) -> None:
        """Stop the process if it still runs (a build that failed or swaps instead)."""
        child, self.child = self.child, None
        if child is not None:
            child.kill()
            child.wait()


@dataclass
class Plan:
    """What `apply` does, in order: renames (a file or a whole folder of new files into place),
    deletions, removal of the folders left empty, then the marker file last (its new build token
    says the site is this build's)."""

    moves: list[tuple[str, str]] = field(default_factory=list)  # (source in the new tree, target in the site)
    same: int = 0  # files written anew with the bytes already published: left as they are
    added: int = 0  # files and whole folders new to the site
    deletions: list[str] = field(default_factory=list)  # paths in the site
    folders: list[str] = field(default_factory=list)  # folders of the site left empty, deepest first
    last: tuple[str, str] | None = None  # the marker's move


def _kind(path: str) -> int | None:
    """The file type of `path` itself (a link is a link), None if nothing is there."""
    try:
        return stat.S_IFMT(os.lstat(path).st_mode)
    except FileNotFoundError:
        return None


def _same_bytes(new: os.DirEntry, old: str) -> bool:
    """The published file `old` holds what `new` holds: the same file (hard-linked from it by the
    build), or the same bytes (compared up to SAME_UP_TO; larger ones are replaced)."""
    try:
        a, b = new.stat(follow_symlinks=False), os.lstat(old)
        if os.path.samestat(a, b):
            return True
        if a.st_size != b.st_size or a.st_size > SAME_UP_TO or stat.S_IMODE(a.st_mode) != stat.S_IMODE(b.st_mode):
            return False
        with open(new.path, "rb") as f, open(old, "rb") as g:
            return f.read() == g.read()
    except OSError:
        return False


def plan(new: str, site: str, listed: Listing, kept: Iterable[str], marker: str) -> Plan | None:
    """How to make `site` (the published folder, as `listed`) hold exactly the files of the tree
    `new` (what this build wrote) and `kept` (the site's files this build keeps, relative paths), or
    None where that cannot be done safely: see the module's docstring. `marker`: the name of the
    site's marker file, moved last."""
    if listed.other or _kind(site) != stat.S_IFDIR:
        return None
    p = Plan()
    wanted: set[str] = set(kept)
    if not _merge(new, site, p, marker, wanted):
        return None
    p.deletions = sorted(listed.files.difference(wanted))
    needed: set[str] = set()  # the folders of the files the site keeps or gets
    for path in wanted:
        folder = os.path.dirname(path)
        while folder and folder not in needed:
            needed.add(folder)
            folder = os.path.dirname(folder)
    p.folders = sorted(listed.folders.difference(needed), key=lambda f: f.count("/"), reverse=True)
    return p


def _merge(new: str, site: str, p: Plan, marker: str | None, wanted: set[str], rel: str = "") -> bool:
    """Plan the moves of `new` into `site`; add the path of every file of `new` to `wanted`."""
    for entry in os.scandir(new):
        target = os.path.join(site, entry.name)
        here = rel + entry.name
        kind = _kind(target)
        is_dir = entry.is_dir(follow_symlinks=False)
        if not (is_dir or entry.is_file(follow_symlinks=False)):
            return False  # the build wrote a link: never moved into a site
        if is_dir:
            if kind is None:
                p.moves.append((entry.path, target))
                p.added += 1
                _files(entry.path, here + "/", wanted)
            elif kind != stat.S_IFDIR or not _merge(entry.path, target, p, None, wanted, here + "/"):
                return False  # a folder where a file or a link is
            continue
        wanted.add(here)
        if kind is None:
            p.moves.append((entry.path, target))
            p.added += 1
        elif kind != stat.S_IFREG:
            return False  # a file where a folder or a link is
        elif entry.name == marker and not rel:
            p.last = (entry.path, target)
        elif _same_bytes(entry, target):
            p.same += 1
        else:
            p.moves.append((entry.path, target))
    return True


def _files(folder: str, rel: str, wanted: set[str]) -> None:
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            _files(entry.path, f"{rel}{entry.name}/", wanted)
        else:
            wanted.add(rel + entry.name)


def apply(p: Plan, site: str) -> None:
    """Carry out `plan`'s Plan on `site`. An error stops it where it is (OSError): every file is
    then either the old one or the new one, and the caller makes the next build a whole one."""
    for source, target in p.moves:
        os.replace(source, target)  # a file replaced whole; a folder moved in only where none was
    for rel in p.deletions:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(site, rel))
    for rel in p.folders:  # deepest first: a full build has no empty folder
        with contextlib.suppress(OSError):  # not empty after all: left
            os.rmdir(os.path.join(site, rel))
    if p.last is not None:
        os.replace(*p.last)
