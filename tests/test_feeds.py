"""Atom feeds read back from a real build: valid Atom, counts, masking, withdrawals as notices only."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urljoin

from generator.cli import main

A = "{http://www.w3.org/2005/Atom}"


def build(root) -> None:
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0


def parse(path):
    feed = ET.parse(path).getroot()
    assert feed.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{A}{name}").text, name  # required by RFC 4287
    entries = feed.findall(f"{A}entry")
    for e in entries:
        for name in ("id", "title", "updated"):
            assert e.find(f"{A}{name}").text, name
        assert e.find(f"{A}link[@rel='alternate']").get("href")
    return feed, entries


def test_feeds_for_the_site_and_each_agency(tree):
    root = tree("minimal")
    build(root)
    site = root / "site"
    _, decisions = parse(site / "feeds/decisions.xml")
    _, withdrawals = parse(site / "feeds/withdrawals.xml")
    _, own = parse(site / "feeds/town/decisions.xml")
    assert [e.find(f"{A}title").text for e in decisions] == ["测兴政罚决字〔2025〕第1号 · 张某某"]
    assert len(own) == 1 and len(withdrawals) == 1
    text = (site / "feeds/withdrawals.xml").read_text(encoding="utf-8")
    assert "经行政复议决定撤销" in text and "秘密的原始事实文字" not in text
    for path in (site / "feeds").rglob("*.xml"):
        assert "张三丰" not in path.read_text(encoding="utf-8"), path


def test_links_without_a_base_url_resolve_to_real_pages(tree):
    root = tree("minimal")  # its site.yaml has no base_url
    build(root)
    site = root / "site"
    for rel in ("feeds/decisions.xml", "feeds/town/withdrawals.xml"):
        _, entries = parse(site / rel)
        for e in entries:
            href = e.find(f"{A}link[@rel='alternate']").get("href")
            target = urljoin("http://x/" + rel, href)[len("http://x/"):]
            assert (site / target / "index.html").is_file(), (rel, href)


def test_pages_announce_the_feeds(tree):
    root = tree("minimal")
    build(root)
    page = (root / "site/decisions/town/2025/national-day/index.html").read_text(encoding="utf-8")
    assert 'rel="alternate" type="application/atom+xml"' in page and "feeds/decisions.xml" in page
    agency = (root / "site/agencies/town/index.html").read_text(encoding="utf-8")
    assert "feeds/town/decisions.xml" in agency


def test_example_feed_counts_match_the_public_decisions(example_built):
    import json

    rows = json.loads((example_built / "site/data/decisions.json").read_text(encoding="utf-8"))
    _, entries = parse(example_built / "site/feeds/decisions.xml")
    assert len(entries) == min(100, sum(r["status"] == "有效" for r in rows))
    _, withdrawn = parse(example_built / "site/feeds/withdrawals.xml")
    assert len(withdrawn) == sum(r["status"] != "有效" for r in rows)
