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
    else:
        raise ScaffoldError(f"暂不支持新建“{kind}”：目前只支持 decision；人员、事项、基准请在对应的清单文件里添加一项")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as fh:  # "x": fail rather than overwrite
        fh.write(text)
    return target
