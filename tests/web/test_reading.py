"""报告审读 page: the reader's findings over the units in the user's scope, copied spans marked."""

from __future__ import annotations

import re

from django.urls import reverse

from fengqing.accounts.models import Role
from fengqing.report.models import Narrative
from tests.factories import unit

COPIED = ("我局紧盯水利工程建设领域，对三个在建项目的招投标和资金拨付开展专项监督检查。"
          "检查发现合同变更审批不规范等问题五个，已全部督促整改到位。")


def test_copies_between_units_in_scope_are_shown_side_by_side_and_others_are_not(world, login):
    own, other = world["own"], world["other"]
    third = unit("河川市林业局", "林业局", code="L1")
    world["users"][Role.SUPERVISOR].assignment.units.add(third)
    Narrative.objects.create(unit=own, period="2023H1", section="discipline", text=COPIED)
    Narrative.objects.create(unit=third, period="2023H1", section="power", text="另外写的一句开头。" + COPIED)
    # the same paragraph in a unit outside the supervisor's scope: not read, not shown
    Narrative.objects.create(unit=other, period="2023H1", section="duty", text=COPIED)
    page = login(world, Role.SUPERVISOR).get(reverse("web:reading"), {"period": "2023H1"}).content.decode()
    assert "跨地抄：林业局2023年上半年报告“权力制约”第1段与水务局2023年上半年报告“纪律作风”第1段雷同" in page
    assert "交通局" not in page.split('id="copy"')[1].split("</section>")[0]
    # both copied sentences are marked in both texts; the new opening sentence is not
    marks = re.findall(r"<mark>(.*?)</mark>", page)
    first, second = COPIED.split("。")[:2]
    assert marks.count(first + "。") == 2 and marks.count(second + "。") == 2
    assert "另外写的一句开头。" not in marks
    # the two reports in scope, whatever their periods: the header does not say they are all of this one
    assert re.search(r"<h1>报告审读<small>2023年上半年 · 比对了各期间 2 份报告的 \d+ 段文字</small>", page)


def test_the_discipline_group_reads_its_units_and_the_unit_roles_may_not(world, login, client):
    assert login(world, Role.DISCIPLINE).get(reverse("web:reading")).status_code == 200
    for role in (Role.CLERK, Role.LEADERSHIP, Role.AUDITOR):
        assert login(world, role).get(reverse("web:reading")).status_code == 403


def _narrative_reads(queries) -> int:
    return sum("report_narrative" in q["sql"] for q in queries)


def test_the_reading_is_kept_until_the_texts_change(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    own, third = world["own"], unit("河川市林业局", "林业局", code="L1")
    world["users"][Role.SUPERVISOR].assignment.units.add(third)
    Narrative.objects.create(unit=own, period="2023H1", section="discipline", text=COPIED)
    c = login(world, Role.SUPERVISOR)

    def visit():
        with CaptureQueriesContext(connection) as queries:
            page = c.get(reverse("web:reading"), {"period": "2023H1"}).content.decode()
        return "跨地抄" in page, _narrative_reads(queries)

    assert visit() == (False, 1)
    assert visit() == (False, 0)  # a second visit reads no text again
    copy = Narrative.objects.create(unit=third, period="2023H1", section="power", text=COPIED)
    assert visit() == (True, 1)  # a new text is read at once
    copy.text = "本局另行撰写的一段内容，与其他单位不同。"
    copy.save()
    assert visit() == (False, 1)
