"""What git already knows of a project's files: the content id of each file it vouches for.

A build with a cache (cache.RecordCache, cache.files_key) must know, for each of tens of
thousands of files, whether its bytes are those it read last time. Reading and hashing them
all took ~2 s of a county's incremental build, on the build's critical path. Git keeps the
same answer in its index: for a file the working tree has not changed since it was checked
out or added, the index holds the id of its bytes. `git ls-files` and `git diff-files` give
that for the whole tree in ~0.15 s, the file-by-file checks done in C from the index's stat
data (CI's fresh clone writes them at checkout).

The ids are git's own: sha1 over "blob <size>\\0" and the bytes (`blob_id`). Files read
because git could not vouch for them are hashed the same way, so a cache written in one way
is read in the other.

Git vouches for nothing, and every file is read and hashed as before, when its index may
describe other bytes than the working tree's:
- a file changed since the index was written, untracked, in conflict, a link or a
  submodule, or marked assume-unchanged or skip-worktree (git would not look at it);
- any attributes (.gitattributes, info/attributes, a global attributes file) or
  core.autocrlf: clean filters, LFS and line-end conversion make the index hold the
  converted bytes, not the file's;
- no git, no repository, a git that refuses the folder (safe.directory), any error.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path


def blob_id(data: bytes) -> str:
    """Git's id of a file holding exactly these bytes (`git hash-object`)."""
    h = hashlib.sha1(b"blob %d\0" % len(data))  # git's own content id, not a secret
    h.update(data)
    return h.hexdigest()


def _git(root: Path, *args: str) -> bytes | None:
    # GIT_DIR, GIT_INDEX_FILE… (a hook's environment) would point git at another repository or
    # index than the one the project's folder is in; optional locks: never write the index.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_OPTIONAL_LOCKS"] = "0"
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, env=env, check=False)
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def _split(out: bytes) -> list[bytes]:
    return [p for p in out.split(b"\0") if p]


def _converted(root: Path) -> bool | None:
    """True when git may store other bytes than the working tree's (attributes, autocrlf); None
    when git cannot answer for this folder."""
    paths = _git(root, "rev-parse", "--show-toplevel", "--git-path", "info/attributes")
    if paths is None:
        return None
    top, info = paths.decode("utf-8", "surrogateescape").splitlines()[:2]
    if os.path.lexists(Path(root) / info):
        return True
    config = _git(root, "config", "-z", "--get-regexp", r"^core\.(autocrlf|attributesfile)$")
    for entry in _split(config or b""):
        name, _, value = entry.decode("utf-8", "surrogateescape").partition("\n")
        if name == "core.attributesfile" or value.strip().lower() not in ("false", "no", "off", "0", ""):
            return True
    home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    if os.path.lexists(os.path.join(home, "git", "attributes")):
        return True
    # .gitattributes anywhere in the repository, committed or not: one at its top applies here too
    found = _git(Path(top), "ls-files", "-z", "--cached", "--others", "--", ":(glob)**/.gitattributes")
    return found is None or bool(_split(found))


def clean_ids(root: Path) -> dict[str, str]:
    """Path relative to root (with /) → blob id, for each regular file under root whose bytes in
    the working tree git vouches for; empty when git vouches for none (see the module's docstring)."""
    root = Path(root)
    if _converted(root) is not False:
        return {}
    listed = _git(root, "ls-files", "-z", "--stage", "-v")
    changed = _git(root, "diff-files", "-z", "--name-only", "--relative")
    if listed is None or changed is None:
        return {}
    dirty = set(_split(changed))
    ids: dict[str, str] = {}
    for entry in _split(listed):
        head, _, path = entry.partition(b"\t")
        parts = head.split(b" ")
        # "H": cached and looked at (lower case: assume-unchanged; S: skip-worktree); stage 0: no
        # conflict; 100644/100755: a regular file (120000 a link, 160000 a submodule)
        if len(parts) != 4 or parts[0] != b"H" or parts[3] != b"0" or parts[1] not in (b"100644", b"100755"):
            continue
        if path in dirty:
            continue
        ids[os.fsdecode(path)] = parts[2].decode("ascii")
    return ids
