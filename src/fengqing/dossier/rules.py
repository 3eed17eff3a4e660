"""The rules that propose a 党风廉政意见 conclusion, as data (the discipline group reads and changes them per
unit), and the influence periods (影响期) of handlings.

A rule names a finding; the group sets which conclusion it proposes. The proposal for a person is the most
severe conclusion among the rules their findings trigger, 同意 when none does."""

from __future__ import annotations

from dataclasses import dataclass

from .. import choices as C
from ..errors import DossierError
from .models import OpinionRules

DEFAULT_WINDOW_YEARS = 3
SEVERITY = {"同意": 0, "暂缓": 1, "不同意": 2}


@dataclass(frozen=True)
class Rule:
    code: str
    text: str  # what the finding is, as the rules page and the JSON say it
    default: str  # 同意 / 暂缓 / 不同意


RULES = (
    Rule("heavy_form", "查阅期间内受到第三、四种形态处理", "不同意"),
    Rule("influence", "第二至第四种形态处理尚在影响期内", "暂缓"),
    Rule("light_form", "查阅期间内受到第二种形态处理（影响期已过）", "同意"),
    Rule("admonition", "诫勉尚在影响期内", "暂缓"),
    Rule("talk", "查阅期间内受到诫勉（影响期已过）或提醒谈话", "同意"),
    Rule("petition_pending", "有反映其问题、截至征求意见之日仍在办理的信访举报", "暂缓"),
    Rule("petition_substantiated", "查阅期间内有反映其问题并经查属实或部分属实的信访举报", "暂缓"),
    Rule("petition_unconfirmed", "有反映对象与其同名、尚未确认是否为本人的信访举报", "暂缓"),
    Rule("promotion_checks", "此前选任时“凡提四必”未全部执行", "同意"),
)
RULES_BY_CODE = {r.code: r for r in RULES}

#: months a handling bars promotion, by a keyword of its 处理方式 (None: no end); the longest matching keyword
#: period applies. Defaults after 中国共产党纪律处分条例, 公职人员政务处分法 and 党政领导干部选拔任用工作条例.
DEFAULT_INFLUENCE: dict[str, int | None] = {
    "诫勉": 6, "警告": 12, "严重警告": 18, "记过": 12, "记大过": 18, "降级": 24, "撤职": 24, "撤销党内职务": 24,
    "留党察看": 24, "开除": None, "免职": 12, "降职": 24, "责令辞职": 12, "引咎辞职": 12,
}
#: when no keyword matches the handling
FORM_INFLUENCE: dict[str, int | None] = {"第一种形态": 0, "第二种形态": 12, "第三种形态": 24, "第四种形态": None}


@dataclass(frozen=True)
class Settings:
    window_years: int
    conclusions: dict[str, str]  # every rule's code → its conclusion
    influence: dict[str, int | None]

    def influence_months(self, handling: str, form: str | None = None) -> int | None:
        """The promotion bar of a handling: the longest of its keywords' periods, else the form's."""
        matched = [months for keyword, months in self.influence.items() if keyword and keyword in handling]
        if None in matched:
            return None
        if matched:
            return max(m for m in matched if m is not None)
        return FORM_INFLUENCE.get(form, 0) if form else 0

    def propose(self, triggered: set[str]) -> str:
        return max((self.conclusions[c] for c in triggered), key=SEVERITY.__getitem__, default="同意")


def settings_for(unit) -> Settings:
    stored = OpinionRules.objects.filter(unit=unit).first()
    if stored is None:
        return merge(DEFAULT_WINDOW_YEARS, {}, None)
    return merge(stored.window_years, stored.conclusions, stored.influence)


def merge(window_years: int, conclusions: dict, influence: dict | None) -> Settings:
    """The defaults overridden by a unit's settings (``influence``, when given, replaces the default table);
    unknown rule codes, bad conclusions and bad periods are refused."""
    influence = dict(DEFAULT_INFLUENCE) if influence is None else influence
    problems = [f"未知的规则“{c}”" for c in conclusions if c not in RULES_BY_CODE]
    problems += [f"规则“{RULES_BY_CODE[c].text}”的结论应为同意、暂缓或不同意，而不是“{v}”"
                 for c, v in conclusions.items() if c in RULES_BY_CODE and v not in C.OPINION_CONCLUSION]
    problems += [f"处理方式“{k}”的影响期应为不小于0的整数（月）或留空表示长期"
                 for k, v in influence.items() if v is not None and (not isinstance(v, int) or v < 0)]
    if not 1 <= int(window_years) <= 10:
        problems.append(f"查阅年限应在1至10年之间，而不是{window_years}")
    if problems:
        raise DossierError("；".join(problems))
    return Settings(int(window_years), {r.code: conclusions.get(r.code, r.default) for r in RULES}, influence)


def parse_influence(text: str) -> dict[str, int | None]:
    """The rules page's influence table, one ``关键词=月数`` a line (月数 “长期” or empty: no end)."""
    table: dict[str, int | None] = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        keyword, sep, months = (part.strip() for part in line.replace("＝", "=").partition("="))
        if not sep or not keyword:
            raise DossierError(f"影响期第{n}行“{line}”应写作“处理方式关键词=月数”")
        if months in ("", "长期"):
            table[keyword] = None
        elif months.isdigit():
            table[keyword] = int(months)
        else:
            raise DossierError(f"影响期第{n}行的月数“{months}”应为整数或“长期”")
    return table
