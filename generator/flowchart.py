"""执法程序 drawn as a flow chart at build time: inline SVG, one box per step, arrows between them.

No chart library and nothing fetched: the boxes are measured here (a CJK character is one em
wide, Latin letters and digits about half) and the text is wrapped into lines that fit. The chart
is narrow (a phone's width) so that its text keeps a readable size when it scales down; the SVG's
<title> carries every step, and the page keeps the steps as a list too (the text equivalent).
"""

from __future__ import annotations

import hashlib
import unicodedata
from xml.sax.saxutils import escape

WIDTH = 360  # viewBox units; drawn at most this many CSS pixels wide (site.css), 1:1 on a phone
FONT = 15
LINE = 21
PAD_X, PAD_Y = 12, 9
GAP = 26  # between boxes: room for the arrow
BOX_W = WIDTH - 2 * 4


def _width(ch: str) -> float:
    """Width of a character in em: wide and full-width characters 1, others about half."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.56


def wrap(text: str, em: float) -> list[str]:
    """Lines of at most `em` ems. Breaks anywhere, as Chinese text does, but not before closing
    punctuation (，。、；：）」) so a line never starts with it."""
    lines: list[str] = []
    line, used = "", 0.0
    for ch in " ".join(text.split()):
        w = _width(ch)
        if used + w > em and line and ch not in "，。、；：）」』”！？,.;:)":
            lines.append(line.rstrip())
            line, used = "", 0.0
            if ch == " ":
                continue
        line += ch
        used += w
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def svg(steps: list[str], title: str = "执法程序") -> str:
    """The chart as an SVG element (escaped text, safe to insert as HTML)."""
    ident = "flow-" + hashlib.sha1("\n".join([title, *steps]).encode("utf-8")).hexdigest()[:8]
    em = (BOX_W - 2 * PAD_X) / FONT
    boxes = []
    y = 4
    for i, step in enumerate(steps, 1):
        lines = wrap(f"{i}. {step}", em)
        h = len(lines) * LINE + 2 * PAD_Y
        boxes.append((y, h, lines))
        y += h + GAP
    height = y - GAP + 4
    said = "；".join(f"第{i}步 {s}" for i, s in enumerate(steps, 1))
    parts = [f'<svg class="dc-flow" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
             f'aria-labelledby="{ident}" font-size="{FONT}"><title id="{ident}">{escape(title)}流程图：{escape(said)}</title>']
    for i, (top, h, lines) in enumerate(boxes):
        parts.append(f'<rect class="dc-flow__box" x="4" y="{top}" width="{BOX_W}" height="{h}" rx="6"/>')
        for j, text in enumerate(lines):
            baseline = top + PAD_Y + (j + 1) * LINE - 6
            parts.append(f'<text class="dc-flow__text" x="{4 + PAD_X}" y="{baseline}">{escape(text)}</text>')
        if i < len(boxes) - 1:
            x, start, end = WIDTH / 2, top + h, top + h + GAP
            parts.append(f'<path class="dc-flow__arrow" d="M{x:g} {start + 2} V{end - 8}"/>')
            parts.append(f'<path class="dc-flow__head" d="M{x - 6:g} {end - 10} L{x:g} {end - 1} L{x + 6:g} {end - 10} Z"/>')
    parts.append("</svg>")
    return "".join(parts)
