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
    closed: list[str] = field(default_factory=list)  # folders whose mode is not 0755 (open_up's)
    stats: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # file → size, mtime (s), permissions


class Lister:
    """List the published site in a process of its own (fsjobs.py list) while the build goes on."""

    def __init__(self, site: Path, output: Path):
        self.output = output
        self.listed: Listing | None = None
        self.child: subprocess.Popen | None = subprocess.Popen(
            [sys.executable, "-I", fsjobs.__file__, "list", str(site), str(output)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def result(self) -> Listing | None:
        """The listing once the process is done (waited for at the first call); None if it failed."""
        child, self.child = self.child, None
        if child is None:
            return self.listed
        if child.wait() != 0:
            return None
        try:
            data = self.output.read_bytes()
        except OSError:
            return None
        files, folders, other, closed, stats = set(), set(), [], [], {}
        for item in data.split(b"\0")[:-1]:
            kind = item[:1]
            if kind == b"f":
                size, mtime, mode, name = item[1:].split(b":", 3)
                path = os.fsdecode(name)
                files.add(path)
                stats[path] = (int(size), int(mtime), int(mode))
                continue
            path = os.fsdecode(item[1:])
            if kind == b"D":
                closed.append(path)
            (folders.add if kind in b"dD" else other.append)(path)
        self.listed = Listing(files, folders, other, closed, stats)
        return self.listed

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

    moves: list[tuple[str, str]] = field(default_factory=list)  # (source in the new tree, path in the site)
    same: int = 0  # files written anew with the bytes already published: left as they are
    added: int = 0  # files and whole folders new to the site
    deletions: list[str] = field(default_factory=list)  # paths in the site
    folders: list[str] = field(default_factory=list)  # folders of the site left empty, deepest first
    opened: list[str] = field(default_factory=list)  # folders made 0755 again ("": the site), first
    last: tuple[str, str] | None = None  # the marker's move (as in `moves`)


def _kind(path: str) -> int | None:
    """The file type of `path` itself (a link is a link), None if nothing is there."""
    try:
        return stat.S_IFMT(os.lstat(path).st_mode)
    except FileNotFoundError:
        return None


class _Cannot(Exception):
    """The patch cannot be made safely: the build swaps in a whole new site instead."""


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
    try:
        return _plan(new, site, listed, kept, marker)
    except (_Cannot, OSError):  # OSError: a folder of the site it cannot read, say
        return None


def _plan(new: str, site: str, listed: Listing, kept: Iterable[str], marker: str) -> Plan:
    top = os.lstat(site)
    if listed.other or not stat.S_ISDIR(top.st_mode):
        raise _Cannot
    p = Plan()
    wanted: set[str] = set(kept)
    # A rename does not cross file systems: every folder the new files go into must be on the
    # new tree's (build.check_out refuses a site holding a mount point: a bind mount has the same
    # st_dev, but rename() refuses to cross it all the same).
    _merge(new, site, p, marker, wanted, os.lstat(new).st_dev)
    p.deletions = sorted(listed.files.difference(wanted))
    needed: set[str] = set()  # the folders of the files the site keeps or gets
    for path in wanted:
        folder = os.path.dirname(path)
        while folder and folder not in needed:
            needed.add(folder)
            folder = os.path.dirname(folder)
    p.folders = sorted(listed.folders.difference(needed), key=lambda f: f.count("/"), reverse=True)
    # Readable by all, as a swapped-in site is (build.open_up): the site and its folders, those
    # removed too (a folder closed to writing holds files the patch deletes), parents first.
    p.opened = ([""] if stat.S_IMODE(top.st_mode) != 0o755 else []) + sorted(listed.closed, key=lambda f: f.count("/"))
    return p


def _merge(new: str, site: str, p: Plan, marker: str | None, wanted: set[str], dev: int, rel: str = "") -> None:
    """Plan the moves of `new` into `site`; add the path of every file of `new` to `wanted`."""
    if os.lstat(site).st_dev != dev:
        raise _Cannot
    with os.scandir(new) as entries:
        found = list(entries)
    for entry in found:
        target = os.path.join(site, entry.name)
        here = rel + entry.name
        kind = _kind(target)
        is_dir = entry.is_dir(follow_symlinks=False)
        if not (is_dir or entry.is_file(follow_symlinks=False)):
            raise _Cannot  # the build wrote a link: never moved into a site
        if is_dir:
            if kind is None:
                p.moves.append((entry.path, here))
                p.added += 1
                wanted.update(f"{here}/{rel}" for rel in files_under(entry.path))
            elif kind == stat.S_IFDIR:
                _merge(entry.path, target, p, None, wanted, dev, here + "/")
            else:
                raise _Cannot  # a folder where a file or a link is
            continue
        wanted.add(here)
        if kind is None:
            p.moves.append((entry.path, here))
            p.added += 1
        elif kind != stat.S_IFREG:
            raise _Cannot  # a file where a folder or a link is
        elif entry.name == marker and not rel:
            p.last = (entry.path, here)
        elif _same_bytes(entry, target):
            p.same += 1
        else:
            p.moves.append((entry.path, here))


def files_under(folder: Path | str) -> set[str]:
    """The paths (relative, with /) of every file under `folder`, links included, folders not."""
    out: set[str] = set()
    root = str(folder)
    cut = len(root) + 1
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    out.add(entry.path[cut:])
    return out


def apply(p: Plan, site: str) -> None:
    """Carry out `plan`'s Plan on `site`. An error stops it where it is (OSError): every file is
    then either the old one or the new one, and the caller makes the next build a whole one.

    Every folder of the site is opened from its parent without following a link, and each file
    is moved, deleted or removed relative to its folder so opened: a folder turned into a link
    since the site was listed (by someone else writing into it) stops the patch, never leads
    it outside the site."""
    folders = _Folders(site)
    try:
        for rel in p.opened:
            os.fchmod(folders.fd(rel), 0o755)
        for source, rel in p.moves:
            # A file replaced whole; a folder moved in only where none was.
            os.replace(source, os.path.basename(rel), dst_dir_fd=folders.fd(os.path.dirname(rel)))
        for rel in p.deletions:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.basename(rel), dir_fd=folders.fd(os.path.dirname(rel)))
        for rel in p.folders:  # deepest first: a full build has no empty folder
            with contextlib.suppress(OSError):  # not empty after all (or gone, or a link): left
                os.rmdir(os.path.basename(rel), dir_fd=folders.fd(os.path.dirname(rel)))
        if p.last is not None:
            os.replace(p.last[0], p.last[1], dst_dir_fd=folders.fd(""))
    finally:
        folders.close()


class _Folders:
    """The site's folders by relative path, each opened from its parent with O_NOFOLLOW."""

    FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC

    def __init__(self, site: str):
        self.open: dict[str, int] = {"": os.open(site, self.FLAGS)}

    def fd(self, rel: str) -> int:
        found = self.open.get(rel)
        if found is None:
            parent = self.fd(os.path.dirname(rel))
            found = self.open[rel] = os.open(os.path.basename(rel), self.FLAGS, dir_fd=parent)
        return found

    def close(self) -> None:
        for fd in self.open.values():
            os.close(fd)
        self.open = {}
