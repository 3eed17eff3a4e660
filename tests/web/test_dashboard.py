"""The dashboard's trend: only periods in which the unit recorded its regular work, and always the current one."""

import re

from fengqing.accounts.models import Role
from fengqing.ledger.models import Meeting
from tests.factories import D


def trend_svg(client, world):
    page = client.get(f"/u/{world['own'].pk}/?period=2023H1").content.decode()
    return page[page.index("<svg"):page.index("</svg>")]


def test_trend_leaves_out_periods_without_records(world, login):
    client = login(world, Role.CLERK)
    svg = trend_svg(client, world)
    assert "2023年上半年" in svg and "2023H1" not in svg  # periods named in words
    assert "2022年下半年" not in svg and "2021年上半年" not in svg  # the fixture has records in 2023H1 only


def test_trend_shows_an_earlier_period_once_it_has_a_meeting(world, login):
    Meeting.objects.create(unit=world["own"], date=D(2022, 9, 1), kind="党组会", topic="研究工作")
    svg = trend_svg(login(world, Role.CLERK), world)
    assert "2022年下半年" in svg and "2023年上半年" in svg and "2022年上半年" not in svg


def test_the_dashboard_assesses_once_per_change_of_the_data(world, login, monkeypatch):
    from fengqing.web import shared

    calls = []
    real = shared.assess_with_trend
    monkeypatch.setattr(shared, "assess_with_trend", lambda *a: calls.append(a) or real(*a))
    client = login(world, Role.CLERK)
    before = trend_svg(client, world)
    assert trend_svg(client, world) == before
    assert len(calls) == 1
    Meeting.objects.create(unit=world["own"], date=D(2022, 9, 1), kind="党组会", topic="研究工作")
    after = trend_svg(client, world)
    assert len(calls) == 2
    assert "2022年下半年" in after and "2022年下半年" not in before


def test_every_indicator_links_to_the_register_its_value_counts(world, login):
    """Derived from the catalogue (first source, or the register a coverage counts), so no indicator is left
    without a link, the rectification ones included."""
    client = login(world, Role.DISCIPLINE)
    page = client.get(f"/u/{world['own'].pk}/?period=2023H1").content.decode()
    links = re.findall(r'<a href="/u/\d+/records/(\w+)/" title="[^"]*">([^<]+)</a>', page)
    by_name = {name: slug for slug, name in links}
    assert len(links) == len(by_name) == 21  # every indicator of the default scheme
    assert by_name["廉洁谈话覆盖率"] == "talk"  # computed over the staff, counts talks
    assert by_name["廉政风险点排查覆盖率"] == "riskpoint"
    assert by_name["机构负责人述责述廉覆盖率"] == "dutyreport"
    assert by_name["整改措施按期完成率"] == by_name["逾期未完成整改措施数"] == "measure"
    assert by_name["党组理论学习中心组学习次数"] == "study"
    assert {client.get(f"/u/{world['own'].pk}/records/{slug}/").status_code for slug in set(by_name.values())} == {200}


def test_a_capped_total_is_drawn_in_its_grade_band_with_the_reason(world, login, monkeypatch, tmp_path):
    from fengqing.assess.schemes import load_scheme
    from fengqing.ledger.models import DutyReport
    from fengqing.web import shared
    from tests.factories import person
    from tests.report.test_capped_trend import rating_only_scheme

    # 109 of 125 votes positive: 87.2%, (87.2 − 70) / 20 × 100 = 86.0, 较好 by its band, capped to 一般 (< 90%)
    DutyReport.objects.create(unit=world["own"], date=D(2023, 5, 1), reporter=person(world["own"]), good=80,
                              fairly_good=29, average=16)
    path = rating_only_scheme(tmp_path)
    monkeypatch.setattr(shared, "load_scheme", lambda: load_scheme(path))
    shared.ONE_UNIT.clear()
    client = login(world, Role.CLERK)
    page = client.get(f"/u/{world['own'].pk}/?period=2023H1").content.decode()
    svg = trend_svg(client, world)
    assert '<b id="grade">一般</b>' in page and "民主测评满意率低于90%，等级由较好降为一般" in page
    assert "86.0（封顶）</text>" in svg
    # drawn at 77.5, inside 一般 (60–80): y = 228 − 77.5 / 105 × 214 = 70.05
    assert '<circle cx="317.0" cy="70.0" r="3.5" fill="#ffffff"' in svg
    shared.ONE_UNIT.clear()
