"""The appendix's trend figure: the unit's total in the report's period and in the earlier periods of the same
length that hold its regular records, drawn by the pages' chart function in every format but the redacted one."""

import base64
import json
import re
import struct
import subprocess
from io import BytesIO

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from fengqing.assess.engine import assess
from fengqing.ledger.models import Education, Meeting, Study
from fengqing.periods import parse_period
from fengqing.report.api import build_report, render_all
from fengqing.report.render import html, pdf
from fengqing.assess.history import with_records
from tests.factories import D, person, unit

from .sample import build_unit

pytestmark = pytest.mark.django_db

# the sample unit's records are of 2022 and 2023: before 2023H1, 2022H1 and 2022H2 hold records, 2021H2 none
PERIODS = ["2022H1", "2022H2", "2023H1"]
LABELS = ["2022年上半年", "2022年下半年", "2023年上半年"]
CAPTION = "图1　2022年上半年至2023年上半年综合得分"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FORMATS = ["docx", "md", "html", "json"]


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The sample unit's 2023H1 report with and without the appendix, redacted, its 2023 report, and the
    totals of the engine called on each period by itself; the data is rolled back."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        u = build_unit()
        h1 = parse_period("2023H1")
        doc = build_report(u, h1, appendix=True)
        out = {"appendix": {**render_all(doc, FORMATS), "print_html": html.render(doc, for_print=True)},
               "plain": render_all(build_report(u, h1), FORMATS),
               "redacted": render_all(build_report(u, h1, redact=True, appendix=True), FORMATS),
               "year": json.loads(render_all(build_report(u, "2023", appendix=True), ["json"])["json"]),
               "totals": {code: assess(parse_period(code), [u])[0].total
                          for code in [*PERIODS, "2022", "2023"]}}
        transaction.set_rollback(True)
    return out


def figures(sections: list[dict]) -> list[dict]:
    found = []
    for s in sections:
        if s["type"] == "figure":
            found.append(s)
        found += figures(s.get("children", []))
    return found


def appendix_part(html_bytes: bytes) -> str:
    text = html_bytes.decode("utf-8")
    return text[text.index('<section class="appendix">'):]


def picture_paragraphs(d) -> list:
    return [p for p in d.paragraphs if p._p.findall(".//" + qn("w:drawing"))]


def test_docx_has_the_picture_in_the_appendix(built):
    d = docx.Document(BytesIO(built["appendix"]["docx"]))
    assert len(d.inline_shapes) == 1
    paragraphs = d.paragraphs
    picture = picture_paragraphs(d)[0]
    index = next(i for i, p in enumerate(paragraphs) if p._p is picture._p)
    assert index > next(i for i, p in enumerate(paragraphs) if p.text == "附件")
    # centred, its height its own: off the line grid and not at the body's exact line height
    assert picture.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert picture._p.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
    assert picture.paragraph_format.line_spacing_rule != WD_LINE_SPACING.EXACTLY
    assert picture.paragraph_format.keep_with_next
    assert d.inline_shapes[0].width <= Mm(156)  # the text block: 210 − 28 − 26 mm
    caption = paragraphs[index + 1]
    assert caption.text == CAPTION
    assert caption.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {r._r.rPr.rFonts.get(qn("w:eastAsia")) for r in caption.runs} == {"仿宋_GB2312"}
    assert {r.font.size for r in caption.runs} == {Pt(16)}


def test_docx_has_no_picture_without_the_appendix(built):
    assert len(docx.Document(BytesIO(built["plain"]["docx"])).inline_shapes) == 0
    assert b"<svg" not in built["plain"]["html"]
    assert figures(json.loads(built["plain"]["json"])["sections"]) == []


def test_the_picture_is_a_png_of_the_shape_s_proportions(built):
    d = docx.Document(BytesIO(built["appendix"]["docx"]))
    shape = d.inline_shapes[0]
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip
    blob = d.part.related_parts[blip.embed].blob
    assert blob[:8] == PNG_SIGNATURE
    # the size as the IHDR chunk states it, read by hand, and as Pillow decodes it
    length, kind, width, height = struct.unpack(">I4sII", blob[8:24])
    assert (length, kind) == (13, b"IHDR")
    image = Image.open(BytesIO(blob))
    image.load()
    assert image.format == "PNG" and image.size == (width, height)
    assert width > 1000  # printable: 200 dpi over about 6 inches
    assert shape.height / shape.width == pytest.approx(height / width, rel=0.01)


def test_html_has_the_chart_inline_with_the_period_labels(built):
    appendix = appendix_part(built["appendix"]["html"])
    svg = appendix[appendix.index("<svg"):appendix.index("</svg>")]
    positions = [svg.index(label) for label in LABELS]
    assert positions == sorted(positions)  # oldest first, as the axis reads
    assert "2021年下半年" not in svg
    assert re.search(r"<figcaption>\s*" + CAPTION, appendix)
    assert "<?xml" not in appendix  # the SVG's prologue is not allowed inside HTML


def test_print_html_has_the_chart_as_an_image(built):
    appendix = appendix_part(built["appendix"]["print_html"])
    assert "<svg" not in appendix
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', appendix).group(1)
    svg = base64.b64decode(data).decode("utf-8")
    assert all(label in svg for label in LABELS)


def test_json_figure_carries_the_engine_s_totals(built):
    sections = json.loads(built["appendix"]["json"])["sections"]
    appendix = next(s for s in sections if s["type"] == "appendix")
    [figure] = figures(sections)
    assert figure in appendix["children"]
    assert figure["chart"] == "trend" and figure["caption"] == CAPTION
    assert [p["period"] for p in figure["points"]] == PERIODS
    assert [p["label"] for p in figure["points"]] == LABELS
    assert [p["value"] for p in figure["points"]] == [built["totals"][c] for c in PERIODS]
    # the total the table states is the last point
    assert json.loads(built["appendix"]["json"])["assessment"]["total"] == built["totals"]["2023H1"]


def test_periods_of_the_report_s_length(built):
    [figure] = figures(built["year"]["sections"])
    assert [(p["period"], p["label"]) for p in figure["points"]] == [("2022", "2022年度"), ("2023", "2023年度")]
    assert [p["value"] for p in figure["points"]] == [built["totals"]["2022"], built["totals"]["2023"]]


def test_markdown_gives_the_values_as_a_table(built):
    md = built["appendix"]["md"].decode("utf-8")
    rows = [f"| {label} | {built['totals'][code]:.1f} |" for code, label in zip(PERIODS, LABELS)]
    assert "\n".join([CAPTION, "", "| 期间 | 综合得分 |", "|---|---|", *rows]) in md


def test_redacted_report_has_no_figure(built):
    out = built["redacted"]
    assert len(docx.Document(BytesIO(out["docx"])).inline_shapes) == 0
    assert b"<svg" not in out["html"] and b"<figure" not in out["html"]
    assert figures(json.loads(out["json"])["sections"]) == []
    assert "综合得分 |" not in out["md"].decode("utf-8")
    # the appendix itself is still there, masked
    assert "指标评分表" in out["md"].decode("utf-8")


def small_unit(name: str = "河川市档案馆", short_name: str = "档案馆"):
    u = unit(name, short_name)
    person(u)
    return u


def report_points(u, period="2023H1") -> list[str]:
    data = json.loads(render_all(build_report(u, period, appendix=True), ["json"])["json"])
    return [p["period"] for p in figures(data["sections"])[0]["points"]]


def test_one_period_of_data_gives_one_point(db):
    u = small_unit()
    Study.objects.create(unit=u, date=D(2023, 3, 1), kind="党组理论学习中心组", topic="党章")
    # a New Year reminder sent in December spills into the period before: not a period of kept records
    Education.objects.create(unit=u, date=D(2022, 12, 28), form="节假日廉洁提醒", content="元旦廉洁提醒")
    doc = build_report(u, "2023H1", appendix=True)
    [figure] = figures(json.loads(render_all(doc, ["json"])["json"])["sections"])
    assert [(p["period"], p["value"]) for p in figure["points"]] == [("2023H1", assess("2023H1", [u])[0].total)]
    assert figure["caption"] == "图1　2023年上半年综合得分"
    assert len(docx.Document(BytesIO(render_all(doc, ["docx"])["docx"])).inline_shapes) == 1


def test_the_report_s_own_period_is_drawn_even_without_regular_records(db):
    u = small_unit()
    Meeting.objects.create(unit=u, date=D(2022, 9, 1), kind="党组会", topic="研究工作")
    Meeting.objects.create(unit=u, date=D(2021, 8, 1), kind="党组会", topic="研究工作")
    assert report_points(u) == ["2021H2", "2022H2", "2023H1"]


def test_records_per_period_in_one_query(db, django_assert_num_queries):
    u = small_unit()
    Study.objects.create(unit=u, date=D(2022, 1, 1), kind="党支部集中学习", topic="党章")  # first day of 2022H1
    Meeting.objects.create(unit=u, date=D(2022, 12, 31), kind="党组会", topic="研究工作")  # last day of 2022H2
    other = small_unit("河川市林业局", "林业局")
    Study.objects.create(unit=other, date=D(2023, 3, 1), kind="党支部集中学习", topic="党章")
    periods = [parse_period(c) for c in ("2021H2", "2022H1", "2022H2", "2023H1")]
    with django_assert_num_queries(1):
        found = with_records(u, periods)
    assert [p.code for p in found] == ["2022H1", "2022H2"]


def test_the_appendix_reads_its_earlier_periods_with_the_report_s_own_queries(db, django_assert_num_queries):
    """The trend's earlier periods are assessed in the same aggregate queries as the report's period: the appendix
    adds one query (which earlier periods hold records), not one assessment per period drawn."""
    u = small_unit()
    for day in (D(2022, 3, 1), D(2022, 9, 1), D(2023, 3, 1)):
        Study.objects.create(unit=u, date=day, kind="党组理论学习中心组", topic="党章")
    build_report(u, "2023H1")  # compile the prepared queries once: both counts below are of a warm process
    build_report(u, "2023H1", appendix=True)
    with CaptureQueriesContext(connection) as without:
        build_report(u, "2023H1")
    with django_assert_num_queries(len(without) + 1):
        doc = build_report(u, "2023H1", appendix=True)
    [figure] = figures(json.loads(render_all(doc, ["json"])["json"])["sections"])
    assert [p["period"] for p in figure["points"]] == ["2022H1", "2022H2", "2023H1"]


def last_page(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def last_page_text(path) -> str:
    """The text, without white space, of the last page, where the figure ends the appendix."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(last_page(path)), str(path), "-"],
                         capture_output=True, check=True).stdout
    return re.sub(r"\s+", "", out.decode("utf-8"))


def test_pdf_by_libreoffice_has_the_picture(built, tmp_path):
    if not pdf.soffice():
        pytest.skip("LibreOffice (soffice) is not installed")
    data = pdf.from_docx(built["appendix"]["docx"], workdir=tmp_path)
    (tmp_path / "report.pdf").write_bytes(data)
    listing = subprocess.run(["pdfimages", "-list", str(tmp_path / "report.pdf")], capture_output=True, check=True,
                             text=True).stdout.splitlines()[2:]
    images = [line.split() for line in listing if line.split()[2] == "image"]  # not the alpha masks
    assert len(images) == 1
    page, width, encoding = images[0][0], int(images[0][3]), images[0][8]
    assert int(page) == last_page(tmp_path / "report.pdf") and width > 1000
    assert encoding != "jpeg"  # line art: lossless, not blurred by JPEG
    # (pdftotext puts the page number between 图1 and the rest of the caption)
    assert "2022年上半年至2023年上半年综合得分" in last_page_text(tmp_path / "report.pdf")


def test_pdf_by_weasyprint_draws_the_chart(built, tmp_path):
    (tmp_path / "report.pdf").write_bytes(pdf.from_html(built["appendix"]["print_html"]))
    text = last_page_text(tmp_path / "report.pdf")
    # the chart is drawn as vector graphics, its labels as text (2022年下半年 is not in the caption)
    assert all(label in text for label in LABELS)
    assert "2022年上半年至2023年上半年综合得分" in text
