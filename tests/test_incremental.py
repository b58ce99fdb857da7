"""An incremental build (the previous site in --out and the cache folder reused) writes the same
bytes as a full build of the same content, after an edit of each record kind and overnight.

Pagefind is not deterministic for the same input: it names its filter files by a hash of
their content and orders the values of a filter differently from run to run, so
filter/*.pf_filter, *.pf_meta and pagefind-entry.json (which names them) differ between
two full builds of the same pages. Those are compared through what Pagefind was given:
the key of each shard's lean pages, which both builds record in their cache manifests.
Every other file, Pagefind's fragments and index chunks included, is compared byte for byte.
"""

import json
import os
import pickle
import re
import shutil
from pathlib import Path

import pytest
from sites import site_files

from generator import build
from generator.project import load

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-23"
UNSTABLE = re.compile(r"pagefind/[^/]+/(filter/.*\.pf_filter|.*\.pf_meta|pagefind-entry\.json)$")




def make(root: Path, out: Path, today: str, cache: Path | None):
    import datetime as dt

    from generator.cache import files_key

    # As `disclose build` does: the project's other files hashed before the load, which keys the
    # search shards by what their pages are made of (PageCache.lean_key) instead of their text.
    # The load too: from the snapshot of the last full load, reading only the decision files changed since.
    files = files_key(root.resolve(), build.check_out(root, out), cache) if cache is not None else None
    project = load(root.resolve(), dt.date.fromisoformat(today), cache=cache, files=files,
                   files_now=lambda: files_key(root.resolve(), build.check_out(root, out), cache))
    assert [p.format() for p in project.problems if p.is_error] == []
    return build.build(project, out, cache=cache, files_key=files)


def manifest(cache: Path) -> dict:
    return json.loads((cache / "manifest.json").read_text(encoding="utf-8"))


def folders(site: Path) -> list[str]:
    return [str(p.relative_to(site)) for p in sorted(site.rglob("*")) if p.is_dir()]


def assert_same(incremental: Path, full: Path, inc_cache: Path, full_cache: Path) -> None:
    assert folders(incremental) == folders(full)  # no folder left of a page that is gone, none missing
    a, b = site_files(incremental), site_files(full)
    stable = [name for name in a if not UNSTABLE.search(name)]
    assert stable == [name for name in b if not UNSTABLE.search(name)]
    different = [name for name in stable if a[name] != b[name]]
    assert different == []
    assert a[build.SITE_MARKER] == build.SITE_MARKER_TEXT.encode()  # no more than its build token left out
    # The unstable Pagefind files: the same shards, built from the same lean pages.
    shards_a = {k: v["key"] for k, v in manifest(inc_cache)["shards"].items()}
    shards_b = {k: v["key"] for k, v in manifest(full_cache)["shards"].items()}
    assert shards_a and shards_a == shards_b
    assert len([n for n in a if UNSTABLE.search(n)]) == len([n for n in b if UNSTABLE.search(n)])


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """A copy of the example county, with its first incremental state built."""
    base = tmp_path_factory.mktemp("incremental")
    root = base / "county"
    root.mkdir()
    for name in ("content", "site_config"):
        shutil.copytree(ROOT / name, root / name)
    out, cache = base / "site", base / "cache"
    make(root, out, TODAY, cache)
    return root, out, cache, base


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def decision(root: Path, name: str) -> Path:
    return root / "content" / "zonghe" / "decisions" / "2026" / name


EDITS = {
    "add a decision": lambda r: (decision(r, "2026-11-02-091.yaml").write_text(
        decision(r, "2026-02-12-002.yaml").read_text(encoding="utf-8")
        .replace("第2号", "第91号").replace("2026-02-12", "2026-11-02").replace("2026-02-16", "2026-11-04")
        .replace("2026年2月", "2026年11月"), encoding="utf-8")),
    "change a decision": lambda r: edit(decision(r, "2026-02-12-002.yaml"), "fine: 1000", "fine: 1200"),
    "delete a decision": lambda r: decision(r, "2026-03-26-019.yaml").unlink(),
    "revoke a decision": lambda r: edit(decision(r, "2026-04-27-004.yaml"), "published_on:",
                                        "status: 撤销\nstatus_changed_on: 2026-10-18\n"
                                        "status_reason: 经行政复议，复议机关决定撤销原处罚决定\n"
                                        "withdrawn_on: 2026-10-20\npublished_on:"),
    "change an officer": lambda r: edit(r / "content/zonghe/officers.yaml", "unit: 第2中队", "unit: 第5中队"),
    "change a power": lambda r: edit(r / "content/zonghe/powers.yaml", "自立案之日起九十日内作出决定",
                                     "自立案之日起六十日内作出决定"),
    "change a benchmark": lambda r: edit(r / "content/zonghe/benchmarks.yaml", "初次违法且危害后果轻微并及时改正的",
                                         "首次违法且危害后果轻微并及时改正的"),
}


@pytest.mark.parametrize("what", [*EDITS, "expire overnight"])
def test_incremental_equals_full(county, what, monkeypatch):
    from generator import public, search

    root, out, cache, base = county
    today = TODAY
    if what == "expire overnight":
        today = "2027-03-01"  # certificates and public periods run out, every "还有 N 天" moves
    else:
        EDITS[what](root)
    parts: list[str] = []  # the decisions whose share of the exact lookup and counts was made anew
    real_part = search.decision_part
    monkeypatch.setattr(search, "decision_part", lambda site, e: parts.append(e.src.path) or real_part(site, e))
    masked: list[str] = []  # the decisions in force masked anew (a withdrawal notice is made every time)
    real_view = public.decision_view
    monkeypatch.setattr(public, "decision_view",
                        lambda d, m: (d.status == "有效" and masked.append(d.case_no), real_view(d, m))[1])
    folder = out.stat().st_ino
    plugin = make(root, out, today, cache)
    # A decision's edit patches the site in place; an edit every page shows, or a new day, renders
    # every page anew, and the new site is swapped in whole.
    assert (out.stat().st_ino == folder) == ("decision" in what)
    monkeypatch.setattr(search, "decision_part", real_part)
    monkeypatch.setattr(public, "decision_view", real_view)
    full, full_cache = base / f"full-{len(list(base.iterdir()))}", base / f"full-cache-{len(list(base.iterdir()))}"
    make(root, full, today, full_cache)  # a clean build: nothing to reuse in a new cache folder
    assert_same(out, full, cache, full_cache)
    if what != "expire overnight":
        # The cache did its work: some shards not re-indexed, and after a decision's edit
        # the other decisions' pages copied (a list file's edit re-renders every page).
        assert plugin.shards_reused >= 1
        assert plugin.cache.reused > 0 or "decision" not in what
        # A decision's edit leaves the other agencies' data files and feeds as they were: linked.
        groups = manifest(cache)["groups"]
        assert (plugin.cache.groups_reused >= len([g for g in groups if g.endswith((":scjg", ":xinglong-town"))])
                if "decision" in what else plugin.cache.groups_reused == 0)
        # … and the site-wide decisions.json|csv take the other decisions' rows from the previous files.
        shown = groups["decisions"]["rows"]["data/decisions.json"]
        assert plugin.cache.rows_reused >= shown - 2 if "decision" in what else plugin.cache.rows_reused == 0
        # … as do the 双公示 files …
        assert plugin.cache.shuanggongshi_reused > 0 if "decision" in what else plugin.cache.shuanggongshi_reused == 0
        # … and the search's exact lookup and counts (a list file's edit makes every share anew).
        assert len(parts) <= 1 if "decision" in what else len(parts) == shown
        # Masking: no edit here brings a new name to mask, so only the edited decision is masked anew.
        assert len(masked) <= 1, masked
    # The next build of the same content reuses every decision page and every shard, in place.
    folder = out.stat().st_ino
    make(root, out, today, cache)
    assert out.stat().st_ino == folder
    assert_same(out, full, cache, full_cache)


def a_decision_about(root: Path, name: str, number: int) -> None:
    """A new decision (a copy of one of 2026) whose party is the natural person `name`."""
    decision(root, f"2026-11-{number - 80:02d}-{number:03d}.yaml").write_text(
        decision(root, "2026-02-12-002.yaml").read_text(encoding="utf-8")
        .replace("谢桂霞", name).replace("第2号", f"第{number}号").replace("2026-02-12", f"2026-11-{number - 80:02d}")
        .replace("2026-02-16", f"2026-11-{number - 78:02d}").replace("2026年2月", "2026年11月"), encoding="utf-8")


def test_a_new_party_masks_her_name_in_pages_kept_from_before(county):
    """Masking depends on the names of every record: a decision about someone already named in another
    decision's text or in a benchmark changes those pages too, though their files did not change."""
    from generator.privacy import mask_name

    root, out, cache, base = county

    def same_as_full(n: int) -> None:
        make(root, out, TODAY, cache)
        full, full_cache = base / f"mask-{n}", base / f"mask-cache-{n}"
        make(root, full, TODAY, full_cache)
        assert_same(out, full, cache, full_cache)

    edit(decision(root, "2026-05-06-008.yaml"), "facts: ", "facts: 证人柳如是在场。")
    same_as_full(1)
    page = out / "decisions/zonghe/2026/2026-05-06-008/index.html"
    assert "柳如是" in page.read_text(encoding="utf-8")  # nobody's name yet: shown as written
    a_decision_about(root, "柳如是", 93)
    same_as_full(2)
    assert "柳如是" not in page.read_text(encoding="utf-8") and mask_name("柳如是") in page.read_text(encoding="utf-8")

    edit(root / "content/zonghe/benchmarks.yaml", "violation: 擅自设置大型户外广告", "violation: 钱谦益式擅自设置大型户外广告")
    same_as_full(3)
    a_decision_about(root, "钱谦益", 94)
    same_as_full(4)
    page = out / "decisions/zonghe/2026/2026-02-12-002/index.html"  # cites benchmark zonghe-B001
    assert "钱谦益" not in page.read_text(encoding="utf-8") and mask_name("钱谦益") in page.read_text(encoding="utf-8")


def test_unchanged_build_reuses_pages_and_shards(county, monkeypatch):
    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    extras = cache / "search-extras.pickle"  # the search index's exact lookup and counts
    made = extras.stat().st_mtime_ns
    rendered = _count_lean_renders(monkeypatch)
    pages = {rel: os.stat(out / rel) for rel in manifest(cache)["pages"]}
    again = make(root, out, TODAY, cache)
    # Patched in place: every page kept is the very file it was, untouched (no folder made for it).
    assert all(os.path.samestat(st, os.stat(out / rel)) and st.st_mtime_ns == os.stat(out / rel).st_mtime_ns
               for rel, st in pages.items())
    # Every shard keyed by what its pages are made of (PageCache.lean_key): none rendered to compare.
    assert rendered == [] and all(s.get("inputs") for s in manifest(cache)["shards"].values())
    assert extras.stat().st_mtime_ns == made  # taken from the cache, not made (and written) again
    data = manifest(cache)
    assert data["pages"] and again.shards_reused == len(data["shards"])
    assert again.cache.reused == len(data["pages"])
    assert again.cache.groups_reused == len(data["groups"]) and "per_agency:zonghe" in data["groups"]  # every data file


def test_the_pages_listing_every_agency_s_lists_are_rendered_only_when_what_they_show_changes(county, monkeypatch):
    from generator.render import Site

    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    rendered: list[str] = []
    real = Site.render
    monkeypatch.setattr(Site, "render", lambda self, uri, template, *a, **k: (
        rendered.append(template), real(self, uri, template, *a, **k))[1])
    lists = {"powers_index.html", "officers_index.html", "benchmarks_index.html"}
    make(root, out, TODAY, cache)
    assert lists & set(rendered) == set() and "home.html" in rendered  # the others are rendered every time
    rendered.clear()
    edit(decision(root, "2026-02-12-002.yaml"), "power: 330702CF001", "power: 330702CF002")  # a count moves
    make(root, out, TODAY, cache)
    assert lists & set(rendered) == {"powers_index.html"}
    rendered.clear()
    edit(decision(root, "2026-02-12-002.yaml"), "power: 330702CF002", "power: 330702CF001")
    make(root, out, "2026-11-24", cache)  # another day: 证件状态 is reckoned by it
    assert lists <= set(rendered)


def test_a_list_file_saved_during_a_build_and_put_back_shows_nowhere_after(county, tmp_path):
    """site.yaml saved after the build hashed the project's files (files_key) and before its load
    read it, then put back: nothing the build kept under the hash of the old text (the load's
    snapshot, the navigation pages, the search shards) may show the text of the meantime."""
    import datetime as dt

    from generator.cache import files_key

    root, out, cache, _base = county
    make(root, out, "2026-11-22", cache)  # another day's build: the cache holds its pages
    site = root / "site_config" / "site.yaml"
    old = site.read_text(encoding="utf-8")
    target = build.check_out(root, out)
    files = files_key(root.resolve(), target, cache)
    site.write_text(old.replace("title: ", "title: 改过的", 1), encoding="utf-8")
    meantime = load(root.resolve(), dt.date.fromisoformat(TODAY), cache=cache, files=files,
                    files_now=lambda: files_key(root.resolve(), target, cache))
    assert meantime.site.title.startswith("改过的") and not meantime.files_checked
    build.build(meantime, out, cache=cache, files_key=files)
    site.write_text(old, encoding="utf-8")
    make(root, out, TODAY, cache)
    full, full_cache = tmp_path / "full", tmp_path / "full-cache"
    make(root, full, TODAY, full_cache)
    assert_same(out, full, cache, full_cache)


def test_a_file_changed_in_out_is_made_anew(county, tmp_path):
    """Only files still as the previous build wrote them are reused: an edited page or data file is not."""
    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    for rel in ("data/scjg/officers.json", "decisions/zonghe/2026/2026-02-12-002/index.html"):
        # One byte more: a new size (times are compared in whole seconds, and this second may be the
        # build's). Not 的 → 之之: officers.json may hold no 的, and the test then passed by the clock.
        (out / rel).write_bytes((out / rel).read_bytes() + b"\n")
    plugin = make(root, out, TODAY, cache)
    assert 0 < plugin.cache.groups_reused < len(manifest(cache)["groups"])
    full, full_cache = tmp_path / "full", tmp_path / "full-cache"
    make(root, full, TODAY, full_cache)
    assert_same(out, full, cache, full_cache)


def test_the_published_files_are_never_written_through(county, tmp_path):
    """A patch replaces a published file by renaming the new one over it (sitepatch.apply), never
    by writing into it: a reader holding the old file (a link to its inode here) keeps its bytes."""
    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    changed = "decisions/zonghe/2026/2026-09-02-003/index.html"
    kept = {rel: tmp_path / f"kept-{i}" for i, rel in enumerate([changed, *manifest(cache)["pages"]][:40])}
    for rel, link in kept.items():
        os.link(out / rel, link)  # the inode the previous site's file is
    before = {rel: link.read_bytes() for rel, link in kept.items()}
    edit(decision(root, "2026-09-02-003.yaml"), "facts: ", "facts: 经再次复核，")
    plugin = make(root, out, TODAY, cache)
    assert plugin.cache.reused > 0 and changed not in plugin.cache.kept
    assert "经再次复核" in (out / changed).read_text(encoding="utf-8")
    assert {rel: link.read_bytes() for rel, link in kept.items()} == before
    full, full_cache = tmp_path / "full", tmp_path / "full-cache"
    make(root, full, TODAY, full_cache)
    assert_same(out, full, cache, full_cache)


def test_a_manifest_naming_paths_outside_the_site_touches_nothing_there(county, tmp_path):
    """The manifest comes from a cache folder CI restores: a path in it that leaves the site
    (absolute, or with ..) is never made, kept or deleted (an empty folder named there would be
    removed as a folder a deletion emptied)."""
    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    data = manifest(cache)
    (tmp_path / "empty").mkdir()
    (out.parent / "empty-too").mkdir()
    for bad in (f"{tmp_path}/empty/index.html", "../empty-too/index.html", "decisions/../../empty-too/x/index.html"):
        data["pages"][bad] = ["k", 1, 1]
    (cache / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    plugin = make(root, out, TODAY, cache)
    assert plugin.cache.reused > 0
    assert (tmp_path / "empty").is_dir() and (out.parent / "empty-too").is_dir()
    assert not (out.parent / "empty-too" / "x").exists()
    (out.parent / "empty-too").rmdir()


def test_a_page_made_anew_every_build_is_never_written_through_a_link_the_manifest_named(county, tmp_path):
    """A manifest from another version of the generator (one that keyed the year's statistics, the
    same FORMAT) or edited by hand names, as it is, a page this build renders anew without a key:
    it is replaced, never written through, and not deleted as a page no longer keyed."""
    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    rel = "statistics/2026/index.html"
    data = manifest(cache)
    st = os.stat(out / rel)
    data["pages"][rel] = ["0" * 64, st.st_size, int(st.st_mtime)]  # the file as it is: kept, were its key the same
    (cache / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    os.link(out / rel, tmp_path / "old-statistics")  # the inode the previous site's file is
    before = (tmp_path / "old-statistics").read_bytes()
    edit(decision(root, "2026-07-21-011.yaml"), "fine: ", "fine: 1")  # the year's fines change
    plugin = make(root, out, TODAY, cache)
    assert plugin.cache.reused > 0
    assert (tmp_path / "old-statistics").read_bytes() == before
    assert (out / rel).read_bytes() != before
    full, full_cache = tmp_path / "full", tmp_path / "full-cache"
    make(root, full, TODAY, full_cache)
    assert_same(out, full, cache, full_cache)


def modes(site: Path) -> set[tuple[str, int]]:
    """(kind, mode) of everything in the site: a site a web server can read is {("dir", 0o755), ("file", 0o644)}."""
    import stat

    found = {("dir", stat.S_IMODE(site.stat().st_mode))}
    for folder, dirs, names in os.walk(site):
        found |= {("dir", stat.S_IMODE(os.stat(os.path.join(folder, d)).st_mode)) for d in dirs}
        found |= {("file", stat.S_IMODE(os.stat(os.path.join(folder, n)).st_mode)) for n in names}
    return found


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_an_incremental_build_is_world_readable(county, umask):
    """Record pages made under the usual umask, or linked with their mode checked, are not walked
    again to open them up; under any other umask everything is."""
    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    page = out / "decisions/zonghe/2026/2026-02-12-002/index.html"
    page.chmod(0o600)  # someone closed one page of the published site
    edit(decision(root, "2026-09-02-003.yaml"), "facts: ", "facts: 经复核，")
    old = os.umask(umask)
    try:
        plugin = make(root, out, TODAY, cache)
    finally:
        os.umask(old)
    assert plugin.cache.reused > 0 and "decisions/zonghe/2026/2026-02-12-002/index.html" not in plugin.cache.kept
    assert modes(out) == {("dir", 0o755), ("file", 0o644)}


def test_a_data_file_or_search_file_closed_in_out_is_not_reused_closed(county):
    """Under the usual umask the build trusts the modes of what it links from the previous site
    (build.open_up does not walk it): a data file or a Pagefind file someone closed there is made anew."""
    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    shard = next(p for p in (out / "pagefind").iterdir() if p.is_dir() and p.name != "exact")
    closed = [out / "data/scjg/officers.json", next(shard.rglob("*.pf_fragment"))]
    for path in closed:
        path.chmod(0o600)
    old = os.umask(0o022)
    try:
        make(root, out, TODAY, cache)
    finally:
        os.umask(old)
    assert modes(out) == {("dir", 0o755), ("file", 0o644)}


def test_an_agency_whose_id_is_site_is_keyed_as_any_other(tmp_path):
    """`site` is a valid agency id (content/site/) as well as the default output folder's name: an
    edit of that agency's officers reaches the exact lookup, the data files and its decision pages."""
    root = tmp_path / "county"
    shutil.copytree(ROOT / "site_config", root / "site_config")
    shutil.copytree(ROOT / "content" / "xinglong-town", root / "content" / "site")
    edit(root / "content/site/agency.yaml", "id: xinglong-town", "id: site")
    out, cache = tmp_path / "out", tmp_path / "cache"
    make(root, out, TODAY, cache)
    edit(root / "content/site/officers.yaml", "name: 郑杰", "name: 郑新杰")
    make(root, out, TODAY, cache)
    full, full_cache = tmp_path / "full", tmp_path / "full-cache"
    make(root, full, TODAY, full_cache)
    assert_same(out, full, cache, full_cache)
    assert "郑杰" not in "".join(p.read_text(encoding="utf-8") for p in (out / "pagefind/exact").glob("*.json"))


def test_no_cache_or_a_foreign_out_renders_everything(county, tmp_path):
    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    other = tmp_path / "other-site"  # the manifest describes `out`, not this folder
    plugin = make(root, other, TODAY, cache)
    assert plugin.shards_reused == 0
    assert plugin.cache.reused == 0
    names = [[n for n in site_files(site) if not UNSTABLE.search(n)] for site in (other, out)]
    assert names[0] == names[1]


def test_cli_keeps_its_cache_in_the_project_unless_told(tmp_path):
    from generator.cli import main

    root = tmp_path / "county"
    root.mkdir()
    for name in ("content", "site_config"):
        shutil.copytree(ROOT / name, root / name)
    assert main(["build", "--project", str(root), "--today", TODAY, "--out", str(tmp_path / "a"), "--no-cache"]) == 0
    assert not (root / ".cache").exists()
    assert main(["build", "--project", str(root), "--today", TODAY, "--out", str(tmp_path / "b")]) == 0
    recorded = manifest(root / ".cache" / "disclose")
    assert recorded["out"] == str(tmp_path / "b") and recorded["pages"] and recorded["shards"]
    moved = tmp_path / "elsewhere"
    assert main(["build", "--project", str(root), "--today", TODAY, "--out", str(tmp_path / "b"),
                 "--cache", str(moved)]) == 0
    assert manifest(moved)["pages"].keys() == recorded["pages"].keys()


def test_a_cache_folder_that_cannot_be_written_costs_only_the_reuse(tmp_path, capsys):
    """The site is built and swapped in before the cache is written: a cache folder that cannot be
    made (here a file is in its place) is said in Chinese, and the build still succeeds."""
    from generator.cli import main

    root = tmp_path / "minimal"
    shutil.copytree(ROOT / "tests/fixtures/minimal", root)
    blocked = tmp_path / "cache"
    blocked.write_text("不是文件夹", encoding="utf-8")
    for _ in range(2):
        assert main(["build", "--project", str(root), "--today", TODAY, "--out", str(tmp_path / "out"),
                     "--cache", str(blocked)]) == 0
        said = capsys.readouterr()
        assert "无法写入缓存文件夹" in said.out + said.err and "内部错误" not in said.out + said.err
    assert (tmp_path / "out/index.html").is_file() and (tmp_path / "out/pagefind/counts.json").is_file()


# ---------------------------------------------------------------- the record cache (cache.RecordCache)


def county_copy(base: Path) -> Path:
    root = base / "county"
    root.mkdir()
    for name in ("content", "site_config", "supervision", "coordination"):
        shutil.copytree(ROOT / name, root / name)
    return root


def parsed(monkeypatch) -> list[str]:
    """The record files parsed from here on (a file the cache stands for is not)."""
    from generator import yamlio

    seen: list[str] = []
    real = yamlio.parse_text
    monkeypatch.setattr(yamlio, "parse_text", lambda text, relpath, *a, **k: seen.append(relpath)
                        or real(text, relpath, *a, **k))
    return seen


def record_files(seen: list[str]) -> list[str]:
    """The files parsed that are kept by the record cache (agency.yaml and site_config/ are read every time)."""
    return [p for p in seen if p.startswith(("content/", "supervision/", "coordination/"))
            and not p.endswith("agency.yaml")]


def loaded(root: Path, cache: Path | None) -> tuple[list[str], list[str], dict[str, str]]:
    """What a load gave: every problem, every record (as exported), the decisions' pages' keys' inputs."""
    import datetime as dt

    project = load(root, dt.date.fromisoformat(TODAY), cache=cache)
    records = [f"{e.src.path} {e.agency} {e.slug} {e.decision.model_dump_json()} {e.stamps!r}"
               for e in [*project.entries(), *project.drafts]]
    for a in project.agencies.values():
        records += [f"{src.path} {src.prefix} {r.model_dump_json()}" for r, src in [*a.officers, *a.powers, *a.benchmarks]]
    for name, items in project.records.items():
        records += [f"{name} {i.src.path} {i.slug} {i.record.model_dump_json()} {i.stamps!r}" for i in items]
    return [p.format() for p in project.problems], records, project.digests


def test_record_cache_reads_only_what_changed_and_gives_what_reading_gives(tmp_path, monkeypatch):
    root, cache = county_copy(tmp_path), tmp_path / "cache"
    seen = parsed(monkeypatch)
    fresh = loaded(root, None)
    read_all = sorted(seen)
    seen.clear()
    first = loaded(root, cache)
    assert sorted(seen) == read_all and first[:2] == fresh[:2]
    assert any(p.startswith("content/zonghe/decisions/") for p in first[2])
    seen.clear()
    again = loaded(root, cache)
    assert again == first
    # Only site.yaml, agency.yaml and the like are read every time: no decision, list or supervision record.
    assert record_files(seen) == []

    # An edit with the file's times put back (as a CI checkout, or a tool, may leave them): the content decides.
    path = root / "content/zonghe/decisions/2026/2026-02-12-002.yaml"
    st = path.stat()
    edit(path, "fine: 1000", "fine: 1200")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    edit(root / "content/zonghe/officers.yaml", "unit: 第2中队", "unit: 第5中队")
    seen.clear()
    changed = loaded(root, cache)
    assert sorted(record_files(seen)) == ["content/zonghe/decisions/2026/2026-02-12-002.yaml",
                                          "content/zonghe/officers.yaml"]
    assert changed[:2] == loaded(root, None)[:2] and changed != first
    # The same bytes with a new time (a fresh checkout): nothing read.
    os.utime(path, ns=(st.st_atime_ns + 10**9, st.st_mtime_ns + 10**9))
    seen.clear()
    assert loaded(root, cache) == changed
    assert record_files(seen) == []


def test_record_cache_keeps_every_problem_and_forgets_removed_files(tmp_path, monkeypatch):
    root, cache = county_copy(tmp_path), tmp_path / "cache"
    decisions = root / "content/zonghe/decisions/2026"
    # A guard problem (a phone number in public text), validation errors in a decision and in a
    # list (an officer nobody names), a file that is no YAML.
    edit(decisions / "2026-02-12-002.yaml", "facts: ", "facts: 联系电话13912345678。")
    edit(decisions / "2026-03-26-019.yaml", "fine: ", "fine: 很多\nold_fine: ")
    (decisions / "2026-12-31-999.yaml").write_text("case_no: [未闭合\n", encoding="utf-8")
    with (root / "content/zonghe/officers.yaml").open("a", encoding="utf-8") as f:
        f.write("- name: 新同事\n  certificate_no: '33070200099'\n  valid_from: 去年\n")
    fresh = loaded(root, None)
    found = {(p.split(":")[0], p.split(" ")[2]) for p in fresh[0]}
    assert {("content/zonghe/decisions/2026/2026-02-12-002.yaml", "P001"),
            ("content/zonghe/decisions/2026/2026-03-26-019.yaml", "F003"),
            ("content/zonghe/decisions/2026/2026-12-31-999.yaml", "Y001"),
            ("content/zonghe/officers.yaml", "F001")} <= found, fresh[0]
    first = loaded(root, cache)
    seen = parsed(monkeypatch)
    again = loaded(root, cache)
    assert first[0] == again[0] == fresh[0]
    assert "content/zonghe/decisions/2026/2026-02-12-002.yaml" not in seen  # its guard problem came from the cache
    # A removed file is forgotten: nothing of it is reported, and the cache keeps only what is read.
    (decisions / "2026-12-31-999.yaml").unlink()
    assert not any("2026-12-31-999" in p for p in loaded(root, cache)[0])
    kept = [pickle.loads((cache / "records" / f).read_bytes()) for f in os.listdir(cache / "records")]
    names = {name for _key, _folder, bucket in kept for name, _what in bucket}
    assert "2026-12-31-999.yaml" not in names and "2026-02-12-002.yaml" in names


def test_record_cache_of_another_generator_or_a_link_is_not_used(tmp_path, monkeypatch):
    from generator import cache as cache_mod

    root, cache = county_copy(tmp_path), tmp_path / "cache"
    first = loaded(root, cache)
    seen = parsed(monkeypatch)
    monkeypatch.setattr(cache_mod, "generator_key", lambda: "another generator")
    assert loaded(root, cache)[:2] == first[:2]
    assert "content/zonghe/decisions/2026/2026-02-12-002.yaml" in seen
    monkeypatch.undo()
    seen = parsed(monkeypatch)
    loaded(root, cache)
    # A decision turned into a link to another file of the project: read (and judged) every time.
    path = root / "content/zonghe/decisions/2026/2026-02-12-002.yaml"
    other = root / "content/zonghe/decisions/2026/2026-03-26-019.yaml"
    path.unlink()
    path.symlink_to(other)
    seen.clear()
    linked = loaded(root, cache)
    assert "content/zonghe/decisions/2026/2026-02-12-002.yaml" in seen
    assert linked[:2] == loaded(root, None)[:2]
    assert "content/zonghe/decisions/2026/2026-02-12-002.yaml" not in linked[2]


def test_validate_shares_the_build_cache_unless_told(tmp_path, capsys):
    from generator.cli import main

    root = county_copy(tmp_path)
    assert main(["validate", "--project", str(root), "--today", TODAY, "--no-cache"]) == 0
    plain = capsys.readouterr().err
    assert not (root / ".cache").exists()
    assert main(["validate", "--project", str(root), "--today", TODAY]) == 0
    assert capsys.readouterr().err == plain
    assert list((root / ".cache/disclose/records").glob("*.pickle"))
    assert main(["validate", "--project", str(root), "--today", TODAY]) == 0
    assert capsys.readouterr().err == plain
    moved = tmp_path / "elsewhere"
    assert main(["validate", "--project", str(root), "--today", TODAY, "--cache", str(moved)]) == 0
    assert capsys.readouterr().err == plain and list((moved / "records").glob("*.pickle"))


def _count_lean_renders(monkeypatch) -> list[str]:
    """The shards whose lean pages a build renders (to index them or to compare their text)."""
    from generator import search

    seen: list[str] = []
    html = search.Shard.html

    def counted(shard, path):
        if shard.name not in seen:
            seen.append(shard.name)
        return html(shard, path)

    monkeypatch.setattr(search.Shard, "html", counted)
    return seen


def test_a_decision_edit_renders_only_its_own_search_shard(county, monkeypatch):
    """Keyed by what their pages are made of, the shards a decision's edit leaves alone are reused
    unrendered; an officer's edit changes every shard's inputs but not the decisions' pages, so
    those shards are rendered, found the same by their text, and still reused."""
    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    shards = manifest(cache)["shards"]
    rendered = _count_lean_renders(monkeypatch)
    edit(decision(root, "2026-05-06-008.yaml"), "facts: ", "facts: 现场另有三名工人。")
    plugin = make(root, out, TODAY, cache)
    assert len(rendered) == 1 and rendered[0].startswith("2026-"), rendered
    assert plugin.shards_reused == len(shards) - 1
    # The agency's own pages show counts of its decisions, which a text edit leaves as they were.
    agency = [f"agencies/zonghe/{part}index.html" for part in ("", "officers/", "powers/", "benchmarks/", "decisions/")]
    assert [page for page in agency if page not in plugin.cache.kept] == []
    rendered.clear()
    edit(root / "content/zonghe/officers.yaml", "name: ", "name: 欧阳")
    plugin = make(root, out, TODAY, cache)
    assert set(rendered) == set(shards)  # every shard's inputs changed: each rendered and compared
    assert plugin.shards_reused >= len([s for s in shards if not s.startswith("records")])


def test_a_manifest_of_another_shape_costs_the_reuse_not_the_build(county, tmp_path):
    """The manifest is read back as the build wrote it, but a file edited by hand or torn by another
    tool may hold anything JSON does: the build then renders what it cannot reuse, never stops on it."""
    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    full, full_cache = tmp_path / "full", tmp_path / "full-cache"
    make(root, full, TODAY, full_cache)
    good = manifest(cache)
    for shaped in ({"pages": list(good["pages"])}, {"pages": {path: [was[0]] for path, was in good["pages"].items()}},
                   {"groups": list(good["groups"])}, {"shards": list(good["shards"])},
                   {"groups": {g: ["x"] for g in good["groups"]}}, {"shards": dict.fromkeys(good["shards"], 1)},
                   {"groups": {g: {**was, "files": list(was["files"])} for g, was in good["groups"].items()}}):
        (cache / "manifest.json").write_text(json.dumps({**good, **shaped}), encoding="utf-8")
        make(root, out, TODAY, cache)
        assert_same(out, full, cache, full_cache)


def test_a_data_file_path_outside_the_site_in_the_manifest_is_not_linked(county, tmp_path):
    """A group's files are linked from the previous site by the manifest's paths: one that leaves
    the site (a cache CI restored, poisoned) is not linked, and the group is written anew."""
    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    data = manifest(cache)
    group = next(was for was in data["groups"].values() if was.get("files"))
    (tmp_path / "secret.txt").write_bytes(b"not for the site")
    st = (tmp_path / "secret.txt").stat()
    escape = os.path.relpath(tmp_path / "secret.txt", out)
    group["files"][escape] = [st.st_size, int(st.st_mtime)]
    (cache / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    plugin = make(root, out, TODAY, cache)
    assert (tmp_path / "secret.txt").stat().st_nlink == 1  # linked nowhere
    assert plugin.cache.groups_reused == len(data["groups"]) - 1  # that group written anew, the rest reused


def test_a_shard_indexed_again_links_its_unchanged_files_from_the_previous_build(county):
    """After a one-decision commit Pagefind indexes that decision's shard again; the files it gives
    back that the previous build's index of the shard holds byte for byte (every other page's
    fragment, its scripts) are hard-linked from there, not written anew (search._write_index)."""
    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    shard = out / "pagefind" / "2026-1"

    def inodes() -> dict[str, int]:
        return {str(p.relative_to(shard)): p.stat().st_ino for p in shard.rglob("*") if p.is_file()}

    before = inodes()
    edit(root / "content/zonghe/decisions/2026/2026-07-21-011.yaml", "facts: ", "facts: 补充说明。")
    make(root, out, TODAY, cache)
    after = inodes()
    linked = [name for name, ino in after.items() if before.get(name) == ino]
    new = [name for name in after if name not in before]
    assert [n for n in new if n.startswith("fragment/")] != []  # the edited decision's page
    # Every fragment but the edited page's: one inode with the previous build's file of that name.
    assert sorted(n for n in after if n.startswith("fragment/") and n not in new) == \
        sorted(n for n in linked if n.startswith("fragment/"))
    assert "pagefind.js" in linked and len(linked) > len(after) // 2


def spare(root: Path) -> Path:
    """A decision no test edits or copies, one to delete (the county is shared by the module's tests),
    whose party is no natural person: her name would leave the names masked in every page, which
    makes every page anew (cache.masked_lists_key)."""
    used = {"2026-02-12-002.yaml", "2026-09-02-003.yaml", "2026-04-27-004.yaml", "2026-07-21-011.yaml"}
    return [p for p in sorted(decision(root, "x").parent.glob("*.yaml"))
            if p.name not in used and "自然人" not in p.read_text(encoding="utf-8")][-1]


def test_a_patch_cut_short_makes_the_next_build_a_whole_one(county, tmp_path, monkeypatch):
    """The manifest is removed before the site changes in place: a patch stopped halfway (here an
    error after its first rename) leaves a site the next build does not patch but replaces whole."""
    from generator import sitepatch

    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    real = sitepatch.apply

    def cut_short(plan, site):
        plan.moves, plan.deletions, plan.last = plan.moves[:1], [], None
        real(plan, site)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sitepatch, "apply", cut_short)
    spare(root).unlink()  # its page is one of those a patch deletes
    with pytest.raises(build.BuildFailed, match="网站可能只更新了一部分"):
        make(root, out, TODAY, cache)
    assert not (cache / "manifest.json").exists()
    monkeypatch.setattr(sitepatch, "apply", real)
    folder = out.stat().st_ino
    make(root, out, TODAY, cache)
    assert out.stat().st_ino != folder  # swapped in whole
    full, full_cache = tmp_path / "full", tmp_path / "full-cache"
    make(root, full, TODAY, full_cache)
    assert_same(out, full, cache, full_cache)


def test_a_manifest_of_another_build_of_the_site_is_not_used(county, tmp_path):
    """A build without the cache writes the site anew and leaves the manifest of the build before.
    Where that build's pages have the size and time the manifest recorded (both builds in one
    second: times are compared in whole seconds; a site and a cache restored from different runs),
    a page it wrote from other content would be kept as the manifest's: the site's build token
    tells the two sites apart, and the manifest of another is not used at all."""
    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    path = decision(root, "2026-09-02-003.yaml")
    text = path.read_text(encoding="utf-8")
    rel = "decisions/zonghe/2026/2026-09-02-003/index.html"
    assert "证据确凿。" in (out / rel).read_text(encoding="utf-8")
    path.write_text(text.replace("证据确凿。", "证据确凿，", 1), encoding="utf-8")  # the same size in UTF-8
    make(root, out, TODAY, None)  # no cache: its manifest still names the site before
    assert "证据确凿，" in (out / rel).read_text(encoding="utf-8")
    for page, (_key, size, mtime) in manifest(cache)["pages"].items():
        if (out / page).is_file() and (out / page).stat().st_size == size:
            os.utime(out / page, (mtime, mtime))
    path.write_text(text, encoding="utf-8")  # the content the manifest was recorded for, again
    folder = out.stat().st_ino
    plugin = make(root, out, TODAY, cache)
    assert "证据确凿。" in (out / rel).read_text(encoding="utf-8")
    assert out.stat().st_ino != folder and plugin.cache.reused == 0
    full, full_cache = tmp_path / "full", tmp_path / "full-cache"
    make(root, full, TODAY, full_cache)
    assert_same(out, full, cache, full_cache)


def test_a_link_inside_the_site_is_never_written_through(county, tmp_path):
    """Someone replaced a folder of the published site by a link to a folder elsewhere: a patch
    would write the edited decision's page (and delete a page) through it; the build swaps in a
    whole new site instead, and the folder the link points at keeps what it held."""
    root, out, cache, _base = county
    make(root, out, TODAY, cache)
    year = out / "decisions/zonghe/2026"
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(year, elsewhere)
    shutil.rmtree(year)
    year.symlink_to(elsewhere, target_is_directory=True)
    before = {str(p.relative_to(elsewhere)): p.read_bytes() for p in elsewhere.rglob("*") if p.is_file()}
    edit(decision(root, "2026-09-02-003.yaml"), "facts: ", "facts: 经第三次复核，")
    spare(root).unlink()
    make(root, out, TODAY, cache)
    assert not year.is_symlink()
    assert {str(p.relative_to(elsewhere)): p.read_bytes() for p in elsewhere.rglob("*") if p.is_file()} == before
    full, full_cache = tmp_path / "full", tmp_path / "full-cache"
    make(root, full, TODAY, full_cache)
    assert_same(out, full, cache, full_cache)


def test_a_page_whose_template_the_project_overrides_is_never_kept(tmp_path):
    """An override may show anything of the site (here the number of decisions published), which
    no key covers: its pages are rendered every build."""
    root, out, cache = tmp_path / "county", tmp_path / "site", tmp_path / "cache"
    for name in ("content", "site_config"):
        shutil.copytree(ROOT / name, root / name)
    own = root / "templates" / "records"
    own.mkdir(parents=True)
    for name in ("officers_index.html", "officers.html"):
        text = (ROOT / "templates" / "records" / name).read_text(encoding="utf-8")
        (own / name).write_text(text + "\n<p>本站公开执法决定 {{ site.shown | length }} 份。</p>\n", encoding="utf-8")
    make(root, out, TODAY, cache)
    EDITS["add a decision"](root)
    make(root, out, TODAY, cache)
    full, full_cache = tmp_path / "full", tmp_path / "full-cache"
    make(root, full, TODAY, full_cache)
    assert_same(out, full, cache, full_cache)
