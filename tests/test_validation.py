"""Each content mistake ends as path:line:col with a Chinese message and a hint, all in one run."""

import datetime as dt
import os

import pytest
from chinese import unreadable

from generator.cli import main
from generator.project import load

TODAY = dt.date(2026, 11, 23)
DECISION = "content/town/decisions/2025/national-day.yaml"


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(root):
    return [p.format() for p in load(root, TODAY, use_git=False).problems if p.is_error]


def test_clean_fixture_has_no_errors(tree):
    assert problems(tree("minimal")) == []


def test_every_mistake_reported_in_one_run_with_positions(tree, capsys):
    root = tree("minimal")
    edit(root, DECISION, "decided_on: 2025-09-30", "decided_on: 2025-02-30")
    edit(root, DECISION, "fine: 1000", "fine: 1000\nfien: 3")
    edit(root, "content/town/officers.yaml", "certificate_no: '33070100002'", "certificate_no: 33070100002")
    edit(root, "content/town/agency.yaml", "credit_code: 11330000MB0000001L", "credit_code: 11330000MB0000001X")
    edit(root, "content/town/powers.yaml", "category: 行政检查", "category: 检查")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert f"{DECISION}:18:13: 错误 Y006 日期不存在（填写的是 2025-02-30）。提示：" in err
    assert f"{DECISION}:16:1: 错误 F002 未知字段「fien」。提示：是不是想写「fine」？" in err
    assert "content/town/officers.yaml:8:19: 错误 F003 「执法证号」(certificate_no)应为文字，这里写成了数字（填写的是 33070100002）" in err
    assert "content/town/agency.yaml:4:14: 错误 F006 统一社会信用代码无效：校验位不符（按前17位计算应为 L）" in err
    assert "content/town/powers.yaml:9:13: 错误 F004 「事项类别」(category)的值不在允许范围内（填写的是 检查）。提示：只能填写：行政许可" in err
    # the badly typed certificate also leaves revoked.yaml citing an unknown officer (R001): 6 in all
    assert lines[-1].startswith("共 6 个错误")
    assert "Traceback" not in err


def test_duplicate_yaml_key_and_cross_references(tree):
    root = tree("minimal")
    edit(root, DECISION, "kind: 行政处罚", "kind: 行政处罚\nkind: 行政许可")
    edit(root, DECISION, "officers: ['33070100001', '33070100002']", "officers: ['33070100001', '99999']")
    edit(root, DECISION, "level: 一般处罚", "level: 从重处罚")
    edit(root, "content/town/decisions/2025/revoked.yaml", "power: TOWN-CF001", "power: TOWN-JC001")
    edit(root, "content/town/decisions/2025/revoked.yaml", "第2号", "第1号")
    found = problems(root)
    assert f"{DECISION}:3:1: 错误 Y002 字段「kind」重复出现（填写的是 kind）。提示：同一层里每个字段只能写一次，请删除或合并重复的一行" in found
    assert any(f.startswith(f"{DECISION}:17:27: 错误 R001 执法证号不存在（填写的是 99999）") for f in found)
    assert any(f.startswith(f"{DECISION}:10:10: 错误 R004 该裁量基准没有“从重处罚”这一阶次") for f in found)
    assert any("revoked.yaml:7:8: 错误 R005 行政处罚决定引用的事项类别是“行政检查”" in f for f in found)
    assert any("revoked.yaml:1:10: 错误 D001 决定书文号重复，已在 content/town/decisions/2025/national-day.yaml:1 用过" in f
               for f in found)


def test_penalty_types_and_a_fine_belong_to_a_penalty_only(tree):
    """A 行政检查 with 罚款 and a fine: a kind typed wrong, said at both fields."""
    root = tree("minimal")
    edit(root, DECISION, "kind: 行政处罚", "kind: 行政检查")
    edit(root, DECISION, "power: TOWN-CF001", "power: TOWN-JC001")
    found = problems(root)
    assert any(f.startswith(f"{DECISION}:14:16: 错误 F014 行政检查决定写了处罚种类 penalty_types，只有行政处罚才有") for f in found), found
    assert any(f.startswith(f"{DECISION}:15:7: 错误 F014 行政检查决定写了罚款金额 fine") for f in found), found
    edit(root, DECISION, "fine: 1000", "fine: 0\nconfiscation: 50000")  # a zero fine is written too; 没收 is a penalty
    found = problems(root)
    assert any(f.startswith(f"{DECISION}:15:7: 错误 F014 行政检查决定写了罚款金额 fine") for f in found), found
    assert any(f.startswith(f"{DECISION}:16:15: 错误 F014 行政检查决定写了没收金额 confiscation") for f in found), found


def test_decision_after_today_and_alias_bomb(tree):
    root = tree("minimal")
    edit(root, DECISION, "decided_on: 2025-09-30", "decided_on: 2026-12-01")
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9))
    (root / "content/town/decisions/2025/bomb.yaml").write_text(bomb, encoding="utf-8")
    found = problems(root)
    assert any(f.startswith(f"{DECISION}:17:13: 错误 T001 作出决定日期晚于今天（2026-11-23）") for f in found)
    assert any("bomb.yaml:1:4: 错误 Y003 不支持 YAML 锚点与别名" in f for f in found)


def test_yaml_syntax_and_encoding_errors(tree):
    root = tree("minimal")
    (root / "content/town/decisions/2025/gbk.yaml").write_bytes("case_no: 测试".encode("gbk"))
    (root / "content/town/decisions/2025/tab.yaml").write_text("party:\n\tname: x\n", encoding="utf-8")
    (root / "content/town/decisions/2025/colon.yaml").write_text("facts: 甲: 乙: 丙\n", encoding="utf-8")
    found = problems(root)
    assert any("gbk.yaml:1:10: 错误 Y004 文件不是 UTF-8 编码" in f for f in found)
    assert any("tab.yaml:2:1: 错误 Y001 行首用了 Tab 缩进" in f for f in found)
    assert any("colon.yaml:1:9: 错误 Y001 YAML 格式错误" in f and "冒号" in f for f in found)


def test_bom_and_windows_line_endings_are_accepted(tree):
    root = tree("minimal")
    path = root / DECISION
    path.write_bytes(b"\xef\xbb\xbf" + path.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    assert problems(root) == []


# ---------------------------------------------------------------- one fixture per mistake (issue 12)

# The exact line `disclose validate` prints for each fixture's one mistake.
FIXTURE_ERRORS = {
    "far-future-date": "content/town/officers.yaml:5:16: 错误 T003 「证件有效期止」(valid_until)的日期超出范围"
    "（应在 1949-10-01 至 2199-12-31 之间）（填写的是 9999-12-31）。提示：不要用 9999-12-31、1900-01-01 之类的占位日期："
    "长期有效的执法证请填写证件上载明的有效期止；证件上确实没有截止日期的，请与发证机关核实",
    "control-chars": f"{DECISION}:11:19: 错误 Y008 文件里有不允许的字符：垂直制表符（填写的是 U+000B）。提示：这是看不见的控制字符，"
    "多由从 Word、网页或其他系统复制粘贴带入：删去它（VS Code 里显示为红色小方块）；需要换行就直接换行",
    "long-text": f"{DECISION}:11:8: 错误 F011 「违法事实或认定事实」(facts)太长（20050 字，上限 20000 字）"
    "（填写的是 经查，2025年9月28日，当事人张三丰在示例县兴隆镇东岗村农田内露天焚烧秸秆…）。"
    "提示：公示内容请写要点，完整文书另行存档；也检查是否误把别的内容粘贴了进来",
    "url-collision": "content/town/decisions/2025/national-day.yml:1:1: 错误 D005 这份决定的网页地址与 "
    f"{DECISION} 相同（decisions/town/2025/national-day/）。提示：网页地址由执法主体、作出决定的年份和文件名"
    "（不分大小写，不含 .yaml/.yml）决定；请给其中一个文件改名，例如在文件名末尾加 -2",
    "power-codes-differ-in-case": "content/town/powers.yaml:13:9: 错误 D006 事项编码与 content/town/powers.yaml:1 的"
    "「TOWN-CF001」对应同一个网页（powers/town-cf001/）（填写的是 town-cf001）。提示：网页地址不分大小写，"
    "只差大小写的两个事项编码会互相覆盖：请改动其中一个",
    "benchmark-ids-differ-in-case": "content/town/benchmarks.yaml:11:7: 错误 D007 裁量基准编号与 content/town/benchmarks.yaml:1 "
    "的「town-B001」对应同一个页面锚点（agencies/town/benchmarks/#town-b001）（填写的是 town-b001）。提示：网页地址不分大小写，"
    "只差大小写的两个裁量基准编号会互相覆盖：请改动其中一个",
    "list-file-misnamed": "content/town/Officers.yml:1:1: 错误 S003 文件名应为 officers.yaml（全小写，扩展名 .yaml），"
    "这个文件没有读取。提示：把它改名为 officers.yaml；officers.yaml 已经有了的话，把这里的记录合并进去，再删去这个文件",
    "calendar-wrong-year": "site_config/calendar.yaml:9:9: 错误 C001 2026-02-06 写在了 2027 年下面（填写的是 2026-02-06）。"
    "提示：多半是照抄上一年时年份没改，请对照通知核对；确是 2026 年的日期，移到 `2026:` 下面（跨年的元旦假期按日期分写在两年里）",
    "calendar-contradiction": "site_config/calendar.yaml:7:9: 错误 C002 2027-02-13 既是放假日期（第 5 行），又是调休上班日期"
    "（填写的是 2027-02-13）。提示：一天只能放假或上班：对照国务院办公厅的通知，删去其中一处",
    "rules-wrong-shape": "site_config/rules.yaml:2:1: 错误 Y007 期限规则文件应是一组“节名: 规则”，写成了列表。"
    "提示：每节顶格写节名，例如 `publish:`，下面缩进两格写规则；可写的节：publish、withdraw、reconsider、sue、public_until、rectify、escalate、coordination、summary；"
    "只写本地要另行规定的规则，没有本地规则时删去这个文件",
}


def _files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


@pytest.mark.parametrize("name", sorted(FIXTURE_ERRORS))
def test_each_mistake_is_located_in_chinese_and_builds_nothing(tree, capsys, name):
    root = tree(name)
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert FIXTURE_ERRORS[name] in err.splitlines(), err
    assert "内部错误" not in err and "Traceback" not in err
    assert all(unreadable(line) is None for line in err.splitlines()[:-1]), err
    before = _files(root)
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert FIXTURE_ERRORS[name] in err.splitlines()
    assert _files(root) == before  # no site/, no half-built .site-* folder


@pytest.mark.parametrize(("rel", "old", "new", "expected"), [
    (DECISION, "decided_on: 2025-09-30", "decided_on: 9999-12-31",
     f"{DECISION}:17:13: 错误 T003 「作出决定日期」(decided_on)的日期超出范围"),
    (DECISION, "decided_on: 2025-09-30", "decided_on: 2025-09-30\nserved_on: 9999-12-31",
     f"{DECISION}:18:12: 错误 T003 「送达日期」(served_on)的日期超出范围"),
    ("content/town/decisions/2025/revoked.yaml", "status_changed_on: 2025-08-01", "status_changed_on: '9999-12-31'",
     "content/town/decisions/2025/revoked.yaml:18:20: 错误 T003 「状态变更日期」(status_changed_on)的日期超出范围"),
    ("content/town/benchmarks.yaml", "  tiers:", "  effective_until: 9999-12-31\n  tiers:",
     "content/town/benchmarks.yaml:5:20: 错误 T003 「废止日期」(effective_until)的日期超出范围"),
    ("content/town/officers.yaml", "valid_from: 2022-01-01", "valid_from: 1900-01-01",
     "content/town/officers.yaml:4:15: 错误 T003 「证件有效期起」(valid_from)的日期超出范围"),
    (DECISION, "published_on: 2025-10-15", "published_on: 2025-10-15\nlegal_review: {reviewer: 县司法局, date: 0001-01-01, "
     "conclusion: 同意}", f"{DECISION}:19:38: 错误 T003 「审核日期」(date)的日期超出范围"),
])
def test_placeholder_dates_are_refused_before_any_deadline_is_computed(tree, capsys, rel, old, new, expected):
    root = tree("minimal")
    edit(root, rel, old, new)
    for command in ("validate", "check"):
        assert main([command, "--project", str(root), "--today", "2026-11-23"]) == 1
        out = capsys.readouterr()
        assert any(line.startswith(expected) for line in (out.err + out.out).splitlines()), out
        assert "内部错误" not in out.err


def test_escaped_control_characters_in_values_and_keys(tree):
    root = tree("minimal")
    edit(root, DECISION, "outcome: 对张三丰处以罚款1000元。", 'outcome: "对张三丰处以罚款1000元。\\a"')
    edit(root, DECISION, "fine: 1000", '"fine\\0": 1000')
    edit(root, "content/town/officers.yaml", "field: 乡镇综合执法", "field: '乡镇综合\x7f执法'", )
    found = problems(root)
    assert f"{DECISION}:13:10: 错误 Y008 文字里有不允许的字符：控制字符（填写的是 U+0007）。提示：多由双引号里的转义写法" \
           "（如 \\x07、\\0、\\r）带入：删去它；需要换行就直接换行" in found
    assert any(f.startswith(f"{DECISION}:15:1: 错误 Y008 字段名里有不允许的字符：空字符（填写的是 U+0000）") for f in found)
    assert any(f.startswith("content/town/officers.yaml:3:15: 错误 Y008 文件里有不允许的字符：删除符") for f in found)
    assert len(found) == 3, found  # the officers file is still read: no decision cites an unknown officer


def test_over_long_identifiers_and_lists(tree):
    root = tree("minimal")
    edit(root, "content/town/powers.yaml", "code: TOWN-JC001", "code: TOWN-JC001" + "-X" * 60)
    officers = ", ".join(["'33070100001'"] * 1001)
    edit(root, DECISION, "officers: ['33070100001', '33070100002']", f"officers: [{officers}]")
    found = problems(root)
    assert any(f.startswith("content/town/powers.yaml:7:9: 错误 F011 「事项编码」(code)太长（130 字，上限 100 字）") for f in found)
    assert f"{DECISION}:16:11: 错误 F011 「承办执法人员」(officers)的项数太多（1001 项，上限 1000 项）。" \
           "提示：检查是否误把别的内容粘贴了进来；确实需要这么多项时，请拆成多条记录" in found


@pytest.mark.parametrize(("files", "second", "first"), [
    (("Case.yaml", "case.yaml"), "case.yaml", "Case.yaml"),
    (("a/x.yaml", "b/x.yaml"), "b/x.yaml", "a/x.yaml"),
])
def test_decisions_sharing_a_page_address(tree, files, second, first):
    root = tree("minimal")
    folder = root / "content/town/decisions/2025"
    text = (folder / "national-day.yaml").read_text(encoding="utf-8")
    for i, name in enumerate(files):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text.replace("第1号", f"第{10 + i}号"), encoding="utf-8")
    found = [f for f in problems(root) if " D005 " in f]
    assert len(found) == 1, found
    assert found[0].startswith(f"content/town/decisions/2025/{second}:1:1: 错误 D005 这份决定的网页地址与 "
                               f"content/town/decisions/2025/{first} 相同")


def test_files_named_in_chinese_take_their_address_from_the_case_number(tree):
    """甲/决定.yaml and 乙/决定.yaml once shared a page; their URLs now come from their (unique) 文号."""
    root = tree("minimal")
    folder = root / "content/town/decisions/2025"
    text = (folder / "national-day.yaml").read_text(encoding="utf-8")
    for i, name in enumerate(("甲/决定.yaml", "乙/决定.yaml")):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text.replace("第1号", f"第{10 + i}号"), encoding="utf-8")
    assert not [f for f in problems(root) if " D005 " in f]


def test_same_file_name_in_another_year_or_agency_is_no_collision(tree):
    root = tree("minimal")
    text = (root / DECISION).read_text(encoding="utf-8")
    (root / "content/town/decisions/2024").mkdir()
    (root / "content/town/decisions/2024/national-day.yaml").write_text(
        text.replace("第1号", "第9号").replace("2025-09-30", "2024-09-30").replace("2025-10-15", "2024-10-15"), "utf-8")
    assert problems(root) == []
    # the same name filed under a wrong year folder but decided in 2025 does collide
    (root / "content/town/decisions/2024/national-day.yaml").write_text(text.replace("第1号", "第9号"), "utf-8")
    assert any(" D005 " in f and f.startswith("content/town/decisions/2025/national-day.yaml:1:1:") for f in problems(root))


def test_rules_yaml_as_text_or_with_an_unknown_section(tree):
    root = tree("minimal")
    (root / "site_config/rules.yaml").write_text("行政处罚 5 个工作日内公开\n", encoding="utf-8")
    assert any(f.startswith("site_config/rules.yaml:1:1: 错误 Y007 期限规则文件应是一组“节名: 规则”，写成了文字") for f in problems(root))
    (root / "site_config/rules.yaml").write_text("withdraw:\n  - working_days: 3\n    cite: [xzcff-2021#a48-2]\n"
                                                  "publsh:\n  - working_days: 5\n    cite: [xzcff-2021#a48-2]\n",
                                                  encoding="utf-8")
    assert problems(root) == ["site_config/rules.yaml:4:1: 错误 F002 未知字段「publsh」。提示：是不是想写「publish」？"
                              "允许的字段：assume_credit_class、publish、withdraw、reconsider、sue、public_until、rectify、escalate、coordination、summary"]



def test_a_power_or_benchmark_named_like_a_generated_page_gets_its_own_address(tree):
    """`code: index` would have overwritten the list of powers (powers/index.html), a benchmark `__search`
    would have doubled the theme's search box id: reserved names get a suffix of their code's hash."""
    from generator.project import record_slug

    root = tree("reserved-record-names")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    site = root / "site"
    listing = (site / "powers/index.html").read_text(encoding="utf-8")
    assert "<title>权责清单 - " in listing  # the list itself, not the power's page over it
    page = site / "powers" / record_slug("index") / "index.html"
    assert record_slug("index").startswith("index-") and page.is_file()
    assert "<title>对乡村建设规划许可的检查 - " in page.read_text(encoding="utf-8")
    powers = (site / "agencies/town/powers/index.html").read_text(encoding="utf-8")
    assert f'href="../../../powers/{record_slug("index")}/"' in powers
    benchmarks = (site / "agencies/town/benchmarks/index.html").read_text(encoding="utf-8")
    assert benchmarks.count('id="__search"') == 1  # the theme's own search box, and only it
    assert f'id="{record_slug("__search")}"' in benchmarks and record_slug("__search") != "__search"
    # plain codes keep the address they always had
    assert record_slug("TOWN-CF001") == "town-cf001" and (site / "powers/town-cf001/index.html").is_file()


UNREAD = "这个文件不会被读取，也不会出现在网站上。提示："


def test_a_folder_of_scans_gives_a_few_warnings_and_a_count_not_one_line_each(tree, capsys):
    """A clerk copies a year's scans into decisions/2025/: the first files are named each with its hint,
    the rest counted in one warning on the folder; a real error is not lost among them."""
    root = tree("unread-files")
    year = root / "content/town/decisions/2025"
    for n in range(1, 41):
        (year / f"决定书扫描件{n:02d}.pdf").write_bytes(b"%PDF-1.4\n")
    (year / "broken.yaml").write_text("case_no: [\n", encoding="utf-8")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    here = [line for line in err.splitlines() if " W005 " in line and line.startswith("content/town/decisions/2025")]
    files = sorted(p.name for p in year.iterdir() if not p.name.endswith((".yaml", ".YAML")))
    assert len(files) == 42  # 40 scans, 扫描件.pdf and revoked.yaml~
    assert len(here) == 7, here
    summary = next(line for line in here if line.startswith("content/town/decisions/2025:1:1:"))
    # revoked.yaml~ (files[0]) is no scan: its own warning and hint; five scans named, 36 counted.
    assert [line.split(":")[0] for line in here if line != summary] == [
        f"content/town/decisions/2025/{n}" for n in files[:6]]
    assert "警告 W005 除分别列出的 5 个外，这个文件夹里还有 36 个同类的文件或文件夹不会被读取" in summary
    assert f"例如 {files[6]}、{files[7]}、{files[8]}" in summary and "提示：decisions/ 下只读取以 .yaml" in summary
    assert "content/town/decisions/2025/broken.yaml:2:1: 错误 Y001" in err  # the error still stands out
    # Other folders' warnings are as before: one each.
    assert any(line.startswith("content/town/offcers.yaml:1:1: 警告 W005") for line in err.splitlines())


def test_every_file_that_is_not_read_is_named_and_a_decision_in_capitals_is_read(tree, capsys):
    """Nothing under content/ or drafts/ is skipped without a word (W005, a warning: publishing with
    --strict stops at it); a decision saved as .YAML by a Windows tool is a decision."""
    root = tree("unread-files")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 0
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if " W005 " in line] == [
        f"content/decisions.yaml:1:1: 警告 W005 {UNREAD}content/ 下只放执法主体的文件夹：记录放进 content/<主体编号>/ 里"
        "（决定放在它的 decisions/<年份>/ 下，每份一个 .yaml 文件），其他文件移出 content/",
        f"content/town/decisions/2024:1:1: 警告 W005 {UNREAD}decisions/ 下的 2024 应是年份文件夹，里面每份决定一个 .yaml 文件："
        "删去这个文件，建立同名的文件夹",
        f"content/town/decisions/2025/revoked.yaml~:1:1: 警告 W005 {UNREAD}这是编辑器或手工留下的备份文件：不需要就删去；"
        "它若是一份决定，改名为以 .yaml 结尾",
        f"content/town/decisions/2025/扫描件.pdf:1:1: 警告 W005 {UNREAD}decisions/ 下只读取以 .yaml 或 .yml 结尾的文件，"
        "一份决定一个文件：它若是一份决定，改名为“名称.yaml”；附件、扫描件不放在这里，请移出 content/",
        f"content/town/offcers.yaml:1:1: 警告 W005 {UNREAD}是不是想写 officers.yaml？执法主体文件夹里只读取 agency.yaml、"
        "officers.yaml、powers.yaml、benchmarks.yaml 和 decisions/ 文件夹：改名，或把它移出 content/",
        f"content/village/decisions:1:1: 警告 W005 {UNREAD}decisions 应是一个文件夹：在里面按年份建文件夹"
        "（例如 decisions/2025/），每份决定一个 .yaml 文件",
        f"drafts/town/草稿.yaml:1:1: 警告 W005 {UNREAD}草稿放在 drafts/<主体编号>/decisions/<年份>/ 里，每份一个 .yaml 文件："
        "移到那里或改名；不需要的删去",
    ]
    assert ".gitkeep" not in err and "共 0 个错误，7 个警告" in err
    assert main(["validate", "--project", str(root), "--today", "2026-11-23", "--strict"]) == 1
    project = load(root, TODAY, use_git=False)
    read = {e.src.path: e.decision.case_no for e in project.entries()}
    assert read == {"content/town/decisions/2025/national-day.YAML": "测兴政罚决字〔2025〕第1号",
                    "content/town/decisions/2025/revoked.yaml": "测兴政罚决字〔2025〕第2号"}
    assert project.drafts == []


SUPERVISION_READS = ("supervision/notices/<年份>/*.yaml（执法监督文书）、supervision/plans/*.yaml（整改方案）和 "
                     "supervision/summaries.yaml（年度监督工作总结）")


def test_files_the_supervision_and_coordination_folders_do_not_read_are_named(tree, capsys):
    """W005 covers supervision/ and coordination/ as it does content/: a scan beside the notices, a notice
    outside notices/ or in a misspelt folder, a backup, a year written as a file; a .YML notice is read."""
    root = tree("unread-supervision-files")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 0
    err = capsys.readouterr().err
    where = f"{UNREAD}supervision/ 里只读取 {SUPERVISION_READS}：它若是一份记录，移到相应的文件夹里；否则改名，或把它移出 supervision/"
    each = "下只读取以 .yaml 或 .yml 结尾的文件，一份{0}一个文件：它若是一份{0}，改名为“名称.yaml”；附件、扫描件不放在这里，请移出"
    assert [line for line in err.splitlines() if " W005 " in line] == [
        f"coordination/2026/移送函.jpg:1:1: 警告 W005 {UNREAD}coordination/ {each.format('协作记录')} coordination/",
        f"coordination/说明.txt:1:1: 警告 W005 {UNREAD}coordination/ {each.format('协作记录')} coordination/",
        f"supervision/2026-10-12-004.yaml:1:1: 警告 W005 {where}",
        "supervision/notice:1:1: 警告 W005 这个文件夹不会被读取，也不会出现在网站上。提示：是不是想写 notices？"
        + where.removeprefix(UNREAD),
        f"supervision/notices/2025:1:1: 警告 W005 {UNREAD}supervision/notices/ 下的 2025 应是年份文件夹，"
        "里面每份执法监督文书一个 .yaml 文件：删去这个文件，建立同名的文件夹",
        f"supervision/notices/2026/jianyi-2.yaml~:1:1: 警告 W005 {UNREAD}这是编辑器或手工留下的备份文件：不需要就删去；"
        "它若是一份执法监督文书，改名为以 .yaml 结尾",
        f"supervision/notices/2026/测司所监建〔2026〕第1号扫描件.pdf:1:1: 警告 W005 {UNREAD}supervision/notices/ "
        f"{each.format('执法监督文书')} supervision/",
        f"supervision/plans/整改方案（印发稿）.docx:1:1: 警告 W005 {UNREAD}supervision/plans/ {each.format('整改方案')} "
        "supervision/",
    ]
    assert ".gitkeep" not in err and "Thumbs.db" not in err and "共 0 个错误，8 个警告" in err
    assert main(["validate", "--project", str(root), "--today", "2026-11-23", "--strict"]) == 1
    project = load(root, TODAY, use_git=False)
    assert sorted(i.record.id for i in project.items("notice")) == [
        "测司所监建〔2026〕第1号", "测司所监建〔2026〕第2号", "测司所监建〔2026〕第6号"]  # jianyi-6.YML
    # The yearly summaries under a near name: surely meant, and not read: an error, as officers.yml is.
    (root / "supervision/summaries.yaml").rename(root / "supervision/Summaries.yml")
    capsys.readouterr()
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert ("supervision/Summaries.yml:1:1: 错误 S003 文件名应为 summaries.yaml（全小写，扩展名 .yaml），这个文件没有读取。"
            "提示：把它改名为 summaries.yaml；summaries.yaml 已经有了的话，把这里的记录合并进去，再删去这个文件") in err
    assert "Summaries.yml:1:1: 警告 W005" not in err


def test_a_file_name_with_control_characters_is_named_escaped_never_raw(tree, capsys):
    """A scan saved under a name with a terminal escape, a name with a line break that reads like a
    problem of its own, a name from a GBK archive (not UTF-8): the warning names each one escaped,
    on one line, so that the console shows no colours, no forged error and no mangled text."""
    root = tree("unread-supervision-files")
    folder = root / "supervision/notices/2026"
    (folder / "扫描件\x1b[31m红\x1b[0m.pdf").write_bytes(b"%PDF")
    (folder / "说明\ncontent:1:1: 错误 E999 伪造的错误.txt").write_bytes(b"")
    with open(os.fsencode(root / "coordination") + "/附件.pdf".encode("gbk"), "wb") as f:
        f.write(b"%PDF")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and not any(line.startswith("content:1:1:") for line in err.splitlines())
    assert "supervision/notices/2026/扫描件\\x1b[31m红\\x1b[0m.pdf:1:1: 警告 W005 " in err
    assert "supervision/notices/2026/说明\\ncontent:1:1: 错误 E999 伪造的错误.txt:1:1: 警告 W005 " in err
    assert "coordination/\\udcb8\\udcbd\\udcbc\\udcfe.pdf:1:1: 警告 W005 这个文件不会被读取" in err
    assert "共 0 个错误，11 个警告" in err


def test_two_public_supervision_records_never_share_a_page(tree, capsys):
    """A notice's page is supervision/notices/<year issued>/<file name>, a plan's supervision/plans/<file
    name>: a public notice of 2026 left in 2025/ under the name of another, a public plan kept in a
    subfolder under the name of another, would each show one of the two (and the search find one)."""
    root = tree("supervision-private")
    notices, plans = root / "supervision/notices", root / "supervision/plans"
    (notices / "2025").mkdir()
    (notices / "2025/Jianyi-1.yaml").write_text(
        (notices / "2026/jianyi-1.yaml").read_text(encoding="utf-8").replace("〔2026〕第1号", "〔2026〕第5号").replace("follow_up", "#"),
        encoding="utf-8")
    (notices / "2025/internal.yaml").write_text(  # not public: it has no page, so it takes none
        (notices / "2026/internal.yaml").read_text(encoding="utf-8").replace("第7号", "第8号"), encoding="utf-8")
    (plans / "旧版").mkdir()
    (plans / "旧版/town-2026-zgfa.yml").write_text(
        (plans / "town-2026-zgfa.yaml").read_text(encoding="utf-8").replace("id: town-2026-zgfa", "id: town-2026-jiu"),
        encoding="utf-8")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    found = sorted(line for line in capsys.readouterr().err.splitlines() if " D005 " in line)
    assert found == [
        "supervision/notices/2026/jianyi-1.yaml:1:1: 错误 D005 这份执法监督文书的网页地址与 "
        "supervision/notices/2025/Jianyi-1.yaml 相同（supervision/notices/2026/jianyi-1/）。提示：网页地址由制发日期的年份"
        "和文件名（不分大小写，不含 .yaml/.yml）决定；请给其中一个文件改名，例如在文件名末尾加 -2",
        "supervision/plans/旧版/town-2026-zgfa.yml:1:1: 错误 D005 这份整改方案的网页地址与 "
        "supervision/plans/town-2026-zgfa.yaml 相同（supervision/plans/town-2026-zgfa/）。提示：网页地址由"
        "文件名（不分大小写，不含 .yaml/.yml）决定；请给其中一个文件改名，例如在文件名末尾加 -2",
    ]


def test_a_pipe_or_a_link_to_a_device_among_the_decisions_is_an_error_not_a_hang(tree):
    import resource
    import subprocess
    import sys
    from pathlib import Path

    root = tree("minimal")
    folder = root / "content/town/decisions/2025"
    os.mkfifo(folder / "管道.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (root / "content/town/benchmarks.yaml").rename(root / "content/town/.real-benchmarks.yaml")
    (root / "content/town/benchmarks.yaml").symlink_to("/dev/urandom")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    try:
        done = subprocess.run([sys.executable, "-m", "generator.cli", "validate", "--project", str(root), "--today",
                               "2026-11-23"], cwd=Path(__file__).parent.parent, capture_output=True, text=True,
                              timeout=60, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        pytest.fail("validate hung on a pipe or a device")
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert "content/town/benchmarks.yaml:1:1: 错误 Y009 文件实际在项目以外（/dev/urandom），没有读取。" \
           "提示：记录必须放在仓库里：删去指向项目以外的符号链接，把文件本身复制到这里" in lines
    assert f"{folder.relative_to(root).as_posix()}/zero.yaml:1:1: 错误 Y009 文件实际在项目以外（/dev/zero），没有读取。" \
           "提示：记录必须放在仓库里：删去指向项目以外的符号链接，把文件本身复制到这里" in lines
    assert f"{folder.relative_to(root).as_posix()}/管道.yaml:1:1: 错误 Y004 无法读取文件：这是一个命名管道，不是普通文件。" \
           "提示：content/ 里只放普通的文本文件：删去它，或换成文件本身" in lines
    assert "Traceback" not in done.stderr


def test_a_link_pointed_at_another_file_is_read_again(tree):
    """The per-file cache (a preview reloads on every save) is keyed by what the file is, not only
    its time and size: a link pointed at another version of the same size and time is read afresh."""
    root = tree("minimal")
    versions = root / "content/town/decisions/.versions"  # hidden: not itself read
    versions.mkdir()
    text = (root / DECISION).read_text(encoding="utf-8")
    (root / DECISION).unlink()
    for n in (1, 3):
        (versions / f"v{n}.yaml").write_text(text.replace("第1号", f"第{n}号"), encoding="utf-8")
        os.utime(versions / f"v{n}.yaml", ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    (root / DECISION).symlink_to("../.versions/v1.yaml")
    first = load(root, TODAY, use_git=False)
    assert "测兴政罚决字〔2025〕第1号" in [e.decision.case_no for e in first.entries()]
    (root / DECISION).unlink()
    (root / DECISION).symlink_to("../.versions/v3.yaml")
    second = load(root, TODAY, use_git=False)
    assert sorted(e.decision.case_no for e in second.entries()) == ["测兴政罚决字〔2025〕第2号", "测兴政罚决字〔2025〕第3号"]


@pytest.mark.parametrize(("rel", "old", "new", "expected"), [
    (DECISION, "fine: 1000", "fine: 1.7e308",
     f"{DECISION}:15:7: 错误 F003 「罚款金额（元）」(fine)超过一万亿元，不会是真实的金额（填写的是 1.7e308）。"
     "提示：金额以元为单位，只写数字；核对是否多写了零，或写成了 1e308 这样的科学记数法"),
    (DECISION, "fine: 1000", "fine: 1000\nconfiscation: 99999999999999",
     f"{DECISION}:16:15: 错误 F003 「没收金额（元）」(confiscation)超过一万亿元"),
    ("content/town/benchmarks.yaml", "fine_max: 2000", "fine_max: 2e15",
     "content/town/benchmarks.yaml:10:17: 错误 F003 「罚款上限（元）」(fine_max)超过一万亿元"),
    (DECISION, "penalty_types: [罚款]", "penalty_types: [罚款, 警告, 罚款]",
     f"{DECISION}:14:25: 错误 F013 「处罚种类」(penalty_types)里「罚款」写了两次。提示：同一项只写一次：删去重复的一项"),
    (DECISION, "officers: ['33070100001', '33070100002']", "officers: ['33070100001', '33070100001']",
     f"{DECISION}:16:27: 错误 F013 「承办执法人员」(officers)里「33070100001」写了两次。"
     "提示：同一项只写一次：删去重复的一项；承办的两名执法人员要写两个不同的执法证号"),
    ("site_config/site.yaml", "region: 测试县", "region: 测试县\nbase_url: https://zfgs.example.gov.cn:99999/",
     "site_config/site.yaml:3:11: 错误 F003 「网站地址」(base_url)填写有误：端口号 99999 不存在（应在 1 至 65535 之间）"),
    ("site_config/site.yaml", "region: 测试县", "region: 测试县\nbase_url: 'http://10.0.0.8:0/'",
     "site_config/site.yaml:3:11: 错误 F003 「网站地址」(base_url)填写有误：端口号 0 不存在（应在 1 至 65535 之间）"),
])
def test_numbers_lists_and_addresses_no_record_can_mean(tree, capsys, rel, old, new, expected):
    root = tree("minimal")
    edit(root, rel, old, new)
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert any(line.startswith(expected) for line in err.splitlines()), err
    assert all(unreadable(line) is None for line in err.splitlines()[:-1]), err


def test_the_largest_real_amounts_and_a_real_port_are_accepted(tree):
    root = tree("minimal")
    edit(root, DECISION, "fine: 1000", "fine: 1000\nconfiscation: 18228000000")  # 182.28 亿元, on record
    edit(root, "site_config/site.yaml", "region: 测试县", "region: 测试县\nbase_url: https://zfgs.example.gov.cn:8443/")
    assert problems(root) == []
