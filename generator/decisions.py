"""Read decision files, the bulk of a project: one file per decision, tens of thousands per county.

Each file is read and validated on its own, so the work spreads over both
cores of a small CI machine, and results are kept per file (keyed by its size
and modification time) so that a preview server re-reads only what was saved.
"""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .messages import problems_from_error
from .model import Decision
from .problems import Problem, rel
from .yamlio import Document, _real_folder, read_yaml, within

Result = tuple[Decision | None, list[Problem]]

# Below this many files a second process costs more than it saves.
PARALLEL_FROM = 2000

_cache: dict[str, tuple[tuple[int, int, int, int, int], Result]] = {}
WHAT = "decision"  # what a decision file is kept as in a record cache (cache.RecordCache)


def kind_of(data: Any) -> str:
    return {list: "列表", dict: "一组字段", str: "文字"}.get(type(data), "其他内容")


def validate(model: type[BaseModel], doc: Document, data: Any, prefix: tuple = ()) -> tuple[Any, list[Problem]]:
    """One record against its model: the record, or None and the problems at file:line:col."""
    if not isinstance(data, dict):
        line, col = doc.pos.at(prefix)
        return None, [Problem(doc.path, line, col, "Y007", f"这里应是一条记录（一组“字段名: 值”），写成了{kind_of(data)}",
                              "检查缩进：同一条记录的字段要对齐")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, problems_from_error(exc, model, doc.path, doc.pos, prefix)


def read_one(root: Path, path: Path | str, max_bytes: int, digest: list[str] | None = None,
             relpath: str | None = None) -> Result:
    """`digest` receives the content hash of the bytes read (see yamlio.read_yaml); `relpath`: the
    path's own relative to `root`, where the caller has it."""
    doc, problems = read_yaml(path, relpath or rel(Path(path), root), max_bytes, root=root,  # type: ignore[arg-type]
                              digest=digest)
    if doc is None:
        return None, problems
    decision, more = validate(Decision, doc, doc.data)
    return decision, problems + more


def stat_key(path: Path | str, max_bytes: int, root: Path | str | None = None) -> tuple[int, int, int, int, int] | None:
    """What a cached read is valid for: the file's times, size and identity (a file replaced by
    another of the same size). The change time too: a tool that puts the modification time back
    after an edit of the same length cannot set it. None, never cached, for anything but a regular
    file: a pipe or device is refused afresh on every read, and stat() never blocks on it; a link
    is read every time (as by the record cache), as is a file whose folder resolves outside `root`:
    a folder moved out of the project and linked back keeps its files' stat, but reading them is
    refused (Y009)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    if root is not None and not within(_real_folder(os.path.dirname(str(path)) or "."), root):
        return None
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, max_bytes


def start_method() -> str:
    """fork while this process has no other thread: the workers start with everything imported.
    Once threads run (a preview's server and watcher), a fork could copy a lock one of them
    holds, so the workers are spawned instead."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def share_values(model: BaseModel, shared: dict) -> None:
    """Let records read alike share equal values: one `__pydantic_fields_set__`, one string, one date.

    Pydantic keeps a set of the names given for every model and sub-model: ~1.7 KB of a
    decision's ~8 KB, 85 MB at county scale, and the same few sets over and over. Nothing
    here reads it (no exclude_unset, no model_fields_set); model_copy copies it before adding
    to it. Each file is parsed on its own, so the texts a county repeats (bases, outcomes,
    officers' numbers, the kinds) and its dates are separate objects per record: 63 MB of
    strings of which 23 MB differ. Strings and dates are immutable, so sharing them changes
    nothing but memory (and the record cache's pickles, which keep one copy of a shared value).
    `shared` maps each kept value (a frozenset, a str, a date: never equal across those types)
    to the one object kept for it."""
    values = model.__dict__
    for name, value in values.items():
        kind = type(value)
        if kind is str or kind is dt.date:
            values[name] = shared.setdefault(value, value)
        elif isinstance(value, BaseModel):
            share_values(value, shared)
        elif kind is list:
            for i, item in enumerate(value):
                if type(item) is str:
                    value[i] = shared.setdefault(item, item)
                elif isinstance(item, BaseModel):
                    share_values(item, shared)
        elif kind is dict:  # privacy_exempt: field name → reason
            for key, item in value.items():
                if type(item) is str:
                    value[key] = shared.setdefault(item, item)
    names = model.__pydantic_fields_set__
    object.__setattr__(model, "__pydantic_fields_set__", shared.setdefault(frozenset(names), names))


def _work(job: tuple[str, str, int, bool]) -> tuple[Result, str | None, list[Problem] | None]:
    """A file's result, the content hash of the bytes it was read from (None if none were) and,
    when asked, the guard's own part of a public decision (guard.own_part, else None)."""
    root, path, max_bytes, guarded = job
    digest: list[str] = []
    base = _path(root)
    prefix = root.rstrip("/") + "/"
    relpath = path[len(prefix):] if path.startswith(prefix) else rel(Path(path), base)
    result = read_one(base, path, max_bytes, digest, relpath)
    own = None
    if guarded and result[0] is not None:
        from . import guard
        from .kinds import decision as decision_kind
        from .project import Src

        if decision_kind.KIND.public(result[0]):
            own = guard.own_part(result[0], Src(relpath, None, root=base))
    return result, (digest[0] if digest else None), own


@functools.lru_cache(maxsize=8)
def _path(folder: str) -> Path:
    return Path(folder)


def read_all(root: Path, paths: list[Path] | list[str], max_bytes: int, records: Any = None) -> list[Result]:
    """Results in the order of `paths`; unchanged files come from the cache."""
    return start(root, paths, max_bytes, records)()


def start(root: Path, paths: list[Path] | list[str], max_bytes: int, records: Any = None,
          guarded: dict[int, tuple[Decision, list[Problem]]] | None = None) -> Callable[[], list[Result]]:
    """Begin reading in worker processes; call the returned function for the results.

    The caller reads the small list files meanwhile, so the parent's core is not idle.
    `records` (cache.RecordCache): files whose content it has kept are not read again; without
    it, files unchanged since the last read in this process (a preview) are not.
    `guarded`: receives the guard's own part of each public decision read now (guard.screening's
    `early`): at county scale 2 s that would otherwise run after the reads, on one core."""
    keys = [stat_key(p, max_bytes, root) for p in paths] if records is None else [None] * len(paths)
    results: list[Result | None] = []
    todo: list[int] = []
    for i, (path, key) in enumerate(zip(paths, keys, strict=True)):
        if records is not None:
            hit = records.get(str(path), WHAT)
            results.append(hit)
            if hit is None:
                todo.append(i)
            continue
        hit = _cache.get(str(path))
        if key is not None and hit is not None and hit[0] == key:
            results.append(hit[1])
        else:
            results.append(None)
            todo.append(i)
    jobs = [(str(root), str(paths[i]), max_bytes, guarded is not None) for i in todo]
    pool = None
    if len(jobs) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        pool = multiprocessing.get_context(start_method()).Pool(min(os.cpu_count() or 2, 4))
        pending = pool.map_async(_work, jobs, chunksize=256)

    def finish() -> list[Result]:
        if pool is not None:
            try:
                done = pending.get()
            finally:
                pool.close()
                pool.join()
        else:
            done = [_work(job) for job in jobs]
        for i, (result, digest, own) in zip(todo, done, strict=True):
            results[i] = result
            if own is not None and guarded is not None:
                guarded[id(result[0])] = (result[0], own)  # type: ignore[assignment]
            if records is not None:
                records.put(str(paths[i]), WHAT, result, digest)
            elif keys[i] is not None:
                _cache[str(paths[i])] = (keys[i], result)
        # Records from workers were unpickled one file at a time: each has strings, dates and sets of
        # its own (those kept in this process since a previous load share them already: ~1 s of a
        # preview save). Those from the record cache share them within their folder's file, as they
        # were shared when it was written: sharing across folders too saved 8 MB of a county's
        # 440 MB and cost 0.8 s of every incremental build.
        shared: dict = {}  # share_values: frozensets, strings and dates
        for i in todo:
            if results[i] is not None and results[i][0] is not None:
                share_values(results[i][0], shared)
        return results  # type: ignore[return-value]

    return finish
