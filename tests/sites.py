"""Reading a built site back for comparison with another build of the same content."""

import re
from pathlib import Path

from generator import build

_TOKEN = re.compile(("^" + build.SITE_TOKEN + "[0-9a-f]{32}\n").encode(), re.MULTILINE)


def untokened(marker: bytes) -> bytes:
    """The site's marker without the line naming the build that wrote it (a random token)."""
    return _TOKEN.sub(b"", marker)


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of the site by its path, the marker's build token left out: the one thing two
    builds of the same content write differently on purpose (build.mark_site)."""
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    if build.SITE_MARKER in files:
        files[build.SITE_MARKER] = untokened(files[build.SITE_MARKER])
    return files
