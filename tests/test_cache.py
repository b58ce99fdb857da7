"""The incremental build's caches (generator/cache.py): what their keys hold, how they are written."""

import os

from generator.cli import main


def test_an_output_and_a_cache_folder_inside_the_project_do_not_change_the_key(tree, capsys):
    """--out and --cache may name folders inside the project (not the record folders): what a build
    writes there (the site, the folder it renders in beside it, the manifest) is no project file, so
    the next build of the same content reuses every page it can."""
    root = tree("minimal")
    command = ["build", "--project", str(root), "--today", "2026-11-23",
               "--out", str(root / "public" / "site"), "--cache", str(root / "build-cache")]
    page = root / "public/site/decisions/town/2025/national-day/index.html"
    assert main(command) == 0
    first = os.stat(page)
    capsys.readouterr()
    assert main(command) == 0
    assert "沿用上次生成的页面" in capsys.readouterr().err
    assert os.stat(page).st_ino == first.st_ino  # the same file, linked into the new site
    # A list file's edit still counts.
    officers = root / "content/town/officers.yaml"
    officers.write_text(officers.read_text(encoding="utf-8").replace("name: 王伟", "name: 王建伟"), encoding="utf-8")
    assert main(command) == 0
    assert "王建伟（" in page.read_text(encoding="utf-8")


def test_two_builds_sharing_a_cache_folder_never_write_into_one_file(tree, monkeypatch, capsys):
    """Two builds (into two folders) sharing one cache folder: the second writes its manifest
    while the first is writing its own. Each writes a file of its own and renames it into place,
    so the last one renamed is whole and the first build's site is reused by its next build."""
    import fcntl
    import json
    from pathlib import Path

    from generator import cache as cache_mod

    root = tree("minimal")
    cache, one, two = root.parent / "cache", root.parent / "one", root.parent / "two"

    def command(out):
        return ["build", "--project", str(root), "--today", "2026-11-23", "--out", str(out), "--cache", str(cache)]

    (cache / "records").mkdir(parents=True)
    # What killed builds left (this version's names, and an older version's fixed ones), and the
    # files of writers still at work (they hold them locked): only the leftovers go.
    for name in (".tmp-k1ll3d", "manifest.json.tmp", "search-extras.pickle.tmp", "records/.tmp-k1ll3d"):
        (cache / name).write_bytes(b'{"torn')
    busy = [open(cache / name, "wb") for name in (".tmp-busy", "records/.tmp-busy")]  # noqa: SIM115
    for f in busy:
        fcntl.flock(f, fcntl.LOCK_EX)
    real, others = os.replace, []

    def replace(src, dst):
        if Path(dst).name == cache_mod.MANIFEST and not others:  # the other build, between write and rename
            others.append(None)
            others[0] = main(command(two))
        return real(src, dst)

    monkeypatch.setattr(cache_mod.os, "replace", replace)
    try:
        assert main(command(one)) == 0
        assert others == [0]
        monkeypatch.undo()
        assert "无法写入缓存文件夹" not in capsys.readouterr().err
        assert json.loads((cache / cache_mod.MANIFEST).read_text(encoding="utf-8"))["out"] == str(one)
        assert sorted(str(p.relative_to(cache)) for p in cache.rglob("*tmp*")) == [".tmp-busy", "records/.tmp-busy"]
        page = one / "decisions/town/2025/national-day/index.html"
        inode = os.stat(page).st_ino
        assert main(command(one)) == 0
        assert "沿用上次生成的页面" in capsys.readouterr().err
        assert os.stat(page).st_ino == inode
    finally:
        for f in busy:
            f.close()


def test_a_template_folder_linked_from_elsewhere_is_keyed_by_what_it_holds(tree):
    """A county may share its template overrides with others: templates/search (or records) a link to
    a folder outside the project. The load renders through the link, so an edit made there reaches the
    next incremental build as it reaches a full one: no search shard or page kept from the old template."""
    from pathlib import Path

    from test_incremental import ROOT, TODAY, assert_same, make

    root = tree("minimal")
    shared = root.parent / "county-common"
    shipped = {sub: (ROOT / "templates" / sub / "decision.html").read_text(encoding="utf-8")
               for sub in ("search", "records")}
    for sub, text in shipped.items():
        (shared / sub).mkdir(parents=True)
        (shared / sub / "decision.html").write_text(text, encoding="utf-8")
        (root / "templates").mkdir(exist_ok=True)
        (root / "templates" / sub).symlink_to(shared / sub, target_is_directory=True)
    out, cache = root.parent / "out", root.parent / "cache"
    (shared / "records/up").symlink_to(shared, target_is_directory=True)  # a loop: walked once
    (root / "templates/published").symlink_to(out, target_is_directory=True)  # the output: no project file
    make(root, out, TODAY, cache)
    (shared / "search/decision.html").write_text(
        shipped["search"].replace("<p>{{ d.facts }}</p>", "<p>案情 {{ d.facts }}</p>"), encoding="utf-8")
    (shared / "records/decision.html").write_text(
        shipped["records"].replace("<h1>{{ d.case_no }}</h1>", "<h1>{{ d.case_no }}</h1><p>共享模板第二版</p>", 1),
        encoding="utf-8")
    make(root, out, TODAY, cache)
    full, full_cache = root.parent / "full", root.parent / "full-cache"
    make(root, full, TODAY, full_cache)
    assert_same(out, full, cache, full_cache)
    page = Path(out / "decisions/town/2025/national-day/index.html").read_text(encoding="utf-8")
    assert "共享模板第二版" in page


def test_a_manifest_naming_paths_outside_the_site_makes_and_removes_nothing_there(tree, capsys):
    """The manifest comes from a cache folder CI restores: a path in it that climbs out (`..`) or
    is absolute, as a page or a data file, is never kept, linked, deleted or made."""
    import json

    root = tree("minimal")
    beside = root.parent
    out, cache = beside / "public" / "site", beside / "cache"
    command = ["build", "--project", str(root), "--today", "2026-11-23", "--out", str(out), "--cache", str(cache)]
    assert main(command) == 0
    victim = beside / "victim.html"  # a file anywhere, as the manifest says it is
    victim.write_text("别人的文件", encoding="utf-8")
    os.chmod(victim, 0o644)
    empty = beside / "empty" / "folder"  # someone's empty folder
    empty.mkdir(parents=True)
    st = os.stat(victim)
    data = json.loads((cache / "manifest.json").read_text(encoding="utf-8"))
    bad = ("../../victim.html", str(victim), "../../../made/x/index.html", "../../../empty/folder/index.html",
           str(empty / "index.html"), "../victim.html", "decisions/../../../victim.html")
    for rel in bad:
        data["pages"][rel] = ["0" * 64, st.st_size, int(st.st_mtime)]
    data["groups"]["stray"] = {"key": "0", "files": {rel: [st.st_size, int(st.st_mtime)] for rel in bad}}
    (cache / "manifest.json").write_text(json.dumps(data), encoding="utf-8")

    def outside() -> list[str]:  # all there is but the sites, the build's marked folder and the cache
        found = []
        for base, dirs, names in os.walk(beside):
            dirs[:] = [d for d in dirs if not d.startswith(("site", ".site-", "cache"))]
            found += [os.path.relpath(os.path.join(base, name), beside) for name in dirs + names]
        return sorted(found)

    before = outside()
    capsys.readouterr()
    assert main(command) == 0
    err = capsys.readouterr().err
    assert "沿用上次生成的页面" in err and "就地更新网站" in err  # the real pages were still kept, in place
    assert outside() == before and empty.is_dir()
    assert victim.read_text(encoding="utf-8") == "别人的文件" and os.stat(victim).st_nlink == 1


def test_a_previous_file_is_linked_only_when_it_is_a_plain_file_of_the_same_bytes(tmp_path):
    from generator.fsjobs import link_if_same

    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    same = old / "0.json"
    same.write_bytes(b'{"a":1}')
    same.chmod(0o644)
    assert link_if_same(str(same), str(new / "0.json"), b'{"a":1}')
    assert os.path.samefile(same, new / "0.json")
    assert not link_if_same(str(same), str(new / "1.json"), b'{"a":2}')  # other bytes, same size
    assert not link_if_same(str(same), str(new / "2.json"), b'{"a":1}\n')  # longer
    private = old / "private.json"
    private.write_bytes(b"x")
    private.chmod(0o600)  # not the build's: its bytes are not taken, and not its mode either
    assert not link_if_same(str(private), str(new / "3.json"), b"x")
    (old / "link.json").symlink_to(same)
    assert not link_if_same(str(old / "link.json"), str(new / "4.json"), b'{"a":1}')
    assert not link_if_same(str(old / "missing.json"), str(new / "5.json"), b"")
    assert not link_if_same(str(same), str(new / "0.json"), b'{"a":1}')  # never over an existing name
    assert sorted(p.name for p in new.iterdir()) == ["0.json"]


def test_compiled_templates_are_kept_and_an_edited_template_is_compiled_anew(tree, capsys):
    """Jinja's compiled templates live in the cache folder, one folder per environment under the
    generator's key: a build reads them instead of compiling, a template edited since is compiled
    again from its new text, and a cache folder that cannot hold them costs only the compile."""
    from test_incremental import ROOT

    from generator.cache import COMPILED, generator_key

    root = tree("minimal")
    out, cache = root.parent / "out", root.parent / "cache"
    command = ["build", "--project", str(root), "--today", "2026-11-23", "--out", str(out), "--cache", str(cache)]
    stale = cache / COMPILED / ("0" * 32) / "records"  # an older generator's: never read, removed
    stale.mkdir(parents=True)
    (stale / "__jinja2_x.cache").write_bytes(b"old")
    assert main(command) == 0
    kept = cache / COMPILED / generator_key()[:32]
    assert sorted(p.name for p in kept.iterdir()) == ["records", "search", "theme"]
    assert all(any(p.glob("__jinja2_*.cache")) for p in kept.iterdir())
    assert not (cache / COMPILED / ("0" * 32)).exists()
    # A county's own record template, edited after a build compiled it.
    own = root / "templates/records/decision.html"
    own.parent.mkdir(parents=True)
    shipped = (ROOT / "templates/records/decision.html").read_text(encoding="utf-8")
    own.write_text(shipped.replace("<h1>{{ d.case_no }}</h1>", "<h1>{{ d.case_no }}</h1><p>第一版</p>", 1),
                   encoding="utf-8")
    page = out / "decisions/town/2025/national-day/index.html"
    assert main(command) == 0
    assert "第一版" in page.read_text(encoding="utf-8")
    own.write_text(shipped.replace("<h1>{{ d.case_no }}</h1>", "<h1>{{ d.case_no }}</h1><p>第二版</p>", 1),
                   encoding="utf-8")
    assert main(command) == 0
    text = page.read_text(encoding="utf-8")
    assert "第二版" in text and "第一版" not in text
    # A file where the folder should be: the build compiles, as without a cache of templates.
    import shutil

    shutil.rmtree(cache / COMPILED)
    (cache / COMPILED).write_text("not a folder", encoding="utf-8")
    assert main([*command[:3], "--today", "2026-11-24", *command[5:]]) == 0
    assert "第二版" in page.read_text(encoding="utf-8")


def test_a_damaged_or_foreign_compiled_template_costs_a_compile_and_nothing_else(tree, tmp_path):
    """Whatever sits where a compiled template should be (a torn file, a link, a pipe) is compiled
    anew; a link where a folder of them should be is never written through; and only folders named
    like an older generator's key are removed, never another folder the cache folder holds."""
    from generator.cache import COMPILED, generator_key

    root = tree("minimal")
    out, cache = tmp_path / "out", tmp_path / "cache"
    command = ["build", "--project", str(root), "--today", "2026-11-23", "--out", str(out), "--cache", str(cache)]
    assert main(command) == 0
    page = out / "decisions/town/2025/national-day/index.html"
    expected = page.read_bytes()
    kept = cache / COMPILED / generator_key()[:32]
    files = sorted(kept.glob("*/__jinja2_*.cache"))
    for size, f in zip((16, 40, 64, 0), files, strict=False):  # torn where Jinja reads without a guard
        with open(f, "r+b") as handle:
            handle.truncate(size)
    files[4].unlink()
    files[4].symlink_to(files[4])  # a loop
    files[5].unlink()
    os.mkfifo(files[5])  # opened for reading, a pipe would wait for a writer for ever
    assert main(command) == 0
    assert page.read_bytes() == expected
    # Links where folders of compiled templates should be: nothing written where they lead.
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "photos").mkdir(parents=True)
    (elsewhere / "photos/a.jpg").write_bytes(b"keep")
    (elsewhere / "notes.tmp").write_text("mine", encoding="utf-8")
    import shutil

    shutil.rmtree(kept / "records")
    (kept / "records").symlink_to(elsewhere, target_is_directory=True)
    assert main(command) == 0
    assert sorted(p.name for p in elsewhere.iterdir()) == ["notes.tmp", "photos"]
    shutil.rmtree(cache / COMPILED)
    (cache / COMPILED).symlink_to(elsewhere, target_is_directory=True)
    assert main(command) == 0
    assert sorted(p.name for p in elsewhere.iterdir()) == ["notes.tmp", "photos"]
    assert (elsewhere / "photos/a.jpg").read_bytes() == b"keep"
    # Another folder beside the key folders (a county's own templates, a cache folder shared by mistake).
    (cache / COMPILED).unlink()
    (cache / COMPILED / "records").mkdir(parents=True)
    (cache / COMPILED / "records/agency.html").write_text("<p>own</p>", encoding="utf-8")
    assert main(command) == 0
    assert (cache / COMPILED / "records/agency.html").read_text(encoding="utf-8") == "<p>own</p>"
    assert page.read_bytes() == expected
