"""The preview's incremental update, driven directly: what a saved decision changes on disk."""

import gzip

from conftest import TODAY

from generator.preview import Preview


def index_text(site) -> str:
    return "\n".join(gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
                     for p in (site / "pagefind").rglob("*") if p.suffix.startswith(".pf_"))


def built(root) -> Preview:
    """A quiet preview of `root` after its first full build."""
    preview = Preview(root, TODAY, log=lambda text: None)
    assert preview.full()
    return preview


def test_saved_decision_updates_its_page_lists_and_search_shard(tree):
    root = tree("minimal")
    preview = built(root)
    site = preview.dir
    page = site / "decisions/town/2025/national-day/index.html"
    untouched = site / "powers/town-cf001/index.html"
    before = untouched.stat().st_mtime_ns
    assert "河滩" not in index_text(site)

    path = root / "content/town/decisions/2025/national-day.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("在农田焚烧秸秆", "在河滩焚烧秸秆"), encoding="utf-8")
    preview.update({path})
    preview.background.join()

    assert preview.dir == site  # updated in place, not rebuilt
    assert "张某某在河滩焚烧秸秆" in page.read_text(encoding="utf-8")
    assert untouched.stat().st_mtime_ns == before  # pages that do not show the decision are left alone
    assert "河滩" in index_text(site)
    assert "河滩焚烧秸秆" in (site / "data/decisions.json").read_text(encoding="utf-8")
    assert preview.state.errors == []


def test_deleted_decision_leaves_no_page(tree):
    root = tree("minimal")
    preview = built(root)
    page = preview.dir / "decisions/town/2025/national-day/index.html"
    assert page.is_file()
    path = root / "content/town/decisions/2025/national-day.yaml"
    path.unlink()
    preview.update({path})
    preview.background.join()
    assert not page.exists()
    assert "national-day" not in (preview.dir / "agencies/town/decisions/2025/index.html").read_text(encoding="utf-8")


def test_list_file_change_rebuilds_everything_off_screen(tree):
    root = tree("minimal")
    preview = built(root)
    first = preview.dir
    officers = root / "content/town/officers.yaml"
    officers.write_text(officers.read_text(encoding="utf-8").replace("name: 王伟", "name: 王伟强"), encoding="utf-8")
    preview.update({officers})
    assert preview.dir != first and not first.exists()  # swapped in whole after a good build
    assert "王伟强" in (preview.dir / "agencies/town/officers/index.html").read_text(encoding="utf-8")
