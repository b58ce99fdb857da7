"""A project as a full load made it, kept in the cache folder for the next build's load.

A county's commit changes a decision or two, yet a build loaded all 50,000 anew: the record
cache's copies, every stamp, every cross-check, ~4 s of a one-decision build. The preview
already loads only what changed files can affect (project._reload, equal to a fresh load); this
keeps on disk what such a load starts from:

- written by a build whose load was a full one, with what the load was made from: the
  generator, the project folder, the day (every stamp depends on it), the read limit, every
  project file but the decisions (cache.files_key), the dates git gives the files, and each
  entry under the decisions/ folders a load walks (`listing`: content id, folder, link);
- used by a later build when all of it but the decision files is the same: the entries that
  differ from the saved listing go to project._reload, which hands back None (and a full load
  follows) for anything but decision files changed, added or deleted in folders it knows.

It is not rewritten by the builds that use it: each compares with the listing saved, so a day's
commits add up until the next full load (that day's first build of the next day). Stored with
pickle, like the record cache: the cache folder is the project's own, trusted like its files.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
from pathlib import Path
from typing import Any

from .cache import _write_whole, file_digest

NAME = "project.pickle"
FORMAT = 1


def listing(root: Path | str, known: dict[str, str], max_bytes: int) -> dict[str, str]:
    """Path relative to root → what is there, for everything under content/<agency>/decisions/
    and drafts/<agency>/decisions/ as a load walks them (project._decision_files): "f" and the
    content id of a regular file (git's when it vouches for it, `known`), "d" a folder, "l" and
    its target a link, "o" anything else, "?" what could not be read (never equal to itself)."""
    prefix = str(root).rstrip("/") + "/"
    found: dict[str, str] = {}
    for top in ("content", "drafts"):
        try:
            names = sorted(os.listdir(prefix + top))
        except OSError:
            continue
        for name in names:
            if top == "content" and name.startswith("."):
                continue  # not read (project._load)
            if os.path.isdir(prefix + top + "/" + name):  # a linked agency folder is read through
                _walk(prefix + top + "/" + name + "/decisions", prefix, known, max_bytes, found)
    return found


def _walk(folder: str, prefix: str, known: dict[str, str], max_bytes: int, found: dict[str, str]) -> None:
    def kind(path: str) -> str:
        try:
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                return "l" + os.readlink(path)
        except OSError:
            return "?"
        if stat.S_ISDIR(mode):
            return "d"
        if not stat.S_ISREG(mode):
            return "o"
        rel = path[len(prefix):]
        blob = known.get(rel) or file_digest(path, max_bytes)
        return "f" + blob if blob else "?"

    top = kind(folder)
    if top == "?" and not os.path.lexists(folder):
        return  # no decisions/ folder
    found[folder[len(prefix):]] = top  # the load walks through a linked decisions/ folder too

    def unread(exc: OSError) -> None:
        if exc.filename:
            found[os.fsdecode(exc.filename)[len(prefix):]] = "?"

    for here, dirs, files in os.walk(folder, onerror=unread):
        for d in dirs:
            found[here[len(prefix):] + "/" + d] = kind(here + "/" + d)
        # Hidden folders and linked ones are not read (a linked one is reported, by its entry above).
        dirs[:] = [d for d in dirs if not d.startswith(".") and found[here[len(prefix):] + "/" + d] == "d"]
        for f in files:
            found[here[len(prefix):] + "/" + f] = kind(here + "/" + f)


def changed(before: dict[str, str], now: dict[str, str]) -> list[str]:
    """The paths whose entry differs (added, removed, changed or unreadable on either side)."""
    out = [p for p, was in before.items() if now.get(p) != was or was == "?"]
    out += [p for p in now.keys() - before.keys()]
    return out


def read(folder: Path, key: tuple) -> tuple[dict[str, str], str | None, Any] | None:
    """(listing, git's warning, project) saved under `key`; None if there is none, or another one."""
    try:
        with open(Path(folder) / NAME, "rb") as f:
            saved = pickle.load(f)
    except Exception:  # missing, torn or written by other code: a full load instead
        return None
    if not (isinstance(saved, tuple) and len(saved) == 4 and saved[0] == (FORMAT, *key)):
        return None
    return saved[1], saved[2], saved[3]


def write(folder: Path, key: tuple, entries: dict[str, str], warning: str | None, project: Any) -> None:
    """Saved whole or not at all (cache._write_whole); a failure only costs the next build time."""
    saved = ((FORMAT, *key), entries, warning, project)
    with contextlib.suppress(Exception):  # a full disk, a record pickle refuses: not kept, nothing else
        Path(folder).mkdir(parents=True, exist_ok=True)
        _write_whole(Path(folder) / NAME, lambda f: pickle.dump(saved, f, protocol=pickle.HIGHEST_PROTOCOL))
