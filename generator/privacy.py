"""Masking a natural person's name: the surname stays, each character of the given name becomes 某."""

from __future__ import annotations

# Common compound surnames (复姓): 欧阳修 → 欧阳某, not 欧某某.
COMPOUND_SURNAMES = frozenset(
    ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "闻人", "澹台", "公冶", "赫连", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟", "申屠", "太史", "濮阳", "拓跋", "司空", "第五", "单于", "东郭", "左丘", "梁丘", "公羊", "谷梁", "段干", "乐正", "羊舌", "微生", "公良", "漆雕", "壤驷", "仲孙", "叔孙", "巫马", "亓官", "鲜于", "闾丘", "子车", "颛孙", "宰父", "夹谷", "东门", "公西", "司寇", "南门"]
)


def mask_name(name: str) -> str:
    name = name.strip()
    if len(name) <= 1:
        return "某"
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[0]
    # Names written with a middle dot (阿依古丽·买买提) mask every character after the first.
    rest = name[len(surname):]
    return surname + "".join("·" if ch in "·・." else "某" for ch in rest)


def mask_in_text(text: str | None, name: str, masked: str) -> str | None:
    """Replace the full name wherever it appears in free text of the same record."""
    if not text or len(name) < 2:
        return text
    return text.replace(name, masked)
