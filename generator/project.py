"""Load a project (content/, drafts/, site_config/) into typed records, with every problem found.

Reading, shape validation and cross-references all collect problems and go
on, so one run reports every mistake. Nothing here prints or reads the clock.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import gc
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import decisions, gitdates, guard, release
from .calendar import WorkCalendar
from .calendar import problems as calendar_problems
from .deadlines import Stamps, compute
from .model import Agency, Benchmark, CalendarFile, Decision, Officer, Power, Site
from .problems import NOTICE, WARNING, Problem, rel, show_value
from .rules import RuleBook
from .rules import load as load_rules
from .yamlio import DEFAULT_MAX_BYTES, Document, Positions, forget_folders, read_yaml

_list_cache: dict[tuple[str, str], tuple[tuple, list, list[Problem]]] = {}


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
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def entries(self) -> list[Entry]:
        return [e for a in self.agencies.values() for e in a.decisions]

    def officers(self) -> dict[str, tuple[Officer, str]]:
        return {o.certificate_no: (o, a.agency.id) for a in self.agencies.values() for o, _ in a.officers}

    def powers(self) -> dict[str, tuple[Power, str]]:
        return {p.code: (p, a.agency.id) for a in self.agencies.values() for p, _ in a.powers}

    def benchmarks(self) -> dict[str, tuple[Benchmark, str]]:
        return {b.id: (b, a.agency.id) for a in self.agencies.values() for b, _ in a.benchmarks}


def load(root: Path, today: dt.date, *, max_bytes: int = DEFAULT_MAX_BYTES, use_git: bool = True) -> Project:
    root = Path(root)
    # Hundreds of thousands of small acyclic objects: the cyclic collector's
    # repeated full passes over them made loading superlinear (50,000 decisions: 21 s → 12 s).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(root, today, max_bytes, use_git)
    finally:
        if was_enabled:
            gc.enable()


def _load(root: Path, today: dt.date, max_bytes: int, use_git: bool) -> Project:
    project = Project(root=root, today=today)
    forget_folders()  # a folder may have become a link since the last load (a preview runs for hours)
    pending: list[tuple[str, str, list, decisions.Result]] = []
    reader = _Reader(root, project.problems, max_bytes)
    _load_config(project, reader)
    project.problems.extend(release.version_problems(root))  # a county repository pins its generator
    content = root / "content"
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
        finish = decisions.start(project.root, [p for p, _ in early], reader.max_bytes)
        for folder in folders:
            _load_agency(project, reader, folder)
        results = finish()
        for (path, agency), result in zip(early, results, strict=True):
            if agency in project.agencies:  # a folder whose agency.yaml is missing is reported as such
                pending.append((path, agency, project.agencies[agency].decisions, result))
    drafts: list[tuple[str, str, list]] = []
    _load_drafts(project, drafts)
    for (path, agency, target), result in zip(drafts, decisions.read_all(project.root, [p for p, _, _ in drafts],
                                                                         reader.max_bytes), strict=True):
        pending.append((path, agency, target, result))
    _load_decisions(project, pending)
    dates, git_warning = gitdates.first_added(root) if use_git else ({}, None)
    if git_warning:
        project.problems.append(Problem("content", 1, 1, "W002", git_warning,
                                        "在 CI 里取完整历史，例如 actions/checkout 的 fetch-depth: 0",
                                        severity=WARNING))
    _cross_check(project, dates)
    project.problems.sort()
    return project


class _Reader:
    def __init__(self, root: Path, problems: list[Problem], max_bytes: int):
        self.root, self.problems, self.max_bytes = root, problems, max_bytes

    def doc(self, path: Path) -> Document | None:
        relpath = rel(path, self.root)
        doc, problems = read_yaml(path, relpath, self.max_bytes, root=self.root)
        self.problems.extend(problems)
        return doc

    def one(self, model: type[BaseModel], doc: Document, data: Any, prefix: tuple = ()) -> BaseModel | None:
        record, problems = decisions.validate(model, doc, data, prefix)
        self.problems.extend(problems)
        return record

    def many(self, model: type[BaseModel], path: Path) -> list[tuple[Any, Src]]:
        # A preview reloads the project on every save; list files rarely change.
        key = (str(path), model.__name__, decisions.stat_key(path, self.max_bytes))
        hit = _list_cache.get(key[:2])
        if hit is not None and key[2] is not None and hit[0] == key[2]:
            self.problems.extend(hit[2])
            return hit[1]
        before = len(self.problems)
        out = self._many(model, path)
        _list_cache[key[:2]] = (key[2], out, self.problems[before:])
        return out

    def _many(self, model: type[BaseModel], path: Path) -> list[tuple[Any, Src]]:
        doc = self.doc(path)
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
    for name, model, target in (("officers.yaml", Officer, data.officers), ("powers.yaml", Power, data.powers),
                                ("benchmarks.yaml", Benchmark, data.benchmarks)):
        if os.path.lexists(folder / name):  # a folder, a pipe or a broken link of this name is reported, not skipped
            target.extend(reader.many(model, folder / name))
    _check_agency_entries(project, folder)


# What an agency folder holds (CONTENT.md "Layout"); anything else in it is not read.
AGENCY_FILES = ("agency.yaml", "officers.yaml", "powers.yaml", "benchmarks.yaml")
YAML_SUFFIXES = (".yaml", ".yml")
_JUNK = frozenset({"Thumbs.db", "desktop.ini"})  # what Windows leaves in folders: nothing to say about it


def _quiet(name: str) -> bool:
    """An entry not worth a word: hidden files (.gitkeep, .DS_Store, an editor's swap file) unless they
    look like records, and Windows' folder files."""
    return name in _JUNK or (name.startswith(".") and not name.lower().endswith(YAML_SUFFIXES))


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


def _unread(project: Project, path: Path | str, hint: str | None = None) -> None:
    """A warning for an entry under content/ or drafts/ that no record is read from."""
    name = os.path.basename(path)
    link = os.path.islink(path)
    what = "符号链接的文件夹" if link and os.path.isdir(path) else "文件夹" if os.path.isdir(path) else "文件"
    if hint is None:
        if link and os.path.isdir(path):
            hint = "记录要放在仓库里，不能链接到别处：删去这个链接，把它指向的文件夹本身移到这里"
        elif os.path.isdir(path):
            hint = "移出 content/ 和 drafts/，或删去它"
        elif name.endswith(("~", ".bak", ".orig", ".tmp", ".swp")):
            hint = "这是编辑器或手工留下的备份文件：不需要就删去；它若是一份决定，改名为以 .yaml 结尾"
        elif name.isdigit() and os.path.basename(os.path.dirname(path)) == "decisions":
            hint = f"decisions/ 下的 {name} 应是年份文件夹，里面每份决定一个 .yaml 文件：删去这个文件，建立同名的文件夹"
        else:
            hint = ("decisions/ 下只读取以 .yaml 或 .yml 结尾的文件，一份决定一个文件：它若是一份决定，改名为“名称.yaml”；"
                    "附件、扫描件不放在这里，请移出 content/")
    project.problems.append(Problem(rel(Path(path), project.root), 1, 1, "W005",
                                    f"这个{what}不会被读取，也不会出现在网站上", hint, severity=WARNING))


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
            if f.endswith(YAML_SUFFIXES) or f.lower().endswith(YAML_SUFFIXES):
                out.append(os.path.join(top, f))
            elif unread is not None and not _quiet(f):
                unread.append(os.path.join(top, f))
    return out


def _load_decisions(project: Project, pending: list[tuple[str, str, list, decisions.Result]]) -> None:
    """Turn read decision files into entries of their agency (or the drafts)."""
    prefix = str(project.root).rstrip("/") + "/"
    for path, agency, target, (decision, problems) in pending:
        project.problems.extend(problems)
        if decision is None:
            continue
        relpath = path[len(prefix):] if path.startswith(prefix) else rel(Path(path), project.root)
        src = Src(relpath, None, root=project.root)
        year_dir = os.path.basename(os.path.dirname(path))
        if year_dir.isdigit() and int(year_dir) != decision.decided_on.year:
            project.problems.append(src.problem(("decided_on",), "W003", f"决定作出于 {decision.decided_on.year} 年，"
                                                f"文件却放在 {year_dir} 文件夹", f"把文件移到 decisions/{decision.decided_on.year}/",
                                                severity=WARNING))
        stem = os.path.splitext(os.path.basename(path))[0]
        target.append(Entry(decision, agency, src, decision_slug(stem, decision.case_no), draft=target is project.drafts))
    _check_urls(project)


def _check_urls(project: Project) -> None:
    """Two published decisions must not share a page: the page is decisions/<agency>/<year>/<slug>,
    so x.yaml and x.yml, Case.yaml and case.yaml, or 2024/x.yaml and 2025/x.yaml decided in the same
    year would silently show one of them. Compared case-insensitively: Windows and macOS disks
    (and many web servers on them) do not tell Case from case."""
    seen: dict[str, Entry] = {}
    for entry in project.entries():
        url = f"decisions/{entry.agency}/{entry.year}/{entry.slug}".lower()
        first = seen.setdefault(url, entry)
        if first is not entry:
            project.problems.append(Problem(
                entry.src.path, 1, 1, "D005", f"这份决定的网页地址与 {first.src.path} 相同（{url}/）",
                "网页地址由执法主体、作出决定的年份和文件名（不分大小写，不含 .yaml/.yml）决定；"
                "请给其中一个文件改名，例如在文件名末尾加 -2"))
    _check_record_urls(project)


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


@functools.lru_cache(maxsize=262144)  # the same names on every preview save
def slug(text: str) -> str:
    """A URL-safe name: the text itself when it is plain ASCII, else a short hash (stable across builds)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in text).strip("-").lower()
    if safe and safe == text.lower():
        return safe
    return (safe[:40] + "-" if safe else "") + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


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


def _cross_check(project: Project, git_dates: dict[str, dt.date]) -> None:
    add = project.problems.append
    seen_cert: dict[str, Src] = {}
    seen_code: dict[str, Src] = {}
    seen_bench: dict[str, Src] = {}
    seen_case: dict[str, Src] = {}

    def dup(seen: dict[str, Src], key: str, src: Src, loc: tuple, code: str, what: str) -> None:
        if key in seen:
            first = seen[key]
            line, _ = first.at(*loc)
            add(src.problem(loc, code, f"{what}重复，已在 {first.path}:{line} 用过", f"每个{what}全站只能出现一次，请核对后修改其中一处",
                            given=key))
        else:
            seen[key] = src

    for data in project.agencies.values():
        for officer, src in data.officers:
            dup(seen_cert, officer.certificate_no, src, ("certificate_no",), "D002", "执法证号")
            if officer.status != "在岗" and officer.status_since is None:
                add(src.problem(("status",), "F008", f"证件状态为“{officer.status}”，缺少状态变更日期 status_since",
                                "添加 `status_since: YYYY-MM-DD`，写明状态改变的日期"))
            if officer.valid_until < officer.valid_from:
                add(src.problem(("valid_until",), "F009", "证件有效期止早于有效期起", "核对证件上的有效期",
                                given=officer.valid_until))
        for power, src in data.powers:
            dup(seen_code, power.code, src, ("code",), "D003", "事项编码")
    powers = project.powers()
    for data in project.agencies.values():
        for bench, src in data.benchmarks:
            dup(seen_bench, bench.id, src, ("id",), "D004", "裁量基准编号")
            found = powers.get(bench.power)
            if found is None:
                add(src.problem(("power",), "R002", "裁量基准对应的事项编码不存在", "填写 powers.yaml 里某个事项的 code",
                                given=bench.power))
            elif found[0].category != "行政处罚":
                add(src.problem(("power",), "R005", f"裁量基准对应的事项类别是“{found[0].category}”，不是行政处罚",
                                "裁量基准只对应行政处罚事项", given=bench.power))
            for i, tier in enumerate(bench.tiers):
                if tier.fine_min is not None and tier.fine_max is not None and tier.fine_min > tier.fine_max:
                    add(src.problem(("tiers", i, "fine_min"), "F009", "罚款下限大于上限", "核对该阶次的罚款幅度",
                                    given=f"{tier.fine_min:g} > {tier.fine_max:g}"))
    lookups = (powers, project.benchmarks(), project.officers())
    rules_key = (project.today, project.rules.model_dump_json() if project.rules else "",
                 repr(sorted(project.calendar.overrides.items())))
    for entry in [*project.entries(), *project.drafts]:
        dup(seen_case, entry.decision.case_no, entry.src, ("case_no",), "D001", "决定书文号")
        _check_decision(project, entry, *lookups)
        published = entry.decision.published_on
        if published is None and not entry.draft:
            published = git_dates.get(entry.src.path, project.today)
        if project.rules is not None:
            entry.stamps = _stamps(project, entry.decision, published, rules_key, entry.agency)
        project.problems.extend(guard.check_decision(entry.decision, entry.src))
    for data in project.agencies.values():
        project.problems.extend(guard.check(data.agency, data.src))
        for record, src in [*data.officers, *data.powers, *data.benchmarks]:
            project.problems.extend(guard.check(record, src))
    _warn_provisional(project)


# Stamps depend on the decision's dates and kind, the rules, the calendar and today; a preview
# recomputes only those of saved files. Keyed by the decision object (the file cache keeps it).
_stamp_cache: dict[tuple, tuple[Decision, Stamps]] = {}


def _stamps(project: Project, d: Decision, published: dt.date | None, rules_key: tuple,
            agency: str | None = None) -> Stamps:
    key = (id(d), published, rules_key)
    hit = _stamp_cache.get(key)
    if hit is not None and hit[0] is d:
        return hit[1]
    stamps = compute(
        project.calendar, project.rules, project.today, kind=d.kind, party_type=d.party.type,
        penalty_types=list(d.penalty_types), decided_on=d.decided_on, served_on=d.served_on,
        published_on=published, status=d.status, status_changed_on=d.status_changed_on,
        agency=agency, credit_class=d.credit_class, remedies_informed=d.remedies_informed,
    )
    if len(_stamp_cache) > 400_000:
        _stamp_cache.clear()
    _stamp_cache[key] = (d, stamps)
    return stamps


def _check_decision(project: Project, entry: Entry, powers: dict, benches: dict, officers: dict) -> None:
    add = project.problems.append
    d, src = entry.decision, entry.src
    if entry.agency not in project.agencies:
        add(src.problem((), "R011", f"草稿所属的执法主体 {entry.agency} 不存在", f"先建立 content/{entry.agency}/agency.yaml"))
    power = powers.get(d.power)
    if power is None:
        add(src.problem(("power",), "R002", "权责事项编码不存在", "填写某个执法主体 powers.yaml 里事项的 code", given=d.power))
    elif d.kind == "行政处罚" and power[0].category != "行政处罚":
        add(src.problem(("power",), "R005", f"行政处罚决定引用的事项类别是“{power[0].category}”",
                        "行政处罚只能适用“行政处罚”类事项；核对事项编码或决定类别", given=d.power))
    if d.kind == "行政处罚":
        if d.benchmark is None:
            add(src.problem(("kind",), "F010", "行政处罚决定缺少适用的裁量基准 benchmark",
                            "添加 benchmark: {id: 基准编号, level: 阶次, explanation: 裁量说明}"))
        if not d.penalty_types:
            add(src.problem(("kind",), "F010", "行政处罚决定缺少处罚种类 penalty_types", "例如 `penalty_types: [罚款]`"))
    if d.benchmark is not None:
        bench = benches.get(d.benchmark.id)
        if bench is None:
            add(src.problem(("benchmark", "id"), "R003", "裁量基准编号不存在", "填写某个 benchmarks.yaml 里的 id",
                            given=d.benchmark.id))
        elif d.benchmark.level not in {t.level for t in bench[0].tiers}:
            levels = "、".join(t.level for t in bench[0].tiers)
            add(src.problem(("benchmark", "level"), "R004", f"该裁量基准没有“{d.benchmark.level}”这一阶次",
                            f"这条基准的阶次有：{levels}", given=d.benchmark.level))
    if "罚款" in d.penalty_types and d.fine is None:
        add(src.problem(("penalty_types",), "F010", "处罚种类含“罚款”，但没有填写罚款金额 fine", "添加 `fine: 金额`（单位：元）"))
    if d.party.type != "自然人" and not d.party.credit_code:
        add(src.problem(("party",), "F010", f"当事人是{d.party.type}，缺少统一社会信用代码", "在 party 下添加 `credit_code: …`（18位）"))
    for i, cert in enumerate(d.officers):
        if cert not in officers:
            add(src.problem(("officers", i), "R001", "执法证号不存在", "填写某个 officers.yaml 里登记的 certificate_no",
                            given=cert))
    if d.status != "有效":
        for name, title in (("status_changed_on", "状态变更日期"), ("status_reason", "变更或撤销理由")):
            if getattr(d, name) in (None, ""):
                add(src.problem(("status",), "F008", f"决定状态为“{d.status}”，缺少{title} {name}", f"添加 `{name}: …`"))
    if d.decided_on > project.today:
        add(src.problem(("decided_on",), "T001", f"作出决定日期晚于今天（{project.today.isoformat()}）",
                        "核对日期；尚未作出的决定不要放进来", given=d.decided_on))
    for name, title in (("served_on", "送达日期"), ("published_on", "公开日期"), ("status_changed_on", "状态变更日期"),
                        ("withdrawn_on", "撤下日期")):
        value = getattr(d, name)
        if value is None:
            continue
        if value < d.decided_on:
            add(src.problem((name,), "T002", f"{title}早于作出决定日期 {d.decided_on.isoformat()}", "核对日期", given=value))
        elif value > project.today:
            add(src.problem((name,), "T001", f"{title}晚于今天（{project.today.isoformat()}）", "核对日期", given=value))
    if d.legal_review is not None and d.legal_review.date > project.today:
        add(src.problem(("legal_review", "date"), "T001", "法制审核日期晚于今天", "核对日期", given=d.legal_review.date))


def _warn_provisional(project: Project) -> None:
    years: set[int] = set()
    for entry in [*project.entries(), *project.drafts]:
        if entry.stamps:
            for count in entry.stamps.counts().values():
                years |= count.provisional_years
    for year in sorted(years):
        project.problems.append(Problem(
            "site_config/calendar.yaml", 1, 1, "W001",
            f"{year} 年的节假日安排尚未收录，涉及该年的期限暂按周末计算并标为“暂定”",
            f"国务院办公厅公布 {year} 年节假日安排后，在 site_config/calendar.yaml 的 years 下添加 {year}: "
            "{source, holidays, workdays}，或升级 chinesecalendar",
            # next year's notice usually appears in November: nothing to fix before then
            severity=NOTICE if year > project.today.year else WARNING,
        ))
