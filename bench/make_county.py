"""Write a synthetic county project at the scale of ARCHITECTURE.md's benchmark.

50 agencies, 50,000 decisions over five years, 2,000 officers, 8,000 power
items, 5,000 benchmarks, and (the supervision issue) 500 supervision notices,
20 rectification plans, 5,000 1+X coordination records with the example
county's local rules; realistic Chinese text and valid cross-references, so
that `disclose validate` reports no errors. Deterministic for a given seed.

    python bench/make_county.py OUT_DIR [--scale 1.0] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

import yaml

from generator.model import credit_code_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华文辉志强海燕晓东玉兰春梅国庆红梅立新德胜"
FIELDS = ["城市管理", "市场监管", "生态环境", "交通运输", "文化旅游", "农业农村", "自然资源", "应急管理",
          "卫生健康", "水利", "住房城乡建设", "消防救援"]
TOWNS = ["城关", "兴隆", "东湖", "西山", "南塘", "北岭", "清溪", "石桥", "新安", "桃源", "白沙", "金峰",
         "龙泉", "永安", "长乐", "太平", "双河", "青林", "和平", "红星"]
WORDS = ["和顺", "兴旺", "恒达", "鑫源", "永盛", "华泰", "金诚", "利民", "宏图", "佳美", "盛世", "天和", "锦程",
         "德信", "万家", "福满", "康乐", "瑞丰", "新时代", "绿源"]
TRADES = ["装饰工程", "便利店", "餐饮管理", "建材", "食品", "物流", "农业开发", "建筑劳务", "汽车维修", "药房",
          "五金", "网络科技", "养殖", "酒店", "印务"]
VIOLATIONS = [
    ("擅自设置大型户外广告", "《城市市容和环境卫生管理条例》", "第三十六条"),
    ("未经批准占用城市道路", "《城市道路管理条例》", "第四十二条"),
    ("随意倾倒建筑垃圾", "《城市建筑垃圾管理规定》", "第二十六条"),
    ("施工工地未采取扬尘防治措施", "《中华人民共和国大气污染防治法》", "第一百一十五条"),
    ("未按规定公示营业执照", "《中华人民共和国市场主体登记管理条例》", "第四十八条"),
    ("销售过期食品", "《中华人民共和国食品安全法》", "第一百二十四条"),
    ("未取得许可从事食品经营", "《中华人民共和国食品安全法》", "第一百二十二条"),
    ("超标排放大气污染物", "《中华人民共和国大气污染防治法》", "第九十九条"),
    ("未按规定设置安全警示标志", "《中华人民共和国安全生产法》", "第九十九条"),
    ("非法占用耕地建房", "《中华人民共和国土地管理法》", "第七十七条"),
    ("未经许可经营旅行社业务", "《旅行社条例》", "第四十六条"),
    ("在禁渔期内捕捞", "《中华人民共和国渔业法》", "第三十八条"),
    ("擅自占用消防车通道", "《中华人民共和国消防法》", "第六十条"),
    ("经营无合格证明的农药", "《农药管理条例》", "第五十五条"),
    ("违规经营网吧接纳未成年人", "《互联网上网服务营业场所管理条例》", "第三十一条"),
    ("超限运输", "《公路安全保护条例》", "第六十四条"),
]
OTHER = {
    "行政许可": ["食品经营许可", "户外广告设置许可", "城市道路占用许可", "取水许可", "建筑工程施工许可"],
    "行政检查": ["食品经营者日常监督检查", "建筑工地扬尘专项检查", "消防安全检查", "特种设备安全检查"],
    "行政强制": ["查封违法经营场所", "扣押非法财物", "暂扣运输车辆"],
}
CODES = {"行政处罚": "CF", "行政许可": "XK", "行政检查": "JC", "行政强制": "QZ"}
TIERS = [("不予处罚", None), ("从轻处罚", (1, 2)), ("一般处罚", (2, 4)), ("从重处罚", (4, 10))]


def credit_code(rng: random.Random) -> str:
    body = "91330000MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(7))
    return body + credit_code_check_char(body)


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def company(rng: random.Random) -> str:
    return f"示例县{rng.choice(WORDS)}{rng.choice(TRADES)}有限公司"


def dump(path: Path, data, header: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(header + text, encoding="utf-8")


def make(out: Path, scale: float = 1.0, seed: int = 1, today: dt.date = dt.date(2026, 11, 23)) -> dict[str, int]:
    rng = random.Random(seed)
    n_agencies = 50
    per = {k: max(2, round(v * scale)) for k, v in
           {"officers": 40, "powers": 160, "benchmarks": 100, "decisions": 1000}.items()}
    if out.exists():
        shutil.rmtree(out)
    (out / "site_config").mkdir(parents=True)
    dump(out / "site_config" / "site.yaml", {
        "title": "示例县行政执法公示（基准测试）", "region": "示例省示例市示例县", "operator": "示例县司法局",
        # The 执法监督 page stays off, as before the supervision records: at this scale the synthetic officers'
        # certificates lapse under ~29,000 decisions, and locating each of those findings re-reads its file (~45 s).
        "contact": "0571-00000000", "base_url": "https://zfgs.example.gov.cn/", "supervision_page": False})
    dump(out / "site_config" / "calendar.yaml", {"years": {}})
    # As `disclose init` writes it: the cache `disclose validate` leaves in the project is never committed.
    shutil.copy(Path(__file__).resolve().parent.parent / "templates" / "project" / "gitignore", out / ".gitignore")
    # the example county's local rules and sources: escalation, coordination and the annual summary on the clock
    for name in ("rules.yaml", "sources.yaml"):
        shutil.copy(Path(__file__).resolve().parent.parent / "site_config" / name, out / "site_config" / name)
    counts = dict.fromkeys(("agencies", "officers", "powers", "benchmarks", "decisions"), 0)
    cert_seq = 0
    made: dict[str, dict] = {}  # per agency: its case numbers, certificates and name, for the supervision records
    for a in range(n_agencies):
        town = TOWNS[a % len(TOWNS)]
        field = FIELDS[a % len(FIELDS)]
        aid = f"a{a + 1:02d}"
        short = f"示{town[0]}{field[:2]}"
        name = f"示例县{town}{field}执法{'中队' if a >= 20 else '局'}" if a < 40 else f"示例县{town}镇人民政府{a}"
        root = out / "content" / aid
        dump(root / "agency.yaml", {
            "id": aid, "name": name, "kind": "乡镇人民政府" if a >= 40 else "行政机关",
            "credit_code": credit_code(rng), "basis": f"《示例县机构设置方案》，负责{field}领域行政执法",
            "address": f"示例县{town}镇人民路{a + 1}号", "phone": f"0571-{10000000 + a:08d}",
            "complaints": {"phone": f"0571-{20000000 + a:08d}", "address": f"示例县{town}镇人民路{a + 1}号"},
            "reconsideration_body": "示例县人民政府", "court": "示例县人民法院", "supervisor": "示例县司法局"})
        counts["agencies"] += 1
        officers = []
        for _ in range(per["officers"]):
            cert_seq += 1
            start = dt.date(rng.randint(2019, 2024), rng.randint(1, 12), 1)
            officers.append({
                "name": person(rng), "certificate_no": f"{33070000000 + cert_seq:011d}", "field": field,
                "unit": f"第{rng.randint(1, 5)}中队", "valid_from": start,
                "valid_until": start.replace(year=start.year + 5) - dt.timedelta(days=1), "status": "在岗"})
        dump(root / "officers.yaml", officers, "# 执法人员名单\n")
        counts["officers"] += len(officers)
        powers, benches = [], []
        by_kind: dict[str, list[dict]] = {k: [] for k in CODES}
        for i in range(per["powers"]):
            kind = "行政处罚" if i % 8 < 5 else rng.choice(list(OTHER))
            code = f"{330700 + a:06d}{CODES[kind]}{i + 1:03d}"
            if kind == "行政处罚":
                violation, law, article = VIOLATIONS[(i + a) % len(VIOLATIONS)]
                pname = f"对{violation}的处罚"
            else:
                violation, law, article = rng.choice(OTHER[kind]), "《中华人民共和国行政许可法》", "第十二条"
                pname = violation
            power = {"code": code, "name": pname, "category": kind,
                     "basis": [{"law": law, "article": article}],
                     "responsibilities": ["受理责任：依法受理或立案", "审查责任：调查取证", "决定责任：依法作出决定"],
                     "process": ["立案", "调查取证", "法制审核", "告知", "决定", "送达"],
                     "time_limit": "自立案之日起九十日内作出决定"}
            if kind == "行政处罚" and i % 10 == 0:
                power["major_decision_review"] = True
            powers.append(power)
            by_kind[kind].append({**power, "_violation": violation, "_law": law, "_article": article})
        for j, p in enumerate(by_kind["行政处罚"][: per["benchmarks"]]):
            base = rng.choice((500, 1000, 2000, 5000))
            tiers = []
            for level, span in TIERS:
                tier = {"level": level, "circumstances": "初次违法且危害后果轻微并及时改正的" if span is None
                        else f"{level}情形", "penalty": "不予行政处罚，予以批评教育" if span is None
                        else f"处{base * span[0]}元以上{base * span[1]}元以下罚款"}
                if span:
                    tier.update(fine_min=base * span[0], fine_max=base * span[1])
                tiers.append(tier)
            bench = {"id": f"{aid}-B{j + 1:03d}", "power": p["code"], "violation": p["_violation"],
                     "violated_provision": f"{p['_law']}相关条款", "penalty_provision": f"{p['_law']}{p['_article']}",
                     "tiers": tiers}
            benches.append(bench)
            p["_bench"] = bench
        dump(root / "powers.yaml", powers, "# 权责清单\n")
        dump(root / "benchmarks.yaml", benches, "# 行政裁量权基准\n")
        counts["powers"] += len(powers)
        counts["benchmarks"] += len(benches)
        punishable = [p for p in by_kind["行政处罚"] if "_bench" in p]
        seq: dict[int, int] = {}
        for k in range(per["decisions"]):
            year = today.year - 4 + k * 5 // per["decisions"]
            start = dt.date(year, 1, 2)
            end = min(dt.date(year, 12, 28), today - dt.timedelta(days=20))
            decided = start + dt.timedelta(days=rng.randint(0, (end - start).days))
            seq[year] = seq.get(year, 0) + 1
            kind = "行政处罚" if rng.random() < 0.6 else rng.choice(list(OTHER))
            p = rng.choice(punishable) if kind == "行政处罚" else rng.choice(by_kind[kind] or punishable)
            if kind != "行政处罚" and p["category"] == "行政处罚":
                kind = "行政处罚"
            natural = rng.random() < 0.4
            pname = person(rng) if natural else company(rng)
            party = {"type": "自然人", "name": pname} if natural else {
                "type": rng.choice(("法人", "个体工商户")), "name": pname, "credit_code": credit_code(rng)}
            certs = rng.sample([o["certificate_no"] for o in officers], 2)
            month = f"{decided.year}年{decided.month}月"
            d = {"case_no": f"{short}{'罚决' if kind == '行政处罚' else '决'}字〔{year}〕第{seq[year]}号",
                 "kind": kind, "party": party, "power": p["code"]}
            if kind == "行政处罚":
                bench = p["_bench"]
                tier = rng.choice(bench["tiers"][1:])
                fine = rng.randint(tier["fine_min"] // 100, tier["fine_max"] // 100) * 100
                d["benchmark"] = {"id": bench["id"], "level": tier["level"],
                                  "explanation": f"当事人{pname}{tier['circumstances']}，适用{tier['level']}阶次"}
                d["facts"] = (f"{month}，执法人员在日常巡查中发现，当事人{pname}在示例县{rng.choice(TOWNS)}镇"
                              f"{rng.choice(WORDS)}路存在{p['_violation']}的行为，经调查核实，事实清楚、证据确凿。")
                d["basis"] = f"{p['_law']}{p['_article']}"
                d["outcome"] = f"对当事人{pname}处以罚款人民币{fine}元，并责令立即改正违法行为。"
                d["penalty_types"] = ["罚款"]
                d["fine"] = fine
            else:
                d["facts"] = f"当事人{pname}于{month}提出申请或经检查，执法人员依法{p['_violation']}，材料齐全、符合法定条件。"
                d["basis"] = f"{p['_law']}{p['_article']}"
                d["outcome"] = f"依法作出{p['_violation']}的决定。"
            d["officers"] = certs
            if p.get("major_decision_review"):
                d["legal_review"] = {"reviewer": "示例县司法局法制审核科", "date": decided - dt.timedelta(days=2),
                                     "conclusion": "事实清楚，证据充分，程序合法，同意作出决定"}
            d["decided_on"] = decided
            d["served_on"] = decided + dt.timedelta(days=rng.randint(0, 3))
            d["published_on"] = d["served_on"] + dt.timedelta(days=rng.randint(1, 8))
            if k % 97 == 0:
                d["status"] = "撤销"
                d["status_changed_on"] = d["published_on"] + dt.timedelta(days=5)
                d["status_reason"] = "经行政复议，原决定认定事实不清，予以撤销"
            dump(root / "decisions" / str(year) / f"{decided.isoformat()}-{seq[year]:04d}.yaml", d)
            counts["decisions"] += 1
            made.setdefault(aid, {"cases": [], "town": town})["cases"].append(d["case_no"])
        made[aid]["certs"] = [o["certificate_no"] for o in officers]
    counts.update(supervision(out, rng, scale, today, made))
    return counts


OUTSIDE = ["示例县公安局", "示例县住房和城乡建设局", "示例县自然资源和规划局", "示例县司法局", "示例县委编办",
           "示例县“1+X”联合执法领导小组办公室"]
COORDINATION = [("案件移送", 0.45), ("信息告知", 0.3), ("协助请求", 0.15), ("联合执法", 0.07), ("争议协调", 0.03)]
COORDINATION_DAYS = {"案件移送": 3, "信息告知": 10, "协助请求": 5}  # working days, roughly in calendar days below


def supervision(out: Path, rng: random.Random, scale: float, today: dt.date, made: dict) -> dict[str, int]:
    """Notices from the 司法所 and 司法局 (some escalated into a 通知书), plans, coordination, summaries."""
    n_notices, n_plans, n_coord = (max(2, round(v * scale)) for v in (500, 20, 5000))
    agencies = sorted(made)
    first = today.year - 4
    summaries: dict[tuple[int, str], None] = {}
    seq: dict[tuple[str, int], int] = {}

    def number(prefix: str, year: int) -> str:
        seq[(prefix, year)] = seq.get((prefix, year), 0) + 1
        return f"{prefix}〔{year}〕第{seq[(prefix, year)]}号"

    def day_in(year: int) -> dt.date:
        end = min(dt.date(year, 12, 20), today - dt.timedelta(days=5))
        return dt.date(year, 1, 5) + dt.timedelta(days=rng.randint(0, (end - dt.date(year, 1, 5)).days))

    for k in range(n_notices):
        aid = rng.choice(agencies)
        town = made[aid]["town"]
        year = first + k * 5 // n_notices
        issued = day_in(year)
        by = f"示例县{town}司法所"
        prefix = f"示{town[0]}司所监建"
        rectify = issued + dt.timedelta(days=30)
        n = {"id": number(prefix, year), "kind": "监督建议书", "issued_by": by, "issued_to": aid, "issued_on": issued,
             "problems": [f"{rng.choice(made[aid]['cases'])}决定的裁量说明过于简单，未说明适用阶次的理由",
                          "个别执法人员未按规定出示执法证件"],
             "concerns": [{"decision": rng.choice(made[aid]["cases"])}, {"officer": rng.choice(made[aid]["certs"])}],
             "basis": "《中华人民共和国行政处罚法》第五十八条；《行政执法监督条例》第二条", "rectify_by": rectify}
        fate = rng.random()
        if rectify >= today - dt.timedelta(days=60) and fate >= 0.8:
            fate = 0.5  # an escalation needs time to run its course before today
        if rectify >= today - dt.timedelta(days=3) or fate < 0.08:
            n["status"] = "整改中"
        elif fate < 0.8:
            closed = rectify - dt.timedelta(days=rng.randint(1, 20))
            n.update(response={"reported_on": closed - dt.timedelta(days=2), "summary": "已按建议逐项整改，完善了裁量说明和执法证件管理。"},
                     status="已销号", closed_on=closed)
        else:  # not rectified in time: reported upward, a 通知书 follows
            escalated = rectify + dt.timedelta(days=rng.randint(1, 6))
            follow = number("示司监通", year)
            n.update(status="已销号", closed_on=rectify + dt.timedelta(days=40), escalated_on=escalated, follow_up=follow)
            notice_date = escalated + dt.timedelta(days=3)
            dump(out / "supervision" / "notices" / str(notice_date.year) / f"{notice_date.isoformat()}-{k:04d}-tz.yaml", {
                "id": follow, "kind": "监督通知书", "issued_by": "示例县司法局", "issued_to": aid,
                "issued_on": notice_date, "problems": [f"{n['id']}建议书限期届满仍未整改"],
                "basis": "《行政执法监督条例》第六条第一款", "rectify_by": notice_date + dt.timedelta(days=30),
                "status": "已整改", "closed_on": notice_date + dt.timedelta(days=25), "public": k % 10 == 0})
        n["public"] = k % 10 == 0
        dump(out / "supervision" / "notices" / str(year) / f"{issued.isoformat()}-{k:04d}.yaml", n)
        summaries.setdefault((year, by))
    for (year, by) in summaries:
        if year < today.year:
            late = rng.random() < 0.1
            summaries[(year, by)] = {"year": year, "by": by, "to": "示例县司法局",
                                     "submitted_on": dt.date(year + 1, 1, 8) if late else dt.date(year, 12, 26)}
    dump(out / "supervision" / "summaries.yaml", [v for v in summaries.values() if v])
    for k in range(n_plans):
        aid = agencies[k * len(agencies) // n_plans]
        adopted = day_in(first + 2 + k % 3)
        problems = []
        for i in range(rng.randint(3, 8)):
            measures = []
            for j in range(rng.randint(2, 5)):
                due = rng.choice(["长期坚持", "持续推进", adopted + dt.timedelta(days=rng.randint(30, 400))])
                m = {"text": f"第{i + 1}项问题的第{j + 1}项整改措施：完善制度、加强培训、逐件复查",
                     "lead": "政策法规科", "responsible": ["各执法科室"], "due": due}
                if isinstance(due, dt.date) and due < today and rng.random() < 0.75:
                    m["done_on"] = due - dt.timedelta(days=rng.randint(0, 20))
                measures.append(m)
            problems.append({"title": f"反馈问题{i + 1}：执法程序不规范", "description": "部分案卷执法程序、文书制作不规范。",
                             "measures": measures})
        dump(out / "supervision" / "plans" / f"{aid}-{k:02d}.yaml", {
            "id": f"{aid}-{k:02d}-zgfa", "title": f"关于县司法局行政执法监督反馈问题的整改方案（{k + 1}）", "owner": aid,
            "source": "《示例县司法局关于行政执法监督的反馈意见》", "adopted_on": adopted, "public": k % 2 == 0,
            "problems": problems})
    kinds = [k for k, _ in COORDINATION]
    weights = [w for _, w in COORDINATION]
    for k in range(n_coord):
        kind = rng.choices(kinds, weights)[0]
        year = first + k * 5 // n_coord
        start = day_in(year)
        source, target = rng.sample(agencies, 2)
        if rng.random() < 0.3:
            target = rng.choice(OUTSIDE)
        c = {"kind": kind, "from": source, "to": target, "started_on": start,
             # public only where the 执法监督 page lists it (W006): off here, see site.yaml above
             "subject": f"{kind}：{rng.choice(VIOLATIONS)[0]}", "public": False}
        if kind == "案件移送":
            c["id"] = number(f"示{made[source]['town'][0]}移", year)
            c["urgent"] = rng.random() < 0.05
        fate = rng.random()
        if kind == "联合执法":
            c["done_on"] = start - dt.timedelta(days=rng.randint(6, 12) if fate < 0.85 else rng.randint(1, 4))
        elif start < today - dt.timedelta(days=20) or fate < 0.5:
            days = COORDINATION_DAYS.get(kind, 20)
            c["done_on"] = min(today, start + dt.timedelta(days=rng.randint(0, days) if fate < 0.85
                                                            else rng.randint(days + 5, days + 15)))
        dump(out / "coordination" / str(year) / f"{start.isoformat()}-{k:05d}.yaml", c)
    return {"notices": n_notices, "plans": n_plans, "coordination": n_coord}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 = 50,000 decisions")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    counts = make(args.out, args.scale, args.seed)
    print("  ".join(f"{k} {v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
