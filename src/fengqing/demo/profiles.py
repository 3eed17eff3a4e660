"""The three fictional units of the demo: their organisation, the staff changes inside the demo's periods, and
how diligently each works, which decides the grade the assessment (DESIGN §5) gives it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

D = date


@dataclass(frozen=True)
class Dept:
    name: str
    kind: str  # 科室 / 下属单位
    size: int  # staff on the establishment, the head included
    category: str  # the staff category of most of them
    branch: str  # the Party branch its members belong to
    risk: str  # key of its integrity risk points in vocabulary.RISKS
    head_post: str
    workers: int = 0  # 工勤 staff besides


@dataclass(frozen=True)
class Branch:
    name: str
    kind: str = "在职"
    founded: date | None = None
    dissolved: date | None = None
    merged_into: str = ""  # the branch its members moved to when it was dissolved


@dataclass(frozen=True)
class Events:
    """Staff changes inside 2022–2023, the edge cases of DESIGN §4."""

    retirements: tuple[date, ...] = ()
    transfers: tuple[date, ...] = ()
    joins: tuple[date, ...] = ()
    #: a deputy leader transfers out on the first date; the successor arrives on the second
    leader_swap: tuple[date, date] | None = None
    #: a department head retires on this date; the deputy is promoted head about a month later
    head_retires: date | None = None


@dataclass(frozen=True)
class Practice:
    """How diligently the unit works. Tuples of four are per half-year, 2022H1 … 2023H2."""

    central_studies: tuple[int, int, int, int]
    integrity_meetings: tuple[int, int, int, int]  # 党组会 that study 党风廉政
    liaisons: tuple[int, int, int, int]
    warning_educations: tuple[int, int, int, int]
    study_plans: tuple[date, date]  # when each year's 学习计划 was issued
    missed_festivals: tuple[date, ...]  # festival days with no 节假日廉洁提醒
    talk_coverage: tuple[float, float]  # share of staff given an integrity talk by 30 June and by year end
    tasks: int  # 责任分工 tasks a year
    late_tasks: tuple[int, int]  # of them, finished late or not at all, 2022 and 2023
    expense_2022: tuple[float, float, float, float]  # budget per 三公 category for 2022, 万元
    expense_change: float  # 2023 against 2022
    execution: float  # spent / budget
    risk_coverage: float  # share of departments that have risk points
    uncontrolled_high_risks: int
    stale_reviews: int  # risk points last reviewed in 2021
    duty_report_share: float  # heads who report at the annual 述责述廉 meeting
    voters: int
    votes: tuple[float, float, float, float]  # shares of 好, 较好, 一般, 差
    disciplines: tuple[str, str, str, str]  # the forms of the half's 四种形态 records, e.g. "112"
    careless_promotions: int  # 2023H1 promotions with one of the four checks missed
    petitions: tuple[tuple[str, ...], ...]  # per half: the 办理结果 of each petition received
    overdue_measures: tuple[int, int, int, int]  # per half of the problems: measures never done
    late_measures: tuple[int, int, int, int]  # per half of the problems: measures done after the deadline
    problems: int  # problems found each half-year


@dataclass(frozen=True)
class UnitProfile:
    name: str
    short_name: str
    code: str
    party_body: str  # 党组 / 党总支: the Party organisation is named f"中共{name}{party_body}"
    party_short: str  # 局党组: how the unit's own texts name it
    group: str  # the stationed discipline inspection group
    leadership_title: str
    parent_name: str
    prefix: str  # of 工号 and other numbers
    field: str  # the line of work, as in 全市{field}系统
    field_work: tuple[str, ...]  # its main tasks, as meeting and task topics name them
    field_law: str
    field_study: str  # the central group's study of the field's own guidance
    leaders: tuple[str, ...]  # the posts of the leadership, the secretary first
    departments: tuple[Dept, ...]
    branches: tuple[Branch, ...]  # the leaders belong to the first
    auxiliaries: int  # 编外 staff; the first of them is a Party member
    retirees: int  # retired before 2022
    events: Events
    practice: Practice

    @property
    def party_org_name(self) -> str:
        return f"中共{self.name}{self.party_body}"


_BUREAU_FIRST, _BUREAU_SECOND, _BUREAU_THIRD = "机关第一党支部", "机关第二党支部", "机关第三党支部"

BUREAU = UnitProfile(
    name="河川市水务局", short_name="水务局", code="11990100MB0000001W", party_body="党组", party_short="局党组",
    group="驻局纪检监察组", leadership_title="局领导班子", parent_name="河川市人民政府", prefix="SW",
    field="水务", field_work=("河湖长制", "水利工程建设", "防汛抗旱", "水资源节约保护"), field_law="《中华人民共和国水法》",
    field_study="习近平总书记“节水优先、空间均衡、系统治理、两手发力”治水思路",
    leaders=("党组书记、局长", "党组成员、副局长", "党组成员、副局长", "党组成员、副局长", "党组成员、总工程师"),
    departments=(
        Dept("办公室", "科室", 9, "公务员", _BUREAU_FIRST, "office", "主任", workers=3),
        Dept("组织人事科", "科室", 5, "公务员", _BUREAU_FIRST, "personnel", "科长"),
        Dept("机关党委办公室", "科室", 4, "公务员", _BUREAU_FIRST, "party", "主任"),
        Dept("政策法规科", "科室", 4, "公务员", _BUREAU_FIRST, "legal", "科长"),
        Dept("规划计划科", "科室", 5, "公务员", _BUREAU_SECOND, "planning", "科长"),
        Dept("财务审计科", "科室", 6, "公务员", _BUREAU_SECOND, "finance", "科长"),
        Dept("水资源管理科", "科室", 5, "公务员", _BUREAU_SECOND, "permit", "科长"),
        Dept("河湖管理科", "科室", 5, "公务员", _BUREAU_SECOND, "supervision", "科长"),
        Dept("水利工程建设与运行管理科", "科室", 6, "公务员", _BUREAU_THIRD, "engineering", "科长"),
        Dept("农村水利水电科", "科室", 4, "公务员", _BUREAU_THIRD, "project", "科长"),
        Dept("水旱灾害防御科", "科室", 5, "公务员", _BUREAU_THIRD, "warehouse", "科长"),
        Dept("水利监督科", "科室", 4, "公务员", _BUREAU_THIRD, "supervision", "科长"),
        Dept("市水政监察支队", "下属单位", 14, "参公事业", "市水政监察支队党支部", "enforcement", "支队长"),
        Dept("市水利工程建设管理中心", "下属单位", 12, "事业", "市水利工程建设管理中心党支部", "engineering", "主任"),
        Dept("市水资源服务中心", "下属单位", 10, "事业", "市水资源服务中心党支部", "permit", "主任"),
        Dept("市河湖管理中心", "下属单位", 11, "事业", "市河湖管理中心党支部", "operation", "主任"),
        Dept("市青龙湖水库管理处", "下属单位", 13, "事业", "市青龙湖水库管理处党支部", "operation", "处长", workers=2),
        Dept("市水土保持监测站", "下属单位", 6, "事业", "市水土保持监测站党支部", "project", "站长"),
        Dept("市防汛抗旱物资储备中心", "下属单位", 6, "事业", "市防汛抗旱物资储备中心党支部", "warehouse", "主任",
             workers=1),
        Dept("市水利信息中心", "下属单位", 7, "事业", "市水利信息中心党支部", "tech", "主任"),
    ),
    branches=(
        Branch(_BUREAU_FIRST, founded=D(2001, 7, 1)),
        Branch(_BUREAU_SECOND, founded=D(2001, 7, 1)),
        Branch(_BUREAU_THIRD, founded=D(2010, 3, 18)),
        Branch("市水政监察支队党支部", founded=D(2004, 6, 22)),
        Branch("市水利工程建设管理中心党支部", founded=D(2008, 9, 10)),
        Branch("市水资源服务中心党支部", founded=D(2012, 4, 26)),
        Branch("市河湖管理中心党支部", founded=D(2017, 11, 8)),
        Branch("市青龙湖水库管理处党支部"),
        # merged into the 河湖管理中心's branch when the station's work moved there
        Branch("市水土保持监测站党支部", founded=D(2006, 5, 12), dissolved=D(2023, 5, 10),
               merged_into="市河湖管理中心党支部"),
        Branch("市防汛抗旱物资储备中心党支部", founded=D(2015, 7, 1)),
        # split off 机关第三党支部 once the centre had enough members of its own
        Branch("市水利信息中心党支部", founded=D(2022, 8, 16)),
        Branch("机关退休第一党支部", kind="退休", founded=D(2009, 12, 3)),
        Branch("机关退休第二党支部", kind="退休", founded=D(2018, 6, 28)),
    ),
    auxiliaries=7, retirees=32,
    events=Events(
        retirements=(D(2022, 5, 31), D(2022, 10, 31), D(2023, 3, 31), D(2023, 6, 15), D(2023, 9, 30)),
        transfers=(D(2022, 9, 30), D(2023, 5, 19), D(2023, 11, 10)),
        joins=(D(2022, 8, 1), D(2022, 8, 1), D(2022, 8, 1), D(2022, 8, 1), D(2023, 3, 1), D(2023, 3, 1),
               D(2023, 8, 1), D(2023, 8, 1), D(2023, 8, 1)),
        leader_swap=(D(2023, 3, 15), D(2023, 4, 10)),
        head_retires=D(2023, 4, 30),
    ),
    practice=Practice(
        central_studies=(6, 7, 6, 7), integrity_meetings=(2, 3, 3, 2), liaisons=(3, 3, 4, 3),
        warning_educations=(3, 2, 3, 3), study_plans=(D(2022, 2, 18), D(2023, 2, 16)),
        missed_festivals=(D(2022, 4, 5), D(2023, 6, 22)), talk_coverage=(0.62, 0.97),
        tasks=12, late_tasks=(1, 2), expense_2022=(0, 0, 31.6, 8.4), expense_change=-0.07, execution=0.93,
        risk_coverage=1.0, uncontrolled_high_risks=0, stale_reviews=3,
        duty_report_share=1.0, voters=56, votes=(0.80, 0.16, 0.035, 0.005),
        disciplines=("11", "112", "1112", "111"), careless_promotions=0,
        petitions=(("不属实", "了结"), ("部分属实", "不属实"), ("不属实", "不属实", "了结"), ("不属实", "在办")),
        overdue_measures=(0, 1, 0, 0), late_measures=(1, 0, 1, 0), problems=4,
    ),
)

FORESTRY = UnitProfile(
    name="河川市林业局", short_name="林业局", code="11990100MB0000002Q", party_body="党组", party_short="局党组",
    group="驻局纪检监察组", leadership_title="局领导班子", parent_name="河川市人民政府", prefix="LY",
    field="林业", field_work=("林长制", "森林防火", "国土绿化", "自然保护地管理"), field_law="《中华人民共和国森林法》",
    field_study="习近平总书记“绿水青山就是金山银山”理念和关于林长制的重要指示",
    leaders=("党组书记、局长", "党组成员、副局长", "党组成员、副局长", "党组成员、总工程师"),
    departments=(
        Dept("办公室", "科室", 6, "公务员", "机关党支部", "office", "主任", workers=1),
        Dept("计划财务科", "科室", 4, "公务员", "机关党支部", "finance", "科长"),
        Dept("生态保护修复科", "科室", 4, "公务员", "机关党支部", "permit", "科长"),
        Dept("自然保护地管理科", "科室", 3, "公务员", "机关党支部", "supervision", "科长"),
        Dept("森林资源管理科", "科室", 4, "公务员", "机关党支部", "planning", "科长"),
        Dept("市林业技术推广中心", "下属单位", 7, "事业", "市林业技术推广中心党支部", "project", "主任"),
        Dept("市森林防火和有害生物防治中心", "下属单位", 7, "事业", "林业基层联合党支部", "warehouse", "主任"),
        Dept("市国有青山林场", "下属单位", 8, "事业", "林业基层联合党支部", "operation", "场长", workers=2),
    ),
    branches=(
        Branch("机关党支部", founded=D(2003, 4, 15)),
        Branch("市林业技术推广中心党支部", founded=D(2011, 6, 30)),
        Branch("林业基层联合党支部", founded=D(2019, 3, 22)),
        Branch("退休党支部", kind="退休", founded=D(2012, 10, 9)),
    ),
    auxiliaries=3, retirees=12,
    events=Events(retirements=(D(2022, 7, 31), D(2023, 2, 28)), transfers=(D(2023, 4, 14),),
                  joins=(D(2022, 8, 1), D(2023, 8, 1))),
    practice=Practice(
        central_studies=(5, 5, 5, 6), integrity_meetings=(2, 2, 2, 2), liaisons=(2, 2, 1, 2),
        warning_educations=(2, 2, 2, 2), study_plans=(D(2022, 3, 10), D(2023, 3, 8)),
        missed_festivals=(D(2022, 4, 5), D(2022, 6, 3), D(2023, 4, 5)), talk_coverage=(0.48, 0.88),
        tasks=8, late_tasks=(1, 2), expense_2022=(0, 0, 14.0, 3.2), expense_change=-0.03, execution=0.97,
        risk_coverage=0.75, uncontrolled_high_risks=1, stale_reviews=2,
        duty_report_share=0.8, voters=30, votes=(0.72, 0.22, 0.05, 0.01),
        disciplines=("1", "", "11", "1"), careless_promotions=0,
        petitions=(("不属实",), (), ("不属实",), ("了结",)),
        overdue_measures=(0, 1, 1, 0), late_measures=(0, 1, 0, 0), problems=3,
    ),
)

ARCHIVE = UnitProfile(
    name="河川市档案馆", short_name="档案馆", code="12990100MB0000003E", party_body="党总支", party_short="馆党总支",
    group="派驻纪检监察组", leadership_title="馆领导班子", parent_name="河川市人民政府", prefix="DA",
    field="档案", field_work=("档案安全", "档案数字化", "档案接收征集", "档案开放利用"), field_law="《中华人民共和国档案法》",
    field_study="习近平总书记关于档案工作的重要批示精神",
    leaders=("党总支书记、馆长", "党总支副书记、副馆长", "副馆长"),
    departments=(
        Dept("办公室", "科室", 4, "参公事业", "第一党支部", "office", "主任", workers=1),
        Dept("接收征集科", "科室", 3, "参公事业", "第一党支部", "archive", "科长"),
        Dept("保管利用科", "科室", 4, "参公事业", "第一党支部", "archive", "科长"),
        Dept("编研展览科", "科室", 3, "参公事业", "第二党支部", "project", "科长"),
        Dept("信息技术科", "科室", 3, "参公事业", "第二党支部", "tech", "科长"),
        Dept("市档案技术服务中心", "下属单位", 5, "事业", "第二党支部", "project", "主任"),
    ),
    branches=(
        Branch("第一党支部", founded=D(2005, 9, 1)),
        Branch("第二党支部", founded=D(2016, 5, 20)),
        Branch("退休党支部", kind="退休", founded=D(2014, 11, 12)),
    ),
    auxiliaries=2, retirees=6,
    events=Events(retirements=(D(2023, 1, 31),), transfers=(D(2022, 11, 30),), joins=(D(2023, 8, 1),)),
    practice=Practice(
        central_studies=(4, 3, 4, 4), integrity_meetings=(1, 1, 1, 1), liaisons=(1, 1, 2, 2),
        warning_educations=(1, 1, 1, 1), study_plans=(D(2022, 3, 25), D(2023, 7, 12)),
        missed_festivals=(D(2022, 4, 5), D(2022, 6, 3), D(2022, 9, 10), D(2023, 4, 5), D(2023, 6, 22)),
        talk_coverage=(0.25, 0.55),
        tasks=6, late_tasks=(1, 2), expense_2022=(0, 0, 6.0, 1.5), expense_change=0.06, execution=1.06,
        risk_coverage=0.67, uncontrolled_high_risks=1, stale_reviews=1,
        duty_report_share=0.6, voters=18, votes=(0.55, 0.30, 0.12, 0.03),
        disciplines=("1", "2", "11", "12"), careless_promotions=1,
        petitions=((), ("不属实",), ("不属实",), ("部分属实",)),
        overdue_measures=(1, 2, 2, 1), late_measures=(0, 1, 1, 0), problems=3,
    ),
)

PROFILES: tuple[UnitProfile, ...] = (BUREAU, FORESTRY, ARCHIVE)
