"""执法程序 as an inline SVG flow chart (generator/flowchart.py): every step drawn, long steps wrapped
inside their box, staff text escaped, nothing but SVG elements."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.flowchart import BOX_W, FONT, PAD_X, WIDTH, svg, wrap

NS = "{http://www.w3.org/2000/svg}"
STEPS = [
    "立案：对群众举报、日常巡查发现的违法行为，执法人员应当在 7 个工作日内予以核查，决定是否立案",
    "调查取证",
    '告知　<script>alert(1)</script> & "陈述、申辩"',
    "Decide（决定）",
]


def parse(text: str) -> ET.Element:
    return ET.fromstring(text.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def test_every_step_is_a_box_with_its_text_and_arrows_between_them():
    root = parse(svg(STEPS))
    assert root.get("role") == "img" and root.get("viewBox").startswith(f"0 0 {WIDTH} ")
    title = root.find(f"{NS}title").text
    assert all(f"第{i}步 {s}" in title for i, s in enumerate(STEPS, 1))  # the whole procedure, for a screen reader
    assert len(root.findall(f"{NS}rect")) == 4
    assert len(root.findall(f"{NS}path")) == 2 * 3  # a line and a head between each pair
    drawn = "".join(t.text for t in root.findall(f"{NS}text"))
    assert drawn.replace(" ", "") == "".join(f"{i}.{s}".replace(" ", "").replace("　", "")
                                             for i, s in enumerate(STEPS, 1)).replace(" ", "")


def test_staff_text_stays_text():
    text = svg(STEPS)
    assert "<script>" not in text and "&lt;script&gt;" in text and "&amp;" in text
    tags = {el.tag.replace(NS, "") for el in parse(text).iter()}
    assert tags == {"svg", "title", "rect", "text", "path"}


def test_long_steps_wrap_inside_their_box_and_lines_never_start_with_closing_punctuation():
    width = (BOX_W - 2 * PAD_X) / FONT
    lines = wrap("1. " + STEPS[0], width)
    assert len(lines) >= 3
    for line in lines:
        ems = sum(1.0 if ord(c) > 0x2E80 else 0.56 for c in line)
        assert ems <= width + 1, line  # a closing mark may hang one place over
        assert not line.startswith(("，", "。", "、", "：", "）")), line
    root = parse(svg(STEPS))
    boxes = root.findall(f"{NS}rect")
    assert float(boxes[0].get("height")) > float(boxes[1].get("height"))  # the long step's box is taller
    height = float(root.get("viewBox").split()[3])
    assert all(float(b.get("y")) + float(b.get("height")) <= height for b in boxes)
