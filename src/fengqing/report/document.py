"""The report's document model: one tree of blocks that every renderer walks (DESIGN §1, §6).

- Title: the report's title.
- Heading (level 1 一、, 2 （一）, 3 1．, 4 （1）): its own runs, optionally run-in body text on the same line
  (``inline``, as in 公文 where a （一） heading sentence is followed by its paragraph), and its children.
- Paragraph: runs of body text (first line indented two characters, or flush left, as a letter's 主送 line).
- Table: a header row and rows of cells, each cell a list of runs.
- Figure: a chart with its caption, holding the chart's data (not an image), so each renderer draws what it
  needs from :mod:`fengqing.charts` (the pages' chart function, so pages and report look alike).
- Appendix: starts on a new page with the label 附件 and its own title.
- Closing: the 落款 — the issuing body's name and the 成文日期 below it, placed as GB/T 9704 places them, and
  before them the 附件说明 line of a document with an appendix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date

from ..numbers import fixed
from .runs import Run, plain, text_width


@dataclass
class Title:
    runs: list[Run]
    type = "title"


@dataclass
class Paragraph:
    runs: list[Run]
    indent: bool = True  # False: flush left (the 主送 line of a letter)
    type = "paragraph"


@dataclass
class Heading:
    level: int
    runs: list[Run]
    inline: list[Run] = field(default_factory=list)
    children: list = field(default_factory=list)
    type = "heading"


@dataclass
class Table:
    header: list[str]
    rows: list[list[list[Run]]]
    type = "table"


#: what follows a capped total in the chart (:data:`fengqing.charts.CAPPED`, not imported: Pillow loads only when
#: a figure is drawn) and in the Markdown table of its values
CAPPED = "（封顶）"


@dataclass(frozen=True)
class Point:
    period: str  # the period's code, 2023H1
    label: str  # what the chart's axis says, 2023年上半年
    value: float
    grade: str | None = None  # the grade awarded (None in versions signed before it was kept)
    cap: str = ""  # why a cap lowered the grade below the total's: 民主测评满意率低于90%，等次由较好降为一般


@dataclass
class Figure:
    """A trend chart (:func:`fengqing.charts.trend_chart`): one value per period, oldest first. A capped total
    is drawn in the band of the grade it was awarded, labelled with the real total, and :meth:`note` says why."""

    caption: list[Run]
    points: list[Point]
    #: the scheme's grades as (minimum, name), best first: the chart's bands; empty for the default scheme's
    grades: list[tuple[float, str]] = field(default_factory=list)
    type = "figure"
    chart = "trend"

    def image(self, fmt: str) -> bytes:
        from .. import charts  # Pillow loads only when a figure is drawn

        bands = charts.grade_bands(self.grades) if self.grades else charts.GRADE_BANDS
        return charts.trend_chart([(p.label, p.value, p.grade) for p in self.points], fmt, bands=bands)

    def note(self) -> str:
        """The 注 below the caption when a point is capped: which total, why, and where it is drawn."""
        capped = [p for p in self.points if p.cap]
        if not capped:
            return ""
        each = "；".join(f"{p.label}综合得分{fixed(p.value, 1)}分，因{p.cap}" for p in capped)
        return f"注：{each}。图中标“封顶”的点绘于所得等次色带的上沿，所标数字为实际综合得分。"
@dataclass
class Appendix:
    title: list[Run]
    children: list = field(default_factory=list)
    label: str = "附件"
    type = "appendix"


@dataclass
class Closing:
    """落款 of a document without a seal (GB/T 9704-2012 7.3.5.2): a blank line after the body, the signer two
    characters in from the right, the date on the next line starting two characters right of the signer's
    first character; when that would bring the date closer than two characters to the edge, the date is two
    characters in and the signer moves left to keep the two-character step."""

    signer: str
    date: str  # 2023年11月30日
    attachment: str = ""  # 附件说明: 附件：… (GB/T 9704-2012 7.3.4), empty without an appendix
    type = "closing"

    def right_indents(self) -> tuple[float, float]:
        """(signer, date): how far each line ends from the right margin, in characters."""
        signer, date = text_width(self.signer), text_width(self.date)
        if signer - date >= 2:
            return 2.0, signer - date
        return 4 + date - signer, 2.0


@dataclass
class Document:
    unit: str
    period: str
    title: Title
    blocks: list
    facts: list  # {"id", "text", "value", "records"} in the order computed, comparison bases after their fact
    basic: dict
    assessment: dict | None = None
    redacted: bool = False
    date: Date | None = None  # 成文日期: the report states everything as of this date

    @property
    def title_text(self) -> str:
        return plain(self.title.runs)


def walk(blocks):
    """Every block of the tree, depth first, in reading order."""
    for b in blocks:
        yield b
        yield from walk(getattr(b, "children", ()))


def block_runs(block) -> list[list[Run]]:
    """The run lists a block holds (its own, not its children's)."""
    if isinstance(block, Heading):
        return [block.runs, block.inline]
    if isinstance(block, Table):
        return [cell for row in block.rows for cell in row]
    if isinstance(block, Appendix):
        return [block.title]
    if isinstance(block, Figure):
        return [block.caption]
    if isinstance(block, Closing):
        return []
    return [block.runs]
