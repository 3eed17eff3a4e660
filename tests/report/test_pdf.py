"""PDF by LibreOffice from the .docx (and by WeasyPrint from the HTML): the text is there and the official
font names are mapped to the free CJK fonts by the package's fontconfig file."""

import json
import re
import shutil
import subprocess

import pytest

from fengqing.report.render import pdf

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
