"""Validation of a scheme file: every mistake is collected with its key path (``dimensions[1].indicators[0].weight``)
and reported together, one Chinese line each."""

from __future__ import annotations

import difflib
import math
import string
from typing import Any

from ... import choices as C
from ...errors import SchemeError
from ..catalogue import COUNT, METRICS
from .model import (DEDUCTION, LINEAR, Cap, DimensionSpec, Grade, IndicatorSpec, Lights, Scheme, Template)

TOP_KEYS = {"id", "name", "style", "base", "grades", "lights", "caps", "suggestion", "suggest_lights",
            "dimensions"}
DIMENSION_KEYS = {LINEAR: {"name", "weight", "aspect", "indicators"}, DEDUCTION: {"name", "aspect", "indicators"}}
INDICATOR_KEYS = {LINEAR: {"id", "weight", "target", "floor", "per", "suggest"},
                  DEDUCTION: {"id", "deduct", "max", "suggest"}}
TEMPLATE_KEYS = {"title", "description", "aspect", "direction"}
SUGGEST_LIGHTS = ("red", "yellow")
PLACEHOLDERS = ("unit", "period", "name", "value", "target", "floor", "score", "previous", "year_ago")
DEFAULT_SUGGESTION = Template("{name}未达到要求", "{period}{name}为{value}，目标为{target}，得分{score}。",
                              direction="针对{name}未达到要求的问题，分析原因，制定具体措施，明确责任人和完成时限。")


class SchemeProblems(SchemeError):
    """A scheme file was refused; one line per mistake."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = [f"指标方案 {source}：{p}" for p in problems]
        super().__init__("\n".join(self.problems))

    def lines(self) -> list[str]:
        return self.problems


def parse_scheme(data: Any, source: str) -> Scheme:
    """The scheme described by ``data`` (a parsed YAML document); raises ``SchemeProblems``."""
    check = _Checker()
    scheme = check.scheme(data)
    if check.problems:
        raise SchemeProblems(source, check.problems)
    return Scheme(**scheme, source=source)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _as_float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf


class _Checker:
    def __init__(self):
        self.problems: list[str] = []
        self.seen_ids: dict[str, str] = {}
        self.dimension_names: set[str] = set()

    def fail(self, path: str, problem: str) -> None:
        self.problems.append(f"{path}：{problem}" if path else problem)

    # -- generic shapes -------------------------------------------------------------------------------

    def mapping(self, node: Any, path: str, allowed: set[str], required: set[str]) -> dict:
        if not isinstance(node, dict):
            self.fail(path, "应为“键: 值”形式的映射")
            return {}
        for key in node:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                hint = f"，是否应为“{close[0]}”" if close else f"（可用的键：{'、'.join(sorted(allowed))}）"
                self.fail(_join(path, str(key)), f"未知的键{hint}")
        for key in sorted(required - set(node)):
            self.fail(_join(path, key), "缺少此项")
        return {k: v for k, v in node.items() if k in allowed}

    def text(self, node: dict, key: str, path: str, default: str | None = None) -> str | None:
        if key not in node:
            return default
        value = node[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(_join(path, key), "应为非空文字")
            return default
        return value.strip()

    def number(self, node: dict, key: str, path: str, default: float | None = None, *,
               positive: bool = False, name: str = "数值") -> float | None:
        if key not in node:
            return default
        value = node[key]
        if not _is_number(value):
            self.fail(_join(path, key), f"{name}应为数字（现为“{value}”）")
            return None
        # YAML's .inf and .nan, and an integer beyond any float: NaN passes every comparison, inf is not JSON
        if not math.isfinite(_as_float(value)):
            self.fail(_join(path, key), f"{name}应为有限的数字（现为“{value}”）")
            return None
        if positive and value < 0:
            self.fail(_join(path, key), f"{name}不能为负数（现为 {value}）")
            return None
        if positive and value == 0:
            self.fail(_join(path, key), f"{name}必须大于 0")
            return None
        return float(value)

    def items(self, node: dict, key: str, path: str, *, required: bool = True) -> list:
        if key not in node:
            return []
        value = node[key]
        if not isinstance(value, list) or (required and not value):
            self.fail(_join(path, key), "应为非空列表" if required else "应为列表")
            return []
        return value

    # -- the scheme -----------------------------------------------------------------------------------

    def scheme(self, data: Any) -> dict:
        top = self.mapping(data, "", TOP_KEYS, {"id", "name", "grades", "lights", "dimensions"})
        style = top.get("style", LINEAR)
        if style not in (LINEAR, DEDUCTION):
            self.fail("style", f"应为 {LINEAR}（按目标值与底线值计分）或 {DEDUCTION}（扣分制），现为“{style}”")
            style = LINEAR
        if "base" in top and style != DEDUCTION:
            self.fail("base", "只有扣分制（style: deduction）方案才有起始分 base")
        grades = self.grades(top)
        before = len(self.problems)
        dimensions = tuple(self.dimension(d, f"dimensions[{i}]", style)
                           for i, d in enumerate(self.items(top, "dimensions", "")))
        # a cap naming an indicator is only checked against a scheme whose indicators all parsed
        self.indicators_known = len(self.problems) == before and bool(dimensions)
        caps = tuple(self.cap(c, f"caps[{i}]", grades)
                     for i, c in enumerate(self.items(top, "caps", "", required=False)))
        return {
            "id": self.text(top, "id", "", ""),
            "name": self.text(top, "name", "", ""),
            "style": style,
            "base": self.number(top, "base", "", 100.0, positive=True, name="起始分"),
            "grades": grades,
            "lights": self.lights(top),
            "caps": caps,
            "dimensions": dimensions,
            "suggestion": self.template(top.get("suggestion"), "suggestion") or DEFAULT_SUGGESTION,
            "suggest_lights": self.suggest_lights(top),
        }

    def suggest_lights(self, top: dict) -> tuple[str, ...]:
        node = top.get("suggest_lights", ["red"])
        if (not isinstance(node, list) or "red" not in node
                or any(not isinstance(x, str) or x not in SUGGEST_LIGHTS for x in node)):
            self.fail("suggest_lights", f"应为 [red] 或 [red, yellow]（红灯总要提示问题），现为“{node}”")
            return ("red",)
        return tuple(x for x in SUGGEST_LIGHTS if x in node)

    def grades(self, top: dict) -> tuple[Grade, ...]:
        grades, last_low = [], None
        for i, node in enumerate(self.items(top, "grades", "")):
            path = f"grades[{i}]"
            band = self.mapping(node, path, {"min", "name"}, {"min", "name"})
            name, low = self.text(band, "name", path), self.number(band, "min", path, name="下限")
            if name is None or low is None:
                continue
            last_low = (i, low)
            if not 0 <= low <= 100:
                self.fail(_join(path, "min"), f"下限应在 0 到 100 之间（现为 {low:g}）")
            elif grades and low >= grades[-1].min:
                self.fail(_join(path, "min"), f"等级应从高到低排列，下限须小于上一等级的 {grades[-1].min:g}")
            elif name in {g.name for g in grades}:
                self.fail(_join(path, "name"), f"等级名称“{name}”重复")
            else:
                grades.append(Grade(name, low))
        if last_low is not None and last_low[1] != 0:
            self.fail(f"grades[{last_low[0]}].min", "最后一个等级的下限应为 0，否则低分没有等级")
        return tuple(grades)

    def lights(self, top: dict) -> Lights | None:
        if "lights" not in top:
            return None
        node = self.mapping(top["lights"], "lights", {"green", "yellow"}, {"green", "yellow"})
        green, yellow = (self.number(node, k, "lights", name="分数线") for k in ("green", "yellow"))
        if green is None or yellow is None:
            return None
        for key, value in (("green", green), ("yellow", yellow)):
            if not 0 <= value <= 100:
                self.fail(f"lights.{key}", f"分数线应在 0 到 100 之间（现为 {value:g}）")
        if green <= yellow:
            self.fail("lights.green", f"绿灯分数线（{green:g}）应高于黄灯分数线（{yellow:g}）")
        return Lights(green, yellow)

    def cap(self, node: Any, path: str, grades: tuple[Grade, ...]) -> Cap | None:
        cap = self.mapping(node, path, {"indicator", "below", "above", "grade_at_most"},
                           {"indicator", "grade_at_most"})
        indicator, grade = self.text(cap, "indicator", path), self.text(cap, "grade_at_most", path)
        below, above = self.number(cap, "below", path), self.number(cap, "above", path)
        if ("below" in cap) == ("above" in cap):
            self.fail(path, "应给出 below（低于）或 above（高于）二者之一")
        if grade is not None and grades and grade not in {g.name for g in grades}:
            self.fail(_join(path, "grade_at_most"),
                      f"“{grade}”不是本方案的等级（{'、'.join(g.name for g in grades)}）")
        if indicator is not None and self.indicators_known and indicator not in self.seen_ids:
            self.fail(_join(path, "indicator"), f"本方案的指标中没有“{indicator}”")
        return Cap(indicator or "", grade or "", below, above)

    def dimension(self, node: Any, path: str, style: str) -> DimensionSpec:
        required = {"name", "weight", "indicators"} if style == LINEAR else {"name", "indicators"}
        dim = self.mapping(node, path, DIMENSION_KEYS[style], required)
        name = self.text(dim, "name", path, "")
        if name in self.dimension_names:
            self.fail(_join(path, "name"), f"维度名称“{name}”重复")
        self.dimension_names.add(name)
        aspect = self.text(dim, "aspect", path, name if name in C.PROBLEM_ASPECT else "其他")
        if aspect not in C.PROBLEM_ASPECT:
            self.fail(_join(path, "aspect"), f"问题方面应为{'、'.join(C.PROBLEM_ASPECT)}之一（现为“{aspect}”）")
        weight = self.number(dim, "weight", path, 1.0, positive=True, name="权重")
        specs = tuple(self.indicator(n, f"{path}.indicators[{i}]", style)
                      for i, n in enumerate(self.items(dim, "indicators", path)))
        return DimensionSpec(name, weight or 1.0, aspect, specs)

    def indicator(self, node: Any, path: str, style: str) -> IndicatorSpec:
        required = {"id", "target", "floor"} if style == LINEAR else {"id", "deduct", "max"}
        spec = self.mapping(node, path, INDICATOR_KEYS[style], required)
        metric = self.metric_id(spec, path, style)
        fields: dict[str, Any] = {"id": metric or "", "suggest": self.template(spec.get("suggest"), f"{path}.suggest")}
        if style == LINEAR:
            fields["weight"] = self.number(spec, "weight", path, 1.0, positive=True, name="权重") or 1.0
            target, floor = self.number(spec, "target", path, name="目标值"), self.number(spec, "floor", path,
                                                                                            name="底线值")
            if target is not None and floor is not None and target == floor:
                self.fail(_join(path, "target"), f"目标值与底线值相同（均为 {target:g}），无法计分")
            fields.update(target=target or 0.0, floor=floor or 0.0, per=self.per(spec, path))
        else:
            fields["deduct"] = self.number(spec, "deduct", path, positive=True, name="每次扣分") or 0.0
            fields["max"] = self.number(spec, "max", path, positive=True, name="最多扣分") or 0.0
        return IndicatorSpec(**fields)

    def metric_id(self, spec: dict, path: str, style: str) -> str | None:
        metric = self.text(spec, "id", path)
        if metric is None:
            return None
        id_path = _join(path, "id")
        if metric not in METRICS:
            close = difflib.get_close_matches(metric, list(METRICS), n=1)
            self.fail(id_path, f"未知的指标“{metric}”" + (f"，是否应为“{close[0]}”" if close else
                                                         "（指标目录见 docs/assessment.md）"))
            return None
        if metric in self.seen_ids:
            self.fail(id_path, f"指标“{metric}”重复（已出现在 {self.seen_ids[metric]}）")
            return None
        self.seen_ids[metric] = id_path
        if style == DEDUCTION and METRICS[metric].kind != COUNT:
            self.fail(id_path, f"扣分制只能使用计数类指标，“{metric}”（{METRICS[metric].name}）不是计数")
        return metric

    def per(self, spec: dict, path: str) -> str | None:
        per = spec.get("per")
        if per not in (None, "year", "ytd"):
            self.fail(_join(path, "per"), f"应为 year（按年折算）或 ytd（年初至期末），现为“{per}”")
            return None
        return per

    def template(self, node: Any, path: str) -> Template | None:
        if node is None:
            return None
        tpl = self.mapping(node, path, TEMPLATE_KEYS, {"title", "description"})
        texts = {k: self.text(tpl, k, path) for k in ("title", "description")}
        direction = self.text(tpl, "direction", path)
        for key, text in {**texts, "direction": direction}.items():
            problem = _template_problem(text or "")
            if problem:
                self.fail(_join(path, key), problem)
        aspect = self.text(tpl, "aspect", path)
        if aspect is not None and aspect not in C.PROBLEM_ASPECT:
            self.fail(_join(path, "aspect"), f"问题方面应为{'、'.join(C.PROBLEM_ASPECT)}之一（现为“{aspect}”）")
        if None in texts.values():
            return None
        return Template(texts["title"], texts["description"], aspect, direction or "")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _template_problem(text: str) -> str | None:
    """Why ``text`` cannot be filled with the placeholders (each is replaced by already formatted text)."""
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
    except ValueError:
        return "模板中的花括号不成对（要写花括号本身请写 {{ 或 }}）"
    unknown = [f for f in fields if f not in PLACEHOLDERS]
    if unknown:
        return f"模板中的“{{{unknown[0]}}}”无法替换（可用：{'、'.join(PLACEHOLDERS)}）"
    try:
        text.format(**{p: "" for p in PLACEHOLDERS})
    except (ValueError, IndexError, KeyError):
        return "模板中的占位符只能写作 {name} 这样的形式，不能带格式说明"
    return None
