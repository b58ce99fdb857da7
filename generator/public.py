"""The public view: what a visitor may see of every record, computed and masked once.

Pages, the search index, feeds, JSON/CSV exports (site-wide and per agency),
双公示, statistics and the 执法监督 page read this view and nothing else, so
a rule about what is public lives here. A natural person's name is masked in
every public text field of every record (each kind's `masked`, generator/kinds/), found however
it is spelled (privacy.Masker); withdrawn decisions keep only their notice;
withheld decisions, drafts and expired records are left out (counted only).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from . import kinds
from .heap import no_gc
from .kinds import MASKED_TEXT
from .model import Decision, Officer, Party
from .privacy import Masker, mask_name, normalize_name, personal_data, redact
from .project import AgencyData, Entry, Project

# ---------------------------------------------------------------- what is shown at all


def is_expired(entry: Entry, today: dt.date) -> bool:
    until = entry.stamps.public_until if entry.stamps else None
    return until is not None and today > until.date


def is_public(entry: Entry, today: dt.date) -> bool:
    """Shown on the site at all (as a full record or as a withdrawal notice)."""
    return not entry.draft and entry.decision.withheld is None and not is_expired(entry, today)


def is_withdrawn(entry: Entry) -> bool:
    return entry.decision.status != "有效"


def party_name(decision: Decision) -> str:
    """The party as shown: a natural person's name masked (the view already did so: idempotent)."""
    name = decision.party.name
    return mask_name(name) if decision.party.type == "自然人" else name


def certificate_status(officer: Officer, today: dt.date, warn_days: int = 90) -> str:
    if officer.status != "在岗":
        return "已失效"
    if today > officer.valid_until or today < officer.valid_from:
        return "已过期" if today > officer.valid_until else "未生效"
    if (officer.valid_until - today).days <= warn_days:
        return "即将到期"
    return "有效"


# ---------------------------------------------------------------- masking a record


def _mask_path(obj: Any, parts: list[str], masker: Any) -> Any:
    """obj with the text at a field path masked; the same object when nothing changed."""
    if obj is None:
        return None
    if not parts:
        return masker.mask(obj) if isinstance(obj, str) else obj
    head, rest = parts[0], parts[1:]
    if head == "*":
        items = list(obj or [])
        new = [_mask_path(item, rest, masker) for item in items]
        return obj if all(a is b for a, b in zip(items, new, strict=True)) else new
    value = getattr(obj, head, None)
    new = _mask_path(value, rest, masker)
    return obj if new is value else obj.model_copy(update={head: new})


# Field paths per kind, split once: {"benchmark": [["explanation"]], "facts": [[]], …}
_PATHS: dict[str, dict[str, list[list[str]]]] = {}
for _kind, _paths in MASKED_TEXT.items():
    for _path in _paths:
        _head, *_rest = _path.split(".")
        _PATHS.setdefault(_kind, {}).setdefault(_head, []).append(_rest)


def mask_record(record: Any, masker: Any, update: dict | None = None) -> Any:
    """A copy of a record with every public text field masked (the record itself if nothing changed),
    with `update` applied too. One copy per record: a county masks tens of thousands."""
    update = dict(update or {})
    for head, rests in _PATHS.get(type(record).__name__, {}).items():
        value = update.get(head, getattr(record, head, None))
        new = value
        for rest in rests:
            new = _mask_path(new, rest, masker)
        if new is not value or head in update:
            update[head] = new
    return record.model_copy(update=update) if update else record


# A withdrawn decision is published only as its notice: the rest is blanked in its view so that
# no page, feed or export can show it by mistake.
NOTICE_FIELDS = ("case_no", "kind", "status", "status_changed_on", "status_reason", "withdrawn_on", "decided_on")


def decision_view(d: Decision, masker: Any) -> Decision:
    """The public form of a decision: masked, without what is never shown."""
    party = d.party
    if party.type == "自然人":
        party = Party.model_construct(type=party.type, name=mask_name(party.name), credit_code=None)
    if d.status != "有效":
        blank = {name: None for name in Decision.model_fields if name not in NOTICE_FIELDS}
        blank.update(party=Party.model_construct(type=d.party.type, name="", credit_code=None), facts="", basis="",
                     outcome="", penalty_types=[], officers=[], status_reason=masker.mask(d.status_reason))
        return Decision.model_construct(**{**{n: getattr(d, n) for n in NOTICE_FIELDS}, **blank})
    hidden = {name: None for name in ("privacy_exempt", "withheld") if getattr(d, name) is not None}
    return mask_record(d, masker, {**hidden, **({"party": party} if party is not d.party else {})})


# ---------------------------------------------------------------- the view of a project


@dataclass
class View:
    """Every public record of a project as of `today`."""

    today: dt.date
    masker: Any  # MemoMasker
    agencies: dict[str, AgencyData]  # masked copies; .decisions hold the shown entries of the agency
    shown: list[Entry]  # newest first: full records and withdrawal notices
    withheld: Counter = field(default_factory=Counter)  # per agency: not disclosed by law (counted only)
    drafts: Counter = field(default_factory=Counter)  # per agency: in drafts/ (counted only)
    expired: Counter = field(default_factory=Counter)  # per agency: past the publicity period

    def mask(self, text: str | None) -> str | None:
        return self.masker.mask(text) if text else text

    def entry_for(self, path: str) -> Entry | None:
        """The shown entry of a decision file, if it is public."""
        if not hasattr(self, "_by_path"):
            self._by_path = {e.src.path: e for e in self.shown}
        return self._by_path.get(path)


# Views are cached by the record object and the set of names masked: a preview reloads the
# project on every save, and unchanged records keep their view (and their identity).
_cache: dict[int, tuple[Any, Any]] = {}
_cache_key: tuple = ()
_maskers: dict[tuple, MemoMasker] = {}
_last_names: tuple[tuple[str, ...], tuple] = ((), ())  # the names of the last view and their key


class MemoMasker:
    """A county repeats its short texts (laws, articles, circumstances, units): each is masked once."""

    def __init__(self, names: list[str]):
        self.masker = Masker(names)
        self.seen: dict[str, str] = {}

    def mask(self, text: str) -> str:
        if not text:
            return text
        hit = self.seen.get(text)
        if hit is None:
            hit = self.masker.mask(text)
            if len(text) <= 200 and len(self.seen) < 500_000:  # long texts (facts) are unique anyway
                self.seen[text] = hit
        # Unchanged: the caller's own object, so that the record is not copied for nothing.
        return text if hit == text else hit


def _cached(raw: Any, make: Any) -> Any:
    hit = _cache.get(id(raw))
    if hit is not None and hit[0] is raw:
        return hit[1]
    value = make(raw)
    _cache[id(raw)] = (raw, value)
    return value


def view(project: Project, masked: dict[str, Any] | None = None) -> View:
    """`masked`: what masking changed in each decision, by its file's content id (project.digests),
    from an earlier build: {"names": the names masked then, "by": content id → the fields it
    changed}. Taken for a decision whose file and the names to mask are the same (an incremental
    build: 1.4 s of masking a county's decisions → ~0.4 s), and filled with what this view made
    ("changed": True when something was added; "used": the ids this view looked up)."""
    # Tens of thousands of small new objects, as when loading.
    with no_gc():
        return _view(project, masked)


def _view(project: Project, masked: dict[str, Any] | None = None) -> View:
    global _cache_key
    today = project.today
    global _last_names
    names = project.natural_persons()
    given = tuple(names)
    if given == _last_names[0]:  # the same names as last time (a preview's save): ~0.1 s of normalizing spared
        key = _last_names[1]
    else:
        key = tuple(sorted({normalize_name(n) for n in names}))
        _last_names = (given, key)
    if key != _cache_key:  # a new name may sit in any record's text: every view is redone
        _cache.clear()
        _cache_key = key
        _maskers.clear()
    masker = _maskers.get(key) or _maskers.setdefault(key, MemoMasker(names))
    if masked is not None:
        if masked.get("names") != key:  # a new name may sit in any record's text: nothing kept holds
            masked.update(names=key, by={}, changed=True)
        masked["used"] = set()
    if len(_cache) > 500_000:
        _cache.clear()
    result = View(today, masker, {}, [])

    for aid, data in project.agencies.items():
        result.agencies[aid] = AgencyData(mask_record(data.agency, masker), data.src, **{
            kind.attr: [(_cached(r, lambda r: mask_record(r, masker)), src) for r, src in getattr(data, kind.attr)]
            for kind in kinds.agency_lists()})
    for e in project.entries():
        if e.decision.withheld is not None:
            result.withheld[e.agency] += 1
        elif is_expired(e, today):
            result.expired[e.agency] += 1
        else:
            result.shown.append(e)
    for e in project.drafts:
        result.drafts[e.agency] += 1
    result.shown.sort(key=lambda e: (e.decision.decided_on, e.decision.case_no), reverse=True)
    digests = project.digests if masked is not None else None
    result.shown = [_entry_view(e, masker, masked, digests) for e in result.shown]
    for e in result.shown:
        if e.agency in result.agencies:
            result.agencies[e.agency].decisions.append(e)
    return result


def _entry_view(e: Entry, masker: Any, masked: dict[str, Any] | None = None,
                digests: dict[str, str] | None = None) -> Entry:
    """The entry with its decision's view. The same decision and stamps as last time give the same
    view entry: a preview finds the pages to redo by identity."""
    hit = _cache.get(id(e.decision))
    if hit is not None and hit[0] is e.decision:
        old = hit[1]
        if old.stamps is e.stamps and old.src.path == e.src.path:
            return old
        value = dataclasses.replace(e, decision=old.decision)
    else:
        shown = _kept_view(e, masker, masked, digests)
        # Nothing masked (most decisions: a company's): the entry itself, not a copy (~0.1 s a county).
        value = e if shown is e.decision else dataclasses.replace(e, decision=shown)
    _cache[id(e.decision)] = (e.decision, value)
    return value


def _kept_view(e: Entry, masker: Any, masked: dict[str, Any] | None, digests: dict[str, str] | None) -> Decision:
    """decision_view, or the decision with the fields masking changed in it as `masked` kept them
    (see `view`): the same values, and every other field the record's own object, as
    decision_view's copy has them. A withdrawn decision's notice is made every time (a few)."""
    d = e.decision
    digest = digests.get(e.src.path) if digests is not None else None
    if masked is None or digest is None or d.status != "有效":
        return decision_view(d, masker)
    masked["used"].add(digest)
    diff = masked["by"].get(digest)
    if diff is not None:
        return d.model_copy(update=diff) if diff else d
    shown = decision_view(d, masker)
    mine, theirs = shown.__dict__, d.__dict__
    masked["by"][digest] = {} if shown is d else {k: v for k, v in mine.items() if v is not theirs.get(k)}
    masked["changed"] = True
    return shown


# ---------------------------------------------------------------- exported rows


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def decision_row(entry: Entry) -> dict[str, Any]:
    """The exported object for a shown decision (its view): contract field names, with stamps."""
    d = entry.decision
    stamps = entry.stamps.as_dict() if entry.stamps else None
    if is_withdrawn(entry):
        return {"case_no": d.case_no, "agency": entry.agency, "kind": d.kind, "status": d.status,
                "status_changed_on": _iso(d.status_changed_on), "status_reason": d.status_reason,
                "stamps": stamps}
    data = d.model_dump(mode="json", exclude_none=True, exclude={"withheld", "privacy_exempt"})
    if d.party.type == "自然人":
        data["party"].pop("credit_code", None)
    if entry.stamps:
        data["published_on"] = _iso(entry.stamps.published_on)
    data["agency"] = entry.agency
    data["stamps"] = stamps
    return data


# ---------------------------------------------------------------- supervision findings


@dataclass
class PublicFinding:
    """A supervision finding as the public 执法监督 page shows it: no file paths (staff name files
    after parties), the decision by its 文号 and page, the message masked."""

    agency: str
    code: str
    rule: str
    message: str
    citation: str
    case_no: str | None = None
    entry: Entry | None = None  # the shown decision it concerns, for a link
    record: tuple | None = None  # (kind name, Item) of the public notice, plan or coordination record it concerns


def _redacted(text: str) -> str:
    """Findings quote what staff wrote (an exemption's reason): any number the guard would stop is cut."""
    for _kind, offset, value in reversed(personal_data(text)):
        text = text[:offset] + redact(value) + text[offset + len(value):]
    return text


def findings(found: list, project: Project, v: View) -> tuple[list[PublicFinding], Counter]:
    """The findings a visitor may read, and per agency how many concern records that are not public
    (withheld, drafts, past their publicity period; supervision and coordination records not marked
    public, annual summaries): those are counted, never described."""
    decision_paths = {e.src.path for e in [*project.entries(), *project.drafts]}
    public_records = {i.src.path: (kind.name, i) for kind in kinds.project_kinds() for i in project.items(kind.name)
                      if kind.public(i.record)}
    shown: list[PublicFinding] = []
    hidden: Counter = Counter()
    for f in found:
        entry = v.entry_for(f.path)
        record = public_records.get(f.path)
        if (f.path in decision_paths and entry is None) or (f.path.startswith(HIDDEN_TOPS) and record is None):
            # counted under its agency; a body outside the site is named only in internal records
            hidden[f.agency if f.agency in project.agencies else OUTSIDE] += 1
            continue
        about = (entry.decision.case_no if entry else f.case_no if record else None)
        shown.append(PublicFinding(f.agency, f.code, f.rule, _redacted(v.mask(f.message) or ""), f.citation,
                                   about, entry, record))
    return shown, hidden


# ---------------------------------------------------------------- supervision and coordination

# Supervision and coordination records are internal unless they say `public: true`. Public ones are shown
# masked like any record; the others appear on the 执法监督 page and in data/supervision.json as counts only:
# never their number, text, parties or dates. The per-pair coordination rates count every record.
HIDDEN_TOPS = tuple(f"{k.files.top}/" for k in kinds.project_kinds())


@dataclass
class PublicBody:
    key: str
    name: str
    notices: list = field(default_factory=list)  # supervision.NoticeLine of public notices (masked records)
    hidden: dict = field(default_factory=dict)  # counts of the body's notices that are not public
    plans: list = field(default_factory=list)  # supervision.PlanLine of public plans
    hidden_plans: int = 0
    pairs: list = field(default_factory=list)  # supervision.Pair: counts only
    publication: dict | None = None


@dataclass
class SupervisionView:
    bodies: dict[str, PublicBody]
    notices: list  # project.Item of public notices, masked
    plans: list
    coordination: list
    notice_ids: dict[str, Any]  # id → masked Item, for follow-up links
    decisions: dict[str, Entry]  # case_no → shown entry, for links from a notice's concerns

    def decision(self, case_no: str) -> Entry | None:
        """The decision a public notice names, when it is itself shown (withdrawn ones as their notice)."""
        return self.decisions.get(case_no)


def _masked_item(item: Any, masker: Masker) -> Any:
    return dataclasses.replace(item, record=mask_record(item.record, masker))


def supervision(project: Project, v: View) -> SupervisionView:
    """The public part of the supervisor's view (generator/supervision.py) as of the view's day."""
    from . import supervision as sup

    internal = sup.overview(project, v.today)
    public_notices = [_masked_item(i, v.masker) for i in project.items("notice") if i.record.public]
    by_id = {i.record.id: i for i in public_notices}
    masked = {id(i.src): i for i in public_notices}
    pairs = _public_pairs(project, internal)
    bodies: dict[str, PublicBody] = {}
    for key, body in internal.items():
        shown = PublicBody(key, body.name, pairs=pairs.get(key, []), publication=body.publication)
        hidden = []
        for line in body.notices:
            if line.notice.public:
                item = masked[id(line.item.src)]
                shown.notices.append(dataclasses.replace(line, item=item, timeline=_public_steps(line.timeline, by_id)))
            else:
                hidden.append(line)
        shown.hidden = sup.counts(hidden)
        for line in body.plans:
            if line.plan.public:
                shown.plans.append(dataclasses.replace(line, item=_masked_item(line.item, v.masker)))
            else:
                shown.hidden_plans += 1
        if key in project.agencies or shown.notices or shown.plans:  # an outside body only with a public record
            bodies[key] = shown
    return SupervisionView(
        bodies, public_notices, [line.item for b in bodies.values() for line in b.plans],
        [_masked_item(i, v.masker) for i in project.items("coordination") if i.record.public], by_id,
        {e.decision.case_no: e for e in v.shown})


OUTSIDE = "（本站以外的机关）"


def _public_pairs(project: Project, internal: dict) -> dict[str, list]:
    """Coordination counts per pair of agencies of the site; a body outside the site is named by staff in
    an internal record, so its pairs are counted together under OUTSIDE, never by its name."""
    from .supervision import Pair

    merged: dict[tuple[str, str], Pair] = {}
    seen: set[int] = set()
    for body in internal.values():
        for pair in body.pairs:
            if id(pair) in seen:
                continue
            seen.add(id(pair))
            ends = tuple(e if e in project.agencies else OUTSIDE for e in (pair.source, pair.target))
            into = merged.setdefault(ends, Pair(*ends))  # type: ignore[arg-type]
            for name in ("total", "on_time", "late", "missing", "pending", "untimed"):
                setattr(into, name, getattr(into, name) + getattr(pair, name))
    out: dict[str, list] = {}
    for (source, target), pair in sorted(merged.items()):
        for end in {source, target} - {OUTSIDE}:
            out.setdefault(end, []).append(pair)
    return out


def _public_steps(steps: list, public_ids: dict) -> list:
    """A follow-up that is not itself public is said to exist, never named, nor dated: its date is the
    internal notice's issued_on, and its place among dated steps would bracket it, so it goes last."""
    out, hidden = [], []
    for step in steps:
        if step.what == "后续文书" and step.note not in public_ids:
            hidden.append(dataclasses.replace(step, day=None, note="已制发，未公开" if step.cls == "ok" else "未找到该文书",
                                              link=None))
        else:
            out.append(step)
    return out + hidden


def supervision_json(sv: SupervisionView, today: dt.date) -> dict:
    """data/supervision.json: what the public 执法监督 page shows, for a supervisor's own tools."""
    from . import supervision as sup

    return {
        "today": today.isoformat(),
        "bodies": [{
            "body": b.key, "name": b.name, "publication": b.publication,
            "notices": [sup.notice_dict(line) for line in b.notices], "notices_not_public": b.hidden,
            "plans": [sup.plan_dict(line) for line in b.plans], "plans_not_public": b.hidden_plans,
            "coordination": [sup.pair_dict(p) for p in b.pairs],
        } for b in sv.bodies.values()],
        "coordination_records": [{**i.record.model_dump(mode="json", by_alias=True, exclude_none=True,
                                                         exclude={"public", "related"}),
                                  **_public_related(i.record.related, sv),
                                  "due_by": _iso(i.stamps["due_by"].date) if i.stamps.get("due_by") else None}
                                 for i in sv.coordination],
    }


def _public_related(refs: list, sv: SupervisionView) -> dict:
    """A public record's references as a visitor may see them: a decision only when it is itself
    shown (a withheld, draft or expired one is counted, never named: its 文号 is not public), a power
    item as written (the powers list is public)."""
    shown, hidden = [], 0
    for ref in refs:
        for what, value in ref.which():
            if what == "decision" and sv.decision(value) is None:
                hidden += 1
            else:
                shown.append({what: value})
    return {**({"related": shown} if refs else {}), **({"related_not_public": hidden} if hidden else {})}
