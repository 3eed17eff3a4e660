"""The supervisor's 综合研判报告 button: the report over the units in its scope only."""

from __future__ import annotations

from io import BytesIO

from django.urls import reverse
from docx import Document

from fengqing.accounts.models import Role


def test_overview_report_download_covers_the_supervisors_units_only(world, login):
    c = login(world, Role.SUPERVISOR)
    page = c.get(reverse("web:overview"), {"period": "2023H1"}).content.decode()
    assert reverse("web:overview_report", args=["docx"]) + "?period=2023H1" in page
    response = c.get(reverse("web:overview_report", args=["docx"]), {"period": "2023H1"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    d = Document(BytesIO(response.content))
    # the title broken after its subject, as the unit report breaks a two-line title
    assert d.paragraphs[0].text == "关于2023年上半年\n所属单位政治生态综合研判情况的报告"
    units = [row.cells[1].text for row in d.tables[-1].rows[1:]]
    assert units == [world["own"].name]  # the other unit is not the supervisor's
    assert c.get(reverse("web:overview_report", args=["exe"])).status_code == 404
