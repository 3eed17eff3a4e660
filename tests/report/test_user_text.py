"""Text users type (unit names, narratives, problem titles) reaches charts and downloads as text, never as
markup or formula."""

from __future__ import annotations

import re

from fengqing import charts
from fengqing.report.document import Document, Heading, Paragraph, Table, Title
from fengqing.report.render import markdown
from fengqing.report.runs import Run


def _svg_texts(svg: bytes) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode("utf-8"))


def test_chart_labels_with_dollar_signs_are_drawn_as_typed():
    trend = charts.trend_chart([("$1$", 80.0), ("期$", 90.0), ("A$x^2$B", 70.0)])
    assert {"$1$", "期$", "A$x^2$B"} <= set(_svg_texts(trend))
    # the PNG too (matplotlib drew it until 2026-12, and one "$" stopped the chart: an unbalanced formula)
    png = charts.trend_chart([("$1$", 80.0), ("期$", 90.0)], "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_markdown_shows_typed_html_and_marks_as_text():
    typed = '<img src=x onerror="alert(1)"> **重点** `代码` a|b & c'
    doc = Document(unit="<b>单位</b>", period="2023H1", title=Title([Run("<i>标题</i>")]),
                   blocks=[Heading(1, [Run("一、<u>情况</u>")]), Paragraph([Run(typed)]),
                           Table(["列"], [[[Run("<td>格</td>")]]])],
                   facts=[], basic={})
    text = markdown.render(doc).decode("utf-8")
    # no raw tag is left for a viewer to render: every < is escaped
    assert re.search(r"(?<!\\)<", text) is None, text
    assert r"\<img src=x onerror=\"alert(1)\"\>" not in text  # quotes are not Markdown and stay as typed
    assert r'\<img src=x onerror="alert(1)"\> \*\*重点\*\* \`代码\` a\|b \& c' in text
    assert text.startswith(r"# \<i\>标题\</i\>")
