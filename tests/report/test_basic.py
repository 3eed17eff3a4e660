"""The basic situation (DESIGN §4) against the hand-counted edge unit (see edge.py)."""

from fengqing.report.api import build_report
from fengqing.report.document import Heading
from fengqing.report.runs import plain

# counted by hand from edge.py at E = 2023-06-30:
# leaders 甲一 己六 子十一; staff 甲一(公务员) 丁四(参公事业) 己六(事业) 癸十(工勤) 子十一(公务员);
# branches 机关第一 后撤 (在职) + 离退休; members in service 甲一 丁四 辛八, retired 丙三 壬九
EXPECTED = {"科室": 3, "下属单位": 2, "领导班子成员": 3, "在编在职人员": 5, "公务员": 2, "工勤": 1, "参公事业": 1,
            "事业": 1, "党支部": 3, "在职党支部": 2, "退休党支部": 1, "党员": 5, "在职党员": 3, "退休党员": 2}
SENTENCE = ("水务局机关设有3个科（室），2个下属单位。现有领导班子成员3人，在编在职人员5人，其中：机关公务员2人，"
            "机关工勤人员1人，参公事业人员1人，事业人员1人。下设党支部3个，其中：在职党支部2个、退休党支部1个；"
            "现有党员5人，其中：在职党员3人、退休党员2人。")


def test_basic_figures(edge_unit, h1):
    doc = build_report(edge_unit, h1)
    assert doc.basic == EXPECTED
    assert list(doc.basic) == list(EXPECTED)  # the order the report states them


def test_basic_sentence(edge_unit, h1):
    doc = build_report(edge_unit, h1)
    section = next(b for b in doc.blocks if isinstance(b, Heading) and plain(b.runs) == "一、基本情况")
    assert plain(section.children[0].runs) == SENTENCE


def test_basic_records_are_the_people_counted(edge_unit, h1):
    facts = {f["id"]: f for f in build_report(edge_unit, h1).facts}
    from fengqing.org.models import Person

    names = dict(Person.objects.values_list("pk", "name"))
    counted = {fid: sorted(names[int(r.split(":")[1])] for r in facts[fid]["records"])
               for fid in ("basic.leaders", "basic.members_active", "basic.members_retired")}
    assert counted == {"basic.leaders": sorted(["甲一", "己六", "子十一"]),
                       "basic.members_active": sorted(["甲一", "丁四", "辛八"]),
                       "basic.members_retired": sorted(["丙三", "壬九"])}


def test_a_year_earlier_counts_differently(edge_unit):
    # at 2022-12-31: 乙二 and 癸十 have not joined, 丙三 and 戊五 are still in service, 撤销党支部 exists
    basic = build_report(edge_unit, "2022H2").basic
    assert basic["在编在职人员"] == 6  # 甲一 丙三 丁四 戊五 己六 子十一
    assert basic["党支部"] == 4
    assert (basic["在职党员"], basic["退休党员"]) == (5, 1)  # 甲一 丙三 丁四 戊五 辛八; 壬九
