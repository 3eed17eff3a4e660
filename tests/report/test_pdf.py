"""PDF by LibreOffice from the .docx (and by WeasyPrint from the HTML): the text is there and the official
font names are mapped to the free CJK fonts by the package's fontconfig file."""

import json
import re
import shutil
import subprocess

import pytest

from fengqing.report.document import Document, Paragraph, Title
from fengqing.report.render import docx, html, pdf
from fengqing.report.runs import Run

pytestmark = pytest.mark.django_db


def text_of(path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return re.sub(r"\s+", "", out.decode("utf-8"))


def fonts_of(path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout


def basic_sentence(sample_report) -> str:
    sections = json.loads(sample_report["json"])["sections"]
    return next(s for s in sections if s.get("text") == "一、基本情况")["children"][0]["text"]


@pytest.fixture
def no_caller_fontconfig(monkeypatch):
    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)  # the renderer must set it itself


def test_libreoffice_pdf(sample_report, tmp_path, no_caller_fontconfig):
    if not pdf.soffice():
        pytest.skip("LibreOffice (soffice) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.from_docx(sample_report["docx"], workdir=tmp_path))
    text = text_of(path)
    assert "中共河川市水务局党组关于2023年上半年政治生态分析研判情况的报告" in text
    assert basic_sentence(sample_report) in text
    fonts = fonts_of(path)
    for mapped in ("NotoSerifCJK", "NotoSansCJK", "GBZenKai", "LiberationSerif"):  # 仿宋/宋, 黑体, 楷体, Latin
        assert mapped in fonts
    assert "DejaVu" not in fonts


def test_weasyprint_pdf(sample_report, tmp_path, no_caller_fontconfig):
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.from_html(sample_report["print_html"]))
    text = text_of(path)
    assert "政治生态分析研判情况的报告" in text and basic_sentence(sample_report) in text
    assert "数据来源" not in text  # the list of records is for the screen only
    fonts = fonts_of(path)
    for mapped in ("Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC", "AR-PL-KaitiM-GB"):  # WeasyPrint's naming
        assert mapped in fonts


@pytest.mark.parametrize("via", ["libreoffice", "weasyprint"])
def test_28_characters_a_line_and_a_mark_in_the_28th_place_kept(tmp_path, no_caller_fontconfig, via):
    """GB/T 9704 7.1: 28 characters a line. The 156 mm text block holds only 27.6 characters of 16 pt, so a
    full-width mark in the 28th place would hang into the margin, and LibreOffice leaves such a mark out of a
    justified line: the body is condensed (0.25 pt a character) so that 28 fit. Worked out by hand: the first
    line is the two-character indent, 25 甲 and the comma; the next lines 28 乙, then the 12 left."""
    if via == "libreoffice" and not pdf.soffice():
        pytest.skip("LibreOffice (soffice) is not installed")
    text = "甲" * 25 + "，" + "乙" * 40
    doc = Document(unit="测试局", period="2023H1", title=Title([Run("标题")]), blocks=[Paragraph([Run(text)])],
                   facts=[], basic={})
    path = tmp_path / "lines.pdf"
    path.write_bytes(pdf.from_docx(docx.render(doc), workdir=tmp_path) if via == "libreoffice"
                     else pdf.from_html(html.render(doc, for_print=True)))
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    lines = [line.strip() for line in out.decode("utf-8").splitlines() if "甲" in line or "乙" in line]
    assert lines == ["甲" * 25 + "，", "乙" * 28, "乙" * 12]
