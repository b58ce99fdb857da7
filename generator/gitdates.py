"""published_on from git: the date of the commit that first added each file under content/.

One `git log` pass for the whole tree, not one call per file: a county has
tens of thousands of decisions. The date is the Beijing date of the commit
instant, whatever zone the committer's machine was set to: a merge at 17:30
UTC is already the next day in China, and a deadline is kept or missed there.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from .calendar import BEIJING


def first_added(root: Path, subdir: str = "content") -> tuple[dict[str, dt.date], str | None]:
    """Map repository-relative paths (relative to root) to the date first added.

    Returns the map and a warning text (not a git repository, shallow clone) or None.
    """
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True,
                             text=True, check=True).stdout.strip()
        shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=root,
                                 capture_output=True, text=True, check=True).stdout.strip()
        # -z: names as they are (a GBK archive's bytes, a newline), never quoted; each commit's
        # line is its time, digits only, where every name holds a "/" (all are under `subdir`).
        log = subprocess.run(
            ["git", "log", "-z", "--diff-filter=A", "--no-renames", "--reverse", "--format=%x00%ct",
             "--name-only", "--", subdir],
            cwd=root, capture_output=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}, None  # not a git checkout (or no commits yet): files count as published today
    prefix = Path(root).resolve().relative_to(Path(top).resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for field in log.split(b"\0"):
        field = field.removeprefix(b"\n")  # the line break after each commit's line
        if field.isdigit():
            # %ct: seconds since the epoch, free of the committer's zone (%cs would keep it)
            current = dt.datetime.fromtimestamp(int(field), BEIJING).date()
        elif field and current is not None:
            line = os.fsdecode(field)  # as the project's own paths are spelled (undecodable bytes kept)
            rel = line[len(prefix):] if line.startswith(prefix) else line
            dates.setdefault(rel, current)  # --reverse: the first commit that added it wins
    warning = None
    if shallow == "true":
        warning = "这是浅克隆（shallow clone），公开日期可能取成了最近一次提交的日期"
    return dates, warning
