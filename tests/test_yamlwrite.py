"""The writer of `disclose import` and `disclose new`: what it writes, the project's YAML 1.2 reader reads back."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import yamlwrite
from generator.yamlio import parse_text

# Strings a YAML writer gets wrong: numbers and dates under 1.2 rules, YAML syntax at the start or
# inside, quotes, line breaks, and the spaces Excel leaves around pasted text.
TRICKY = [
    "330702E001", "330702e001", "1e5", "1E+5", "0x1F", "0o7", "0b11", "010", "1_000", "+1", "-0", ".5", "-.5", "+.5",
    ".5e3", "1.", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "true", "True", "FALSE", "yes", "no", "on", "null",
    "NULL", "~", "2026-03-02", "2026-3-2", "2026-02-30", "2026-03-02 10:00:00", "12:30", "#12", "a #b", "a#b",
    "a: b", "a:b", "a:", "- a", "-", "--", "---", "...", "--- a", "? a", "?", ":a", ": a", "*a", "&a", "!a",
    "!!str a", "%a", "@a", "`a", "'a", '"a', "a'b", 'a"b', "'", '"', "|", "|-", ">", "[a]", "]", "{a: b}", "}",
    "a, b", ",", "a\nb", "a\n\nb", "a \n b", "a\n", "\ta", "a\tb", "\u3000全角空格", "全角\u3000空格", "\ufeff开头",
    "\\", "\\n", "<<", "=", "a  b", "测兴政罚决字〔2026〕第1号", "对乱倒垃圾的处罚", "😀",
    "\U0010fffe", "\ud7ff",
]

# What the reader accepts in text (yamlio Y008 refuses other control characters and line separators).
typed = st.text(st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\u2028\u2029\ufffe\uffff",
                              include_characters="\n\t"))
strings = st.one_of(
    st.sampled_from(TRICKY),
    typed,
    st.lists(st.one_of(st.sampled_from(TRICKY), typed), min_size=2, max_size=4).map("".join),
    st.lists(st.sampled_from(TRICKY), min_size=1, max_size=3).map(" ".join),
)


def read(text: str):
    doc, problems = parse_text(text, "officers.yaml")
    assert problems == [], (text, problems)
    return doc.data


def as_read(value: str) -> str:
    """What the reader specifies for a string: surrounding whitespace dropped (Excel leaves it there)."""
    return value.strip()


@pytest.mark.parametrize("value", TRICKY)
def test_a_tricky_string_reads_back_as_the_same_string(value):
    record = {"name": value, "certificate_no": value}
    assert read(yamlwrite.dump([record])) == [{"name": as_read(value), "certificate_no": as_read(value)}]
    assert read(f"certificate_no: {yamlwrite.scalar(value)}\n") == {"certificate_no": as_read(value)}
    assert read(f"officers: {yamlwrite.flow([value, value])}\n") == {"officers": [as_read(value)] * 2}


@settings(max_examples=400, deadline=None)
@given(value=strings)
def test_any_string_reads_back_as_written(value):
    record = {"name": value, "unit": "第1中队", "certificate_no": value}
    back = read(yamlwrite.dump([record]))
    assert back == [{"name": as_read(value), "unit": "第1中队", "certificate_no": as_read(value)}]
    assert read(f"- name: {yamlwrite.scalar(value)}  # 注释\n") == [{"name": as_read(value)}]
    assert read(f"process: {yamlwrite.flow([value])}\n") == {"process": [as_read(value)]}
    if value == value.strip():
        assert back[0]["name"] == value  # the reader changes nothing else


def test_a_string_is_quoted_only_when_the_reader_needs_it():
    assert yamlwrite.scalar("330702E001") == "'330702E001'"  # a float under YAML 1.2, as 3.30702e+06
    assert yamlwrite.scalar("0x1F") == "'0x1F'"
    assert yamlwrite.scalar("2026-03-02") == "'2026-03-02'"
    assert yamlwrite.scalar("对乱倒垃圾的处罚") == "对乱倒垃圾的处罚"
    assert yamlwrite.scalar("测兴政罚决字〔2026〕第1号") == "测兴政罚决字〔2026〕第1号"
    assert yamlwrite.scalar("yes") == "yes"  # a string under YAML 1.2, unlike 1.1
    assert yamlwrite.scalar("第一行\n第二行") == '"第一行\\n第二行"'  # one line: safe at any indentation
    assert yamlwrite.scalar("") == '""'


@pytest.mark.parametrize("value", [0, 500, -3, 10**20, 0.5, 1e16, 5e-324, 1500.25, math.inf, -math.inf, True, False,
                                   None, dt.date(2026, 3, 2)])
def test_numbers_dates_flags_and_null_read_back_with_their_type(value):
    back = read(yamlwrite.dump([{"v": value}]))[0]["v"]
    assert type(back) is type(value) and back == value
    assert read(f"v: {yamlwrite.scalar(value)}\n")["v"] == value


def test_nan_reads_back_as_nan():
    assert math.isnan(read(yamlwrite.dump({"v": math.nan}))["v"])
    assert yamlwrite.same([{"v": math.nan}], [{"v": math.nan}])


def test_a_date_time_is_refused_rather_than_written_as_a_tagged_value():
    with pytest.raises(TypeError):
        yamlwrite.dump({"v": dt.datetime(2026, 3, 2, 10, 0)})  # noqa: DTZ001


# ---------------------------------------------------------------- appending to a list file

NEW = {"name": "谢志", "certificate_no": "330702E001", "field": "城市管理"}
OLD = {"name": "赵国英", "certificate_no": "33070200009", "field": "城市管理"}


@pytest.mark.parametrize(("text", "old"), [
    ("", []),
    ("# 执法人员名单\n", []),
    ("# 执法人员名单\n# 暂无\n", []),
    ("[]\n", []),
    ("[ ]", []),
    ("# 执法人员名单\n[ ]  # 暂无\n", []),
    ("---\n[]\n", []),
    ("[{name: 赵国英, certificate_no: '33070200009', field: 城市管理}]\n", [OLD]),
    ("# 名单\n[\n  {name: 赵国英,  # 第2中队\n   certificate_no: '33070200009', field: 城市管理},\n]  # 完\n", [OLD]),
    ("--- [{name: 赵国英, certificate_no: '33070200009', field: 城市管理}]\n", [OLD]),
    ("- name: 赵国英\n  certificate_no: '33070200009'\n  field: 城市管理\n", [OLD]),
    ("- name: 赵国英\n  certificate_no: '33070200009'\n  field: 城市管理", [OLD]),  # no newline at the end
    ("  - name: 赵国英\n    certificate_no: '33070200009'\n    field: 城市管理\n", [OLD]),  # indented list
    ("- name: 赵国英\n  certificate_no: '33070200009'\n  field: 城市管理\n...\n", [OLD]),  # document end marker
    ("- {name: 赵国英, certificate_no: '33070200009', field: 城市管理}\n# 以上为 2025 年名单\n", [OLD]),
])
def test_an_item_appended_to_any_shape_of_list_file_reads_back_with_the_old_ones(text, old):
    block = "# 以下由 disclose import 导入\n" + yamlwrite.dump([NEW])
    after = yamlwrite.append_items(text, block, "content/town/officers.yaml")
    assert read(after) == [*old, NEW]
    for comment in ("执法人员名单", "暂无", "第2中队", "完", "以上为 2025 年名单", "以下由 disclose import 导入"):
        assert (comment in text or comment in block) == (comment in after), comment
    yamlwrite.check_written(after, "content/town/officers.yaml", [*old, NEW])


def test_a_block_list_keeps_every_byte_it_had():
    text = "# 执法人员名单\n- name: 赵国英   # 组长\n  certificate_no: '33070200009'\n\n  field: 城市管理\n"
    after = yamlwrite.append_items(text, yamlwrite.dump([NEW]), "officers.yaml")
    assert after.startswith(text)


@pytest.mark.parametrize(("text", "message"), [
    ("name: 赵国英\n", "应是一个清单"),
    ("- name: [赵国英\n", "本身有错误"),
    ("- name: 赵国英\n  name: 钱七\n", "本身有错误"),
])
def test_a_file_that_is_not_a_readable_list_is_left_alone_with_a_chinese_reason(text, message):
    with pytest.raises(yamlwrite.WriteError, match=message):
        yamlwrite.append_items(text, yamlwrite.dump([NEW]), "officers.yaml")


def test_a_text_that_does_not_read_back_as_intended_is_never_passed():
    with pytest.raises(RuntimeError, match="读回后与要写的内容不一致"):
        yamlwrite.check_written("- certificate_no: 330702E001\n", "officers.yaml", [{"certificate_no": "330702E001"}])


@pytest.mark.parametrize("text", [
    "# 执法人员名单\r\n- name: 赵国英\r\n  certificate_no: '33070200009'\r\n  field: 城市管理\r\n",
    "# 执法人员名单\r\n[]\r\n",
    "[{name: 赵国英, certificate_no: '33070200009', field: 城市管理}]  # 完\r\n# 尾\r\n",
    "- name: 赵国英\r\n  certificate_no: '33070200009'\r\n  field: 城市管理\r\n...\r\n",
])
def test_a_file_saved_with_windows_line_endings_keeps_them(text):
    after = yamlwrite.append_items(text, "# 新增\n" + yamlwrite.dump([NEW]), "officers.yaml")
    assert after.count("\n") == after.count("\r\n")
    assert read(after)[-1] == NEW
    if text.startswith("# 执法人员名单\r\n- "):
        assert after.startswith(text)


def test_read_file_keeps_line_endings_and_the_bom_and_refuses_gbk(tmp_path):
    path = tmp_path / "officers.yaml"
    path.write_bytes(yamlwrite.BOM + "- name: 王伟\r\n".encode())
    text, bom = yamlwrite.read_file(path, "officers.yaml")
    assert (text, bom) == ("- name: 王伟\r\n", yamlwrite.BOM)
    yamlwrite.write_file(path, text + "- name: 李娜\r\n", bom)
    assert path.read_bytes() == yamlwrite.BOM + "- name: 王伟\r\n- name: 李娜\r\n".encode()
    assert yamlwrite.read_file(tmp_path / "none.yaml", "none.yaml") == ("", b"")
    path.write_bytes("- name: 王伟\n".encode("gbk"))
    with pytest.raises(yamlwrite.WriteError, match="不是 UTF-8 编码"):
        yamlwrite.read_file(path, "officers.yaml")
