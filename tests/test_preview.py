"""The preview's incremental update, driven directly: what a saved decision changes on disk."""

import gzip
import os
import threading
from pathlib import Path

import pytest
from conftest import TODAY, site_texts
from test_incremental import UNSTABLE

from generator import decisions, shell
from generator import project as project_mod
from generator.preview import Preview, request_parts

# What the national-day decision says and a withdrawal notice must not: its facts, party and outcome.
FACTS = ("农田焚烧秸秆", "张某某", "处以罚款1000元")


def index_text(site) -> str:
    return "\n".join(gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
                     for p in (site / "pagefind").rglob("*") if p.suffix.startswith(".pf_"))


@pytest.fixture
def built():
    """A quiet preview of a project after its first full build; its folders are removed afterwards."""
    made = []

    def make(root) -> Preview:
        preview = Preview(root, TODAY, log=lambda text: None)
        made.append(preview)
        assert preview.full()
        return preview

    yield make
    for preview in made:
        preview.close()
        assert not preview.base.exists()


def revoke(path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "status: 撤销\nstatus_changed_on: 2025-11-03\n"
                    "status_reason: 经行政复议决定撤销\n", encoding="utf-8")


def test_saved_decision_updates_its_page_lists_and_search_shard(tree, built, tmp_path):
    root = tree("minimal")
    preview = built(root)
    site = preview.dir
    page = site / "decisions/town/2025/national-day/index.html"
    untouched = site / "agencies/town/officers/index.html"
    before = untouched.stat().st_mtime_ns
    power = site / "powers/town-cf001/index.html"  # lists the decisions made under it
    power_before = power.stat().st_mtime_ns
    assert "河滩" not in index_text(site)

    path = root / "content/town/decisions/2025/national-day.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("在农田焚烧秸秆", "在河滩焚烧秸秆"), encoding="utf-8")
    preview.update({path})
    assert preview.catch_up()

    assert preview.dir == site  # updated in place, not rebuilt
    assert "张某某在河滩焚烧秸秆" in page.read_text(encoding="utf-8")
    assert untouched.stat().st_mtime_ns == before  # pages that do not show the decision are left alone
    assert power.stat().st_mtime_ns != power_before and "测兴政罚决字〔2025〕第1号" in power.read_text(encoding="utf-8")
    assert "河滩" in index_text(site)
    assert "河滩焚烧秸秆" in (site / "data/decisions.json").read_text(encoding="utf-8")
    assert "河滩焚烧秸秆" in (site / "data/town/decisions.csv").read_text(encoding="utf-8-sig")
    assert preview.state.errors == []
    assert_as_built(site, root, tmp_path)


def test_revoked_decision_leaves_no_facts_in_any_served_file(tree, built):
    root = tree("minimal")
    preview = built(root)
    per_agency = preview.dir / "data/town/decisions.json"
    assert "农田焚烧秸秆" in per_agency.read_text(encoding="utf-8")  # there before: the check below can fail
    revoke(root / "content/town/decisions/2025/national-day.yaml")
    preview.update({root / "content/town/decisions/2025/national-day.yaml"})
    assert preview.catch_up()
    assert "撤回公告" in (preview.dir / "decisions/town/2025/national-day/index.html").read_text(encoding="utf-8")
    texts = list(site_texts(preview.dir))
    assert any(p == per_agency for p, _ in texts) and any("feeds" in p.parts for p, _ in texts)
    for path, text in texts:
        for fact in FACTS:
            assert fact not in text, (path, fact)


def test_deleted_decision_leaves_no_page(tree, built):
    root = tree("minimal")
    preview = built(root)
    page = preview.dir / "decisions/town/2025/national-day/index.html"
    assert page.is_file()
    path = root / "content/town/decisions/2025/national-day.yaml"
    path.unlink()
    preview.update({path})
    assert preview.catch_up()
    assert not page.exists()
    assert "national-day" not in (preview.dir / "agencies/town/decisions/2025/index.html").read_text(encoding="utf-8")


def test_a_config_change_rebuilds_everything_off_screen(tree, built):
    root = tree("minimal")
    preview = built(root)
    first = preview.dir
    agency = root / "content/town/agency.yaml"
    text = agency.read_text(encoding="utf-8")
    assert "name: 测试县测试镇人民政府" in text
    agency.write_text(text.replace("name: 测试县测试镇人民政府", "name: 测试县测试镇政府"), encoding="utf-8")
    before = first.stat().st_ino
    preview.update({agency})
    assert preview.dir == first and first.stat().st_ino != before  # a new folder swapped in whole
    assert not list(first.parent.glob(".site-*")) and not first.with_name("site.old").exists()
    assert "测试县测试镇政府" in (preview.dir / "agencies/town/index.html").read_text(encoding="utf-8")


def assert_as_built(served, root, tmp_path) -> None:
    """The served site after its catch-up holds what a full build of the same content writes.
    Pagefind names some of its files by hashes that differ between two runs on the same pages
    (tests/test_incremental.py): those are compared by count."""
    from sites import site_files

    from generator import build

    build.build(build.load(root, TODAY), tmp_path / "full")
    got, want = site_files(served), site_files(tmp_path / "full")
    stable = sorted(name for name in want if not UNSTABLE.search(name))
    assert sorted(name for name in got if not UNSTABLE.search(name)) == stable
    assert [name for name in stable if got[name] != want[name]] == []
    assert len(got) == len(want)


# Each edit of a list file, as (file, text, replacement): the page that must show it, and one that must not change.
LIST_EDITS = {
    "rename an officer cited by a decision": ("officers.yaml", "name: 王伟", "name: 王伟强"),
    "drop a power item no decision cites": ("powers.yaml", "- code: TOWN-JC001", "- code: TOWN-JC002"),
    "change a benchmark's tier": ("benchmarks.yaml", "无从轻、从重情节的", "无从轻、减轻、从重情节的"),
}


@pytest.mark.parametrize("edit", list(LIST_EDITS))
def test_a_saved_list_file_updates_in_place_what_a_full_build_would_write(tree, built, tmp_path, edit):
    root = tree("minimal")
    preview = built(root)
    first = preview.dir
    before = first.stat().st_ino
    name, old, new = LIST_EDITS[edit]
    path = root / "content/town" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    gone = first / "powers/town-jc001/index.html"
    assert gone.is_file()
    preview.update({path})
    assert preview.state.errors == []
    assert preview.catch_up()
    assert preview.dir == first and first.stat().st_ino == before  # updated in place, not rebuilt
    assert_as_built(first, root, tmp_path)
    shown = (first / "decisions/town/2025/national-day/index.html").read_text(encoding="utf-8")
    assert ("王伟强" in shown) == (edit == "rename an officer cited by a decision")
    assert gone.exists() == (edit != "drop a power item no decision cites")


def test_the_sitemap_after_a_save_lists_what_a_full_build_lists(tree, built, tmp_path):
    """With a base_url the site has a sitemap.xml: after a save it still lists the Markdown pages
    (关于本站, 怎样查询), in the full build's order."""
    root = tree("minimal")
    config = root / "site_config/site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "base_url: https://zfgs.example.gov.cn/\n", encoding="utf-8")
    preview = built(root)
    assert "about/" in (preview.dir / "sitemap.xml").read_text(encoding="utf-8")
    path = root / "content/town/decisions/2025/national-day.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("在农田焚烧秸秆", "在河滩焚烧秸秆"), encoding="utf-8")
    preview.update({path})
    assert preview.catch_up()
    assert_as_built(preview.dir, root, tmp_path)


def test_a_waiting_save_goes_before_the_catch_up(tree, built):
    """One worker changes the site: the catch-up of an older save yields to a newer one, then runs for it."""
    root = tree("minimal")
    preview = built(root)
    path = root / "content/town/decisions/2025/national-day.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("在农田焚烧秸秆", "在河滩焚烧秸秆"), encoding="utf-8")
    preview.update({path})
    first = preview.stale
    preview.submit(path)  # saved again before the data files were written
    assert preview.catch_up() is False
    assert preview.stale is first
    assert "河滩" not in (preview.dir / "data/decisions.json").read_text(encoding="utf-8")
    revoke(path)
    preview.step()  # the worker's next step: the waiting save
    assert preview.stale is not first and not preview.pending
    preview.step()  # then the catch-up, for the newest site
    assert preview.stale is None
    text = (preview.dir / "data/town/decisions.json").read_text(encoding="utf-8")
    assert "撤销" in text and "焚烧秸秆" not in text


def test_no_fork_once_threads_run(tree, monkeypatch):
    """The preview's server and watcher are threads: the readers are spawned, the page writers stay in-process."""
    import multiprocessing

    root = tree("minimal")
    methods = []
    real = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: methods.append(method) or real(method))
    monkeypatch.setattr(decisions, "PARALLEL_FROM", 1)
    monkeypatch.setattr(shell, "PARALLEL_FROM", 1)
    monkeypatch.setenv("DISCLOSE_JOBS", "2")
    paths = sorted((root / "content/town/decisions").rglob("*.yaml"))
    quiet = threading.Event()
    thread = threading.Thread(target=quiet.wait, daemon=True)
    thread.start()
    try:
        assert decisions.start_method() == "spawn"
        results = decisions.read_all(root, paths, 1 << 20)
        assert [d.case_no for d, _ in results] == ["测兴政罚决字〔2025〕第1号", "测兴政罚决字〔2025〕第2号"]
        from generator.project import load
        from generator.render import Site

        site = Site(load(root, TODAY))
        specs = [s for s in site.specs() if s[0].startswith("decisions/town/")]
        frames = shell.Frames({shell.depth(s[0]) for s in specs})
        frames.parts = {d: ["<p>", shell.BODY, "</p>"] for d in frames.by_uri.values()}
        assert methods and set(methods) == {"spawn"}  # the readers' pools (read_all, then load)
        pools = len(methods)
        out = root / "out"
        assert sorted(shell.write_pages(site, specs, frames, out)) == sorted(s[0] for s in specs)
        assert len(methods) == pools  # no pool at all for the page writers
        assert "张某某" in (out / "decisions/town/2025/national-day/index.html").read_text(encoding="utf-8")
    finally:
        quiet.set()
        thread.join()


@pytest.mark.parametrize("path", ["/%00", "/..%2f..%2fetc%2fpasswd", "/a/../../etc", "/%ff", "/" + "长" * 100])
def test_request_paths_that_name_nothing_in_the_site(path):
    assert request_parts(path) is None


def test_request_paths_inside_the_site():
    assert request_parts("/decisions/town/2025/national-day/") == ["decisions", "town", "2025", "national-day"]
    assert request_parts("/search/%E6%90%9C.html") == ["search", "搜.html"]


def test_a_preview_that_started_with_errors_builds_once_they_are_fixed(tree):
    """The placeholder page served meanwhile is marked as a built site, so the first good build may replace it."""
    root = tree("minimal")
    decision = root / "content/town/decisions/2025/national-day.yaml"
    good = decision.read_text(encoding="utf-8")
    decision.write_text(good.replace("decided_on: 2025-09-30", "decided_on: 2025-02-30"), encoding="utf-8")
    logged: list[str] = []
    preview = Preview(root, TODAY, log=logged.append)
    try:
        assert not preview.full()
        preview.placeholder()
        assert "预览尚未生成" in (preview.dir / "index.html").read_text(encoding="utf-8")
        decision.write_text(good, encoding="utf-8")
        assert preview.full(), logged
        assert "预览尚未生成" not in (preview.dir / "index.html").read_text(encoding="utf-8")
        assert (preview.dir / "decisions/town/2025/national-day/index.html").is_file()
    finally:
        preview.close()


def notice_entry(site) -> str:
    """The search text of the public notice of the supervision-private fixture, without Pagefind's word breaks."""
    import unicodedata

    from generator.search import read_fragment

    [text] = [f["content"] for f in map(read_fragment, (site / "pagefind").rglob("*.pf_fragment"))
              if f["url"] == "/supervision/notices/2026/jianyi-1/"]
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def test_a_saved_party_name_is_masked_in_a_public_notice_indexed_in_a_shard_without_decisions(tree, built):
    """A public notice names someone who becomes the party (a natural person) of a saved decision: the
    notice's page masks the name, and so must its search entry, though its shard (2026) holds no
    decision that changed (the fixture's decisions are all of 2025)."""
    root = tree("supervision-private")
    notice = root / "supervision/notices/2026/jianyi-1.yaml"
    notice.write_text(notice.read_text(encoding="utf-8").replace("另一份决定的法制审核意见不完整", "对李四光一案的法制审核意见不完整"),
                      encoding="utf-8")
    preview = built(root)
    page = preview.dir / "supervision/notices/2026/jianyi-1/index.html"
    inode = preview.dir.stat().st_ino
    assert "李四光" in page.read_text(encoding="utf-8") and "李四光" in notice_entry(preview.dir)  # no party of that name yet
    saved = root / "content/town/decisions/2025/li.yaml"
    saved.write_text((root / "content/town/decisions/2025/national-day.yaml").read_text(encoding="utf-8")
                     .replace("张三丰", "李四光").replace("第1号", "第3号"), encoding="utf-8")
    preview.update({saved})
    assert preview.catch_up()
    assert preview.dir.stat().st_ino == inode  # updated in place (a full rebuild would index everything anew)
    text = page.read_text(encoding="utf-8")
    assert "李某某" in text and "李四光" not in text
    entry = notice_entry(preview.dir)
    assert "李某某" in entry and "李四光" not in entry


def test_a_saved_notice_is_read_again_and_an_unchanged_one_is_not(tree, built):
    """Without a record cache the preview keeps what each notice or coordination file read as while
    its stat is the same (thousands of them at county scale): a save must still be read again,
    a broken one reported, and a file put back read as it is now."""
    root = tree("supervision-private")
    preview = built(root)
    notice = root / "supervision/notices/2026/jianyi-1.yaml"
    page = preview.dir / "supervision/notices/2026/jianyi-1/index.html"
    good = notice.read_text(encoding="utf-8")
    notice.write_text(good.replace("法制审核意见不完整", "法制审核意见未签名"), encoding="utf-8")
    preview.update({notice})
    assert preview.state.errors == []
    assert "法制审核意见未签名" in page.read_text(encoding="utf-8")
    notice.write_text(good.replace("rectify_by: 2026-10-09", "rectify_by: 2026-10-99"), encoding="utf-8")
    preview.update({notice})
    assert any("jianyi-1.yaml" in e for e in preview.state.errors), preview.state.errors
    notice.write_text(good, encoding="utf-8")
    preview.update({notice})
    assert preview.state.errors == []
    assert "法制审核意见不完整" in page.read_text(encoding="utf-8")


def test_saves_of_decisions_are_loaded_incrementally_and_read_as_a_fresh_load(tree, built):
    """The preview's load after a saved decision takes over every other entry from the last load,
    and finds what a fresh load finds: a party become a natural person whose name a public notice's
    file name spells (P005) is an error shown over the page; the save that undoes it clears it."""
    from generator import build

    root = tree("incremental-load")
    preview = built(root)
    saved = root / "content/town/decisions/2026/2026-03-02-001.yaml"
    good = saved.read_text(encoding="utf-8")
    saved.write_text(good.replace("  type: 个体工商户\n", "  type: 自然人\n")
                     .replace("  credit_code: 92330000MA0000003D\n", ""), encoding="utf-8")
    before = preview.loaded
    preview.update({saved})
    after = preview.loaded
    others = [e for e in before.entries() if e.src.path != "content/town/decisions/2026/2026-03-02-001.yaml"]
    assert others and all(any(e is f for f in after.entries()) for e in others)  # taken over, not made again
    assert after.problems == build.load(root, TODAY).problems
    assert any("P005" in e and "lisi-jiegan.yaml" in e for e in preview.state.errors), preview.state.errors
    saved.write_text(good.replace("李四在河滩", "李四在河滩空地"), encoding="utf-8")
    preview.update({saved})
    assert preview.state.errors == []
    assert preview.loaded.problems == build.load(root, TODAY).problems
    page = preview.dir / "decisions/town/2026/2026-03-02-001/index.html"
    assert "河滩空地" in page.read_text(encoding="utf-8")


def test_a_templates_folder_made_while_previewing_is_watched(tree, built):
    """A first template override: templates/ did not exist when the preview started. Its
    making, and every later save in it, rebuild the served site."""
    import time
    from pathlib import Path

    root = tree("minimal")
    preview = built(root)
    page = preview.dir / "decisions/town/2025/national-day/index.html"
    packaged = (Path(__file__).parent.parent / "templates/records/decision.html").read_text(encoding="utf-8")
    override = root / "templates" / "records" / "decision.html"

    def save(mark: str) -> None:
        override.write_text(packaged.replace("<h1>", f"<p>本局试用模板：{mark}</p><h1>", 1), encoding="utf-8")

    def served(mark: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if f"本局试用模板：{mark}" in page.read_text(encoding="utf-8"):
                    return
            except FileNotFoundError:  # a full rebuild's swap
                pass
            time.sleep(0.2)
        raise AssertionError(f"{mark} not served")

    observer = preview.start()
    try:
        assert not (root / "templates").exists()
        override.parent.mkdir(parents=True)
        save("甲")
        served("甲")
        save("乙")  # once the folder's making was rebuilt: a save in it
        served("乙")
    finally:
        observer.stop()
        observer.join()
def test_the_watcher_reports_every_file_a_load_reads_as_a_decision_by_its_own_path(tree):
    """Since saves load incrementally, a decision file the watcher does not report is never read
    (a fresh load reads it): x.YAML from a Windows tool, a hidden .x.yaml. A file replaced by a
    link is reported as itself, not as the file it points to (which did not change)."""
    import time

    root = tree("incremental-load")
    preview = Preview(root, TODAY, log=lambda text: None)
    seen: set[Path] = set()
    preview.submit = seen.add  # what the watcher hands the worker
    before = project_mod.load(root, TODAY, keep=True)
    observer = preview.start()
    try:
        folder = root / "content/town/decisions/2026"
        text = (folder / "2026-05-10-002.yaml").read_text(encoding="utf-8")
        upper, hidden, linked = folder / "2026-06-01-003.YAML", folder / ".2026-06-02-004.yaml", folder / "2026-03-02-001.yaml"
        upper.write_text(text.replace("第4号", "第5号"), encoding="utf-8")
        hidden.write_text(text.replace("第4号", "第6号"), encoding="utf-8")
        linked.unlink()
        linked.symlink_to(folder / "2026-05-10-002.yaml")
        swap = folder / ".2026-05-10-002.yaml.swp"  # an editor's own files are not
        swap.write_text("x", encoding="utf-8")
        wanted = {Path(os.path.abspath(p)) for p in (upper, hidden, linked)}
        deadline = time.monotonic() + 10
        while not wanted <= seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert wanted <= seen, seen
        assert Path(os.path.abspath(swap)) not in seen
        # and the load after them, from what the watcher reported, reads as a fresh one
        again = project_mod.load(root, TODAY, previous=before, changed=seen)
        fresh = project_mod.load(root, TODAY)
        assert again.problems == fresh.problems
        assert [e.src.path for e in again.entries()] == [e.src.path for e in fresh.entries()]
    finally:
        observer.stop()
        observer.join()
        preview.closed = True
        with preview.work:  # let the worker's loop see it is closed
            preview.stale = object()
            preview.work.notify()
        preview.close()


def a_decision_of_2024(root: Path) -> Path:
    """A decision of a year the incremental-load fixture has none in (a copy of one of 2026)."""
    added = root / "content/town/decisions/2024/2024-06-03-001.yaml"
    added.parent.mkdir()
    text = (root / "content/town/decisions/2026/2026-05-10-002.yaml").read_text(encoding="utf-8")
    added.write_text(text.replace("〔2026〕第4号", "〔2024〕第1号").replace("2026-05-10", "2024-06-03"), encoding="utf-8")
    return added


def test_a_decision_of_a_new_year_is_listed_on_the_sitemap_page(tree, built):
    """The sitemap page lists each agency's year pages: a save that gives an agency a year it had
    no decision in adds one, there as in a full build."""
    root = tree("incremental-load")
    preview = built(root)
    sitemap = preview.dir / "sitemap/index.html"
    assert "agencies/town/decisions/2024/" not in sitemap.read_text(encoding="utf-8")
    added = a_decision_of_2024(root)
    preview.update({added})
    assert preview.state.errors == [] and preview.catch_up()
    assert "agencies/town/decisions/2024/" in sitemap.read_text(encoding="utf-8")


def test_an_added_decision_is_counted_on_the_lists_of_power_items(tree, built, tmp_path):
    """The lists of power items (the county's and the agency's) count each item's decisions: a
    save that adds one updates them, as a full build writes them."""
    root = tree("incremental-load")
    preview = built(root)
    lists = [preview.dir / "powers/index.html", preview.dir / "agencies/town/powers/index.html"]
    assert all("3 份" in page.read_text(encoding="utf-8") for page in lists)
    added = root / "content/town/decisions/2026/2026-06-03-001.yaml"
    text = (root / "content/town/decisions/2026/2026-05-10-002.yaml").read_text(encoding="utf-8")
    added.write_text(text.replace("第4号", "第8号"), encoding="utf-8")
    preview.update({added})
    assert preview.state.errors == [] and preview.catch_up()
    assert all("4 份" in page.read_text(encoding="utf-8") for page in lists)
    assert_as_built(preview.dir, root, tmp_path)


def test_a_preview_left_running_overnight_moves_to_the_new_day(tree):
    """Without --today the preview asks the CLI's clock as it goes: when the day changes, every
    stamp is recomputed and the whole site rebuilt, as the nightly build does; until then nothing."""
    import datetime as dt

    root = tree("minimal")
    day = [TODAY]
    preview = Preview(root, lambda: day[0], log=lambda text: None)
    try:
        assert preview.full()
        home = preview.dir / "index.html"
        assert f"数据截至 {TODAY.isoformat()}" in home.read_text(encoding="utf-8")
        version = preview.state.version
        tomorrow = TODAY + dt.timedelta(days=1)
        day[0] = tomorrow
        preview.step()  # the worker's next step: no save waiting, but a new day
        assert preview.today == tomorrow and preview.state.version > version
        assert f"数据截至 {tomorrow.isoformat()}" in home.read_text(encoding="utf-8")
        assert preview.loaded is not None and preview.loaded.today == tomorrow
    finally:
        preview.close()


def test_a_year_left_without_decisions_loses_its_pages_and_files_as_in_a_full_build(tree, built, tmp_path):
    """A year's statistics page and CSV (and any data file) exist while the year has decisions: when
    a save removes its last one, the catch-up removes them too, as a full build would not write them."""
    root = tree("incremental-load")
    preview = built(root)
    added = a_decision_of_2024(root)
    preview.update({added})
    assert preview.state.errors == [] and preview.catch_up()
    made = [preview.dir / "statistics/2024/index.html", preview.dir / "data/statistics/2024.csv"]
    assert all(path.is_file() for path in made)
    added.unlink()
    preview.update({added})
    assert preview.state.errors == [] and preview.catch_up()
    assert [path for path in made if path.exists()] == []
    assert_as_built(preview.dir, root, tmp_path)


def test_a_decision_saved_with_an_upper_case_suffix_updates_in_place(tree, built, tmp_path):
    """The load reads `.YAML` as it reads `.yaml` (a clerk's Windows tools write either); the
    preview took such a save for some other file and rebuilt the whole site."""
    root = tree("minimal")
    preview = built(root)
    site = preview.dir
    untouched = site / "agencies/town/officers/index.html"
    before = untouched.stat().st_mtime_ns
    source = (root / "content/town/decisions/2025/national-day.yaml").read_text(encoding="utf-8")
    path = root / "content/town/decisions/2025/LABOUR-DAY.YAML"
    path.write_text(source.replace("〔2025〕第1号", "〔2025〕第9号").replace("在农田焚烧秸秆", "在林地焚烧秸秆"),
                    encoding="utf-8")
    preview.update({path})
    assert preview.catch_up()
    assert preview.state.errors == []
    assert untouched.stat().st_mtime_ns == before  # updated in place, not rebuilt
    assert any("林地焚烧秸秆" in p.read_text(encoding="utf-8") for p in site.glob("decisions/town/2025/*/index.html"))
    assert_as_built(site, root, tmp_path)
