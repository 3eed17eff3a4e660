"""fengqing report --all-units: one file set per unit, one failure does not stop the rest, a summary, a
progress bar only on a terminal (issue 13, item 2)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from docx import Document

from tests import factories as F
from .edge import build_edge_unit


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_every_unit_is_written_and_a_broken_unit_does_not_stop_the_others(db, tmp_path, settings, capsys):
    build_edge_unit()
    F.unit("河川市林业局", "林业局")
    F.unit("河川市档案馆", "档案馆")
    # the 林业局 has its own (broken) sentence template: its report fails, the two others are written
    own = tmp_path / "templates" / "河川市林业局"
    own.mkdir(parents=True)
    (own / "intro.j2").write_text("{% if %}", "utf-8")
    settings.FENGQING_TEMPLATES = str(tmp_path / "templates")
    out = tmp_path / "全部"
    with pytest.raises(SystemExit) as exit_:
        call_command("report", all_units=True, period="2023H1", format="docx,md", out=str(out))
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{s}-2023H1-政治生态分析研判报告.{ext}" for s in ("水务局", "档案馆") for ext in ("docx", "md"))
    title = Document(out / "档案馆-2023H1-政治生态分析研判报告.docx").paragraphs[0].text
    assert title.startswith("中共河川市档案馆党组关于2023年上半年")
    assert captured.err.startswith("错误：河川市林业局：") and "intro.j2" in captured.err
    assert "[" not in captured.err  # no progress bar when standard error is not a terminal
    assert captured.out.strip() == f"2023年上半年：3 个单位，成功 2 个（4 个文件，在 {out}），失败 1 个"


def test_progress_bar_on_a_terminal_and_units_sharing_a_short_name(db, tmp_path):
    F.unit("河川市财政局", "财政局")
    F.unit("山城市财政局", "财政局")
    err, out = Terminal(), io.StringIO()
    call_command("report", all_units=True, period="2023H1", format="md", out=str(tmp_path), stderr=err, stdout=out)
    assert err.getvalue().endswith("\r[" + "#" * 30 + "] 2/2 财政局" + " " * 9 + "\n")
    assert "[" + "#" * 15 + "-" * 15 + "] 1/2" in err.getvalue()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "山城市财政局-2023H1-政治生态分析研判报告.md", "河川市财政局-2023H1-政治生态分析研判报告.md"]


def test_all_units_needs_a_folder(db, capsys):
    F.unit()
    with pytest.raises(SystemExit):
        call_command("report", all_units=True, period="2023H1")
    assert capsys.readouterr().err.strip() == "错误：生成全部单位的报告时，请用 --out 指定输出文件夹"
