"""`disclose new`: a commented record to fill in. Never overwrites a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


class ScaffoldError(Exception):
    pass


DECISION = """\
# 执法决定：逐项填写后保存。字段说明见 使用说明。
case_no: ""            # 决定书文号，全站唯一，例如 示综执罚决字〔{year}〕第1号
kind: 行政处罚          # 行政处罚、行政许可、行政强制、行政检查、行政征收、行政确认、其他
party:
  type: 法人            # 自然人、个体工商户、法人、非法人组织
  name: ""              # 当事人名称；自然人姓名在网站上自动只留姓
  credit_code: ""       # 统一社会信用代码（自然人删掉这一行）
power: ""               # 适用的权责事项编码（powers.yaml 里的 code）
benchmark:              # 行政处罚必填
  id: ""                # 裁量基准编号
  level: 一般处罚        # 不予处罚、减轻处罚、从轻处罚、一般处罚、从重处罚
  explanation: ""       # 裁量说明
facts: ""               # 违法事实
basis: ""               # 决定依据
outcome: ""             # 决定内容
penalty_types: [罚款]    # 处罚种类
fine: 0                 # 罚款金额（元），只写数字
officers: []            # 承办执法人员的执法证号，至少两人，例如 ["33070012345"]
decided_on: {today}     # 作出决定日期
"""

LIST_ITEMS = {
    "officer": ("officers.yaml", """\
- name: ""              # 姓名（执法人员姓名依法公开）
  certificate_no: ""    # 执法证号，全站唯一，请加引号
  field: ""             # 执法类别，例如 市场监管
  unit: ""              # 所在科室或中队（可删）
  valid_from: {today}   # 证件有效期起
  valid_until: {today}  # 证件有效期止
  status: 在岗           # 在岗、暂扣、收回、注销、吊销；不是在岗时加一行 status_since: 日期
"""),
    "power": ("powers.yaml", """\
- code: ""              # 事项编码，全站唯一
  name: ""              # 事项名称
  category: 行政处罚     # 行政许可、行政处罚、行政强制、行政检查、行政征收、行政给付、行政确认、行政奖励、行政裁决、其他行政权力
  basis:                # 执法依据，至少一条
    - law: ""           # 法律法规名称，例如 《中华人民共和国食品安全法》
      article: ""       # 条款，例如 第一百二十四条
  responsibilities: []  # 责任事项（可删）
  accountability: []    # 追责情形（可删）
  process: []           # 执法程序（可删）
  major_decision_review: false  # 是否需要重大执法决定法制审核
"""),
    "benchmark": ("benchmarks.yaml", """\
- id: ""                # 基准编号，全站唯一，建议以主体编号开头
  power: ""             # 对应的行政处罚事项编码
  violation: ""         # 违法行为
  penalty_provision: "" # 处罚依据
  tiers:                # 裁量阶次，至少一个
    - level: 一般处罚    # 不予处罚、减轻处罚、从轻处罚、一般处罚、从重处罚
      circumstances: "" # 适用情形
      penalty: ""       # 处罚标准
      fine_min: 0       # 罚款下限（元，可删）
      fine_max: 0       # 罚款上限（元，可删）
"""),
}

AGENCY = """\
id: {agency}            # 等于文件夹名
name: ""                # 执法主体完整名称
kind: 行政机关           # 行政机关、法律法规授权组织、受委托组织、乡镇人民政府、街道办事处
credit_code: ""         # 统一社会信用代码（18位）
complaints:             # 投诉举报渠道，至少填一项
  phone: ""
reconsideration_body: "" # 行政复议机关
court: ""               # 管辖法院
"""


def _free(path: Path) -> Path:
    if not path.exists():
        return path
    for i in range(2, 10000):
        candidate = path.with_name(f"{path.stem}-{i}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise ScaffoldError(f"找不到可用的文件名：{path}")


def new_record(root: Path, kind: str, agency: str, today: dt.date) -> Path:
    folder = root / "content" / agency
    if kind != "agency" and not (folder / "agency.yaml").is_file():
        raise ScaffoldError(f"执法主体 {agency} 不存在：先运行 disclose new agency --agency {agency}")
    if kind == "decision":
        target = _free(folder / "decisions" / str(today.year) / f"{today.isoformat()}.yaml")
        text = DECISION.format(year=today.year, today=today.isoformat())
    elif kind in LIST_ITEMS:
        # A list file holds many records: add a commented item at its end; never rewrite what is there.
        name, item = LIST_ITEMS[kind]
        target = folder / name
        existing = target.read_text(encoding="utf-8") if target.exists() else ""
        sep = "" if not existing or existing.endswith("\n") else "\n"
        with target.open("a", encoding="utf-8") as fh:
            fh.write(sep + item.format(today=today.isoformat()))
        return target
    elif kind == "agency":
        if (folder / "agency.yaml").exists():
            raise ScaffoldError(f"执法主体 {agency} 已存在：{folder / 'agency.yaml'}")
        target = folder / "agency.yaml"
        text = AGENCY.format(agency=agency)
    else:
        raise ScaffoldError(f"暂不支持新建“{kind}”：目前只支持 decision；人员、事项、基准请在对应的清单文件里添加一项")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as fh:  # "x": fail rather than overwrite
        fh.write(text)
    return target
