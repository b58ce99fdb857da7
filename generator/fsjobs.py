"""File-system chores done in a small process of their own, started as a script (no package import).

A fork of the build would do: but it shares the build's pages (hundreds of MB of records at
county scale), and every page the build touches afterwards is copied for one of the two, so
the pair counted up to ~300 MB more than the build alone (measured, PSS). A fresh interpreter
costs ~10 MB and a few tens of milliseconds.

    python fsjobs.py remove FOLDER MARKER   remove a build's marked folder, its marker last
    python fsjobs.py mkdirs ROOT LIST       make the folders named in LIST (one per line) under ROOT

Only the standard library: run with -I, nothing of the project's environment is read.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys


def remove_marked(folder: str, marker: str) -> None:
    """Delete a build's own temporary folder, its marker last: interrupted at any point, what is
    left still carries the marker, and the next build removes it."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name == marker:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
    with contextlib.suppress(OSError):
        if os.listdir(folder) == [marker]:  # anything left (a file that would not go): stays marked
            os.unlink(os.path.join(folder, marker))
        os.rmdir(folder)


def make_folder(path: str) -> None:
    """A page's folder: its parent is usually there already, so one call, not makedirs' several."""
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)


def make_folders(root: str, folders: list[str]) -> None:
    for folder in folders:
        make_folder(os.path.join(root, folder))


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "remove":
        remove_marked(argv[1], argv[2])
        return 0
    if len(argv) == 3 and argv[0] == "mkdirs":
        with open(argv[2], encoding="utf-8", errors="surrogateescape") as f:
            make_folders(argv[1], f.read().split("\n")[:-1])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
