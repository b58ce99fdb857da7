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
- a file with any attribute (`git check-attr`: .gitattributes, info/attributes, the global
  and the system attributes files), or any file under core.autocrlf: clean filters, LFS,
  ident and line-end conversion make the index hold the converted bytes, not the file's;
- any file when git's check of the working tree is weakened: core.trustctime false or
  core.checkStat minimal (an edit that keeps size and mtime goes unseen), a file-system
  monitor (core.fsmonitor: it is trusted to report every change), core.ignoreStat;
- a repository whose ids are not SHA-1 (`--object-format=sha256`): never equal to ours;
- no git, no repository, a git that refuses the folder (safe.directory), any error.

Known and left: attributes or autocrlf in force when a file was added but not now make
its id the converted bytes'. A read then keys the file by other bytes than the index's, so
it is read again every time; only a conversion that loses information (none of git's own
for text) could make a later edit look like those earlier bytes.
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


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    # GIT_DIR, GIT_INDEX_FILE… (a hook's environment) would point git at another repository or
    # index than the one the project's folder is in: dropped. Settings given through the
    # environment (git -c, GIT_CONFIG_*, GIT_ATTR_NOSYSTEM) are kept: they change what git does.
    # Optional locks off: never write the index.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GIT_") or k.startswith("GIT_CONFIG") or k == "GIT_ATTR_NOSYSTEM"}
    env["GIT_OPTIONAL_LOCKS"] = "0"
    try:
        done = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, env=env, check=False)
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def _split(out: bytes) -> list[bytes]:
    return [p for p in out.split(b"\0") if p]


# Settings under which git's own answer may miss a change or describe converted bytes: any of
# these set to anything but the value named here makes git vouch for nothing.
_SAFE = {"core.autocrlf": "false", "core.trustctime": "true", "core.checkstat": "default",
         "core.fsmonitor": "false", "core.ignorestat": "false"}
_BOOL = {"true": "true", "yes": "true", "on": "true", "1": "true",
         "false": "false", "no": "false", "off": "false", "0": "false", "": "false"}


def _weakened(root: Path) -> bool:
    """True when the repository's settings make git's answer unsafe (see _SAFE), or git gives none."""
    config = _git(root, "config", "-z", "--get-regexp", r"^core\.(autocrlf|trustctime|checkstat|fsmonitor|ignorestat)$")
    if config is None:  # exit 1: none of them is set; anything else: no repository or no git
        return _git(root, "rev-parse", "--is-inside-work-tree") != b"true\n"
    for entry in _split(config):
        name, _, value = entry.decode("utf-8", "surrogateescape").partition("\n")
        value = value.strip().lower()
        if _BOOL.get(value, value) != _SAFE.get(name.lower()):
            return True
    return False


def _with_attributes(root: Path, paths: list[bytes]) -> set[bytes] | None:
    """The paths some attribute applies to (any source git reads: .gitattributes at any level,
    info/attributes, the global and the system file), or None when git cannot say."""
    if not paths:
        return set()
    out = _git(root, "check-attr", "-z", "--all", "--stdin", stdin=b"\0".join(paths) + b"\0")
    if out is None:
        return None
    fields = out.split(b"\0")
    return set(fields[0:len(fields) - 1:3])  # path, attribute, value: one triple per attribute set


def clean_ids(root: Path) -> dict[str, str]:
    """Path relative to root (with /) → blob id, for each regular file under root whose bytes in
    the working tree git vouches for; empty when git vouches for none (see the module's docstring)."""
    root = Path(root)
    if _weakened(root):
        return {}
    listed = _git(root, "ls-files", "-z", "--stage", "-v")
    changed = _git(root, "diff-files", "-z", "--name-only", "--relative")
    if listed is None or changed is None:
        return {}
    dirty = set(_split(changed))
    found: dict[bytes, str] = {}
    for entry in _split(listed):
        head, _, path = entry.partition(b"\t")
        parts = head.split(b" ")
        # "H": cached and looked at (lower case: assume-unchanged; S: skip-worktree); stage 0: no
        # conflict; 100644/100755: a regular file (120000 a link, 160000 a submodule); 40 hex
        # digits: a SHA-1 id, as blob_id makes them
        if len(parts) != 4 or parts[0] != b"H" or parts[3] != b"0" or parts[1] not in (b"100644", b"100755") \
                or len(parts[2]) != 40:
            continue
        if path not in dirty:
            found[path] = parts[2].decode("ascii")
    converted = _with_attributes(root, list(found))
    if converted is None:
        return {}
    return {os.fsdecode(path): blob for path, blob in found.items() if path not in converted}
