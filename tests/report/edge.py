"""A small unit with every edge case of DESIGN §4 at E = 2023-06-30, counted by hand in test_basic.py."""

from __future__ import annotations

from tests.factories import D, branch, department, person, unit

MEMBER = "中共党员"


def build_edge_unit():
    u = unit()
    for name in ("办公室", "财务科", "河湖科"):
        department(u, name, "科室")
    for name in ("水文站", "灌区所"):
        department(u, name, "下属单位")
    b1 = branch(u, "机关第一党支部", "在职", founded=D(2010, 1, 1))
    branch(u, "新设党支部", "在职", founded=D(2023, 8, 1))  # founded after E
    branch(u, "撤销党支部", "在职", founded=D(2010, 1, 1), dissolved=D(2023, 3, 1))  # dissolved before E
    branch(u, "后撤党支部", "在职", dissolved=D(2023, 9, 1))  # dissolved after E: exists at E
    retired_branch = branch(u, "离退休党支部", "退休")
    person(u, "甲一", is_leader=True, political_status=MEMBER, branch=b1)
    person(u, "乙二", is_leader=True, joined=D(2023, 8, 1), political_status=MEMBER, branch=b1)  # joined after E
    person(u, "丙三", category="工勤", status="退休", status_date=D(2023, 3, 1), political_status=MEMBER,
           branch=retired_branch)  # retired before E
    person(u, "丁四", category="参公事业", status="退休", status_date=D(2023, 9, 1), political_status=MEMBER,
           branch=b1)  # retires after E: in service at E
    person(u, "戊五", category="事业", status="调出", status_date=D(2023, 2, 1), political_status=MEMBER,
           branch=b1)  # transferred out before E
    person(u, "己六", category="事业", status="调出", status_date=D(2023, 10, 1), is_leader=True)  # out after E
    person(u, "庚七", category="编外")
    person(u, "辛八", category="编外", political_status="中共预备党员", branch=b1)  # 编外 Party member
    person(u, "壬九", status="退休", status_date=D(2020, 5, 1), political_status=MEMBER,
           branch=retired_branch)  # retired Party member
    person(u, "癸十", category="工勤", joined=D(2023, 6, 30), political_status="共青团员")  # joined on E
    person(u, "子十一", is_leader=True)
    return u
