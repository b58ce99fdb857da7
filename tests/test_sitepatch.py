"""Patching a published site in place: what changed moved in, what is no longer built deleted,
the site left exactly as a whole new one would be, nothing written or deleted through a link."""

import os
import stat
from pathlib import Path

from generator import sitepatch

MARKER = ".marker.txt"


def tree(root: Path, files: dict[str, str]) -> Path:
    root.mkdir()
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def contents(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file()}


def folders(root: Path) -> list[str]:
    return [str(p.relative_to(root)) for p in sorted(root.rglob("*")) if p.is_dir()]


def listed(site: Path) -> sitepatch.Listing:
    """The site as the build lists it: by the same process (fsjobs.py list)."""
    got = sitepatch.Lister(site, site.parent / f"{site.name}-listing.bin").result()
    assert got is not None
    return got


def patch(new: Path, site: Path, kept: list[str]) -> sitepatch.Plan | None:
    return sitepatch.plan(str(new), str(site), listed(site), kept, MARKER)


def test_a_patch_leaves_the_site_as_the_new_files_and_the_kept_ones_would_be_alone(tmp_path):
    site = tree(tmp_path / "site", {MARKER: "old build", "index.html": "首页", "a/index.html": "甲",
                                    "b/index.html": "乙", "gone/deep/index.html": "删", "gone/x.json": "删",
                                    "keep/gone.html": "删", "keep/stay.html": "留",
                                    "someone/put/this.html": "别人放的"})
    (site / "empty/folder").mkdir(parents=True)  # a full build has no empty folder
    new = tree(tmp_path / "new", {MARKER: "new build", "index.html": "首页", "a/index.html": "甲改",
                                  "c/d/index.html": "丙"})
    same = os.stat(site / "index.html")
    p = patch(new, site, ["b/index.html", "keep/stay.html"])
    assert p is not None and p.same == 1 and p.added == 1 and len(p.moves) == 2
    assert p.last == (str(new / MARKER), MARKER)
    assert p.deletions == ["gone/deep/index.html", "gone/x.json", "keep/gone.html", "someone/put/this.html"]
    sitepatch.apply(p, str(site))
    assert contents(site) == {MARKER: "new build", "a/index.html": "甲改", "b/index.html": "乙",
                              "c/d/index.html": "丙", "index.html": "首页", "keep/stay.html": "留"}
    assert folders(site) == ["a", "b", "c", "c/d", "keep"]
    # A file written anew with the bytes already published stays the published file, its time too.
    assert os.path.samestat(same, os.stat(site / "index.html"))
    assert same.st_mtime_ns == os.stat(site / "index.html").st_mtime_ns


def test_emptied_folders_are_removed_up_to_the_site_never_the_site(tmp_path):
    site = tree(tmp_path / "site", {"only/one/index.html": "x"})
    p = patch(tree(tmp_path / "new", {}), site, [])
    sitepatch.apply(p, str(site))
    assert site.is_dir() and list(site.iterdir()) == []


def test_a_site_holding_a_link_anywhere_is_not_patched(tmp_path):
    """Written or deleted through a link, a patch could reach outside the site: the build swaps in a
    whole new site instead, whatever the link points at left alone."""
    outside = tree(tmp_path / "outside", {"index.html": "别人的", "x.json": "别人的"})
    for i, make in enumerate([
        lambda s: (s / "linked").symlink_to(outside, target_is_directory=True),  # a folder
        lambda s: (s / "deep/page.html").symlink_to(outside / "index.html"),  # a file, far from the new ones
        lambda s: (s / "dangling").symlink_to(tmp_path / "nowhere"),
        lambda s: os.mkfifo(s / "deep/pipe"),
    ]):
        site = tree(tmp_path / f"site{i}", {"index.html": "首页", "deep/a.html": "甲"})
        make(site)
        assert patch(tree(tmp_path / f"new{i}", {"index.html": "新"}), site, []) is None
    assert contents(outside) == {"index.html": "别人的", "x.json": "别人的"}


def test_a_folder_where_a_file_goes_or_a_file_where_a_folder_goes_is_not_patched(tmp_path):
    site = tree(tmp_path / "site", {"a/index.html": "甲", "b": "乙是文件"})
    assert patch(tree(tmp_path / "n1", {"a": "文件"}), site, []) is None
    assert patch(tree(tmp_path / "n2", {"b/index.html": "乙"}), site, []) is None
    n3 = tree(tmp_path / "n3", {})
    (n3 / "x.html").symlink_to(site / "b")  # the build never moves a link into a site
    assert patch(n3, site, []) is None
    assert contents(site) == {"a/index.html": "甲", "b": "乙是文件"}


def test_a_site_that_is_a_link_is_never_patched(tmp_path):
    real = tree(tmp_path / "real", {"index.html": "首页"})
    (tmp_path / "site").symlink_to(real, target_is_directory=True)
    new = tree(tmp_path / "new", {"index.html": "新"})
    assert sitepatch.plan(str(new), str(tmp_path / "site"), sitepatch.Listing(set(), set(), []), [], MARKER) is None


def test_a_file_of_other_bytes_or_mode_is_replaced_not_kept(tmp_path):
    site = tree(tmp_path / "site", {"a.html": "甲甲", "b.html": "乙"})
    new = tree(tmp_path / "new", {"a.html": "甲乙", "b.html": "乙"})
    os.chmod(site / "b.html", 0o600)  # same bytes, closed: the new file (open to all) replaces it
    os.chmod(new / "b.html", 0o644)
    p = patch(new, site, [])
    assert p.same == 0 and len(p.moves) == 2
    sitepatch.apply(p, str(site))
    assert contents(site) == {"a.html": "甲乙", "b.html": "乙"} and (site / "b.html").stat().st_mode & 0o777 == 0o644


def test_the_listing_names_every_entry_and_follows_no_link(tmp_path):
    site = tree(tmp_path / "site", {"a/b/c.html": "x", "名字 有空格/页.html": "y", "d/e.txt": "z"})
    (site / "a/link").symlink_to(tmp_path, target_is_directory=True)
    got = listed(site)
    assert got.files == {"a/b/c.html", "名字 有空格/页.html", "d/e.txt"}
    assert got.folders == {"a", "a/b", "名字 有空格", "d"} and got.other == ["a/link"]
    assert sitepatch.Lister(tmp_path / "missing", tmp_path / "missing.bin").result() is None


def test_a_folder_turned_into_a_link_after_the_listing_stops_the_patch_inside_the_site(tmp_path):
    """Someone writing into the site replaces one of its folders by a link between the listing and
    the patch: the patch stops there (an error the build reports), and nothing the link points at
    is deleted, moved over or removed."""
    import pytest

    outside = tree(tmp_path / "outside", {"passwd": "别人的", "index.html": "别人的"})
    site = tree(tmp_path / "site", {"index.html": "首页", "uploads/passwd": "删", "pages/index.html": "旧"})
    new = tree(tmp_path / "new", {"index.html": "首页", "pages/index.html": "新"})
    p = patch(new, site, [])
    assert p.deletions == ["uploads/passwd"] and p.folders == ["uploads"]
    os.rename(site / "uploads", tmp_path / "moved")
    (site / "uploads").symlink_to(outside, target_is_directory=True)
    with pytest.raises(OSError):
        sitepatch.apply(p, str(site))
    assert contents(outside) == {"passwd": "别人的", "index.html": "别人的"}
    assert (site / "pages/index.html").read_text(encoding="utf-8") == "新"  # moved before it stopped
    # A folder the new files go into, turned into a link: the move stops there.
    site2 = tree(tmp_path / "site2", {"index.html": "首页", "pages/index.html": "旧"})
    p = patch(tree(tmp_path / "new2", {"pages/index.html": "新"}), site2, ["index.html"])
    os.rename(site2 / "pages", tmp_path / "moved2")
    (site2 / "pages").symlink_to(outside, target_is_directory=True)
    with pytest.raises(OSError):
        sitepatch.apply(p, str(site2))
    assert contents(outside) == {"passwd": "别人的", "index.html": "别人的"}


def test_folders_closed_since_are_opened_again_as_a_whole_new_site_would_be(tmp_path):
    site = tree(tmp_path / "site", {"index.html": "首页", "a/b/index.html": "甲", "c/index.html": "丙"})
    for folder in (site, site / "a/b", site / "c"):
        folder.chmod(0o700)
    p = patch(tree(tmp_path / "new", {"index.html": "新"}), site, ["a/b/index.html"])
    assert p.opened == ["", "c", "a/b"]  # parents first; c/ goes: opened, so that its files can be deleted
    sitepatch.apply(p, str(site))
    assert {f: os.stat(site / f).st_mode & 0o777 for f in ("", "a", "a/b")} == {"": 0o755, "a": 0o755, "a/b": 0o755}
    assert not (site / "c").exists()


def test_a_folder_of_the_site_on_another_file_system_is_not_patched(tmp_path):
    """A rename does not cross file systems: where the new files would go into a folder mounted from
    elsewhere (here the new tree on /dev/shm, the site beside the tests), the build swaps instead."""
    import shutil
    import tempfile

    if not os.path.isdir("/dev/shm") or os.stat("/dev/shm").st_dev == os.stat(tmp_path).st_dev:
        import pytest

        pytest.skip("needs /dev/shm on a file system of its own")
    site = tree(tmp_path / "site", {"index.html": "首页"})
    shm = Path(tempfile.mkdtemp(dir="/dev/shm"))
    try:
        assert patch(tree(shm / "new", {"index.html": "新"}), site, []) is None
        assert patch(tree(tmp_path / "new", {"index.html": "新"}), site, []) is not None
    finally:
        shutil.rmtree(shm)


def test_a_folder_the_build_cannot_read_means_no_patch(tmp_path):
    """Not an error of the build: a whole new site is swapped in instead."""
    site = tree(tmp_path / "site", {"index.html": "首页", "about/index.html": "关于"})
    real = os.lstat

    def refused(path, *args, **kwargs):
        if str(path).startswith(str(site / "about") + "/"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    import pytest

    with pytest.MonkeyPatch.context() as m:
        m.setattr(os, "lstat", refused)
        assert sitepatch.plan(str(tree(tmp_path / "new", {"about/index.html": "新"})), str(site),
                              listed(site), [], MARKER) is None


def test_a_folder_closed_to_writing_is_opened_before_the_files_in_it_are_deleted(tmp_path):
    """A swap deletes such a folder with the rest of the old site; a patch must be able to."""
    site = tree(tmp_path / "site", {"index.html": "首页", "gone/index.html": "删", "kept/index.html": "留"})
    for folder in ("gone", "kept"):
        (site / folder).chmod(0o555)
    p = patch(tree(tmp_path / "new", {"index.html": "首页"}), site, ["kept/index.html"])
    assert p.opened == ["gone", "kept"] and p.deletions == ["gone/index.html"] and p.folders == ["gone"]
    sitepatch.apply(p, str(site))
    assert folders(site) == ["kept"] and (site / "kept").stat().st_mode & 0o777 == 0o755


def test_the_listing_tells_each_plain_file_s_size_time_and_permissions(tmp_path):
    """What the build checks before it keeps a page (cache.PageCache.reuse), taken by the lister
    instead of a call of its own for each of a county's 50,000 pages; names with ":" kept whole."""
    site = tree(tmp_path / "site", {"a/index.html": "甲", "b:c/x:y.html": "冒号"})
    os.chmod(site / "a/index.html", 0o600)
    os.symlink("a/index.html", site / "link.html")
    got = listed(site)
    for rel in ("a/index.html", "b:c/x:y.html"):
        st = os.lstat(site / rel)
        assert got.stats[rel] == (st.st_size, int(st.st_mtime), stat.S_IMODE(st.st_mode))
    assert got.stats["a/index.html"][2] == 0o600
    assert got.files == {"a/index.html", "b:c/x:y.html"} and got.other == ["link.html"] and "link.html" not in got.stats
