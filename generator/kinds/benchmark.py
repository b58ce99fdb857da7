"""裁量基准: content/<agency>/benchmarks.yaml, a list; a decision cites a benchmark of any agency by id."""

from __future__ import annotations

from ..model import Benchmark
from ..problems import Problem
from .base import AGENCY, LIST, Files, Kind

MASKED = ("violation", "tiers.*.circumstances", "tiers.*.penalty")


def check(project) -> list[Problem]:
    out: list[Problem] = []
    powers = project.powers()
    for data in project.agencies.values():
        for bench, src in data.benchmarks:
            found = powers.get(bench.power)
            if found is None:
                out.append(src.problem(("power",), "R002", "裁量基准对应的事项编码不存在",
                                       "填写 powers.yaml 里某个事项的 code", given=bench.power))
            elif found[0].category != "行政处罚":
                out.append(src.problem(("power",), "R005", f"裁量基准对应的事项类别是“{found[0].category}”，不是行政处罚",
                                       "裁量基准只对应行政处罚事项", given=bench.power))
            for i, tier in enumerate(bench.tiers):
                if tier.fine_min is not None and tier.fine_max is not None and tier.fine_min > tier.fine_max:
                    out.append(src.problem(("tiers", i, "fine_min"), "F009", "罚款下限大于上限", "核对该阶次的罚款幅度",
                                           given=f"{tier.fine_min:g} > {tier.fine_max:g}"))
    return out


KIND = Kind(
    name="benchmark", title="裁量基准", model=Benchmark, files=Files(AGENCY, "benchmarks.yaml", LIST),
    attr="benchmarks", key="id", key_title="裁量基准编号", dup_code="D004",
    masked=MASKED, guarded=("id", "violated_provision", "penalty_provision", *MASKED),
    schema="benchmarks", schema_title="裁量基准",
    schema_note="content/<主体编号>/benchmarks.yaml：每项一个违法行为的裁量阶次表",
    collection="benchmarks", collection_title="裁量基准", check=check,
)
