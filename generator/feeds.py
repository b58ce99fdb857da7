"""Atom feeds of newly published decisions and of withdrawals, site-wide and per agency.

Only the public view goes in (masked names, no expired, withheld or draft
record; a withdrawn decision appears in the withdrawals feed as its notice,
never with its facts). Entry ids are tag: URIs, stable across builds.
"""

from __future__ import annotations

import datetime as dt
import heapq
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from . import public
from .project import Entry
from .render import page_url

if TYPE_CHECKING:
    from .render import Site

ATOM = "http://www.w3.org/2005/Atom"
LIMIT = 100  # newest entries per feed
FEEDS = {"decisions": "执法决定", "withdrawals": "撤回公告"}


def _when(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"  # a date in Beijing time: Atom wants a full timestamp


def _published(e: Entry) -> dt.date:
    return (e.stamps.published_on if e.stamps and e.stamps.published_on else None) or e.decision.decided_on


def feeds(site: Site) -> dict[str, bytes]:
    """feeds/decisions.xml, feeds/withdrawals.xml and feeds/<agency>/… for each agency."""
    out = site_feeds(site)
    for aid in site.agencies:
        out.update(agency_feeds(site, aid))
    return out


def _base(site: Site) -> tuple[str, str]:
    base = (site.project.site.base_url if site.project.site else None) or ""
    return base, urlsplit(base).hostname or "disclose.invalid"


def _split(site: Site, entries: list[Entry]) -> dict[str, list[Entry]]:
    shown = [e for e in entries if _published(e) <= site.today]
    return {"decisions": [e for e in shown if not public.is_withdrawn(e)],
            "withdrawals": [e for e in shown if public.is_withdrawn(e)]}


def site_feeds(site: Site) -> dict[str, bytes]:
    """feeds/decisions.xml and feeds/withdrawals.xml."""
    base, host = _base(site)
    title = site.project.site.title if site.project.site else "行政执法公示"
    return {f"feeds/{kind}.xml": _feed(site, entries, kind, f"{title} · {FEEDS[kind]}", f"feeds/{kind}.xml", base, host)
            for kind, entries in _split(site, site.shown).items()}


def agency_feeds(site: Site, aid: str) -> dict[str, bytes]:
    """feeds/<agency>/decisions.xml and withdrawals.xml: the agency's own shown decisions (in the
    site's order, as the site-wide feeds have them)."""
    base, host = _base(site)
    name = site.agencies[aid].agency.name
    return {f"feeds/{aid}/{kind}.xml": _feed(site, entries, kind, f"{name} · {FEEDS[kind]}", f"feeds/{aid}/{kind}.xml",
                                             base, host)
            for kind, entries in _split(site, site.by_agency.get(aid, [])).items()}


def _feed(site: Site, entries: list[Entry], kind: str, title: str, self_path: str, base: str, host: str) -> bytes:
    # The newest LIMIT, as sorted(…, reverse=True)[:LIMIT] would give them (ties too), without sorting
    # a county's 50,000 entries: an incremental build makes this feed again whenever any decision changed.
    entries = heapq.nlargest(LIMIT, entries, key=lambda e: (_updated(e, kind), e.decision.case_no))
    # Links resolve against base_url when the site has one, else against the feed's own place.
    up = "" if base else "../" * self_path.count("/")
    self_href = self_path if base else self_path.rsplit("/", 1)[-1]
    updated = max((_updated(e, kind) for e in entries), default=site.today)
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="{ATOM}" xml:lang="zh"' + (f" xml:base={quoteattr(base)}" if base else "") + ">",
             f"<id>tag:{host},2018:{self_path}</id>",
             f"<title>{escape(title)}</title>",
             f"<updated>{_when(updated)}</updated>",
             f'<link rel="self" type="application/atom+xml" href={quoteattr(self_href)}/>',
             f'<link rel="alternate" type="text/html" href={quoteattr(up or "./")}/>',
             f"<author><name>{escape(site.project.site.operator if site.project.site and site.project.site.operator else title)}</name></author>",
             "<generator>disclose</generator>"]
    for e in entries:
        lines.append(_entry(site, e, kind, host, up))
    lines.append("</feed>\n")
    return "\n".join(lines).encode("utf-8")


def _updated(e: Entry, kind: str) -> dt.date:
    if kind == "withdrawals" and e.decision.status_changed_on:
        return e.decision.status_changed_on
    return _published(e)


def _entry(site: Site, e: Entry, kind: str, host: str, up: str) -> str:
    d = e.decision
    url = page_url(site.decision_uri(e))
    agency = site.agency_name(e.agency)
    if kind == "withdrawals":
        title = f"{d.case_no}（已撤回）"
        summary = f"{agency}：该决定已{d.status}（{d.status_changed_on}），理由：{d.status_reason}"
    else:
        title = f"{d.case_no} · {public.party_name(d)}"
        summary = f"{agency}，{d.kind}，{d.decided_on} 作出。{d.outcome}"
    return "\n".join([
        "<entry>",
        f"<id>tag:{host},2018:{url}{'#withdrawn' if kind == 'withdrawals' else ''}</id>",
        f"<title>{escape(title)}</title>",
        f"<updated>{_when(_updated(e, kind))}</updated>",
        f"<published>{_when(_published(e))}</published>",
        f'<link rel="alternate" type="text/html" href={quoteattr(up + url)}/>',
        f"<author><name>{escape(agency)}</name></author>",
        f"<category term={quoteattr(d.kind)}/>",
        f'<summary type="text">{escape(summary or "")}</summary>',
        "</entry>",
    ])
