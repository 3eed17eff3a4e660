"""The .docx layout (GB/T 9704-2012, DESIGN §6), read back with python-docx."""

import json
from io import BytesIO

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from fengqing.numbers import fixed

# the module's fixture reads the database: the test database must be set up for it
pytestmark = pytest.mark.django_db



@pytest.fixture(scope="module")
def document(sample_report):
    return docx.Document(BytesIO(sample_report["docx"]))


def east_asia(run) -> str | None:
    rfonts = run._r.rPr.rFonts if run._r.rPr is not None else None
    return None if rfonts is None else rfonts.get(qn("w:eastAsia"))


def paragraph(document, start: str):
    return next(p for p in document.paragraphs if p.text.startswith(start))


def near(a, b) -> bool:
    return abs(a - b) <= Mm(0.1)


def test_page(document):
    s = document.sections[0]
    assert near(s.page_width, Mm(210)) and near(s.page_height, Mm(297))
    assert [near(m, Mm(v)) for m, v in ((s.top_margin, 37), (s.bottom_margin, 35), (s.left_margin, 28),
                                        (s.right_margin, 26))] == [True] * 4
    grid = s._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")


def test_title(document):
    title = document.paragraphs[0]
    # broken after the subject, so the first line does not end inside a word
    assert title.text == "中共河川市水务局党组关于2023年上半年\n政治生态分析研判情况的报告"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {east_asia(r) for r in title.runs if r.text} == {"方正小标宋简体"}
    assert {r.font.size for r in title.runs if r.text} == {Pt(22)}
    assert title._p.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"


def test_body(document):
    normal = document.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.font.size == Pt(16)
    pf = normal.paragraph_format
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY and pf.line_spacing == Pt(28.95)
    assert pf.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    body = paragraph(document, "水务局机关设有")
    assert body._p.pPr.ind.get(qn("w:firstLineChars")) == "200"
    assert all(east_asia(r) in (None, "仿宋_GB2312") for r in body.runs)
    assert all(r._r.rPr.rFonts.get(qn("w:hint")) == "eastAsia" for r in body.runs)


def test_headings(document):
    h1 = paragraph(document, "一、基本情况")
    assert {east_asia(r) for r in h1.runs} == {"黑体"}
    assert h1.paragraph_format.keep_with_next
    h2 = paragraph(document, "（一）坚持党建引领")
    heading_runs = [r for r in h2.runs if r.text in ("（一）", "坚持党建引领，全面加强党的政治建设。")]
    assert {east_asia(r) for r in heading_runs} == {"楷体_GB2312"}
    assert any(east_asia(r) in (None, "仿宋_GB2312") and "研究制定" in r.text for r in h2.runs)  # run-in body
    h3 = paragraph(document, "1．理论学习")
    assert all(r.bold for r in h3.runs[:2]) and {east_asia(r) for r in h3.runs[:2]} == {"仿宋_GB2312"}


def test_no_theme_fonts_and_chinese_language(document):
    styles = document.styles.element
    theme = [a for rf in styles.iter(qn("w:rFonts")) for a in rf.attrib if "Theme" in a or a.endswith("cstheme")]
    assert theme == []
    assert {lang.get(qn("w:eastAsia")) for lang in styles.iter(qn("w:lang"))} == {"zh-CN"}


def test_page_numbers_odd_and_even(document):
    s = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((s.footer, WD_ALIGN_PARAGRAPH.RIGHT), (s.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        assert p.alignment == align
        instr = [i.text.strip() for i in p._p.iter(qn("w:instrText"))]
        assert instr == ["PAGE"]
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert {east_asia(r) for r in p.runs} == {"宋体"} and {r.font.size for r in p.runs} == {Pt(14)}


def test_appendix_table(document, sample_report):
    """One row per indicator of the assessment, in its order, each showing that indicator's own figures."""
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["评价维度", "指标", "数值", "目标值", "得分", "预警"]
    indicators = json.loads(sample_report["json"])["assessment"]["indicators"]
    assert len(indicators) == 21 and len(table.rows) == 1 + 21
    lights = {"green": "绿", "yellow": "黄", "red": "红"}
    for row, ind in zip(table.rows[1:], indicators, strict=True):
        dimension, name, value, _, score, light = (c.text for c in row.cells)
        assert (dimension, name, score, light) == (ind["dimension"], ind["name"], fixed(ind["score"], 1),
                                                   lights[ind["light"]])
        assert abs(printed(value) - ind["value"]) <= 0.005, name  # rounded to the decimals shown


def printed(text: str) -> float:
    """A value as the table prints it, read back: 83.3% is 0.833, 是 is 1, 1.79 is 1.79."""
    if text in ("是", "否"):
        return 1.0 if text == "是" else 0.0
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def test_closing_attachment_line_organisation_and_date_as_gbt_9704_places_them(document):
    """Sample report with the appendix: 附件说明 indented 2 characters after a blank line; the organisation 2
    characters from the right margin; the date (6.5 characters: digits are half width) starting 2 characters
    right of the organisation's first character: 10 - 2 - 6.5 = 1.5 characters further from the margin."""
    texts = [p.text for p in document.paragraphs]
    i = texts.index("中共河川市水务局党组")
    assert texts[i - 3:i + 2] == ["", "附件：2023年上半年政治生态分析研判指标评分表", "", "中共河川市水务局党组",
                                  "2023年6月30日"]
    attachment, name, when = (document.paragraphs[j] for j in (i - 2, i, i + 1))
    assert attachment.paragraph_format.first_line_indent == Pt(32)
    assert (name.alignment, when.alignment) == (WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.RIGHT)
    assert name.paragraph_format.right_indent == Pt(16 * 2)
    assert when.paragraph_format.right_indent == Pt(16 * 3.5)
    assert name.paragraph_format.keep_with_next
    assert texts[i + 2] == ""  # the appendix follows on a new page


def test_a_date_longer_than_the_organisation_moves_the_organisation_right():
    from fengqing.report.document import Closing

    # 6 characters over 7 (2023 and 12 and 31 are two characters each): the date keeps 2 characters from the
    # margin, the organisation starts 2 characters left of the date's start: 2 + 7 + 2 - 6 = 5
    assert Closing("中共某局党组", "2023年12月31日").right_indents() == (5, 2)
    assert Closing("中共河川市水务局党组", "2023年6月30日").right_indents() == (2, 3.5)


def test_core_properties_and_languages(sample_report):
    from datetime import datetime
    from zipfile import ZipFile

    props = docx.Document(BytesIO(sample_report["docx"])).core_properties
    assert props.title == "中共河川市水务局党组关于2023年上半年政治生态分析研判情况的报告"
    assert (props.author, props.last_modified_by, props.language) == ("河川市水务局", "河川市水务局", "zh-CN")
    assert props.created.date() == props.modified.date() == datetime(2023, 6, 30).date()  # 成文日期, not 2013
    with ZipFile(BytesIO(sample_report["docx"])) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert "ja-JP" not in xml and 'w:eastAsia="en-US"' not in xml


def test_each_report_is_written_on_its_own_copy_of_the_prepared_template():
    """The styles and page are prepared once per process and the paragraphs copied from prepared elements: a
    second report holds its own text only, and its style and page as the first."""
    from fengqing.report.document import Document, Heading, Paragraph, Table, Title
    from fengqing.report.render import docx as word
    from fengqing.report.runs import Run

    def report(name: str) -> docx.document.Document:
        doc = Document(unit="某局", period="2023H1", title=Title([Run(f"{name}报告")]), facts=[], basic={},
                       blocks=[Heading(1, [Run(f"一、{name}")], children=[Paragraph([Run(f"{name}正文**")])]),
                               Table(["列"], [[[Run(f"{name}格")]]])])
        return docx.Document(BytesIO(word.render(doc)))

    first, second = report("甲"), report("乙")
    for d, name in ((first, "甲"), (second, "乙")):
        assert [p.text for p in d.paragraphs] == [f"{name}报告", "", f"一、{name}", f"{name}正文*\u200d*"]
        assert [c.text for c in d.tables[0]._cells] == ["列", f"{name}格"]
        assert d.paragraphs[3].paragraph_format.first_line_indent == Pt(32)
        assert d.styles["Normal"].font.size == Pt(16) and len(d.sections) == 1
        assert [r.text for r in d.sections[0].footer.paragraphs[0].runs][0] == "— "


def _two_figures_report():
    from fengqing.report.document import Document, Figure, Paragraph, Point, Title
    from fengqing.report.runs import Run

    def figure(n: int, values: tuple[float, float]) -> Figure:
        return Figure([Run(f"图{n}")], [Point("2022H2", "2022年下半年", values[0]), Point("2023H1", "2023年上半年", values[1])])

    figures = [figure(1, (100.0, 86.0)), figure(2, (72.5, 91.0))]
    doc = Document(unit="某局", period="2023H1", title=Title([Run("报告")]), facts=[], basic={},
                   blocks=[Paragraph([Run("正文")]), figures[0], figures[1]])
    return doc, [f.image("png") for f in figures]


def test_the_package_holds_each_picture_where_its_paragraph_points():
    """Pictures are added by the report's own package writer (issue 11): each is stored once, related from the
    document under its own id, shown 150 mm wide with the height of its proportions."""
    from zipfile import ZIP_STORED, ZipFile

    from PIL import Image

    from fengqing.report.render import docx as word

    doc, pngs = _two_figures_report()
    data = word.render(doc)
    d = docx.Document(BytesIO(data))
    shapes = list(d.inline_shapes)
    assert len(shapes) == 2
    for shape, png in zip(shapes, pngs):
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        assert d.part.related_parts[blip.embed].blob == png
        w, h = Image.open(BytesIO(png)).size
        assert near(shape.width, Mm(150)) and abs(shape.height - Mm(150) * h / w) <= Mm(0.1)
    ids = [s._inline.docPr.get("id") for s in shapes]
    assert len(set(ids)) == 2  # a drawing's id is unique in the document
    with ZipFile(BytesIO(data)) as z:
        assert z.testzip() is None  # every part's checksum holds
        stored = [i for i in z.infolist() if i.filename.startswith("word/media/")]
        assert len(stored) == 2 and {i.compress_type for i in stored} == {ZIP_STORED}  # PNG is deflated already


def test_the_package_is_whole_and_the_same_bytes_each_time(sample_report):
    """Every part is declared and every relationship's target is there; python-docx's blank-page thumbnail is
    not; a report written twice is the same file; its parts unzip readable."""
    import posixpath
    from zipfile import ZipFile

    from lxml import etree

    from fengqing.report.render import docx as word

    with ZipFile(BytesIO(sample_report["docx"])) as z:
        names = set(z.namelist())
        types = etree.fromstring(z.read("[Content_Types].xml"))
        defaults = {t.get("Extension") for t in types if t.tag.endswith("Default")}
        overrides = {t.get("PartName") for t in types if t.tag.endswith("Override")}
        for name in names - {"[Content_Types].xml"}:
            assert f"/{name}" in overrides or name.rsplit(".", 1)[1] in defaults, name
        assert overrides <= {f"/{n}" for n in names}
        for rels in (n for n in names if n.endswith(".rels")):
            base = posixpath.dirname(posixpath.dirname(rels))
            for rel in etree.fromstring(z.read(rels)):
                if rel.get("TargetMode") != "External":
                    assert posixpath.normpath(posixpath.join(base, rel.get("Target"))) in names, rel.get("Target")
        assert "docProps/thumbnail.jpeg" not in names
        assert {i.external_attr >> 16 for i in z.infolist()} == {0o644}
    doc, _ = _two_figures_report()
    assert word.render(doc) == word.render(doc)
