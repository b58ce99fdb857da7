"""The one build path: load → render beside the target → swap.

`disclose build`, `disclose serve`, `scripts/publish` (through `disclose build`)
and the MkDocs plugin all come through here:

- `check_out` refuses, before anything is touched, an output folder whose
  replacement would delete the project or part of it, or anything a build did
  not make: only an empty folder or one marked as a built site is replaced;
- `render` runs MkDocs + the plugin into a folder, handing the plugin the
  project already loaded (an attribute on the plugin, set between MkDocs'
  `load_config` and `build`), and stops the search indexer if it fails;
- `build` renders into a marked hidden folder beside the target and, under a
  lock, either swaps it in or, where the cache says most of the site is kept
  (generator/cache.py), patches the target in place with what it wrote
  (generator/sitepatch.py); a failed build leaves the old site, two builds queue;
  the next build removes such folders, and only those. The old site, moved
  into that folder by the swap, is removed with it, the marker last, so that
  whatever an interruption leaves is still marked. `disclose build` (the
  console command) leaves that removal to a background process (tens of
  thousands of folders take seconds): the site is in place when the command
  returns. The process holds a lock on the folder's marker while it works; the
  next build leaves such a folder to it, and removes the folder itself once no
  one holds the marker (the process was killed);
- `publishing` is `build` in two steps: it takes the lock and yields the step
  that renders and publishes; left without publishing, it leaves everything as
  it was, a lock file it made included;
- `check_cache` refuses a cache folder whose files would be lost with the site
  or land among the project's own.

Nothing here reads the clock or prints: messages go to the `log` passed in.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import re
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from . import fsjobs, kinds, sitepatch
from . import project as project_mod

# Folders of a project that a build must never delete or write into: every folder of records, and the rest.
PROTECTED = (*kinds.top_folders(), "drafts", "site_config", "templates", "schemas", ".git")
# What a folder holding one of these is (a repository, a project): never an output folder, whatever else it holds.
NEVER_IN_OUT = (".git", "content", "site_config", "drafts")

# Every site a build renders carries this file: only a folder holding it (or an empty one) is replaced
# by the next build. It travels with the site (a lock file's folder would not), and a web server may
# serve it (nginx serves dot-files), which is harmless: it says no more than that disclose built the
# site; .txt so that it goes out as text/plain like every other file with a declared type.
SITE_MARKER = ".disclose-site.txt"
SITE_MARKER_TEXT = "这个文件夹是 disclose 生成的网站。disclose build 只会替换带有这个文件的文件夹。\n"
# … followed by a line naming the build that wrote the site, a random token the cache manifest
# records: a manifest recorded for another build (a build without the cache since, a site restored
# from another run) is never used to patch this one (cache.PageCache). Random, so the marker is the
# one file two builds of the same content write differently.
SITE_TOKEN = "构建编号："
# Every folder a build makes beside its target carries this one: the next build deletes only those.
TEMP_MARKER = ".disclose-build"
TEMP_MARKER_TEXT = "disclose build 的临时文件夹：构建中断时留下，下一次构建会删除它。\n"


class BuildFailed(Exception):
    """A build that produced no site. The message is Chinese and complete; `code` is the exit code."""

    code = 1


class Refused(BuildFailed):
    """An output folder that would destroy something: refused before anything is touched."""

    code = 2


@dataclass
class Handoff:
    """What `render` hands the plugin instead of letting it load the project a second time."""

    project: project_mod.Project
    strict: bool = False
    cache: Any = None  # generator.cache.PageCache: what of the previous build may be reused
    exiting: bool = False  # a command that exits after the build: what the plugin sets up lives until then


def config_file(root: Path) -> str:
    """The project's own mkdocs.yml, or the packaged default."""
    own = Path(root) / "mkdocs.yml"
    if own.is_file():
        return str(own)
    return str(resources.files("generator.templates").joinpath("mkdocs.yml"))


def load(root: Path, today: dt.date, cache: Path | None = None,
         known: dict[str, str] | None = None, files: str | None = None,
         files_now: Callable[[], str] | None = None) -> project_mod.Project:
    """Read and check every record of the project (the caller reports its problems), and the files
    site.yaml names (logo, favicon), which only the project folder can tell exist. `cache`: the
    cache folder, where what each record file read as is kept (cache.RecordCache); `known`: the
    content ids git vouches for (gitindex.clean_ids), looked up when not given; `files`:
    cache.files_key, taken before: the load may start from the last full one (snapshot.py);
    `files_now`: that hash taken again (project.load)."""
    from . import identity

    project = project_mod.load(Path(root).resolve(), today, cache=cache, known=known, files=files,
                               files_now=files_now)
    found = identity.problems(project)
    if found:
        project.problems.extend(found)
        project.problems.sort()
    return project


# ---------------------------------------------------------------- the output folder


def check_out(root: Path, out: Path | str) -> Path:
    """The output folder, symlinks and `..` resolved; Refused if replacing it could destroy the project
    or anything a build did not make.

    A relative `out` is taken from the current folder, as a shell user means it."""
    root = Path(root).resolve()
    target = Path(os.path.abspath(out)).resolve()
    tip = "请换一个输出目录，例如项目里默认的 site/"
    if target == root or root.is_relative_to(target):
        raise Refused(f"错误：输出目录 {target} 就是项目目录或包含项目目录，生成时会整个替换掉它（连同全部记录和 .git）。{tip}")
    for name in PROTECTED:
        for guarded in {root / name, (root / name).resolve()}:  # content/ may itself be a symlink
            if target == guarded or target.is_relative_to(guarded) or guarded.is_relative_to(target):
                raise Refused(f"错误：输出目录 {target} 位于项目的 {name}/ 里（或包含它），生成时会替换掉其中的文件。{tip}")
    if target.exists() or target.is_symlink():
        if not target.is_dir():
            raise Refused(f"错误：输出目录 {target} 已存在，但不是文件夹。{tip}")
        # Another repository or project (a gh-pages checkout, a colleague's copy): never ours to replace,
        # even if a site was once built into it.
        held = [name for name in NEVER_IN_OUT if os.path.lexists(target / name)]
        if held:
            raise Refused(f"错误：输出目录 {target} 里有 {'、'.join(n + '/' for n in held)}，是一个仓库或项目；"
                          f"生成时会整个替换掉它，为免误删，拒绝写入。{tip}")
        mounted = mounts_inside(target)
        if mounted:
            raise Refused(f"错误：输出目录 {target} 里的 {mounted[0]} 是另一个文件系统（或另一处文件夹）的挂载点；"
                          "生成时会替换整个输出目录，挂载在里面的文件会被删除。提示：把它挂载到输出目录之外，"
                          "或换一个输出目录")
        if not (target / SITE_MARKER).is_file() and any(target.iterdir()):
            raise Refused(f"错误：输出目录 {target} 里已有别的文件，却没有 disclose 生成网站时留下的标记文件 {SITE_MARKER}，"
                          f"看起来不是以前生成的网站；生成时会整个替换掉它，为免误删，拒绝写入。{tip}，或先清空这个目录"
                          "（旧版本 disclose 生成的网站没有这个标记：确认后手动删除它再生成）")
    return target


def mounts_inside(folder: Path, table: str = "/proc/self/mountinfo") -> list[str]:
    """The mount points strictly inside `folder` (a resolved path), from /proc/self/mountinfo: a
    swap would delete what is mounted there, and a patch could not rename across it (a bind mount
    of the same file system has the same st_dev, so only the mount table tells). [] where there is
    no such table (not Linux)."""
    try:
        with open(table, "rb") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    inside = []
    prefix = os.fsencode(str(folder)).rstrip(b"/") + b"/"
    for line in lines:
        fields = line.split(b" ")
        if len(fields) > 4:  # the fifth: the mount point, with space, tab, newline and \ as octal escapes
            point = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m[1], 8)]), fields[4])
            if point.startswith(prefix) and point != prefix:
                inside.append(os.fsdecode(point))
    return sorted(inside)


def check_cache(root: Path, out: Path | None, cache: Path) -> Path:
    """The cache folder, resolved; Refused where its files would be lost or land among the
    project's records: inside the output folder (each build replaces that whole), the project
    folder itself, or one of its record or configuration folders."""
    root = Path(root).resolve()
    folder = Path(os.path.abspath(cache)).resolve()
    tip = "请换一个缓存目录，例如项目里默认的 .cache/disclose/，或用 --no-cache 不用缓存"
    if out is not None and folder.is_relative_to(Path(out).resolve()):  # the folder itself included
        raise Refused(f"错误：缓存目录 {folder} 在输出目录 {out} 里，每次生成都会整个替换输出目录，缓存会随之丢失。{tip}")
    if folder == root:
        raise Refused(f"错误：缓存目录 {folder} 就是项目目录，缓存文件会和项目的文件混在一起。{tip}")
    for name in PROTECTED:
        guarded = root / name
        if folder.is_relative_to(guarded) or folder.is_relative_to(guarded.resolve()):
            raise Refused(f"错误：缓存目录 {folder} 位于项目的 {name}/ 里，缓存文件会被当作其中的文件读取或提交。{tip}")
    return folder


def mark_site(site_dir: Path) -> None:
    """Mark a folder as a site disclose built (see SITE_MARKER). MkDocs keeps dot-files when it
    empties its output folder, so a build that fails halfway leaves the folder still marked."""
    site_dir = Path(site_dir)
    site_dir.mkdir(parents=True, exist_ok=True)
    (site_dir / SITE_MARKER).write_text(f"{SITE_MARKER_TEXT}{SITE_TOKEN}{secrets.token_hex(16)}\n", encoding="utf-8")


def site_token(site_dir: Path) -> str | None:
    """The build token in the marker of the site in `site_dir` (mark_site), None if it has none."""
    try:
        with open(Path(site_dir) / SITE_MARKER, "rb") as f:
            text = f.read(4096).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    m = re.search("^" + SITE_TOKEN + r"([0-9a-f]{32})$", text, re.MULTILINE)
    return m[1] if m else None


def _leftover(target: Path) -> re.Pattern[str]:
    # tempfile.mkdtemp's names: the prefix and 8 characters from its alphabet.
    return re.compile(re.escape(f".{target.name}-") + r"[a-z0-9_]{8}")


def _temp_folder(target: Path) -> Path:
    """A marked folder beside the target: the new site is rendered in it, the old one moved into it."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    (tmp / TEMP_MARKER).write_text(TEMP_MARKER_TEXT, encoding="utf-8")
    return tmp


def remove_marked(folder: Path) -> None:
    """Delete a build's own temporary folder, its marker last (fsjobs.remove_marked)."""
    fsjobs.remove_marked(str(folder), TEMP_MARKER)


def _being_removed(folder: Path) -> bool:
    """A process is removing this marked folder (it holds its marker locked: _remove_in_background)."""
    try:
        fd = os.open(folder / TEMP_MARKER, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def _remove_in_background(folder: Path, lock_fd: int) -> bool:
    """Start a process that removes `folder` (fsjobs.py, a fresh interpreter: see there why not a
    fork) and return; False if none could start. The marker is locked before, and the process
    inherits the lock, so no build ever finds the folder unclaimed. It gets no other descriptor
    (not the build lock `lock_fd`: a next build need not wait for it), and leaves the terminal's
    session and the output streams (a caller reading them to their end would wait)."""
    try:
        marker = os.open(folder / TEMP_MARKER, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(marker, fcntl.LOCK_EX)
        subprocess.Popen([sys.executable, "-I", fsjobs.__file__, "remove", str(folder), TEMP_MARKER],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         pass_fds=(marker,), start_new_session=True)
    except OSError:
        return False
    finally:
        os.close(marker)  # the child's copy holds the lock
    return True


def _clean_leftovers(target: Path, log: Callable[[str], None]) -> None:
    """Remove what an interrupted build left beside the target (called with the lock held): only
    folders that carry the build's own marker. A folder named alike without it (a clerk's copy,
    an older version's leftover) is left alone, with a notice."""
    pattern = _leftover(target)
    for path in sorted(target.parent.iterdir()):
        if pattern.fullmatch(path.name) and path.is_dir() and not path.is_symlink():
            if (path / TEMP_MARKER).is_file():
                if not _being_removed(path):
                    remove_marked(path)
            else:
                log(f"提示：{path} 看起来像中断的构建留下的文件夹，但不是这个版本的构建建立的，没有删除；"
                    "如果不需要，请手动删除")


@contextlib.contextmanager
def locked(target: Path, log: Callable[[str], None], keep: Callable[[], bool] = lambda: True) -> Iterator[int]:
    """Hold the build lock of `target`: a second build into it waits here for the first.
    Yields the lock's descriptor. A lock file this build made is removed when it leaves unless
    `keep()`: a build that published nothing leaves nothing beside `target` that was not there."""
    lock = target.parent / f".{target.name}.lock"
    said = False
    while True:
        try:
            fd, made = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644), True
        except FileExistsError:
            try:
                fd, made = os.open(lock, os.O_RDWR), False
            except FileNotFoundError:  # removed in between by the build that made it
                continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not said:
                    log(f"另一个构建正在写入 {target}，等它完成后再继续…")
                    said = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            # The build held up before may have removed the file it made (it published nothing):
            # the lock is then the file now at that name, not the one waited on.
            if os.path.samestat(os.fstat(fd), os.stat(lock)):
                break
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        yield fd
    finally:
        try:
            if made and not keep():
                with contextlib.suppress(OSError):
                    os.unlink(lock)  # still held: whoever waits on it sees it gone and takes the next
        finally:
            os.close(fd)  # closing releases the lock


def _umask() -> int | None:
    """This process's umask, read without changing it (os.umask would, for every thread at once)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return None


def _default_acl(folder: Path | str) -> bool:
    """Whether entries made in `folder` take their modes from a default ACL (setfacl -d) instead of the umask."""
    try:
        os.getxattr(folder, "system.posix_acl_default")
    except OSError:  # none (ENODATA), or a file system without ACLs
        return False
    return True


def open_up(site: Path) -> None:
    """World-readable, like any site a web server runs as its own user: folders 0755, files 0644."""
    os.chmod(site, 0o755)
    # The folders the site's files were made in: its own (which inherits its parent's default ACL)
    # and the temporary one Pagefind wrote the index in.
    if _umask() == 0o022 and not any(_default_acl(f) for f in (site, tempfile.gettempdir())):
        # Everything in the site was created 0644 / 0755 already (pages, MkDocs' copies, Pagefind's
        # files; reused ones are links to files a previous build opened up): the walk below would
        # chmod ~100,000 entries of a county for nothing, ~2 s of every build. Not so under a default
        # ACL that gives others nothing (a shared server folder): it, not the umask, sets new files' modes.
        return
    for folder, dirs, files in os.walk(site):
        for name in dirs:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, 0o755)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, 0o644)


# ---------------------------------------------------------------- building


def _not_said_twice(record: logging.LogRecord) -> bool:
    """MkDocs logs the error a plugin aborts the build with (a BuildError: the search index
    failed) while it handles it, then aborts; `render` names that error in its BuildFailed,
    which the caller shows. Drop MkDocs' own line of it: a clerk reads the reason once."""
    from mkdocs.exceptions import BuildError

    exc = sys.exc_info()[1]  # the error MkDocs is handling as it logs (this thread's)
    return not (record.levelno >= logging.ERROR and isinstance(exc, BuildError) and record.getMessage() == str(exc))


def render(project: project_mod.Project, site_dir: Path, *, strict: bool = False, cache: Any = None,
           exiting: bool = False) -> Any:
    """Run MkDocs and the plugin into `site_dir` (emptied first); returns the plugin, which keeps
    what a preview needs to update pages later. BuildFailed with a Chinese message on failure."""
    import jinja2
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, BuildError, MkDocsException

    plugin = None
    said = logging.getLogger("mkdocs.commands.build")  # the logger of mkdocs_build itself
    if _not_said_twice not in said.filters:
        said.addFilter(_not_said_twice)
    try:
        cfg = load_config(config_file=config_file(project.root), site_dir=str(site_dir))
        plugin = cfg.plugins.get("disclose")
        if plugin is None:
            raise BuildFailed(f"{config_file(project.root)}: 错误 plugins 里没有 disclose。提示：在 plugins: 下加上一行 - disclose")
        plugin.handoff = Handoff(project, strict, cache, exiting)
        mark_site(site_dir)
        mkdocs_build(cfg)
        return plugin
    except BaseException as exc:
        if plugin is not None:
            plugin.stop()  # Pagefind may still be running beside the pages that failed
        if isinstance(exc, jinja2.TemplateError):  # a project's own template override is broken
            where, said = _template_error(exc)
            raise BuildFailed(f"{where}: 错误 模板有误：{said}。提示：检查 templates/ 下你修改过的模板；"
                              "原来的网站保持不变") from exc
        if isinstance(exc, MkDocsException | SystemExit):
            # A plugin's error (the search index failed) reaches here as MkDocs' "Aborted with a BuildError!",
            # raised while handling it: name the error itself, which the preview shows over the page.
            cause = exc.__context__ if isinstance(exc, Abort) and isinstance(exc.__context__, BuildError) else exc
            raise BuildFailed(f"构建失败：{cause}") from exc
        raise


def _template_error(exc: Exception) -> tuple[str, str]:
    """(file:line, what in Chinese) of a template's error. A syntax error carries its place; an error
    while rendering (a variable that does not exist) is found in the traceback, whose frames Jinja
    gives the template's file and line."""
    filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename is None:
        tb = exc.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code.co_filename
            if code.endswith((".html", ".xml", ".txt", ".js")) and os.path.isfile(code):
                filename, lineno = code, tb.tb_lineno
            tb = tb.tb_next
    said = str(exc)
    if m := re.fullmatch(r"'(.+)' is undefined", said):
        said = f"变量「{m[1]}」不存在"
    elif m := re.fullmatch(r"'(.+)' has no attribute '(.+)'", said):
        said = f"{m[1]} 没有「{m[2]}」这一项"
    return f"{filename or '模板'}:{lineno or 1}", said


def build(project: project_mod.Project, out: Path | str, *, strict: bool = False,
          log: Callable[[str], None] = lambda text: None,
          swap_lock: contextlib.AbstractContextManager | None = None,
          cache: Path | None = None, files_key: str | None = None, background: bool = False) -> Any:
    """Build the site of a loaded project into `out`: beside it first, then swapped in.

    On any failure `out` is left as it was and nothing is left beside it. `swap_lock` is
    held during the swap itself (the preview's server resolves requests under it).
    `cache`: a folder where the build records what its pages and search shards were made
    of, so that the next build into the same `out` copies those whose inputs did not change
    (generator/cache.py); None: render everything. `files_key`: cache.files_key(root, out, cache),
    made before the project was loaded (a file saved during the build is then never recorded
    under its new text's key); hashed when the pages start if None. `background`: once the new site is in
    place, remove the old one in a background process (see the module's docstring); for a
    command about to exit, never for a long-running process.
    Returns the plugin of the build (see `render`)."""
    with publishing(project.root, out, log=log, swap_lock=swap_lock, cache=cache, files_key=files_key,
                    background=background) as publish:
        return publish(project, strict=strict)


@contextlib.contextmanager
def publishing(root: Path, out: Path | str, *, log: Callable[[str], None] = lambda text: None,
               swap_lock: contextlib.AbstractContextManager | None = None, cache: Path | None = None,
               files_key: str | None = None, background: bool = False) -> Iterator[Callable[..., Any]]:
    """`build` in two steps: hold `out` (its lock, a marked folder beside it), then yield
    `publish(project, strict=False)`, which renders and publishes as `build` does. Left without
    publishing (content errors), it removes all it made."""
    from . import cache as cache_mod

    target = check_out(root, out)
    target.parent.mkdir(parents=True, exist_ok=True)
    done: list[Any] = []  # the plugin, once the new site is in place
    with locked(target, log, keep=lambda: bool(done)) as lock_fd:
        _clean_leftovers(target, log)
        # Everything this build makes lives in one marked folder: the new site is rendered in it and
        # the old one moved into it, so a build killed at any point leaves only what the next removes.
        tmp = _temp_folder(target)
        new, old = tmp / "site", tmp / "old"
        pages = None
        lister: sitepatch.Lister | None = None  # what the site holds, listed while the build goes on
        patched: list[sitepatch.Plan] = []

        def publish(project: project_mod.Project, strict: bool = False) -> Any:
            if done:
                raise RuntimeError("published already")
            plugin = render(project, new, strict=strict, cache=pages, exiting=background)
            plan = None
            if pages is not None:
                kept = pages.unplaced()
                # Patched in place where most of the record pages are kept (a commit's build), made
                # whole and swapped in where most were written anew (the day's first build, a template
                # changed): pages, not files, are counted (a shard indexed again writes thousands).
                if lister is not None and pages.kept and len(pages.kept) >= len(pages.new) - len(pages.kept):
                    open_up(new)
                    listed = lister.result()
                    if listed is not None and pages.forget():
                        plan = sitepatch.plan(str(new), str(target), listed, kept, SITE_MARKER)
                if plan is None:
                    pages.complete(new)
            if lister is not None:
                lister.stop()
            if plan is None:  # (a patch's files were opened up before it was planned)
                open_up(new)
            with swap_lock or contextlib.nullcontext():
                if plan is not None:
                    try:
                        sitepatch.apply(plan, str(target))
                    except OSError as exc:
                        raise BuildFailed(f"错误：就地更新网站 {target} 时出错（{exc.strerror or exc}：{exc.filename or target}）。"
                                          "网站可能只更新了一部分。提示：检查这个文件夹能否写入、构建期间是否有别的程序在改动它"
                                          "（例如把其中的文件夹换成了链接），然后重新构建：下次构建会生成整个新网站再换上") from exc
                    patched.append(plan)
                else:
                    moved = False
                    if target.exists():
                        target.rename(old)
                        moved = True
                    try:
                        new.rename(target)
                    except BaseException:
                        if moved:
                            old.rename(target)
                        raise
            done.append(plugin)
            return plugin

        try:
            token = site_token(target) if cache is not None and (target / "index.html").is_file() else None
            pages = cache_mod.PageCache(Path(cache), target, files_key, token) if cache is not None else None
            if pages is not None and pages.old:  # the manifest describes the site: it may be patched
                with contextlib.suppress(OSError):
                    lister = sitepatch.Lister(target, tmp / "listing.bin")
                    pages.listed = lister.result
            yield publish
        finally:
            if lister is not None:
                lister.stop()
            if not done and not os.path.lexists(target) and old.is_dir():
                # Interrupted in the swap between its two renames (Ctrl-C as the first returned):
                # the old site goes back, never away with this folder.
                with contextlib.suppress(OSError):
                    old.rename(target)
            # What a patch leaves here is a few folders: removed at once, no process started for it.
            if not (background and done and not patched and _remove_in_background(tmp, lock_fd)):
                remove_marked(tmp)
        if pages is not None and done:  # what the pages now in `target` were made of, for the next build
            plugin = done[0]
            try:
                pages.save(getattr(plugin, "shard_keys", {}), site_token(target))
            except OSError as exc:  # the site is in place: only the next build's reuse is lost
                log(f"提示：无法写入缓存文件夹 {cache}（{exc.strerror or exc}）。网站已经生成；"
                    "下次构建会重新生成全部页面。请检查这个文件夹能否写入，或用 --cache 指定别的文件夹")
            if pages.reused:
                log(f"沿用上次生成的页面 {pages.reused} 个，搜索索引分片 {getattr(plugin, 'shards_reused', 0)} 个")
            if patched:
                plan = patched[0]
                log(f"就地更新网站：换上改动的文件 {len(plan.moves) - plan.added} 个，新增 {plan.added} 处，"
                    f"删除 {len(plan.deletions)} 个")
