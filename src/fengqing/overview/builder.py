"""The supervisor's 综合研判报告 over its units for one period (issue 13, item 3), built as the report's
document model (:mod:`fengqing.report.document`) so every renderer writes it in the same GB/T 9704 layout.

Every figure is a :class:`~fengqing.report.fact.Fact` listing what it counts (``unit:ID``, ``measure:ID``, the
reader's text keys), so the JSON and HTML renderings trace it like the unit reports' figures. Comparisons with
the previous period are made only for units that recorded their regular work in it
(:func:`fengqing.assess.history.units_with_records`), as in the unit reports.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from ..analysis.api import Analysis
from ..analysis.findings import COPY_KINDS
from ..assess.engine import assess, ranked
from ..assess.history import units_with_records
from ..assess.results import UnitAssessment
from ..assess.schemes import Scheme, load_scheme
from ..assess.sources import overdue_at
from ..org.models import Unit
from ..periods import Period
from ..rectify.models import Measure
from ..submission.api import status_list
from ..report.builder import cn_number, title_runs
from ..report.document import Appendix, Document, Heading, Paragraph, Table, Title
from ..report.fact import Fact
from ..report.runs import Run, to_runs

DROP = 10  # points: a unit whose total fell by more than this since the previous period is named
TOP_RED = 5  # indicators most often red that the report names
TOP_COPIES = 5  # copied paragraphs the report names


def one_decimal(x: float) -> Decimal:
    return Decimal(str(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def plain_number(d: Decimal) -> str:
    """10.0 → 10, 2.50 → 2.5."""
    return str(d.quantize(Decimal(1))) if d == d.to_integral_value() else str(d.normalize())


def _ids(units) -> list[str]:
    return [f"unit:{u.pk}" for u in units]


def _names(units) -> str:
    return "、".join(u.short_name for u in units)


@dataclass
class Inputs:
    """Everything the report states, computed beforehand (the builder only words it)."""

    period: Period
    org: str
    scheme: Scheme
    current: list[UnitAssessment]
    previous: dict[int, UnitAssessment]  # by unit id: units with regular work in the previous period only
    overdue: dict[int, list[int]]  # unit id → ids of its measures overdue at the period's end
    reading: Analysis | None
    submissions: tuple | None = None  # (deadline or None, status rows) of :func:`fengqing.submission.api.status_list`
    drop: float = DROP


def gather(units: list[Unit], period: Period, org: str = "", scheme=None, reading: Analysis | None = None,
           drop: float = DROP, today: date | None = None) -> Inputs:
    scheme = load_scheme(scheme) if not isinstance(scheme, Scheme) else scheme
    current = ranked(assess(period, units, scheme))
    ids = [u.pk for u in units]
    worked = units_with_records(ids, period.previous())
    previous = {a.unit.pk: a for a in assess(period.previous(), [u for u in units if u.pk in worked], scheme)}
    overdue: dict[int, list[int]] = defaultdict(list)
    for pk, unit_id in (Measure.of_units(ids).filter(overdue_at(period.end))
                        .order_by(Measure.unit_path, "pk").values_list("pk", Measure.unit_path)):
        overdue[unit_id].append(pk)
    submitted = status_list(units, period, today or timezone.localdate())
    return Inputs(period, org, scheme, current, previous, dict(overdue), reading, submitted, drop)


def _heading(level: int, number: int, text: str, children: list) -> Heading:
    label = f"{cn_number(number)}、" if level == 1 else f"（{cn_number(number)}）"
    return Heading(level, [Run(label, "label"), Run(text)], children=children)


class _Facts:
    def __init__(self):
        self.all: list[Fact] = []

    def __call__(self, fid: str, label: str, value, records: list[str], measure_word: str = "个") -> Fact:
        fact = Fact(fid, label, value, records, measure_word)
        self.all.append(fact)
        return fact


def build_overview(inputs: Inputs) -> Document:
    f = _Facts()
    p = inputs.period
    assessed = [a for a in inputs.current if a.total is not None]
    blocks = [Paragraph(to_runs(
        f"根据所属单位台账数据和报送的研判报告，对{f('units', '研判单位', len(inputs.current), _ids(a.unit for a in inputs.current))}"
        f"个单位{p.label}政治生态情况进行了综合研判。现将有关情况报告如下。"))]
    blocks.append(_heading(1, 1, "总体情况", _overall(f, inputs, assessed)))
    blocks.append(_heading(1, 2, "指标预警情况", _red(f, inputs)))
    blocks.append(_heading(1, 3, "得分明显下降的单位", _drops(f, inputs)))
    blocks.append(_heading(1, 4, "问题整改情况", _overdue(f, inputs)))
    number = 5
    if inputs.submissions is not None:
        blocks.append(_heading(1, number, "报告报送情况", _submissions(f, inputs)))
        number += 1
    if inputs.reading is not None:
        blocks.append(_heading(1, number, "报告审读发现", _reading(f, inputs.reading)))
    blocks.append(_appendix(inputs))
    subject = f"{inputs.org}关于{p.label}" if inputs.org else f"关于{p.label}"
    return Document(unit=inputs.org or "所属单位", period=p.code,
                    title=Title(title_runs(subject, "所属单位政治生态综合研判情况的报告")), blocks=blocks,
                    facts=[x.as_dict() for x in f.all], basic={}, assessment=None)


def _overall(f, inputs: Inputs, assessed: list[UnitAssessment]) -> list:
    grades = [g.name for g in inputs.scheme.grades]
    by_grade = {g: [a.unit for a in assessed if a.grade == g] for g in grades}
    parts = [f"“{g}”的{f(f'grade.{g}', f'等次为{g}的单位', len(us), _ids(us))}个" for g, us in by_grade.items() if us]
    text = f"按{inputs.scheme.name}评定，" + ("等次为" + "、".join(parts) + "。" if parts else "各单位均未能评定等次。")
    unrated = [a.unit for a in inputs.current if a.total is None]
    if unrated:
        text += f"{f('grade.none', '未能评定的单位', len(unrated), _ids(unrated))}个单位缺少数据，未能评定（{_names(unrated)}）。"
    if assessed:
        avg = one_decimal(sum(a.total for a in assessed) / len(assessed))
        text += f"平均综合得分{f('total.mean', '平均综合得分', avg, _ids(a.unit for a in assessed), '分')}分"
        both = [a for a in assessed if a.unit.pk in inputs.previous and inputs.previous[a.unit.pk].total is not None]
        if both:
            before = one_decimal(sum(inputs.previous[a.unit.pk].total for a in both) / len(both))
            now = one_decimal(sum(a.total for a in both) / len(both))
            diff = now - before
            word = "持平" if diff == 0 else (f"提高{diff}分" if diff > 0 else f"下降{-diff}分")
            text += (f"；上期也有记录的{f('compared', '与上期比较的单位', len(both), _ids(a.unit for a in both))}个单位"
                     f"平均得分由{before}分变为{now}分，{word}")
            rank = inputs.scheme.grade_rank
            up = [a.unit for a in both if a.grade and inputs.previous[a.unit.pk].grade
                  and rank(a.grade) < rank(inputs.previous[a.unit.pk].grade)]
            down = [a.unit for a in both if a.grade and inputs.previous[a.unit.pk].grade
                    and rank(a.grade) > rank(inputs.previous[a.unit.pk].grade)]
            text += (f"，等次上升的{f('grade.up', '等次上升的单位', len(up), _ids(up))}个、"
                     f"下降的{f('grade.down', '等次下降的单位', len(down), _ids(down))}个")
        text += "。"
    return [Paragraph(to_runs(text))]


def _red(f, inputs: Inputs) -> list:
    red: dict[str, list] = {}
    names = {}
    for a in inputs.current:
        for i in a.indicators:
            names[i.id] = i.name
            if i.light == "red":
                red.setdefault(i.id, []).append(a.unit)
    if not red:
        return [Paragraph([Run("本期各单位没有红灯指标。")])]
    order = {i.id: n for n, i in enumerate(inputs.current[0].indicators)}
    top = sorted(red, key=lambda k: (-len(red[k]), order.get(k, 0)))[:TOP_RED]
    total = sorted({u.pk for us in red.values() for u in us})
    out = [Paragraph(to_runs(
        f"有红灯指标的单位{f('red.units', '有红灯指标的单位', len(total), [f'unit:{pk}' for pk in total])}个。"
        f"红灯最多的{len(top)}项指标是："))]
    for n, key in enumerate(top, 1):
        us = red[key]
        out.append(Paragraph(to_runs(
            f"{n}．“{names[key]}”，{f(f'red.{key}', f'“{names[key]}”为红灯的单位', len(us), _ids(us))}个单位"
            f"（{_names(us)}）。")))
    return out


def _drops(f, inputs: Inputs) -> list:
    drop = Decimal(str(inputs.drop))
    fell = []
    for a in inputs.current:
        before = inputs.previous.get(a.unit.pk)
        if a.total is not None and before is not None and before.total is not None \
                and one_decimal(before.total) - one_decimal(a.total) > drop:
            fell.append((a, before))
    fell.sort(key=lambda ab: ab[0].total - ab[1].total)
    if not fell:
        return [Paragraph([Run(f"没有综合得分较上期下降超过{plain_number(drop)}分的单位。")])]
    items = "；".join(f"{a.unit.short_name}由{one_decimal(b.total)}分降至{one_decimal(a.total)}分" for a, b in fell)
    units = [a.unit for a, _ in fell]
    return [Paragraph(to_runs(f"综合得分较上期下降超过{plain_number(drop)}分的单位"
                              f"{f('fell', '得分明显下降的单位', len(fell), _ids(units))}个：{items}。"
                              "建议对上述单位加强督导，深入分析得分下降的原因。"))]


def _overdue(f, inputs: Inputs) -> list:
    end = inputs.period.end
    overdue = inputs.overdue
    if not overdue:
        return [Paragraph([Run(f"截至{end.year}年{end.month}月{end.day}日，各单位没有逾期未完成的整改措施。")])]
    all_ids = [f"measure:{pk}" for ids in overdue.values() for pk in ids]
    units = {a.unit.pk: a.unit for a in inputs.current}
    worst = sorted(overdue, key=lambda k: (-len(overdue[k]), units[k].name))
    parts = "、".join(f"{units[k].short_name}{f(f'overdue.{k}', f'{units[k].short_name}逾期未完成整改措施', len(overdue[k]), [f'measure:{pk}' for pk in overdue[k]], '项')}项"
                      for k in worst)
    return [Paragraph(to_runs(
        f"截至{end.year}年{end.month}月{end.day}日，{f('overdue.units', '有逾期整改措施的单位', len(overdue), _ids(units[k] for k in overdue))}"
        f"个单位共有逾期未完成的整改措施{f('overdue.total', '逾期未完成整改措施', len(all_ids), all_ids, '项')}项，其中{parts}。"))]


def _submissions(f, inputs: Inputs) -> list:
    deadline, rows = inputs.submissions
    done = [r for r in rows if r.submission is not None]
    on_time = [r.unit for r in done if not r.late]
    late = [r.unit for r in done if r.late]
    missing = [r.unit for r in rows if r.submission is None]
    text = (f"{f('submitted', '已报送的单位', len(done), _ids(r.unit for r in done))}个单位已报送本期研判报告"
            if done else "各单位均未报送本期研判报告")
    if deadline is not None and done:
        due = deadline.due
        text += (f"（报送截止日期为{due.year}年{due.month}月{due.day}日），其中按期报送"
                 f"{f('submitted.on_time', '按期报送的单位', len(on_time), _ids(on_time))}个、逾期报送"
                 f"{f('submitted.late', '逾期报送的单位', len(late), _ids(late))}个"
                 + (f"（{_names(late)}）" if late else ""))
    if missing:
        text += (f"；{f('submitted.missing', '尚未报送的单位', len(missing), _ids(missing))}个单位尚未报送"
                 f"（{_names(missing)}）")
    return [Paragraph(to_runs(text + "。"))]


def _reading(f, reading: Analysis) -> list:
    found = reading.by_kind()
    copies = found["copy"]
    keys = lambda items: [s.key for x in items for s in x.sources]  # noqa: E731
    by_sub = {k: [c for c in copies if c.subkind == k] for k in COPY_KINDS}
    sub = "、".join(f"{COPY_KINDS[k]}{f(f'reading.copy.{k}', COPY_KINDS[k], len(v), keys(v), '处')}处"
                    for k, v in by_sub.items() if v)
    text = (f"对所属单位由人撰写的{f('reading.texts', '审读的文字段落', reading.counts['texts'], [], '段')}段文字进行审读"
            f"（风清按模板生成的语句不计），发现雷同段落{f('reading.copy', '雷同段落', len(copies), keys(copies), '处')}处"
            + (f"（{sub}）" if sub else "")
            + f"；套话占比过半的报告{f('reading.boilerplate', '套话占比过半的报告', len(found['boilerplate']), keys(found['boilerplate']), '份')}份；"
            f"整改措施与问题不对应或不具体{f('reading.measure', '整改措施问题', len(found['measure']), keys(found['measure']), '处')}处；"
            f"以相同说明或相同材料销号{f('reading.paper_closure', '纸面销号', len(found['paper_closure']), keys(found['paper_closure']), '处')}处；"
            f"报告数字与台账不符{f('reading.figure', '数字与台账不符', len(found['figure']), keys(found['figure']), '处')}处。")
    out = [Paragraph(to_runs(text))]
    for n, c in enumerate(copies[:TOP_COPIES], 1):
        out.append(Paragraph([Run(f"{n}．", "label"), Run(c.message + "。")]))
    return out


def _appendix(inputs: Inputs) -> Appendix:
    rows = []
    for n, a in enumerate(inputs.current, 1):
        before = inputs.previous.get(a.unit.pk)
        prev = one_decimal(before.total) if before is not None and before.total is not None else None
        now = one_decimal(a.total) if a.total is not None else None
        change = "—" if prev is None or now is None else f"{now - prev:+}"
        red = sum(1 for i in a.indicators if i.light == "red")
        cells = [str(n), a.unit.name, "—" if now is None else str(now), a.grade or "—",
                 "—" if prev is None else str(prev), change, str(red), str(len(inputs.overdue.get(a.unit.pk, [])))]
        rows.append([[Run(c)] for c in cells])
    table = Table(["序号", "单位", "综合得分", "等次", "上期得分", "变化", "红灯指标", "逾期整改"], rows)
    return Appendix([Run(f"{inputs.period.label}所属单位研判评估结果")], [table])
