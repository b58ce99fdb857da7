"""File-system chores done in a small process of their own, started as a script (no package import).

A fork of the build would do: but it shares the build's pages (hundreds of MB of records at
county scale), and every page the build touches afterwards is copied for one of the two, so
the pair counted up to ~300 MB more than the build alone (measured, PSS). A fresh interpreter
costs ~10 MB and a few tens of milliseconds.

    python fsjobs.py remove FOLDER MARKER   remove a build's marked folder, its marker last
    python fsjobs.py list ROOT OUTPUT       write to OUTPUT every entry under ROOT (list_tree)
    python fsjobs.py index OUTPUT [PREVIOUS]
                                            write the files of a search index read from standard input
                                            under OUTPUT (write_index)

Only the standard library: run with -I, nothing of the project's environment is read.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys


def remove_marked(folder: str, marker: str) -> None:
    """Delete a build's own temporary folder, its marker last: interrupted at any point, what is
    left still carries the marker, and the next build removes it. The folder is opened without
    following a link and emptied relative to it: a link put in its place (by whoever can write
    beside the site) is never followed into what it points at."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return
    try:
        with os.scandir(fd) as found:
            entries = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in found]
        for name, is_dir in entries:
            if name == marker:
                continue
            if is_dir:
                shutil.rmtree(name, ignore_errors=True, dir_fd=fd)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(name, dir_fd=fd)
        if os.listdir(fd) == [marker]:  # anything left (a file that would not go): stays marked
            with contextlib.suppress(OSError):
                os.unlink(marker, dir_fd=fd)
    except OSError:
        pass
    finally:
        os.close(fd)
    with contextlib.suppress(OSError):
        os.rmdir(folder)


def make_folder(path: str) -> None:
    """A page's folder: its parent is usually there already, so one call, not makedirs' several."""
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)


def list_tree(root: str, output: str) -> None:
    """Write every entry under ROOT to OUTPUT, each a type letter (d a folder of mode 0755, D a
    folder of another mode, f a plain file, o anything else: a link, a pipe…) and its path relative
    to ROOT with /, NUL-terminated; a plain file's letter is followed by its size, mtime (whole
    seconds) and permission bits, each ended by ":" (what the build checks before it keeps the
    file: cache.PageCache.reuse, spared ~50,000 lstat calls in its own process). Written through
    OUTPUT.part, so that OUTPUT is there only once whole. Links are listed, never followed."""
    with open(output + ".part", "wb") as out:
        stack = [""]
        while stack:
            rel = stack.pop()
            with os.scandir(os.path.join(root, rel)) as entries:
                for entry in entries:
                    path = f"{rel}/{entry.name}" if rel else entry.name
                    if entry.is_dir(follow_symlinks=False):
                        kind = b"d" if stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode) == 0o755 else b"D"
                        stack.append(path)
                    elif entry.is_file(follow_symlinks=False):
                        st = entry.stat(follow_symlinks=False)
                        kind = b"f%d:%d:%d:" % (st.st_size, int(st.st_mtime), stat.S_IMODE(st.st_mode))
                    else:
                        kind = b"o"
                    out.write(kind + os.fsencode(path) + b"\0")
    os.replace(output + ".part", output)


def link_if_same(source: str, target: str, data: bytes) -> bool:
    """Hard-link `source` (the previous build's file) to `target` (a new name, in a folder not yet
    served) if it is a regular file, readable by all (0644) and holds exactly `data`; False, and
    nothing made, otherwise. The new site never writes through the link: its files are made once."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or stat.S_IMODE(st.st_mode) != 0o644 or st.st_size != len(data):
            return False
        if os.read(fd, len(data) + 1) != data:
            return False
        os.link(source, target, follow_symlinks=False)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def write_index(output: str, previous: str | None, stream) -> None:
    """The files of one shard's search index, read from `stream` one by one (each: a line
    "<path bytes> <data bytes>", then the path and the data; paths checked by the build), written
    under OUTPUT; a file that PREVIOUS (the previous build's index of the shard) holds with the
    same bytes is hard-linked.

    In a process of its own: its thousands of small writes, each giving up the build's GIL for a
    system call, waited up to 5 ms apiece for it back beside the busy build thread (2,563 files:
    0.12 s alone, 32 s beside a thread counting in Python). Read a file at a time, so that it
    holds little beside the build and Pagefind."""
    made = set()
    while header := stream.readline():
        path_size, data_size = (int(n) for n in header.split())
        rel = os.fsdecode(stream.read(path_size))
        data = stream.read(data_size)
        if len(data) != data_size:
            raise ValueError("input cut short")
        target = os.path.join(output, rel)
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        if not previous or not link_if_same(os.path.join(previous, rel), target, data):
            with open(target, "wb") as out:
                out.write(data)


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "remove":
        remove_marked(argv[1], argv[2])
        return 0
    if len(argv) == 3 and argv[0] == "list":
        try:
            list_tree(argv[1], argv[2])
        except OSError:  # the build that started it patches nothing without the list: it says why
            return 1
        return 0
    if len(argv) in (2, 3) and argv[0] == "index":
        try:
            write_index(argv[1], argv[2] if len(argv) == 3 else None, sys.stdin.buffer)
        except (OSError, ValueError) as exc:  # told to the build, which reports it in Chinese
            print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group: the build reports it, once
        sys.exit(130)
