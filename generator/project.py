"""Load a project (content/, drafts/, site_config/) into typed records, with every problem found.

Reading, shape validation and cross-references all collect problems and go
on, so one run reports every mistake. Nothing here prints or reads the clock.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import difflib
import functools
import hashlib
import os
import re
import stat
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import decisions, gitdates, gitindex, guard, kinds, release, snapshot, textkey
from .cache import RecordCache, generator_key
from .calendar import WorkCalendar
from .calendar import problems as calendar_problems
from .deadlines import Stamps
from .heap import no_gc
from .kinds import decision as decision_kind
from .model import Agency, Benchmark, CalendarFile, Decision, Officer, Power, Site
from .problems import NOTICE, WARNING, Problem, rel, show_value, shown_path
from .rules import RuleBook
from .rules import load as load_rules
from .yamlio import DEFAULT_MAX_BYTES, Document, Positions, forget_folders, read_yaml

# Without a record cache (a preview reloads the project on every save): what a list file or a file
# holding one record read as, by (path, what it was read as), while the file's stat is the same.
_stat_memo: dict[tuple[str, str], tuple[tuple, Any]] = {}


def _memo_get(path: str, what: str, key: tuple | None) -> Any | None:
    hit = _stat_memo.get((path, what))
    return hit[1] if key is not None and hit is not None and hit[0] == key else None


def _memo_put(path: str, what: str, key: tuple | None, value: Any) -> None:
    if key is None:
        return  # not a regular file inside the project (decisions.stat_key): read every time
    if len(_stat_memo) > 100_000:
        _stat_memo.clear()
    _stat_memo[(path, what)] = (key, value)


@dataclass(slots=True)
class Src:
    """Where a record is: file, positions, and the path of the record inside the file."""

    path: str
    pos: Positions | None
    prefix: tuple = ()
    root: Path | None = None  # set when pos is left out to save memory: read again on demand

    def at(self, *loc: Any) -> tuple[int, int]:
        if self.pos is None:
            # A decision file's positions are only needed for a problem found
            # later (cross-references): read the file again then, not kept for all.
            doc, _ = read_yaml(self.root / self.path, self.path, root=self.root) if self.root else (None, [])
            self.pos = doc.pos if doc else Positions()
        return self.pos.at((*self.prefix, *loc))

    def problem(self, loc: tuple, code: str, message: str, hint: str, *, given: Any = None,
                severity: str = "错误") -> Problem:
        line, col = self.at(*loc)
        return Problem(self.path, line, col, code, message, hint, severity=severity,
                       given=None if given is None else show_value(given))


@dataclass(slots=True)
class Entry:
    """A decision with everything the pages need besides the record itself."""

    decision: Decision
    agency: str
    src: Src
    slug: str
    draft: bool = False
    stamps: Stamps | None = None

    @property
    def year(self) -> int:
        return self.decision.decided_on.year


@dataclass(slots=True)
class Item:
    """A record of a project-wide kind (supervision, coordination) with where it is and its stamps."""

    record: Any
    src: Src
    slug: str = ""
    stamps: dict[str, Any] = field(default_factory=dict)  # name → deadlines.Count (or None), set by the kind


@dataclass
class AgencyData:
    agency: Agency
    src: Src
    officers: list[tuple[Officer, Src]] = field(default_factory=list)
    powers: list[tuple[Power, Src]] = field(default_factory=list)
    benchmarks: list[tuple[Benchmark, Src]] = field(default_factory=list)
    decisions: list[Entry] = field(default_factory=list)


@dataclass
class Project:
    root: Path
    today: dt.date
    site: Site | None = None
    rules: RuleBook | None = None  # national + local rules and the register of legal sources
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    agencies: dict[str, AgencyData] = field(default_factory=dict)
    drafts: list[Entry] = field(default_factory=list)
    records: dict[str, list[Item]] = field(default_factory=dict)  # project-wide kinds by name (kinds.project_kinds)
    problems: list[Problem] = field(default_factory=list)
    # relpath → content hash of the record files read through a record cache (cache.RecordCache):
    # what an incremental build keys a decision's page by. Empty when loaded without one.
    digests: dict[str, str] = field(default_factory=dict)
    # What this load made of each decision file, for the next load in this process (load(keep=True),
    # a preview): taken by that load, which redoes only what the files changed since can affect.
    kept: Kept | None = field(default=None, repr=False, compare=False)
    reread: int | None = None  # an incremental load: the decision files it redid (changed, added, deleted)
    # What was read is what cache.files_key hashed before the load (load's `files`): a load from the
    # snapshot, or a full one whose files hashed the same after it. Else a cache keyed by that hash
    # would keep what a file said meanwhile (saved during the load, put back since) for ever.
    files_checked: bool = False

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def entries(self) -> list[Entry]:
        return [e for a in self.agencies.values() for e in a.decisions]

    def natural_persons(self) -> list[str]:
        """Every natural person a decision names as party: drafts, withheld and expired ones included,
        as any of them may be named in another record's text (the view masks them, the guard screens by them)."""
        return [e.decision.party.name for e in [*self.entries(), *self.drafts] if e.decision.party.type == "自然人"]

    def officers(self) -> dict[str, tuple[Officer, str]]:
        return {o.certificate_no: (o, a.agency.id) for a in self.agencies.values() for o, _ in a.officers}

    def powers(self) -> dict[str, tuple[Power, str]]:
        return {p.code: (p, a.agency.id) for a in self.agencies.values() for p, _ in a.powers}

    def benchmarks(self) -> dict[str, tuple[Benchmark, str]]:
        return {b.id: (b, a.agency.id) for a in self.agencies.values() for b, _ in a.benchmarks}

    def items(self, kind: str) -> list[Item]:
        """The records of a project-wide kind (notice, plan, coordination, summary)."""
        return self.records.get(kind, [])


def load(root: Path, today: dt.date, *, max_bytes: int = DEFAULT_MAX_BYTES, use_git: bool = True,
         cache: Path | None = None, known: dict[str, str] | None = None, keep: bool = False,
         previous: Project | None = None,
         changed: Iterable[Path | str] | None = None, files: str | None = None,
         files_now: Callable[[], str] | None = None) -> Project:
    """`cache`: a folder where what each record file was read as is kept by its content
    (cache.RecordCache), so that the next load reads only the files that changed.

    `keep` (without a cache): keep what was made of each decision file in Project.kept. Given
    such a `previous` load of the same project and every path `changed` since (a preview's saved
    files), only decision files changed, and the day and the git history the same, the load redoes
    only what those files can affect; else it is a full load (keeping again). Either way the
    result equals a fresh load's.

    `files` (with a cache): cache.files_key of the project, taken before anything is read: the
    load starts from the snapshot of the last full load and redoes only the decision files
    changed since, or is a full one saved as the next load's snapshot (snapshot.py) if `files_now()`,
    the same hash taken again after it, is still `files` (nothing but decisions changed meanwhile)."""
    root = Path(root)
    # The collector's repeated full passes made loading superlinear (50,000 decisions: 21 s → 12 s).
    with no_gc():
        if previous is not None and changed is not None and cache is None:
            project = _reload(previous, root, today, max_bytes, use_git, changed)
            if project is not None:
                return project
        if cache is not None and files is not None:
            return _load_kept(root, today, max_bytes, use_git, cache, known, files, files_now)
        return _load(root, today, max_bytes, use_git, cache, keep or previous is not None, known)


def _load_kept(root: Path, today: dt.date, max_bytes: int, use_git: bool, cache: Path,
               known: dict[str, str] | None, files: str, files_now: Callable[[], str] | None) -> Project:
    key = (generator_key(), str(root), today, max_bytes, use_git, files)
    if known is None:
        known = gitindex.clean_ids(root)
    now = snapshot.listing(root, known, max_bytes)  # before any file is read: see files_key
    saved = snapshot.read(cache, key)
    if saved is not None:
        records = RecordCache(cache, root, max_bytes, _guard_cache, known)  # the files read anew, by content
        project = _from_snapshot(root, today, max_bytes, use_git, now, records, *saved)
        if project is not None:
            project.files_checked = True  # the snapshot was made of the files so hashed (below)
            return project
    project = _load(root, today, max_bytes, use_git, cache, True, known)
    project.files_checked = files_now is not None and files_now() == files
    # Kept only if made of the files as listed and hashed before (a file saved, added or deleted
    # during the load, even if put back since, would stay in every later load), and without
    # errors (its build stops there, having written nothing but the record cache).
    if project.kept is not None and project.ok and _as_listed(project, now) and project.files_checked:
        snapshot.write(cache, key, now, project.kept.warning, project)
    return project


def _as_listed(project: Project, now: dict[str, str]) -> bool:
    """Every decision file the load read is one the listing has, with the content it read, and
    every decision file listed was read."""
    prefix = str(project.root).rstrip("/") + "/"
    read = {path[len(prefix):] if path.startswith(prefix) else None for path in project.kept.files}
    listed = {rel for rel, was in now.items() if was.startswith("f") and _decision_name(os.path.basename(rel))}
    return read == listed and all(now[rel] == "f" + project.digests.get(rel, "") for rel in read)


def _decision_name(name: str) -> bool:
    """A file name _decision_files reads as a decision."""
    return not _lock(name) and (name.endswith(YAML_SUFFIXES) or name.lower().endswith(YAML_SUFFIXES))


def _from_snapshot(root: Path, today: dt.date, max_bytes: int, use_git: bool, now: dict[str, str],
                   records: RecordCache, before: dict[str, str], warning: str | None,
                   previous: Project) -> Project | None:
    """The saved full load brought up to the files as they are now; None where a full load is needed."""
    kept = previous.kept
    dates, now_warning = gitdates.first_added(root) if use_git else ({}, None)
    if kept is None or now_warning != warning:
        return None
    prefix = str(root).rstrip("/") + "/"
    # A file git dates otherwise (a history rewritten or deepened) is stamped anew, as a changed one.
    moved = {p for p in kept.dates.keys() | dates.keys() if kept.dates.get(p) != dates.get(p)}
    paths = {prefix + p for p in (*snapshot.changed(before, now), *moved)}
    # The saved load's git state stood for its dates, compared above with git's dates now.
    kept.key = _key(root, today, max_bytes, use_git)
    kept.dates = dates
    digests = previous.digests
    project = _reload(previous, root, today, max_bytes, use_git, paths, records)
    if project is None:
        return None
    # The files read anew by the bytes read (what their pages and masked views are kept by).
    project.digests = {rel: d for rel, d in digests.items() if prefix + rel not in paths} | records.digests
    return project


def _load(root: Path, today: dt.date, max_bytes: int, use_git: bool, cache: Path | None = None,
          keep: bool = False, known: dict[str, str] | None = None) -> Project:
    project = Project(root=root, today=today)
    # Its git state first: a commit made while this load runs makes the next load a full one.
    kept = Kept(_key(root, today, max_bytes, use_git)) if keep else None
    forget_folders()  # a folder may have become a link since the last load (a preview runs for hours)
    pending: list[tuple[str, str, list, decisions.Result]] = []
    guarded: dict[int, tuple[Any, list[Problem]]] = {}  # the guard's part done where decisions are read
    records = RecordCache(cache, root, max_bytes, _guard_cache, known) if cache is not None else None
    reader = _Reader(root, project.problems, max_bytes, records)
    _load_config(project, reader)
    # a county repository pins its generator (requirements.txt: no preview watches it, so always read)
    (kept.version if kept else project.problems).extend(release.version_problems(root))
    content = root / "content"
    finish = None
    if not content.is_dir():
        project.problems.append(Problem("content", 1, 1, "S001", "找不到 content 文件夹",
                                        "在项目根目录下建立 content/<主体编号>/agency.yaml"))
    else:
        entries = sorted(content.iterdir())
        folders = [p for p in entries if p.is_dir() and not p.name.startswith(".")]
        for path in entries:
            if not path.is_dir() and not _quiet(path.name):
                _unread(project, path, "content/ 下只放执法主体的文件夹：记录放进 content/<主体编号>/ 里（决定放在它的 "
                                       "decisions/<年份>/ 下，每份一个 .yaml 文件），其他文件移出 content/")
        # Decision files first, in worker processes, while this process reads the list files.
        unread: list[str] = []
        early = [(path, f.name) for f in folders for path in _decision_files(f / "decisions", unread)]
        for path in unread:
            _unread(project, path)
        finish = decisions.start(project.root, [p for p, _ in early], reader.max_bytes, records, guarded)
        for folder in folders:
            _load_agency(project, reader, folder)
    # The project-wide kinds' files too (thousands of coordination records) while the decisions are read.
    for kind in kinds.project_kinds():
        project.records[kind.name] = _load_kind(project, reader, kind)
    if finish is not None:
        results = finish()
        for (path, agency), result in zip(early, results, strict=True):
            if agency in project.agencies:  # a folder whose agency.yaml is missing is reported as such
                pending.append((path, agency, project.agencies[agency].decisions, result))
    drafts: list[tuple[str, str, list]] = []
    _load_drafts(project, drafts)
    for (path, agency, target), result in zip(drafts, decisions.read_all(project.root, [p for p, _, _ in drafts],
                                                                         reader.max_bytes, records), strict=True):
        pending.append((path, agency, target, result))
    _load_decisions(project, pending, records, kept)
    _check_record_pages(project)
    for top in kinds.top_folders():
        if top != "content":  # supervision/, coordination/ (content/ is checked as it is read)
            _check_project_entries(project, top)
    project.problems[:] = _grouped_unread(project.problems)
    dates, git_warning = gitdates.first_added(root) if use_git else ({}, None)
    if git_warning:
        project.problems.append(Problem("content", 1, 1, "W002", git_warning,
                                        "在 CI 里取完整历史，例如 actions/checkout 的 fetch-depth: 0",
                                        severity=WARNING))
    _cross_check(project, dates, kept, guarded)
    if kept is not None:
        kept.dates, kept.warning = dates, git_warning
        _keep(project, kept)
    project.problems.sort()
    if records is not None:
        records.save()  # after the guard ran: its problems are kept with the records
        project.digests = records.digests
    return project


class _Reader:
    def __init__(self, root: Path, problems: list[Problem], max_bytes: int, records: RecordCache | None = None):
        self.root, self.problems, self.max_bytes, self.records = root, problems, max_bytes, records

    def doc(self, path: Path, digest: list[str] | None = None) -> Document | None:
        relpath = rel(path, self.root)
        doc, problems = read_yaml(path, relpath, self.max_bytes, root=self.root, digest=digest)
        self.problems.extend(problems)
        return doc

    def one(self, model: type[BaseModel], doc: Document, data: Any, prefix: tuple = ()) -> BaseModel | None:
        record, problems = decisions.validate(model, doc, data, prefix)
        self.problems.extend(problems)
        return record

    def many(self, model: type[BaseModel], path: Path) -> list[tuple[Any, Src]]:
        what = f"list:{model.__name__}"
        if self.records is not None:
            return self._many_kept(model, path, self.records, what)
        # A preview reloads the project on every save; list files rarely change.
        key = decisions.stat_key(path, self.max_bytes, self.root)
        hit = _memo_get(str(path), what, key)
        if hit is not None:
            self.problems.extend(hit[1])
            return hit[0]
        before = len(self.problems)
        out = self._many(model, path)
        _memo_put(str(path), what, key, (out, self.problems[before:]))
        return out

    def _many_kept(self, model: type[BaseModel], path: Path, records: RecordCache, what: str) -> list[tuple[Any, Src]]:
        """`many` through the record cache: kept as (record, position in the list) and problems."""
        kept = records.get(str(path), what)
        if kept is None:
            before, digest = len(self.problems), []
            out = self._many(model, path, digest)
            records.put(str(path), what, ([(r, src.prefix) for r, src in out], self.problems[before:]),
                        digest[0] if digest else None)
        else:
            items, problems = kept
            self.problems.extend(problems)
            relpath = records.rel(str(path))
            out = [(r, Src(relpath, None, prefix, self.root)) for r, prefix in items]
        records.records(str(path), what, [r for r, _ in out])
        return out

    def _many(self, model: type[BaseModel], path: Path, digest: list[str] | None = None) -> list[tuple[Any, Src]]:
        doc = self.doc(path, digest)
        if doc is None or doc.data is None:
            return []
        if not isinstance(doc.data, list):
            self.problems.append(Problem(doc.path, 1, 1, "Y007", f"文件应是一个列表，写成了{decisions.kind_of(doc.data)}",
                                         "每条记录以“- ”开头，例如 `- name: 张三`"))
            return []
        out = []
        for i, item in enumerate(doc.data):
            record = self.one(model, doc, item, (i,))
            if record is not None:
                # Positions are read again if a later check needs them: 8,000 power items'
                # position tables held ~100 MB for the rare cross-reference problem.
                out.append((record, Src(doc.path, None, (i,), self.root)))
        return out


def _load_config(project: Project, reader: _Reader) -> None:
    cfg = project.root / "site_config"
    site_path = cfg / "site.yaml"
    if site_path.is_file():
        doc = reader.doc(site_path)
        if doc is not None:
            project.site = reader.one(Site, doc, doc.data or {})  # type: ignore[assignment]
            if project.site is not None:  # its title and operator are on every page
                project.problems.extend(guard.check(project.site, Src(doc.path, doc.pos)))
    else:
        project.problems.append(Problem("site_config/site.yaml", 1, 1, "S001", "找不到网站配置文件",
                                        "新建 site_config/site.yaml，至少写一行 `title: 某某县行政执法公示`"))
    # Rules: national defaults, then site_config/rules.yaml and sources.yaml (generator/rules.py).
    project.rules = load_rules(project.root, reader)
    if (cfg / "calendar.yaml").is_file():
        doc = reader.doc(cfg / "calendar.yaml")
        if doc is not None and doc.data is not None:
            cal = reader.one(CalendarFile, doc, doc.data)
            if cal is not None:
                project.problems.extend(calendar_problems(cal, doc.path, doc.pos))  # type: ignore[arg-type]
                project.calendar = WorkCalendar(cal.years)  # type: ignore[attr-defined]


def _load_agency(project: Project, reader: _Reader, folder: Path) -> None:
    agency_file = folder / "agency.yaml"
    relfolder = rel(folder, project.root)
    if not agency_file.is_file():
        project.problems.append(Problem(f"{relfolder}/agency.yaml", 1, 1, "S002", f"文件夹 {relfolder} 缺少 agency.yaml",
                                        "每个执法主体的文件夹都要有 agency.yaml，写明 id、name、kind、credit_code、complaints、reconsideration_body、court"))
        return
    doc = reader.doc(agency_file)
    if doc is None:
        return
    agency = reader.one(Agency, doc, doc.data)
    if agency is None:
        # Keep going with what the file says, so the folder's other files are
        # still checked and references to this agency don't cascade into noise.
        fields = doc.data if isinstance(doc.data, dict) else {}
        agency = Agency.model_construct(**{**fields, "id": folder.name, "name": str(fields.get("name", folder.name))})
    src = Src(doc.path, doc.pos)
    if agency.id != folder.name:
        project.problems.append(src.problem(("id",), "R010", f"主体编号与文件夹名不一致（文件夹是 {folder.name}）",
                                            f"把 id 改为 {folder.name}，或把文件夹改名", given=agency.id))
    data = AgencyData(agency, src)  # type: ignore[arg-type]
    project.agencies[folder.name] = data
    for kind in kinds.agency_lists():
        if os.path.lexists(folder / kind.files.path):  # a folder, a pipe or a broken link of this name is reported
            getattr(data, kind.attr).extend(reader.many(kind.model, folder / kind.files.path))
    _check_agency_entries(project, folder)


def _load_kind(project: Project, reader: _Reader, kind: kinds.Kind) -> list[Item]:
    """The records of a project-wide kind: a list file, or a folder of one-record files (by year or not)."""
    files = kind.files
    base = project.root / files.path
    if files.shape == kinds.LIST:
        return [Item(record, src) for record, src in reader.many(kind.model, base)] if base.is_file() else []
    out: list[Item] = []
    unread: list[str] = []
    what = f"one:{kind.model.__name__}"
    for path in _decision_files(base, unread):
        record = _read_one(project, reader, path, kind.model, what)
        if record is None:
            continue
        # Positions are read again if a finding needs them: thousands of coordination records.
        src = Src(rel(Path(path), project.root), None, root=project.root)
        stem = os.path.splitext(os.path.basename(path))[0]
        # Its page's name: as a decision's (decision_slug), from its public number when the file is named
        # in Chinese (张三丰秸秆案.yaml: a short hash of such a name could be reversed by trying names).
        number = getattr(record, "id", None)
        out.append(Item(record, src, decision_slug(stem, number) if number else slug(stem)))
        year_dir = os.path.basename(os.path.dirname(path))
        year = getattr(record, files.by_year).year if files.by_year else None
        if year is not None and year_dir.isdigit() and int(year_dir) != year:
            title = kind.model.model_fields[files.by_year].title
            out_path = f"{files.path}/{year}/"
            project.problems.append(src.problem((files.by_year,), "W003", f"{kind.title}的{title}在 {year} 年，"
                                                f"文件却放在 {year_dir} 文件夹", f"把文件移到 {out_path}",
                                                severity=WARNING))
    for path in unread:
        _unread(project, path, kind=kind)
    return out


def _read_one(project: Project, reader: _Reader, path: str, model: type[BaseModel], what: str) -> Any:
    """A file holding one record: the record (or None), its problems added to the project's."""
    records = reader.records
    if records is not None:
        kept = records.get(path, what)
    else:  # a preview: files unchanged since its last load are not parsed again (decisions._cache)
        key = decisions.stat_key(path, reader.max_bytes, project.root)
        kept = _memo_get(path, what, key)
    if kept is not None:
        record, problems = kept
        project.problems.extend(problems)
    else:
        before, digest = len(project.problems), []
        doc = reader.doc(Path(path), digest)
        record = reader.one(model, doc, doc.data) if doc is not None else None
        if records is not None:
            records.put(path, what, (record, project.problems[before:]), digest[0] if digest else None)
        else:
            _memo_put(path, what, key, (record, project.problems[before:]))
    if records is not None:
        records.records(path, what, [record])
    return record


# What an agency folder holds (CONTENT.md "Layout"); anything else in it is not read.
AGENCY_FILES = tuple(k.files.path for k in kinds.KINDS.values() if k.files.scope == kinds.AGENCY
                     and k.files.shape != kinds.EACH)  # agency.yaml, officers.yaml, powers.yaml, benchmarks.yaml
YAML_SUFFIXES = (".yaml", ".yml")
_JUNK = frozenset({"Thumbs.db", "desktop.ini"})  # what Windows leaves in folders: nothing to say about it


def _quiet(name: str) -> bool:
    """An entry not worth a word: hidden files (.gitkeep, .DS_Store, an editor's swap file) unless they
    look like records, and Windows' folder files."""
    return name in _JUNK or _lock(name) or (name.startswith(".") and not name.lower().endswith(YAML_SUFFIXES))


def _lock(name: str) -> bool:
    """Emacs' mark of a file being edited (.#x.yaml, a link to user@host.pid), there until it is saved:
    never a record. Read as one it was an error while a buffer was unsaved (and the preview's watcher
    does not report it, so its incremental load kept the error after the save)."""
    return name.startswith(".#")


def _check_agency_entries(project: Project, folder: Path) -> None:
    """Everything in content/<agency>/ that is not read: a list file under a near name (officers.yml,
    Officers.yaml: its records are surely meant, an error), a decisions/ that is a file, anything else."""
    for path in sorted(folder.iterdir()):
        name = path.name
        if name in AGENCY_FILES or _quiet(name) or (name == "decisions" and path.is_dir()):
            continue
        base, ext = os.path.splitext(name.lower())
        if ext in YAML_SUFFIXES and f"{base}.yaml" in AGENCY_FILES:
            right = f"{base}.yaml"
            project.problems.append(Problem(
                rel(path, project.root), 1, 1, "S003", f"文件名应为 {right}（全小写，扩展名 .yaml），这个文件没有读取",
                f"把它改名为 {right}；{right} 已经有了的话，把这里的记录合并进去，再删去这个文件"))
        elif name == "decisions":
            _unread(project, path, "decisions 应是一个文件夹：在里面按年份建文件夹（例如 decisions/2025/），"
                                   "每份决定一个 .yaml 文件")
        elif base.startswith("decision") or base.isdigit():
            _unread(project, path, "决定要放在 decisions/<年份>/ 文件夹里，每份决定一个 .yaml 文件，"
                                   "例如 decisions/2025/2025-03-02-001.yaml")
        else:
            close = difflib.get_close_matches(name.lower(), [*AGENCY_FILES, "decisions"], n=1, cutoff=0.75)
            _unread(project, path, (f"是不是想写 {close[0]}？" if close else "")
                    + "执法主体文件夹里只读取 agency.yaml、officers.yaml、powers.yaml、benchmarks.yaml "
                      "和 decisions/ 文件夹：改名，或把它移出 content/")


def _check_project_entries(project: Project, top: str) -> None:
    """Everything in a folder of project-wide records (supervision/, coordination/) outside the folders
    and list files its kinds read: a list file under a near name (summaries.yml: its records are surely
    meant, an error, as in an agency's folder), anything else a warning. What a kind's own folder holds
    and does not read (supervision/notices/扫描件.pdf) is reported as it is loaded (_load_kind)."""
    here = [k for k in kinds.project_kinds() if k.files.top == top]
    folders = {k.files.path: k for k in here if k.files.shape == kinds.EACH}
    lists = {k.files.path: k for k in here if k.files.shape != kinds.EACH}
    if top in folders or not (project.root / top).is_dir():  # all of it is read as records (coordination/)
        return

    def walk(folder: Path) -> None:
        at = rel(folder, project.root)
        inside: dict[str, list[str]] = {}  # each entry expected in this folder → the records read under it
        for path, k in [*folders.items(), *lists.items()]:
            if path.startswith(at + "/"):
                inside.setdefault(path[len(at) + 1:].split("/")[0], []).append(f"{k.files.shown()}（{k.title}）")
        for path in sorted(folder.iterdir()):
            name, relpath = path.name, f"{at}/{path.name}"
            if _quiet(name) or (relpath in lists and path.is_file()) or (relpath in folders and path.is_dir()):
                continue  # a kind's folder: read whole, what it does not read reported by _load_kind
            if path.is_dir() and not path.is_symlink() and name in inside and relpath not in lists:
                walk(path)
                continue
            base, ext = os.path.splitext(name.lower())
            right = next((n for n in inside if f"{at}/{n}" in lists and n.lower() == f"{base}.yaml"), None)
            if ext in YAML_SUFFIXES and right and path.is_file():
                project.problems.append(Problem(
                    relpath, 1, 1, "S003", f"文件名应为 {right}（全小写，扩展名 .yaml），这个文件没有读取",
                    f"把它改名为 {right}；{right} 已经有了的话，把这里的记录合并进去，再删去这个文件"))
                continue
            close = difflib.get_close_matches(name.lower(), list(inside), n=1, cutoff=0.75)
            listed = [d for described in inside.values() for d in described]
            listed = "、".join(listed[:-1]) + "和 " + listed[-1] if len(listed) > 1 else listed[0]
            _unread(project, path, (f"是不是想写 {close[0]}？" if close else "")
                    + f"{at}/ 里只读取 {listed}：它若是一份记录，移到相应的文件夹里；否则改名，或把它移出 {top}/")

    walk(project.root / top)


def _unread(project: Project, path: Path | str, hint: str | None = None, kind: kinds.Kind | None = None) -> None:
    """A warning for an entry of the project's record folders (content/, drafts/, supervision/, coordination/)
    that no record is read from; `kind`: it sits in that kind's folder (decisions when None)."""
    name = os.path.basename(path)
    link = os.path.islink(path)
    what = "符号链接的文件夹" if link and os.path.isdir(path) else "文件夹" if os.path.isdir(path) else "文件"
    if hint is None:
        # Where a kind's records go: decisions/ of an agency (content/), or a project kind's folder.
        title = "决定" if kind is None else kind.title
        folder, top = ("decisions", "content") if kind is None else (kind.files.path, kind.files.top)
        years = kind is None or bool(kind.files.by_year)
        if link and os.path.isdir(path):
            hint = "记录要放在仓库里，不能链接到别处：删去这个链接，把它指向的文件夹本身移到这里"
        elif os.path.isdir(path):
            hint = "移出 content/ 和 drafts/，或删去它"
        elif name.endswith(("~", ".bak", ".orig", ".tmp", ".swp")):
            hint = f"这是编辑器或手工留下的备份文件：不需要就删去；它若是一份{title}，改名为以 .yaml 结尾"
        elif name.isdigit() and years and os.path.dirname(path).endswith("/" + folder):
            hint = f"{folder}/ 下的 {name} 应是年份文件夹，里面每份{title}一个 .yaml 文件：删去这个文件，建立同名的文件夹"
        else:
            hint = (f"{folder}/ 下只读取以 .yaml 或 .yml 结尾的文件，一份{title}一个文件：它若是一份{title}，改名为“名称.yaml”；"
                    f"附件、扫描件不放在这里，请移出 {top}/")
    project.problems.append(Problem(rel(Path(path), project.root), 1, 1, "W005",
                                    f"这个{what}不会被读取，也不会出现在网站上", hint, severity=WARNING))


UNREAD_SHOWN = 5  # W005 warnings shown per folder; the rest of the folder's are counted in one more


def _grouped_unread(problems: list[Problem]) -> list[Problem]:
    """A folder of scans copied into decisions/ gave one W005 per file: thousands of lines, the other
    problems lost among them. Those of a folder alike (the same hint: scans, backups, linked folders…)
    are grouped: the first UNREAD_SHOWN listed (each with its hint), the rest counted in one warning on
    the folder, with a few of their names. A file unread for its own reason (offcers.yaml: 是不是想写
    officers.yaml？) is in no group of scans: it keeps its own warning, wherever its name sorts."""
    by_folder: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        if p.code == "W005":
            by_folder.setdefault((os.path.dirname(p.path), p.hint), []).append(p)
    dropped: set[int] = set()
    summaries: list[Problem] = []
    for (folder, hint), found in by_folder.items():
        if len(found) <= UNREAD_SHOWN + 1:  # one summary line for one file would say no less
            continue
        found.sort()
        rest = found[UNREAD_SHOWN:]
        dropped.update(id(p) for p in rest)
        # Escaped as every problem's path is (Problem.format): a name may hold a terminal escape.
        names = "、".join(shown_path(os.path.basename(p.path)) for p in rest[:3])
        summaries.append(Problem(
            folder or ".", 1, 1, "W005",
            f"除分别列出的 {UNREAD_SHOWN} 个外，这个文件夹里还有 {len(rest)} 个同类的文件或文件夹不会被读取，"
            f"也不会出现在网站上，例如 {names}", hint, severity=WARNING))
    if not summaries:
        return problems
    return [p for p in problems if id(p) not in dropped] + summaries


def _decision_files(folder: Path, unread: list[str] | None = None) -> list[str]:
    """Paths as strings: a county has 50,000 of them and pathlib costs ~10 µs each, every preview save.

    A file ending in .yaml or .yml in any case is a decision (x.YAML from a Windows tool too). What is
    not read goes to `unread` when given: other files (hidden ones aside) and linked folders, which
    os.walk does not follow."""
    out = []
    for top, dirs, files in os.walk(folder):  # os.walk: a quarter of rglob's time at 50,000 files
        kept = []
        for d in dirs:
            if d.startswith("."):
                continue
            if os.path.islink(os.path.join(top, d)):
                if unread is not None:
                    unread.append(os.path.join(top, d))
                continue
            kept.append(d)
        dirs[:] = sorted(kept)
        for f in sorted(files):
            if _decision_name(f):
                out.append(os.path.join(top, f))
            elif unread is not None and not _quiet(f):
                unread.append(os.path.join(top, f))
    return out


def _load_decisions(project: Project, pending: list[tuple[str, str, list, decisions.Result]],
                    records: RecordCache | None = None, kept: Kept | None = None) -> None:
    """Turn read decision files into entries of their agency (or the drafts)."""
    prefix = str(project.root).rstrip("/") + "/"
    for path, agency, target, result in pending:
        draft = target is project.drafts
        entry, problems = _entry(project, prefix, path, agency, draft, result)
        if kept is not None:  # the file's own problems: kept with it, added to the project's at the end
            kept.files[path] = _File(path, agency, draft, entry, problems)
        else:
            project.problems.extend(problems)
        if entry is None:
            continue
        if records is not None:
            records.records(path, decisions.WHAT, [entry.decision])
        target.append(entry)
    if kept is None:  # else by groups of one page address (_keep)
        project.problems.extend(_url_problems(project.entries()))
    _check_record_urls(project)


def _entry(project: Project, prefix: str, path: str, agency: str, draft: bool,
           result: decisions.Result) -> tuple[Entry | None, list[Problem]]:
    """A read decision file's entry (None if it read as none) and its problems (reading, W003)."""
    decision, problems = result
    if decision is None:
        return None, list(problems)
    problems = list(problems)
    relpath = path[len(prefix):] if path.startswith(prefix) else rel(Path(path), project.root)
    src = Src(relpath, None, root=project.root)
    year_dir = os.path.basename(os.path.dirname(path))
    if year_dir.isdigit() and int(year_dir) != decision.decided_on.year:
        problems.append(src.problem(("decided_on",), "W003", f"决定作出于 {decision.decided_on.year} 年，"
                                    f"文件却放在 {year_dir} 文件夹", f"把文件移到 decisions/{decision.decided_on.year}/",
                                    severity=WARNING))
    stem = os.path.splitext(os.path.basename(path))[0]
    return Entry(decision, agency, src, decision_slug(stem, decision.case_no), draft=draft), problems


def _url(entry: Entry) -> str:
    return f"decisions/{entry.agency}/{entry.year}/{entry.slug}".lower()


def _url_problems(entries: Iterable[Entry]) -> list[Problem]:
    """Two published decisions must not share a page: the page is decisions/<agency>/<year>/<slug>,
    so x.yaml and x.yml, Case.yaml and case.yaml, or 2024/x.yaml and 2025/x.yaml decided in the same
    year would silently show one of them. Compared case-insensitively: Windows and macOS disks
    (and many web servers on them) do not tell Case from case."""
    out: list[Problem] = []
    seen: dict[str, Entry] = {}
    for entry in entries:
        url = _url(entry)
        first = seen.setdefault(url, entry)
        if first is not entry:
            out.append(Problem(
                entry.src.path, 1, 1, "D005", f"这份决定的网页地址与 {first.src.path} 相同（{url}/）",
                "网页地址由执法主体、作出决定的年份和文件名（不分大小写，不含 .yaml/.yml）决定；"
                "请给其中一个文件改名，例如在文件名末尾加 -2"))
    return out


def _check_record_pages(project: Project) -> None:
    """Two public records of a project kind must not share a page (render.Site.record_uri): a notice's is
    supervision/notices/<year issued>/<file name>, a plan's supervision/plans/<file name>, so 2025/x.yaml
    issued in 2026 beside 2026/x.yaml, or plans/旧版/x.yaml beside plans/x.yaml, would silently show one
    of them. Compared case-insensitively, as decisions are (D005)."""
    for kind in kinds.project_kinds():
        if kind.pages is None:
            continue
        by_year = kind.files.by_year
        seen: dict[str, Item] = {}
        for item in project.items(kind.name):
            if not kind.public(item.record):
                continue  # no page
            year = getattr(item.record, by_year).year if by_year else None
            url = "/".join(str(p) for p in (kind.files.path, year, item.slug) if p is not None).lower()
            first = seen.setdefault(url, item)
            if first is not item:
                when = f"{kind.model.model_fields[by_year].title}的年份和" if by_year else ""
                project.problems.append(Problem(
                    item.src.path, 1, 1, "D005", f"这份{kind.title}的网页地址与 {first.src.path} 相同（{url}/）",
                    f"网页地址由{when}文件名（不分大小写，不含 .yaml/.yml）决定；请给其中一个文件改名，例如在文件名末尾加 -2"))


def _check_record_urls(project: Project) -> None:
    """A power's page is powers/<slug of its code>, a benchmark's anchor the slug of its id, and slugs
    are lower-case: TOWN-CF001 and town-cf001 would share one page, town-B001 and town-b001 one anchor.
    The same code twice is D003/D004; here only codes that differ yet meet in one address."""
    for code, what, where, records in (
        ("D006", "事项编码", "网页", [(p.code, src, f"powers/{record_slug(p.code)}/")
                                      for a in project.agencies.values() for p, src in a.powers]),
        ("D007", "裁量基准编号", "页面锚点", [(b.id, src, f"agencies/{aid}/benchmarks/#{record_slug(b.id)}")
                                         for aid, a in project.agencies.items() for b, src in a.benchmarks]),
    ):
        seen: dict[str, tuple[str, Src]] = {}
        for value, src, address in records:
            first = seen.setdefault(record_slug(value), (value, src))
            if first[0] != value:
                field = "code" if code == "D006" else "id"
                line, _ = first[1].at(field)
                project.problems.append(src.problem(
                    (field,), code, f"{what}与 {first[1].path}:{line} 的「{first[0]}」对应同一个{where}（{address}）",
                    f"网页地址不分大小写，只差大小写的两个{what}会互相覆盖：请改动其中一个", given=value))


# Names a power's page (powers/<slug>) or a benchmark's anchor must not take: powers/index is the list
# of powers; __search, __drawer … (Material) and dc-… (our templates) are ids on every page.
def _reserved(name: str) -> bool:
    return name == "index" or name.startswith(("_", "dc-", "md-"))


def record_slug(code: str) -> str:
    """The page name of a power (powers/<slug>) and the anchor of a benchmark: `slug`, except that a
    reserved name gets a suffix of its code's hash (`index` → index-<8 hex>), so that no code can take
    a generated page or anchor. Two codes with one slug are an error (D006, D007)."""
    name = slug(code)
    return f"{name}-{hashlib.sha1(code.encode('utf-8')).hexdigest()[:8]}" if _reserved(name) else name


_PLAIN = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?")  # what slug() keeps as it is (lower-cased)


@functools.lru_cache(maxsize=262144)  # the same names on every preview save
def slug(text: str) -> str:
    """A URL-safe name: the text itself when it is plain ASCII, else a short hash (stable across builds)."""
    if _PLAIN.fullmatch(text):  # every file name `disclose new` writes: ~50,000 a county load
        return text.lower()
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in text).strip("-").lower()
    if safe and safe == text.lower():
        return safe
    # surrogateescape: a file name that is not UTF-8 (from a GBK archive) keeps its bytes
    return (safe[:40] + "-" if safe else "") + hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:8]


def decision_slug(stem: str, case_no: str) -> str:
    """A decision's URL name: its file name when that is plain ASCII (what `disclose new` writes:
    2026-11-24-020). A file named in Chinese is often named after the party, and a short hash of
    the name could be reversed by trying names: the URL is then derived from the public 文号."""
    plain = slug(stem)
    if plain == stem.lower():
        return plain
    return hashlib.sha1(case_no.encode("utf-8")).hexdigest()[:12]


def _load_drafts(project: Project, pending: list) -> None:
    drafts = project.root / "drafts"
    if not drafts.is_dir():
        return
    unread: list[str] = []
    for folder in sorted(drafts.iterdir()):
        if not folder.is_dir():
            if not _quiet(folder.name):
                unread.append(str(folder))
            continue
        pending.extend((path, folder.name, project.drafts) for path in _decision_files(folder / "decisions", unread))
        unread.extend(str(path) for path in sorted(folder.iterdir()) if not _quiet(path.name)
                      and not (path.name == "decisions" and path.is_dir()))
    for path in unread:
        _unread(project, path, "草稿放在 drafts/<主体编号>/decisions/<年份>/ 里，每份一个 .yaml 文件：移到那里或改名；"
                               "不需要的删去")


# ---------------------------------------------------------------- cross-references


def _cross_check(project: Project, git_dates: dict[str, dt.date], kept: Kept | None = None,
                 guarded: dict[int, tuple[Any, list[Problem]]] | None = None) -> None:
    """Every kind in turn: duplicates of its key, its cross-references, its stamps, the personal-data guard.

    With `kept`, the decisions' part is done file by file (_decision_parts) and what may depend on
    decisions (other kinds' cross-references, file names spelling a party's name) is kept apart."""
    with guard.screening(project.natural_persons(), guarded):
        _cross_check_kinds(project, git_dates, kept)
    (kept.paged if kept else project.problems).extend(guard.name_in_page_file_names(project))
    if kept is None:
        project.problems.extend(_provisional(project, _entry_years(project) | _record_years(project)))


def _cross_check_kinds(project: Project, git_dates: dict[str, dt.date], kept: Kept | None) -> None:
    for kind in kinds.KINDS.values():
        if kept is not None and kind is decision_kind.KIND:
            _decision_parts(project, kept, list(kept.files.values()), git_dates)
            continue
        pairs = kinds.records(project, kind)
        if kind.key:
            project.problems.extend(_duplicates(kind, pairs))
        if kind.check is not None:
            (kept.checks if kept else project.problems).extend(kind.check(project))
        if kind.stamp is not None:
            kind.stamp(project, git_dates)
        for record, src in pairs:
            if not kind.public(record):
                continue  # internal records may name people: the guard watches what is published
            project.problems.extend(_guarded(kind, record, src))


# The guard reads every public text of every record: at county scale seconds on each preview save.
# Its problems depend only on the record and its file, so an unchanged record (the file caches
# hand back the same object) keeps them.
_guard_cache: dict[int, tuple[Any, str, list[Problem]]] = {}


def _guarded(kind: kinds.Kind, record: Any, src: Src) -> list[Problem]:
    hit = _guard_cache.get(id(record))
    if hit is not None and hit[0] is record and hit[1] == src.path:
        return hit[2]
    found = kind.guard(record, src) if kind.guard is not None else guard.check(record, src)
    if len(_guard_cache) > 400_000:
        _guard_cache.clear()
    _guard_cache[id(record)] = (record, src.path, found)
    return found


def _duplicates(kind: kinds.Kind, pairs: list[tuple[Any, Src]]) -> list[Problem]:
    out: list[Problem] = []
    seen: dict[str, Src] = {}
    what, loc = kind.key_title, (kind.key,)
    for record, src in pairs:
        key = getattr(record, kind.key, None)
        if key is None:
            continue
        first = seen.setdefault(kind.same(key) if kind.same is not None else key, src)
        if first is not src:
            line, _ = first.at(*loc)
            out.append(src.problem(
                loc, kind.dup_code, f"{what}重复，已在 {first.path}:{line} 用过",
                f"每个{what}全站只能出现一次，请核对后修改其中一处", given=key))
    return out


def _stamp_years(stamps: Stamps | None) -> set[int]:
    years: set[int] = set()
    if stamps:
        for count in stamps.counts().values():
            years |= count.provisional_years
    return years


def _entry_years(project: Project) -> set[int]:
    years: set[int] = set()
    for entry in [*project.entries(), *project.drafts]:
        years |= _stamp_years(entry.stamps)
    return years


def _record_years(project: Project) -> set[int]:
    years: set[int] = set()
    for items in project.records.values():  # supervision and coordination deadlines
        for item in items:
            for value in item.stamps.values():
                for count in (value.values() if isinstance(value, dict) else [value]):
                    if count is not None:
                        years |= count.provisional_years
    return years


def _provisional(project: Project, years: set[int]) -> list[Problem]:
    """W001 for each year a deadline was counted in without that year's holidays."""
    out: list[Problem] = []
    for year in sorted(years):
        out.append(Problem(
            "site_config/calendar.yaml", 1, 1, "W001",
            f"{year} 年的节假日安排尚未收录，涉及该年的期限暂按周末计算并标为“暂定”",
            f"国务院办公厅公布 {year} 年节假日安排后，在 site_config/calendar.yaml 的 years 下添加 {year}: "
            "{source, holidays, workdays}，或升级 chinesecalendar",
            # next year's notice usually appears in November: nothing to fix before then
            severity=NOTICE if year > project.today.year else WARNING,
        ))
    return out


# ---------------------------------------------------------------- an incremental load (a preview)
#
# A preview reloads the project on every save; at county scale a full load is seconds even when
# every file comes from a cache (50,000 entries made, stamped, cross-checked). What a decision file
# can change, given that nothing else did: its own problems (reading, W003, cross-references,
# dates, the guard) and stamps, the duplicates of its 文号 (D001) and of its page address (D005)
# among the others, the 文号 that other kinds' records may cite (R013: their checks run again),
# the natural persons' names (P005: file names spelling one), and the years counted without a
# holiday table (W001). Everything else a load finds is kept as it was.


@dataclass(slots=True, eq=False)
class _File:
    """A decision file as a load made it: its entry (None if it read as none) and its own problems."""

    path: str  # as the load walked it (absolute)
    agency: str
    draft: bool
    entry: Entry | None
    own: list[Problem]
    years: frozenset = frozenset()  # years its stamps counted without that year's holidays (W001)

    @property
    def case_no(self) -> str | None:
        return self.entry.decision.case_no if self.entry is not None else None

    @property
    def case_key(self) -> str | None:
        """Its 文号 as duplicates are found (D001): one however its brackets are typed."""
        return textkey.same_case_no(self.entry.decision.case_no) if self.entry is not None else None

    @property
    def url(self) -> str | None:
        return _url(self.entry) if self.entry is not None and not self.draft else None

    @property
    def person(self) -> str | None:
        """The party's name when a natural person (masked everywhere, P005)."""
        d = self.entry.decision if self.entry is not None else None
        return d.party.name if d is not None and d.party.type == "自然人" else None


@dataclass(eq=False)
class Kept:
    """What a load made of the decision files and what is left when they are taken out."""

    key: tuple  # what else the load depended on (_key): any difference, and the next load is a full one
    files: dict[str, _File] = field(default_factory=dict)  # in the order the load met them
    dates: dict[str, dt.date] = field(default_factory=dict)  # first added to git
    warning: str | None = None  # git's about those dates (a shallow clone)
    base: list[Problem] = field(default_factory=list)  # found in no decision file and by no check below
    version: list[Problem] = field(default_factory=list)  # requirements.txt: read on every load
    checks: list[Problem] = field(default_factory=list)  # other kinds' cross-references (they cite 文号)
    paged: list[Problem] = field(default_factory=list)  # P005
    record_years: set[int] = field(default_factory=set)  # W001 of supervision and coordination deadlines
    years: Counter = field(default_factory=Counter)  # W001 year → decision files counting in it
    cases: dict[str, list[_File]] = field(default_factory=dict)  # 文号 (as _File.case_key) → its files, in load order
    urls: dict[str, list[_File]] = field(default_factory=dict)  # page address → its published files
    dups: dict[str, list[Problem]] = field(default_factory=dict)  # D001 by 文号
    clashes: dict[str, list[Problem]] = field(default_factory=dict)  # D005 by page address
    folders: dict[str, tuple[str, bool]] = field(default_factory=dict)  # folder → (agency, draft) of its files
    lookups: tuple = ()  # powers, benchmarks, officers by key (decision_kind.check_entry)


def _key(root: Path, today: dt.date, max_bytes: int, use_git: bool) -> tuple:
    return (str(root), today, max_bytes, use_git, _git_state(root) if use_git else None)


def _git_state(root: Path) -> tuple:
    """What the dates from git (gitdates.first_added) depend on: the commit checked out, the
    repository's top, whether it is shallow and where its history is cut (.git/shallow: `git fetch
    --deepen` brings older commits, and older first-added dates, without moving HEAD). A commit,
    checkout or deepening between two loads makes the second a full one."""
    try:
        done = subprocess.run(["git", "rev-parse", "--show-toplevel", "--is-shallow-repository", "HEAD",
                               "--git-path", "shallow"],
                              cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace")
    except OSError:
        return ("no git",)
    cut = b""
    lines = done.stdout.splitlines()
    if done.returncode == 0 and lines:
        with contextlib.suppress(OSError):  # none: not shallow
            cut = (Path(root) / lines[-1]).read_bytes()  # relative to root, or absolute (then / keeps it)
    return (done.returncode, done.stdout, hashlib.sha256(cut).hexdigest())


def _decision_parts(project: Project, kept: Kept, files: list[_File], git_dates: dict[str, dt.date]) -> None:
    """Stamps, cross-references and the guard of these files' entries, each file's problems its own."""
    entries = [f.entry for f in files if f.entry is not None]
    decision_kind.stamp(project, git_dates, entries)
    if not kept.lookups:
        kept.lookups = (project.powers(), project.benchmarks(), project.officers())
    kind = decision_kind.KIND
    for f in files:
        if f.entry is None:
            continue
        f.own.extend(decision_kind.check_entry(project, f.entry, *kept.lookups))
        if kind.public(f.entry.decision):
            f.own.extend(_guarded(kind, f.entry.decision, f.entry.src))
        f.years = frozenset(_stamp_years(f.entry.stamps))


def _keep(project: Project, kept: Kept) -> None:
    """After a full load: the decision files' groups and the problems found elsewhere, then the
    project's problems assembled from the parts as an incremental load assembles them."""
    kept.base = project.problems[:]
    kept.record_years = _record_years(project)
    for f in kept.files.values():
        kept.folders.setdefault(os.path.dirname(f.path), (f.agency, f.draft))
        _join(kept, f)
    for case_no, group in kept.cases.items():
        if len(group) > 1:
            _regroup(kept, case_no, None)
    for url, group in kept.urls.items():
        if len(group) > 1:
            _regroup(kept, None, url)
    project.problems = _assemble(project, kept)
    project.kept = kept


def _join(kept: Kept, f: _File, ordered: bool = False) -> None:
    """Count a file in its groups; `ordered`: put it in its place among them (else it comes last)."""
    for groups, key in ((kept.cases, f.case_key), (kept.urls, f.url)):
        if key is None:
            continue
        group = groups.setdefault(key, [])
        group.append(f)
        if ordered and len(group) > 1:
            group.sort(key=_orderer(kept.key[0]))
    kept.years.update(f.years)


def _leave(kept: Kept, f: _File) -> None:
    for groups, key in ((kept.cases, f.case_key), (kept.urls, f.url)):
        if key is None:
            continue
        group = groups[key]
        group.remove(f)
        if not group:
            del groups[key]
    kept.years.subtract(f.years)


def _regroup(kept: Kept, case_key: str | None, url: str | None) -> None:
    """The duplicates of one 文号 (D001, by _File.case_key) or of one page address (D005), found as a
    full load finds them."""
    if case_key is not None:
        group = kept.cases.get(case_key, [])
        found = _duplicates(decision_kind.KIND, [(f.entry.decision, f.entry.src) for f in group]) \
            if len(group) > 1 else []
        if found:
            kept.dups[case_key] = found
        else:
            kept.dups.pop(case_key, None)
    if url is not None:
        group = kept.urls.get(url, [])
        found = _url_problems([f.entry for f in group]) if len(group) > 1 else []
        if found:
            kept.clashes[url] = found
        else:
            kept.clashes.pop(url, None)


def _assemble(project: Project, kept: Kept) -> list[Problem]:
    out = [*kept.base, *kept.version, *kept.checks, *kept.paged]
    for f in kept.files.values():
        if f.own:
            out.extend(f.own)
    for found in (*kept.dups.values(), *kept.clashes.values()):
        out.extend(found)
    out.extend(_provisional(project, kept.record_years | {y for y, n in kept.years.items() if n > 0}))
    out.sort()
    return out


def _orderer(root: str):
    """Where a load meets a decision file: published ones by agency folder, then drafts; within a
    decisions/ folder as os.walk does in _decision_files (a folder's files, then its sorted sub-folders)."""
    skip = len(root.rstrip("/")) + 1

    def order(f: _File) -> tuple:
        parts = f.path[skip:].split("/")  # <top>/<agency>/decisions/…/<file>
        return (f.draft, parts[1], *((1, d) for d in parts[3:-1]), (0, parts[-1]))

    return order


def _reload(previous: Project, root: Path, today: dt.date, max_bytes: int, use_git: bool,
            changed: Iterable[Path | str], records: RecordCache | None = None) -> Project | None:
    """The load after `previous` when only decision files changed (or were added or deleted), made
    from what `previous` kept; None when a full load is needed. `records`: reads through it."""
    kept, previous.kept = previous.kept, None  # taken: a failure halfway leaves nothing half-updated behind
    if kept is None or kept.key != _key(root, today, max_bytes, use_git):
        return None
    plan = _plan(kept, changed)
    if plan is None:
        return None
    update, gone = plan
    project = Project(root=root, today=today, site=previous.site, rules=previous.rules,
                      calendar=previous.calendar, records=dict(previous.records))
    project.agencies = {aid: dataclasses.replace(a, decisions=[]) for aid, a in previous.agencies.items()}
    prefix = str(root).rstrip("/") + "/"
    old = {path: kept.files.get(path) for path in [*gone, *(p for p, _, _ in update)]}
    for f in old.values():
        if f is not None:
            _leave(kept, f)
    for path in gone:
        del kept.files[path]
    new: list[_File] = []
    added = False
    results = decisions.read_all(root, [p for p, _, _ in update], max_bytes, records)
    for (path, agency, draft), result in zip(update, results, strict=True):
        entry, problems = _entry(project, prefix, path, agency, draft, result)
        f = _File(path, agency, draft, entry, problems)
        added = added or path not in kept.files
        kept.files[path] = f  # an existing key keeps its place
        new.append(f)
    if added:
        kept.files = {f.path: f for f in sorted(kept.files.values(), key=_orderer(str(root)))}
    for f in kept.files.values():
        if f.entry is not None:
            (project.drafts if f.draft else project.agencies[f.agency].decisions).append(f.entry)
    _decision_parts(project, kept, new, kept.dates)
    for f in new:
        _join(kept, f, ordered=True)
    after = {f.path: f for f in new}
    for path, was in old.items():
        now = after.get(path)
        for case_key in {was.case_key if was else None, now.case_key if now else None} - {None}:
            _regroup(kept, case_key, None)
        for url in {was.url if was else None, now.url if now else None} - {None}:
            _regroup(kept, None, url)
    pairs = [(was, after.get(path)) for path, was in old.items()]
    if any((a.case_no if a else None) != (b.case_no if b else None) for a, b in pairs):
        # A 文号 came or went: supervision and coordination records cite decisions by it (R013).
        kept.checks = [p for kind in kinds.KINDS.values() if kind.check is not None and kind is not decision_kind.KIND
                       for p in kind.check(project)]
    if any((a.person if a else None) != (b.person if b else None) for a, b in pairs):
        kept.paged = guard.name_in_page_file_names(project)
    kept.version = release.version_problems(root)
    project.problems = _assemble(project, kept)
    project.kept = kept
    project.reread = len(update) + len(gone)
    return project


def _plan(kept: Kept, changed: Iterable[Path | str]) -> tuple[list[tuple[str, str, bool]], list[str]] | None:
    """The decision files among `changed`: (path, agency, draft) of those to read (saved or added)
    and the paths of those deleted; None if anything else is among them."""
    update: list[tuple[str, str, bool]] = []
    gone: list[str] = []
    for path in sorted({os.path.abspath(os.fspath(p)) for p in changed}):
        if _quiet(os.path.basename(path)) and path not in kept.files:
            continue  # never read (an editor's lock file, .DS_Store): a full load would not see it either
        was = kept.files.get(path)
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            mode = None
        except OSError:
            return None
        if was is not None:
            if mode is None:
                gone.append(path)
            elif stat.S_ISREG(mode):
                update.append((path, was.agency, was.draft))
            else:
                return None  # now a folder or a link
            continue
        # A new file: a decision if it sits in a folder the last load found decisions in (so a
        # folder it walked: not hidden, not a link, of a known agency) and is named as one.
        folder, name = os.path.split(path)
        where = kept.folders.get(folder)
        if mode is None or not stat.S_ISREG(mode) or where is None or not name.lower().endswith(YAML_SUFFIXES):
            return None
        update.append((path, *where))
    return update, gone
