"""Where a build's time goes, from py-spy's samples of the build's own thread.

    profile(cmd) → [(step, seconds)], or None when py-spy is not installed

Issue 17 asks the benchmark to explain with a profile any target it misses. The
build's own step lines (读取并检查内容 …) cover only part of an incremental
build; this attributes every sample of the main thread to one step, so the
figures add up to the time the main thread held the GIL. py-spy samples from
outside the process: cProfile's per-call cost made Jinja's imports and
ChainMap lookups look several times dearer than they are at this scale.
"""

from __future__ import annotations

import collections
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The first step whose frame is on a sample's stack takes the sample: the more specific first.
STEPS = [
    ("record cache: unpickling records", "RecordCache._bucket (generator/cache.py"),
    ("record cache: saving", "RecordCache.save (generator/cache.py"),
    ("load: the last full load's snapshot", "read (generator/snapshot.py"),
    ("load: the decision files changed since", "_reload (generator/project.py"),
    ("load: writing the snapshot", "write (generator/snapshot.py"),
    ("decision stamps (deadlines)", "stamp (generator/kinds/decision.py"),
    ("cross-checks of all records", "_cross_check (generator/project.py"),
    ("reading the rest (files, git dates, duplicates)", "load (generator/project.py"),
    ("the public view (masking, order)", "view (generator/public.py"),
    ("statistics and page specs", "Site.specs (generator/render.py"),
    ("navigation pages and search set-up", "DisclosePlugin.on_config (generator/plugin.py"),
    ("record pages: keys (reuse)", "PageCache.key (generator/cache.py"),
    ("record pages: rendering and writing", "write_pages (generator/shell.py"),
    ("data files", "DisclosePlugin.write_exports (generator/plugin.py"),
    ("search: the exact lookup", "extras (generator/search.py"),
    ("search: waiting for Pagefind, keys", "Indexer.finish (generator/search.py"),
    ("page cache: saving the manifest", "PageCache.save (generator/cache.py"),
    ("publishing: the site patched in place", "(generator/sitepatch.py"),
    ("publishing: kept files linked into a new site", "PageCache.complete (generator/cache.py"),
    ("MkDocs: its own pages, theme, 404, sitemap", "(mkdocs/"),
    ("Python start-up and imports", "_find_and_load (<frozen importlib._bootstrap>"),
]
OTHER = "the rest (git ids, cache keys, swapping a new site in)"


def attribute(raw: str, rate: int) -> tuple[list[tuple[str, float]], float]:
    """py-spy's raw (collapsed) samples → seconds per step of the main thread, and seconds
    sampled in other threads (the search index's, beside the main one)."""
    main: collections.Counter[str] = collections.Counter()
    beside = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        if "Thread._bootstrap" in frames[0]:  # a pool's thread (process and thread names are off)
            beside += n
            continue
        main[next((label for label, frame in STEPS if any(frame in f for f in frames)), OTHER)] += n
    order = [label for label, _ in STEPS] + [OTHER]
    return [(label, main[label] / rate) for label in order if main[label]], beside / rate


def profile(cmd: list[str], rate: int = 200) -> tuple[list[tuple[str, float]], float] | None:
    """Run `cmd` (a Python process) under py-spy, sampling only threads that hold the GIL."""
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "samples.txt"
        done = subprocess.run([spy, "record", "--gil", "--rate", str(rate), "--format", "raw", "--output", str(out),
                               "--", *cmd], capture_output=True, text=True)
        if done.returncode != 0 or not out.exists():
            print(f"py-spy failed ({done.returncode}): {done.stderr[-500:]}", file=sys.stderr)
            return None
        return attribute(out.read_text(encoding="utf-8"), rate)
