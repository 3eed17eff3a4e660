"""One unit whose people each show one case of the 党风廉政意见 checks. Every request is dated 2023-11-30, so the
default window is 2020-11-30 … 2023-11-30; the expected facts in the tests are worked out by hand from these
records and the default rules (警告 12 months, 严重警告 18, 降级 24, 撤职 24, 诫勉 6)."""

from __future__ import annotations

import pytest

from fengqing.ledger.models import Discipline, IntegrityOpinion, Petition, Promotion, Talk, DutyReport, Posting
from tests.factories import D, department, person, unit

REQUEST = D(2023, 11, 30)


@pytest.fixture
def world(db):
    u = unit("河川市水务局", "水务局", code="W1")
    office = department(u, "办公室")
    people = {name: person(u, name, department=office, post="科员", staff_no=no) for no, name in (
        ("S01", "李清"), ("S02", "王二"), ("S03", "赵四"), ("S04", "孙五"), ("S05", "周六"), ("S06", "吴七"),
        ("S07", "陈明"), ("S08", "陈明"))}
    p = people
    # 李清: clean; a 诫勉 after the request date must not count
    Talk.objects.create(unit=u, date=D(2023, 12, 1), subject=p["李清"], kind="诫勉谈话", talker="组长")
    Talk.objects.create(unit=u, date=D(2023, 3, 2), subject=p["李清"], kind="廉洁纪律谈话", talker="书记")
    # 王二: a handling inside the window (influence over on 2023-03-01), one outside (over on 2021-06-01)
    Discipline.objects.create(unit=u, date=D(2022, 3, 1), subject=p["王二"], form="第二种形态",
                              handling="党内警告处分", source="信访举报")
    Discipline.objects.create(unit=u, date=D(2019, 6, 1), subject=p["王二"], form="第三种形态", handling="撤职")
    # 赵四: 严重警告 on 2023-01-10 runs 18 months, to 2024-07-10: still running on the request date
    Discipline.objects.create(unit=u, date=D(2023, 1, 10), subject=p["赵四"], form="第二种形态",
                              handling="党内严重警告处分")
    # 孙五: 降级 (third form) inside the window, influence over on 2023-05-01
    Discipline.objects.create(unit=u, date=D(2021, 5, 1), subject=p["孙五"], form="第三种形态", handling="降级处分")
    # 周六: a petition pending, one found untrue, one received after the request date
    Petition.objects.create(unit=u, received=D(2023, 10, 1), number="XF-1", subject="办公室周六", result="在办")
    Petition.objects.create(unit=u, received=D(2022, 2, 1), number="XF-2", subject="周六", result="不属实",
                            closed=D(2022, 5, 1))
    Petition.objects.create(unit=u, received=D(2023, 12, 5), number="XF-3", subject="周六", result="属实",
                            closed=D(2023, 12, 20))
    # 吴七: promoted on 2022-06-01 without verifying personal matters; a 提醒谈话 in the window
    Promotion.objects.create(unit=u, date=D(2022, 6, 1), subject=p["吴七"], matter="提拔", file_reviewed=True,
                             matters_verified=False, opinion_heard=True, petitions_checked=True)
    Talk.objects.create(unit=u, date=D(2023, 4, 6), subject=p["吴七"], kind="提醒谈话", talker="组长")
    DutyReport.objects.create(unit=u, date=D(2023, 1, 15), reporter=p["吴七"], on_site=True, good=10,
                              fairly_good=5, average=1, poor=0)
    Posting.objects.create(unit=u, subject=p["吴七"], host="某乡镇", start=D(2021, 3, 1), end=D(2022, 2, 28))
    # the two 陈明: a petition naming 陈明 is linked to neither automatically
    Petition.objects.create(unit=u, received=D(2023, 6, 1), number="XF-4", subject="陈明", result="在办")
    requests = {n: IntegrityOpinion.objects.create(unit=u, date=REQUEST, subject=people[n], matter="干部选拔任用",
                                                   conclusion="同意")
                for n in ("李清", "王二", "赵四", "孙五", "周六", "吴七")}
    chen = list(u.person_set.filter(name="陈明").order_by("staff_no"))
    requests["陈明"] = IntegrityOpinion.objects.create(unit=u, date=D(2023, 11, 20), subject=chen[0],
                                                     matter="评先评优", conclusion="同意")
    return {"unit": u, "people": people, "chen": chen, "requests": requests}
