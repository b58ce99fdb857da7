"""`disclose new`: every field with a comment, the next 文号, valid once filled, never overwriting."""

import datetime as dt
import re

import pytest
from pydantic import BaseModel

from generator.cli import main
from generator.model import Agency, Benchmark, Decision, Officer, Power, credit_code_check_char
from generator.project import load
from generator.scaffold import ScaffoldError, model_in, new_record, next_case_no
from generator.yamlio import read_yaml

TODAY = dt.date(2026, 11, 23)


def new(root, *args):
    return main(["new", *args, "--project", str(root), "--today", TODAY.isoformat()])


def read(path):
    """A file as the project reads it (YAML 1.2), with no problem."""
    doc, problems = read_yaml(path, path.name)
    assert problems == [], problems
    return doc.data


def yaml_items(text):
    from generator.yamlio import parse_text

    return parse_text(text, "x.yaml")[0].data


def errors(root):
    project = load(root, TODAY, use_git=False)
    return [p.format() for p in project.problems if p.is_error]


def keys_in(text: str) -> set[str]:
    """Every key written in a scaffold, live or commented out, with its nesting as a dotted path."""
    found, stack = set(), []
    for line in text.splitlines():
        m = re.match(r"^(\s*)(?:# )?(\s*)(- )?([a-z_]+):", line)
        if not m:
            continue
        depth = len(m.group(1)) + len(m.group(2)) + len(m.group(3) or "")
        stack = [(d, k) for d, k in stack if d < depth]
        stack.append((depth, m.group(4)))
        found.add(".".join(k for _, k in stack))
    return found


def fields_of(model: type[BaseModel], prefix: str = "") -> set[str]:
    out = set()
    for name, info in model.model_fields.items():
        out.add(prefix + name)
        nested = model_in(info.annotation)
        if nested is not None:
            out |= fields_of(nested, f"{prefix}{name}.")
    return out


# ---------------------------------------------------------------- the next 文号


def test_next_case_no_follows_the_highest_of_the_year_and_restarts_in_a_new_one():
    used = ["示综执罚决字〔2026〕第3号", "示综执罚决字〔2026〕第19号", "示综执罚决字〔2025〕第40号"]
    assert next_case_no(used, 2026) == "示综执罚决字〔2026〕第20号"
    assert next_case_no(used, 2027) == "示综执罚决字〔2027〕第1号"
    assert next_case_no(["测罚字[2026]12号"], 2026) == "测罚字[2026]第13号"  # bracket style kept
    assert next_case_no(["没有规律的编号"], 2026) is None


def test_next_case_no_takes_the_agency_s_usual_sequence():
    used = ["示综执罚决字〔2026〕第5号"] * 3 + ["示综执简罚决字〔2026〕第30号"]
    assert next_case_no(used, 2026) == "示综执罚决字〔2026〕第6号"


def test_new_decision_proposes_the_next_case_no_and_counts_drafts(tree):
    root = tree("minimal")  # 测兴政罚决字〔2025〕第1号, 第2号
    assert new(root, "decision", "--agency", "town") == 0
    first = root / "content/town/decisions/2026/2026-11-23-001.yaml"
    assert "case_no: 测兴政罚决字〔2026〕第1号" in first.read_text(encoding="utf-8")
    assert new(root, "decision", "--agency", "town", "--draft") == 0
    draft = root / "drafts/town/decisions/2026/2026-11-23-002.yaml"
    assert "case_no: 测兴政罚决字〔2026〕第2号" in draft.read_text(encoding="utf-8")
    assert new(root, "decision", "--agency", "town") == 0  # the draft holds 第2号
    assert "第3号" in (root / "content/town/decisions/2026/2026-11-23-003.yaml").read_text(encoding="utf-8")
    # a kind with no sequence yet gets no guess
    assert new(root, "decision", "--agency", "town", "--kind", "行政许可") == 0
    permit = (root / "content/town/decisions/2026/2026-11-23.yaml").read_text(encoding="utf-8")
    assert 'case_no: ""' in permit and "kind: 行政许可" in permit


def test_new_decision_never_overwrites(tree):
    root = tree("minimal")
    target = root / "content/town/decisions/2026/2026-11-23-001.yaml"
    target.parent.mkdir(parents=True)
    target.write_text("# staff work\n", encoding="utf-8")  # no case_no: 第1号 is still proposed
    assert new(root, "decision", "--agency", "town") == 0
    assert target.read_text(encoding="utf-8") == "# staff work\n"
    assert "第1号" in (root / "content/town/decisions/2026/2026-11-23-001-2.yaml").read_text(encoding="utf-8")


def test_new_for_unknown_agency_fails_cleanly(tree, capsys):
    root = tree("minimal")
    assert new(root, "decision", "--agency", "nope") == 1
    assert "执法主体 nope 不存在" in capsys.readouterr().err


def test_new_agency_never_overwrites(tree, capsys):
    root = tree("minimal")
    assert new(root, "agency", "--agency", "newtown") == 0
    assert (root / "content/newtown/agency.yaml").is_file()
    before = (root / "content/town/agency.yaml").read_text(encoding="utf-8")
    assert new(root, "agency", "--agency", "town") == 1
    assert "已存在" in capsys.readouterr().err
    assert (root / "content/town/agency.yaml").read_text(encoding="utf-8") == before


# ---------------------------------------------------------------- every field, each commented


@pytest.mark.parametrize(("kind", "model", "path"), [
    ("decision", Decision, "content/town/decisions/2026/2026-11-23-001.yaml"),
    ("agency", Agency, "content/other/agency.yaml"),
])
def test_a_new_file_has_every_field_each_with_a_chinese_comment(tree, kind, model, path):
    root = tree("minimal")
    assert new(root, kind, "--agency", "other" if kind == "agency" else "town") == 0
    text = (root / path).read_text(encoding="utf-8")
    assert keys_in(text) >= fields_of(model)
    for line in text.splitlines():
        if re.match(r"^\s*(# )?\s*(- )?[a-z_]+:", line):
            assert re.search(r"#\s*[\u4e00-\u9fff]", line.split(":", 1)[1]), line


@pytest.mark.parametrize(("kind", "model", "file"), [
    ("officer", Officer, "officers.yaml"), ("power", Power, "powers.yaml"), ("benchmark", Benchmark, "benchmarks.yaml"),
])
def test_a_list_item_is_appended_with_every_field(tree, kind, model, file):
    root = tree("minimal")
    target = root / "content/town" / file
    before = target.read_text(encoding="utf-8")
    assert new(root, kind, "--agency", "town") == 0
    after = target.read_text(encoding="utf-8")
    assert after.startswith(before)  # nothing the staff wrote is touched
    added = after[len(before):]
    assert keys_in(added) >= fields_of(model)
    assert len(read(target)) == len(yaml_items(before)) + 1


# ---------------------------------------------------------------- valid after filling, clear when not


def test_an_unfilled_decision_fails_with_what_to_fill(tree):
    root = tree("minimal")
    assert new(root, "decision", "--agency", "town") == 0
    found = errors(root)
    assert any("2026-11-23-001.yaml:" in e and "F001" in e and "当事人名称" in e for e in found), found
    assert not any("Traceback" in e for e in found)


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        pattern = re.compile(rf"^(\s*(?:- )?){re.escape(key)}:[^#\n]*", re.M)
        text, n = pattern.subn(lambda m, k=key, v=value: f"{m.group(1)}{k}: {v}  ", text, count=1)
        assert n == 1, key
    return text


def test_every_scaffold_is_valid_once_filled(tree):
    root = tree("minimal")
    code = "91330700MA" + "2A3B4C5"
    code += credit_code_check_char(code)
    for kind in ("power", "benchmark", "officer", "decision"):
        assert new(root, kind, "--agency", "town") == 0
    assert new(root, "agency", "--agency", "newtown") == 0
    town = root / "content/town"
    powers = town / "powers.yaml"
    text = powers.read_text(encoding="utf-8")
    head, tail = text.rsplit("# 新增的", 1)
    powers.write_text(head + _fill("# 新增的" + tail, {
        "code": "TOWN-CF009", "name": "对乱倒垃圾的处罚", "category": "行政处罚", "law": "《测试省市容条例》",
        "article": "第二十条"}), encoding="utf-8")
    for file, values in (
        ("benchmarks.yaml", {"id": "town-B009", "power": "TOWN-CF009", "violation": "乱倒垃圾",
                             "penalty_provision": "《测试省市容条例》第二十条", "circumstances": "初次",
                             "penalty": "处二百元罚款", "fine_min": "100", "fine_max": "500"}),
        ("officers.yaml", {"name": "赵六", "certificate_no": "'33070100009'", "field": "乡镇综合执法",
                           "valid_from": "2026-01-01", "valid_until": "2030-12-31"}),
    ):
        path = town / file
        head, tail = path.read_text(encoding="utf-8").rsplit("# 新增的", 1)
        path.write_text(head + _fill("# 新增的" + tail, values), encoding="utf-8")
    decision = town / "decisions/2026/2026-11-23-001.yaml"
    decision.write_text(_fill(decision.read_text(encoding="utf-8"), {
        "type": "法人", "name": "测试县某某贸易有限公司", "credit_code": code, "power": "TOWN-CF009",
        "id": "town-B009", "facts": "在街道乱倒垃圾", "basis": "《测试省市容条例》第二十条", "outcome": "罚款二百元",
        "fine": "200", "officers": "['33070100001', '33070100009']", "decided_on": "2026-11-20"}), encoding="utf-8")
    agency = root / "content/newtown/agency.yaml"
    agency.write_text(_fill(agency.read_text(encoding="utf-8"), {
        "name": "测试县新镇人民政府", "kind": "乡镇人民政府", "credit_code": code.replace("MA", "MB", 1)[:17]
        + credit_code_check_char(code.replace("MA", "MB", 1)[:17]), "phone": "0570-1234567",
        "reconsideration_body": "测试县人民政府", "court": "测试县人民法院"}), encoding="utf-8")
    assert errors(root) == []
    project = load(root, TODAY, use_git=False)
    assert "测兴政罚决字〔2026〕第1号" in {e.decision.case_no for e in project.entries()}
    assert "town-B009" in project.benchmarks() and "33070100009" in project.officers()


# ---------------------------------------------------------------- list files in any shape, values as read


OFFICER = "{name: 王伟, certificate_no: '33070100001', field: 乡镇综合执法, valid_from: 2022-01-01, valid_until: 2027-12-31, status: 在岗}"


@pytest.mark.parametrize("text", [
    None,  # no file yet
    "",
    "# 执法人员名单（只有注释）\n# 待补充\n",
    "[]\n",
    "[ ]",
    "# 执法人员名单\n[]  # 暂无\n",
    f"[{OFFICER}]\n",
    f"# 执法人员名单\n[\n  {OFFICER},  # 组长\n]\n# 完\n",
    f"- {OFFICER}\n",
])
def test_a_new_officer_in_a_list_file_of_any_shape_reads_back_with_the_old_ones(tree, text):
    root = tree("minimal")
    target = root / "content/town/officers.yaml"
    if text is None:
        target.unlink()
        old = []
    else:
        target.write_text(text, encoding="utf-8")
        old = yaml_items(text) or []
    assert new(root, "officer", "--agency", "town") == 0
    after = target.read_text(encoding="utf-8")
    items = read(target)
    assert items[:-1] == old and len(items) == len(old) + 1
    assert set(items[-1]) == set(Officer.model_fields)  # every field, optional ones empty
    assert items[-1]["valid_from"] == TODAY
    for comment in ("只有注释", "待补充", "执法人员名单", "暂无", "组长", "完"):
        assert (comment in (text or "")) == (comment in after), comment


def test_a_broken_list_file_is_left_alone_with_the_reason(tree, capsys):
    root = tree("minimal")
    target = root / "content/town/officers.yaml"
    target.write_text("- name: 王伟\n  name: 李娜\n", encoding="utf-8")
    assert new(root, "officer", "--agency", "town") == 1
    err = capsys.readouterr().err
    assert "content/town/officers.yaml 本身有错误，先改正再添加" in err and "重复" in err
    assert target.read_text(encoding="utf-8") == "- name: 王伟\n  name: 李娜\n"
    target.write_text("name: 王伟\n", encoding="utf-8")
    assert new(root, "officer", "--agency", "town") == 1
    assert "应是一个清单" in capsys.readouterr().err


@pytest.mark.parametrize("agency", ["123", "2026-03-02", "1e5", "0x1f"])
def test_an_agency_id_that_looks_like_a_number_or_date_is_written_as_text(tree, agency):
    root = tree("minimal")
    assert new(root, "agency", "--agency", agency) == 0
    assert read(root / "content" / agency / "agency.yaml")["id"] == agency


@pytest.mark.parametrize(("kind", "agency"), [
    ("officer", "../../x"), ("decision", "../../x"), ("agency", "../../x"), ("agency", "/tmp/x"), ("power", "Town"),
    ("agency", "镇"), ("benchmark", "town/../town"), ("agency", ""),
])
def test_an_agency_id_that_is_not_a_folder_name_is_a_usage_error(tree, capsys, kind, agency):
    root = tree("minimal")
    outside = root.parent / "x"
    (outside).mkdir(exist_ok=True)
    (outside / "agency.yaml").write_text("id: x\n", encoding="utf-8")  # would make ../../x look like an agency
    before = sorted(p.relative_to(root.parent) for p in root.parent.rglob("*"))
    with pytest.raises(SystemExit) as exit_:
        new(root, kind, "--agency", agency)
    assert exit_.value.code == 2
    assert "执法主体编号只能用小写字母、数字和连字符" in capsys.readouterr().err
    assert sorted(p.relative_to(root.parent) for p in root.parent.rglob("*")) == before
    with pytest.raises(ScaffoldError, match="执法主体编号只能用"):
        new_record(root, kind, agency, TODAY)


def test_a_list_file_saved_on_windows_keeps_its_bom_and_line_endings(tree):
    root = tree("minimal")
    target = root / "content/town/officers.yaml"
    before = b"\xef\xbb\xbf" + target.read_bytes().replace(b"\n", b"\r\n")
    target.write_bytes(before)
    assert new(root, "officer", "--agency", "town") == 0
    after = target.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == after.count(b"\r\n")
    assert len(read(target)) == 3


@pytest.mark.parametrize("length", [101, 300])  # 300: longer than a file name may be (255 bytes)
def test_an_agency_id_longer_than_the_model_allows_is_a_usage_error(tree, capsys, length):
    root = tree("minimal")
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    with pytest.raises(SystemExit) as exit_:
        new(root, "agency", "--agency", "a" * length)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"执法主体编号太长（{length} 个字符，上限 100 个）：用简短的拼音缩写，例如 scjg" in err
    assert "内部错误" not in err and "OSError" not in err
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    with pytest.raises(ScaffoldError, match="执法主体编号太长"):
        new_record(root, "agency", "a" * length, TODAY)


def test_new_accepts_exactly_the_agency_ids_the_model_accepts(tree):
    """One rule, not two: an id `disclose new` makes is one agency.yaml may carry, and the longest
    the model allows is made (a folder name of 100 characters is well within the file system's)."""
    from pydantic import TypeAdapter, ValidationError

    from generator.scaffold import agency_id

    model = TypeAdapter(Agency.model_fields["id"].rebuild_annotation())
    for text in ("a" * 100, "a" * 101, "scjg", "-rf", "Town", "a_b", "镇", "123", ""):
        try:
            model.validate_python(text)
            by_model = True
        except ValidationError:
            by_model = False
        try:
            agency_id(text)
            by_new = True
        except ValueError:
            by_new = False
        assert by_new == by_model, text
    root = tree("minimal")
    assert new(root, "agency", "--agency", "a" * 100) == 0
    assert read(root / "content" / ("a" * 100) / "agency.yaml")["id"] == "a" * 100
