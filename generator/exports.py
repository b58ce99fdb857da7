"""The data files a build writes beside the pages: JSON/CSV per collection (site-wide and per
agency), certificate lookup shards, Atom feeds, 双公示 and the yearly statistics.

Every row comes from the public view (site.agencies, site.shown): masked, nothing withheld,
drafted or expired. Kept out of render.py so that pages and data files don't import each other.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import csvfile, feeds, kinds, public, shuanggongshi, statistics
from .downloads import COLLECTIONS, headers
from .render import CERT_CLASS, Site, _flat, _flat_memo, page_url, to_csv

LISTS = tuple(k.attr for k in kinds.agency_lists())  # officers, powers, benchmarks: one list file per agency
# The two that share the site-wide decision rows (~250 MB at county scale, see release) come last,
# together: a build makes them with no Pagefind run beside them (plugin.write_exports).
ROWS = ("decisions", "per_agency")
NAMES = ("agencies", *LISTS, "certificates", "feeds", "shuanggongshi", "statistics", "supervision", *ROWS)


def _json(items: Any) -> bytes:
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# What a group of data files is made from, beyond what every page is (the base key of generator/cache.py:
# list files, site.yaml, rules, calendar, the day, the generator): nothing more (LISTS_ONLY), the
# shown decisions of one agency (AGENCY + its id), or every decision (ALL).
LISTS_ONLY, ALL, AGENCY = "lists", "all", "agency:"


@dataclass
class Group:
    """Data files made together: `make` returns uri → bytes (and counts their rows in site.export_rows)."""

    id: str
    scope: str
    make: Callable[[], dict[str, bytes]]


def exports(site: Site, only: tuple[str, ...] | None = None) -> dict[str, bytes]:
    """uri → bytes of every data file (or of the collections named in `only`)."""
    out: dict[str, bytes] = {}
    for name in NAMES:
        if only is None or name in only:
            for group in groups(site, name):
                out.update(group.make())
    return out


def groups(site: Site, name: str) -> list[Group]:
    """The data files of one of NAMES, in groups an incremental build may copy from the previous
    build as a whole when what they are made from did not change (generator/cache.py)."""
    if name in ("agencies", *LISTS, "decisions"):
        return [Group(name, ALL if name == "decisions" else LISTS_ONLY, lambda: _collection(site, name))]
    if name == "certificates":
        return [Group(name, LISTS_ONLY, lambda: certificate_shards(site))]
    if name == "feeds":
        return [Group(name, ALL, lambda: feeds.site_feeds(site)),
                *[Group(f"feeds:{aid}", AGENCY + aid, lambda aid=aid: feeds.agency_feeds(site, aid))
                  for aid in site.agencies]]
    if name == "statistics":
        return [Group(name, ALL, lambda: _statistics(site))]
    if name == "per_agency":
        return [Group(f"per_agency:{aid}", AGENCY + aid, lambda aid=aid: agency_exports(site, aid))
                for aid in site.agencies]
    if name == "shuanggongshi":
        return [Group(name, ALL, lambda: shuanggongshi.exports(site)[0])]
    if name == "supervision":
        return [Group(name, ALL, lambda: _supervision(site))] if site.supervision_page else []
    raise ValueError(name)


def _collection(site: Site, name: str) -> dict[str, bytes]:
    """data/<name>.json|csv: the site-wide file of a collection."""
    if name == "agencies":
        items = [agency_row(d) for d in site.agencies.values()]
    elif name == "decisions":
        items = decision_rows(site)
    else:
        items = [r for aid in site.agencies for r in list_rows(site, aid, name)]
    site.export_rows[f"data/{name}.json"] = site.export_rows[f"data/{name}.csv"] = len(items)
    fields = site.export_fields.setdefault(f"data/{name}.csv", [])
    return {f"data/{name}.json": _json(items), f"data/{name}.csv": to_csv(items, COLLECTIONS[name][1], fields)}


@dataclass
class Rows:
    """How data/decisions.json|csv were made of rows: each shown decision's key (cache.entry_key), the
    bytes of its JSON object and of its CSV row, and the columns (field paths) its CSV row has
    (an index into `shapes`); the CSV file's columns. A later build takes unchanged rows' bytes
    from these files instead of making them again (decision_files)."""

    keys: list[str]
    json: list[int]  # bytes of each row's JSON object, in file order
    csv: list[int]  # bytes of each row's CSV row
    shape: list[int]
    shapes: list[list[str]]
    columns: list[str]

    def as_dict(self) -> dict[str, Any]:
        # Shallow: the lists go straight into the cache manifest (asdict copied 150,000 items, 0.1 s).
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


def decision_files(site: Site, key_of: Callable[[Any], str],
                   previous: tuple[Rows, bytes, bytes] | None = None) -> tuple[dict[str, bytes], Rows]:
    """data/decisions.json|csv, byte for byte what _collection(site, "decisions") writes, and how
    they were made of rows. `previous`: the rows of the previous build's files and those files'
    bytes; a row whose key is among them is copied from them (its CSV row only if the columns
    are the same), the others are made."""
    old: dict[str, tuple[bytes, bytes, list[str]]] = {}
    if previous is not None:
        rows_before, json_before, csv_before = previous
        n = len(rows_before.keys)
        if len(json_before) != 2 + sum(rows_before.json) + max(n - 1, 0) or len(csv_before) < sum(rows_before.csv):
            previous = None  # not the files these rows describe: every row is made
    if previous is not None:
        at_json, at_csv = 1, len(csv_before) - sum(rows_before.csv)  # after "[", after the BOM and header
        for key, nj, nc, shape in zip(rows_before.keys, rows_before.json, rows_before.csv, rows_before.shape,
                                      strict=True):
            old[key] = (json_before[at_json:at_json + nj], csv_before[at_csv:at_csv + nc], rows_before.shapes[shape])
            at_json += nj + 1
            at_csv += nc
    keys = [key_of(e) for e in site.shown]
    made: dict[int, dict[str, Any]] = {}  # position → flattened row, for the rows made here
    json_parts: list[bytes] = []
    shapes: list[list[str]] = []
    rows_made: list[dict[str, Any]] = []
    for i, (e, key) in enumerate(zip(site.shown, keys, strict=True)):
        hit = old.get(key)
        if hit is None:
            row = public.decision_row(e)
            rows_made.append(row)
            json_parts.append(_json(row))
            made[i] = _flat(row)  # memoized: the agency's own file flattens the same row object
            shapes.append(list(made[i]))
        else:
            json_parts.append(hit[0])
            shapes.append(hit[2])
    columns: dict[str, None] = {}
    for shape in shapes:
        columns.update(dict.fromkeys(shape))
    paths = list(columns)
    if previous is None or paths != previous[0].columns:  # every CSV row anew: the columns moved
        for i, e in enumerate(site.shown):
            if i not in made:
                made[i] = _flat(public.decision_row(e))
    csv_parts = [csvfile.row_text([made[i].get(c) for c in paths]).encode("utf-8") if i in made else old[key][1]
                 for i, key in enumerate(keys)]
    header = ("\ufeff" + csvfile.row_text(headers(COLLECTIONS["decisions"][1], paths))).encode("utf-8")
    if len(rows_made) == len(keys):  # all made here: the agencies' own files split them (_agency_rows)
        site.decision_rows_kept = rows_made
    site.export_rows["data/decisions.json"] = site.export_rows["data/decisions.csv"] = len(keys)
    site.export_fields.setdefault("data/decisions.csv", [])[:] = paths
    table: dict[tuple[str, ...], int] = {}
    rows = Rows(keys, [len(p) for p in json_parts], [len(p) for p in csv_parts],
                [table.setdefault(tuple(shape), len(table)) for shape in shapes], [], paths)
    rows.shapes = [list(shape) for shape in table]
    files = {"data/decisions.json": b"[" + b",".join(json_parts) + b"]",
             "data/decisions.csv": header + b"".join(csv_parts)}
    return files, rows


def _statistics(site: Site) -> dict[str, bytes]:
    names = {aid: d.agency.name for aid, d in site.agencies.items()}
    return {f"data/statistics/{y.year}.csv": statistics.to_csv(y, names)
            for y in site.annual}


def _supervision(site: Site) -> dict[str, bytes]:
    # the 执法监督 page's data: public records, the rest counted (public.supervision_json)
    return {"data/supervision.json": json.dumps(public.supervision_json(site.supervision, site.today),
                                                ensure_ascii=False, indent=1).encode("utf-8")}


def list_rows(site: Site, aid: str, name: str) -> list[dict[str, Any]]:
    """One agency's officers, powers or benchmarks as exported: contract fields plus its agency
    (and, for officers, the certificate status as of the build date)."""
    records = getattr(site.agencies[aid], name)
    rows = [{**r.model_dump(mode="json", exclude_none=True), "agency": aid} for r, _ in records]
    if name == "officers":
        for row, (o, _) in zip(rows, records, strict=True):
            row["certificate"] = public.certificate_status(o, site.today)
    return rows


def release(site: Site) -> None:
    """Drop the rows kept while the data files were written (tens of MB at county scale)."""
    site.decision_rows_kept = None
    site.__dict__.pop("_rows_by_agency", None)
    _flat_memo.clear()


def decision_rows(site: Site) -> list[dict[str, Any]]:
    if site.decision_rows_kept is None:
        site.decision_rows_kept = [public.decision_row(e) for e in site.shown]
    return site.decision_rows_kept


def _agency_rows(site: Site, aid: str) -> list[dict[str, Any]]:
    """An agency's decision rows: the site-wide rows split when they are made anyway (not computed
    twice), else only its own (an incremental build that copies the other agencies' files)."""
    if site.decision_rows_kept is None:
        return [public.decision_row(e) for e in site.by_agency.get(aid, [])]
    split = site.__dict__.get("_rows_by_agency")
    if split is None:
        split = site.__dict__["_rows_by_agency"] = defaultdict(list)
        for row in site.decision_rows_kept:
            split[row["agency"]].append(row)
    return split.get(aid, [])


def agency_exports(site: Site, aid: str) -> dict[str, bytes]:
    """data/<agency>/<collection>.json|csv: the same rows as the site-wide files, for one agency."""
    out: dict[str, bytes] = {}
    rows = {
        "decisions": _agency_rows(site, aid),
        **{name: list_rows(site, aid, name) for name in LISTS},
    }
    for name, items in rows.items():
        site.export_rows[f"data/{aid}/{name}.json"] = site.export_rows[f"data/{aid}/{name}.csv"] = len(items)
        out[f"data/{aid}/{name}.json"] = _json(items)
        out[f"data/{aid}/{name}.csv"] = to_csv(items, COLLECTIONS[name][1])
    return out


def certificate_shards(site: Site) -> dict[str, bytes]:
    """For the 执法证查询 page: one small file per last two characters of the number,
    so a lookup fetches a few KB however many officers the county has."""
    shards: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for aid, data in site.agencies.items():
        for o, _ in data.officers:
            status = public.certificate_status(o, site.today)
            shards[o.certificate_no[-2:].lower()][o.certificate_no.upper()] = {
                "name": o.name, "agency": aid, "agency_name": data.agency.name, "field": o.field,
                "unit": o.unit or "", "valid_from": o.valid_from.isoformat(),
                "valid_until": o.valid_until.isoformat(), "status": status, "cls": CERT_CLASS[status],
                "url": page_url(site.agency_uri(aid, "officers")) + "#" + o.certificate_no,
            }
    return {f"data/certificates/{key}.json": json.dumps(items, ensure_ascii=False).encode("utf-8")
            for key, items in shards.items()}


def agency_row(data: Any) -> dict[str, Any]:
    return data.agency.model_dump(mode="json", exclude_none=True)
