"""Phrasing is data: a unit overrides a sentence template from the folder named by FENGQING_TEMPLATES."""

import pytest

from fengqing.errors import ReportError
from fengqing.report.api import build_report
from fengqing.report.document import Heading
from fengqing.report.runs import plain
from tests.factories import unit

from .edge import build_edge_unit


def basic_paragraph(doc):
    section = next(b for b in doc.blocks if isinstance(b, Heading) and plain(b.runs) == "一、基本情况")
    return section.children[0]


def test_a_units_own_template_is_used(db, h1, settings, tmp_path):
    edge = build_edge_unit()
    edge.code = "SWJ"
    edge.save()
    other = unit("河川市林业局", "林业局", code="LYJ")
    (tmp_path / "SWJ").mkdir()
    (tmp_path / "SWJ" / "basic.j2").write_text("{{ unit.short }}共有在编在职人员{{ basic.staff }}名。", "utf-8")
    settings.FENGQING_TEMPLATES = str(tmp_path)
    paragraph = basic_paragraph(build_report(edge, h1))
    assert plain(paragraph.runs) == "水务局共有在编在职人员5名。"
    assert [r.fact for r in paragraph.runs if r.kind == "fact"] == ["basic.staff"]  # still a traceable figure
    assert plain(basic_paragraph(build_report(other, h1)).runs).startswith("林业局机关设有0个科（室）")


def test_a_shared_override_applies_to_every_unit(db, h1, settings, tmp_path):
    u = unit()
    (tmp_path / "political_heading.j2").write_text("旗帜鲜明讲政治。", "utf-8")
    settings.FENGQING_TEMPLATES = str(tmp_path)
    headings = [plain(h.runs) for b in build_report(u, h1).blocks if isinstance(b, Heading)
                for h in b.children if isinstance(h, Heading)]
    assert "（一）旗帜鲜明讲政治。" in headings


@pytest.mark.parametrize("text", ["{% if %}", "{{ no_such_fact }}", "{{ unit.__class__.__mro__ }}"])
def test_a_bad_override_is_refused_with_its_name(db, h1, settings, tmp_path, text):
    u = unit()
    (tmp_path / "intro.j2").write_text(text, "utf-8")
    settings.FENGQING_TEMPLATES = str(tmp_path)
    with pytest.raises(ReportError, match="intro.j2"):
        build_report(u, h1)


def test_a_missing_folder_is_an_error(db, h1, settings, tmp_path):
    settings.FENGQING_TEMPLATES = str(tmp_path / "absent")
    with pytest.raises(ReportError, match="FENGQING_TEMPLATES"):
        build_report(unit(), h1)
