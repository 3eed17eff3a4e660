"""Problems and their measures (notes/reader.md): measures that do not address their problem (low lexical
relevance), that name no owner or deadline or nothing one could check, and measures that only restate it.

Words come from jieba with a small dictionary of the field's terms, so 凡提四必 or 一岗双责 stay one word;
generic words of official prose (加强, 进一步, 落实 …) carry no meaning here and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from .findings import Finding, Source
from .text import normalise

RELEVANT = 0.2  # share of the problem's words its measures take up, below which they miss it
TERMS = ("凡提四必", "三会一课", "一岗双责", "两个责任", "四种形态", "中心组", "廉政风险点", "述责述廉",
         "谈心谈话", "廉洁纪律谈话", "任前廉政谈话", "三公经费", "民主生活会", "组织生活会", "警示教育",
         "廉洁提醒", "八项规定", "四风", "主体责任", "监督责任", "责任分工", "民主测评", "问题整改", "内控制度",
         "选人用人", "干部选任", "信访举报", "意识形态", "党风廉政")
GENERIC = frozenset(
    "加强 进一步 切实 认真 深入 持续 不断 全面 严格 抓好 落实 做好 推进 推动 确保 提高 提升 强化 工作 问题 整改 存在 "
    "不够 不到 到位 有待 方面 情况 开展 相关 有关 重视 力度 水平 能力 意识 有效 及时 一定 部分 个别 进行 实行 "
    "执行 坚持 注重 着力 狠抓 逐步 继续 积极 主动 扎实 规范 工作 不足 不强 不严 不实 较少 偏少 较弱 薄弱 "
    "我局 本局 单位 我们 今后 下一步 建立健全 健全 完善 机制 措施 思想 认识 思想认识 高度 更加".split())
#: what a measure can be checked by: a thing made or held (制度, 台账 …)
PRODUCTS = ("制度", "办法", "方案", "清单", "台账", "报告", "通报", "记录", "会议", "培训", "谈话", "检查", "督查",
            "考核", "细则", "规定", "手册", "计划", "党课", "约谈", "测评", "审计", "公示", "专题", "文件", "名单")
_NUMBER = re.compile(r"\d|[一二三四五六七八九十两]+[次项个人份期场条天日周月年]|每[日周月季年]|[上下]半年|年底|月底")


@dataclass
class MeasureInput:
    key: str
    text: str
    owner: str = ""
    deadline: date | None = None


@dataclass
class ProblemInput:
    key: str
    label: str  # where a reader finds it: 水务局 2023H1 问题 P-01
    title: str
    description: str = ""
    unit: str | None = None
    period: str | None = None
    measures: list[MeasureInput] = field(default_factory=list)


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    for term in TERMS:
        jieba.add_word(term, freq=100000)
    return jieba


def _generic(word: str) -> bool:
    """A generic word, or one made of generic words only (jieba keeps 切实加强 and 进一步提高 whole)."""
    if word in GENERIC:
        return True
    return any(word[:i] in GENERIC and _generic(word[i:]) for i in range(2, len(word) - 1))


def words(text: str) -> set[str]:
    """The text's meaningful words: two characters or more, not generic."""
    return {w for w in _jieba().lcut(normalise(text)) if len(w) >= 2 and not _generic(w) and not w.isdigit()}


def relevance(problem: str, measures: list[str]) -> float | None:
    """The share of the problem's words that its measures take up (a word counts as taken up when it is one
    of the measures' words or occurs in their text, which survives a different segmentation). None when the
    problem has no meaningful word."""
    wanted = words(problem)
    if not wanted:
        return None
    text = normalise("".join(measures))
    have = set().union(*(words(m) for m in measures)) if measures else set()
    return sum(1 for w in wanted if w in have or w in text) / len(wanted)


def is_checkable(text: str) -> bool:
    """Does the measure name a number, a time or a thing made or held, by which its completion can be seen?"""
    return bool(_NUMBER.search(text)) or any(p in text for p in PRODUCTS)


def restates(problem: str, measure: str) -> bool:
    """A measure whose meaningful words are all the problem's own says nothing the problem did not."""
    mw = words(measure)
    return bool(mw) and mw <= words(problem)


def measure_findings(problems: list[ProblemInput]) -> list[Finding]:
    out = []
    for p in problems:
        src = Source(p.key, p.label, p.title + (f"：{p.description}" if p.description else ""), p.unit, p.period)
        if not p.measures:
            continue
        problem_text = f"{p.title} {p.description}"
        rel = relevance(problem_text, [m.text for m in p.measures])
        if rel is not None and rel < RELEVANT:
            out.append(Finding("measure", "irrelevant",
                               f"{p.label}“{p.title}”的整改措施与问题关联度低（{rel * 100:.0f}%）",
                               [src, *(Source(m.key, "整改措施", m.text, p.unit, p.period) for m in p.measures)],
                               score=rel))
        for m in p.measures:
            msrc = Source(m.key, f"{p.label}的整改措施", m.text, p.unit, p.period)
            checks = [("no_owner", not m.owner.strip(), "未明确责任人"),
                      ("no_deadline", m.deadline is None, "未明确完成时限"),
                      ("vague", not is_checkable(m.text), "没有可检验的内容（数量、时间或成果）"),
                      ("restates", restates(problem_text, m.text), "只是复述问题，没有具体措施")]
            for subkind, failed, what in checks:
                if failed:
                    out.append(Finding("measure", subkind, f"{p.label}“{p.title}”的整改措施“{m.text}”{what}",
                                       [src, msrc]))
    return out
