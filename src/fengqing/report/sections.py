"""The report's editable texts (DESIGN §6): which exist, what users call them, and which carry over.

Boilerplate (the 导语's opening, headings, the lead paragraphs of 二、三、四) is written once and reused: when a
period has none of its own, the unit's latest earlier text is used, then the built-in default. The
leadership's own paragraphs of each subsection of 二 belong to their period only: copying them forward would
repeat last year's claims as this year's.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ReportError


@dataclass(frozen=True)
class Section:
    key: str
    name: str  # what users type and see
    carries_over: bool
    single_line: bool


SECTIONS = (
    Section("intro", "导语", True, False),
    Section("features", "特征", True, False),
    Section("political_heading", "政治建设标题", True, True),
    Section("political", "政治建设", False, False),
    Section("duty_heading", "主体责任标题", True, True),
    Section("duty", "主体责任", False, False),
    Section("discipline_heading", "纪律作风标题", True, True),
    Section("discipline", "纪律作风", False, False),
    Section("power_heading", "权力制约标题", True, True),
    Section("power", "权力制约", False, False),
    Section("problems", "问题", True, False),
    Section("measures", "整改", True, False),
)
BY_KEY = {s.key: s for s in SECTIONS}
_BY_ANY = {**BY_KEY, **{s.name: s for s in SECTIONS}}


def find_section(ref: str) -> Section:
    try:
        return _BY_ANY[(ref or "").strip()]
    except KeyError:
        names = "、".join(s.name for s in SECTIONS)
        raise ReportError(f"没有名为“{ref}”的报告段落：可用的有 {names}") from None
