"""A realistic fictional unit with two years of records, for looking at the report and for the benchmark.

Deterministic (a seeded random generator), so the pages look the same from run to run.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from fengqing.ledger import models as L
from fengqing.org.models import Department, PartyBranch, Person, Unit
from fengqing.rectify.models import Measure, Problem

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文辉玲斌宇浩凯鹏晨"
DEPARTMENTS = ["办公室", "政策法规科", "规划计划科", "财务审计科", "水资源管理科", "河湖管理科", "建设管理科",
               "农村水利科", "水旱灾害防御科", "人事科"]
SUBUNITS = ["水利工程建设管理中心", "水文水资源监测中心", "河道管理所", "灌区管理所"]


def build_unit(name: str = "河川市水务局", short: str = "水务局", code: str = "HCSWJ", seed: int = 7) -> Unit:
    rnd = random.Random(seed)
    unit = Unit.objects.create(name=name, short_name=short, code=code, party_org_name=f"中共{name}党组",
                               leadership_title="局领导班子")
    depts = [Department.objects.create(unit=unit, name=n, kind="科室", order=i) for i, n in enumerate(DEPARTMENTS)]
    depts += [Department.objects.create(unit=unit, name=n, kind="下属单位", order=20 + i)
              for i, n in enumerate(SUBUNITS)]
    branches = [PartyBranch.objects.create(unit=unit, name=f"机关第{c}党支部", kind="在职", founded=date(2015, 3, 1))
                for c in "一二三四"]
    branches.append(PartyBranch.objects.create(unit=unit, name="离退休干部党支部", kind="退休",
                                               founded=date(2016, 6, 1)))
    people = _people(unit, rnd, depts, branches)
    _records(unit, rnd, depts, people)
    return unit


def _people(unit, rnd, depts, branches):
    names = set()
    people = []
    categories = ["公务员"] * 30 + ["工勤"] * 4 + ["参公事业"] * 12 + ["事业"] * 10 + ["编外"] * 5
    for i, category in enumerate(categories):
        while True:
            n = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))
            if n not in names:
                names.add(n)
                break
        member = rnd.random() < 0.7 and category != "编外" or i == len(categories) - 1
        dept = depts[i % len(depts)]
        people.append(Person.objects.create(
            unit=unit, staff_no=f"S{i + 1:03d}", name=n, department=dept, is_leader=i < 6,
            is_dept_head=6 <= i < 6 + len(depts), category=category, status="在职",
            joined=date(2023, 3, 1) if i % 17 == 3 else date(2008 + i % 12, 5, 1),
            political_status="中共党员" if member else rnd.choice(("群众", "共青团员")),
            branch=branches[i % 4] if member else None))
    for i in range(12):
        people.append(Person.objects.create(
            unit=unit, staff_no=f"R{i + 1:03d}", name=f"{rnd.choice(SURNAMES)}老{i}", category="公务员",
            status="退休", status_date=date(2015 + i % 8, 6, 30), political_status="中共党员",
            branch=branches[4]))
    return people


def _dates(rnd, start: date, end: date, n: int) -> list[date]:
    span = (end - start).days
    return sorted(start + timedelta(days=rnd.randrange(span + 1)) for _ in range(n))


def _jitter(rnd, scale, n):
    return max(1, round(n * scale * rnd.uniform(0.8, 1.2)))


def _records(unit, rnd, depts, people):
    staff = [p for p in people if p.status == "在职"]
    for year, scale in ((2022, 1.0), (2023, 1.25)):
        for half, (s, e) in (("上半年", (date(year, 1, 1), date(year, 6, 30))),
                             ("下半年", (date(year, 7, 1), date(year, 12, 31)))):
            k = partial(_jitter, rnd, scale)
            for d in _dates(rnd, s, e, k(5)):
                L.Study.objects.create(unit=unit, date=d, kind="党组理论学习中心组", topic="习近平新时代中国特色社会主义思想")
            for d in _dates(rnd, s, e, k(4)):
                L.Study.objects.create(unit=unit, date=d, kind="党支部集中学习", topic="党章党规")
            for kind, n in (("党组会", 10), ("干部职工会", 3), ("党支部会", 8), ("系统工作会", 1)):
                for i, d in enumerate(_dates(rnd, s, e, k(n))):
                    L.Meeting.objects.create(unit=unit, date=d, kind=kind, topic="研究部署工作",
                                             integrity=kind == "党组会" and i % 4 == 0)
            L.Meeting.objects.create(unit=unit, date=s + timedelta(days=40), kind="党风廉政建设工作会议",
                                     topic=f"全市水务系统{year}年党风廉政建设工作会议")
            for form, n in (("沟通会商", 2), ("情况通报", 1), ("交换意见", 1)):
                for d in _dates(rnd, s, e, k(n)):
                    L.Liaison.objects.create(unit=unit, date=d, form=form, content="通报党风廉政建设情况")
            for d in _dates(rnd, s, e, k(3)):
                L.IntegrityOpinion.objects.create(unit=unit, date=d, subject=rnd.choice(staff),
                                                  matter=rnd.choice(("干部选拔任用", "人员选调", "评先评优")),
                                                  conclusion="同意")
            for form, n in (("案例通报", 3), ("观看警示教育片", 1), ("发放警示教育读本", 1), ("节假日廉洁提醒", 3)):
                for d in _dates(rnd, s, e, k(n)):
                    L.Education.objects.create(unit=unit, date=d, form=form, content="廉政教育",
                                               coverage=rnd.randint(40, 60))
            for p in rnd.sample(staff, k(20)):
                L.Talk.objects.create(unit=unit, date=_dates(rnd, s, e, 1)[0], subject=p, kind="廉洁纪律谈话",
                                      talker="局党组书记")
            for p in rnd.sample(staff, k(4)):
                L.Talk.objects.create(unit=unit, date=_dates(rnd, s, e, 1)[0], subject=p, kind="谈心谈话")
            for i, p in enumerate(rnd.sample(staff, k(3))):
                L.Discipline.objects.create(unit=unit, date=_dates(rnd, s, e, 1)[0], subject=p,
                                            form="第一种形态" if i else "第二种形态", handling="批评教育")
            for p in rnd.sample(staff, k(2)):
                L.Promotion.objects.create(unit=unit, date=_dates(rnd, s, e, 1)[0], subject=p, matter="提拔",
                                           file_reviewed=True, matters_verified=True, opinion_heard=True,
                                           petitions_checked=True)
            L.Posting.objects.create(unit=unit, subject=rnd.choice(staff), host="河川市某镇人民政府",
                                     start=s + timedelta(days=60), end=s + timedelta(days=240))
            spent = Decimal(rnd.randint(1800, 2600)) / 100 * Decimal(str(1.0 if year == 2022 else 0.92))
            for cat, share in (("公务用车运行维护费", Decimal("0.55")), ("公务接待费", Decimal("0.45"))):
                L.PublicExpense.objects.create(unit=unit, year=year, half=half, category=cat,
                                               budget=(Decimal(28) * share).quantize(Decimal("0.01")),
                                               spent=(spent * share).quantize(Decimal("0.01")))
        L.Document.objects.create(unit=unit, date=date(year, 2, 10), category="学习计划",
                                  title=f"{unit.name}党组{year}年党组理论学习中心组专题学习计划")
        L.Document.objects.create(unit=unit, date=date(year, 2, 20), category="工作要点",
                                  title=f"{year}年水务系统党建工作要点")
        L.Document.objects.create(unit=unit, date=date(year, 3, 5), category="责任分工",
                                  title=f"{unit.name}党组关于分解落实{year}年全面从严治党、党风廉政建设和反腐败工作重要任务分工")
        L.Document.objects.create(unit=unit, date=date(year, 4, 18), category="内控制度",
                                  title="机关内部控制管理办法（修订）")
        for i in range(8):
            deadline = date(year, 3 + i, 28)
            L.DutyTask.objects.create(unit=unit, task=f"{year}年党风廉政建设任务{i + 1}", lead="局党组书记",
                                      deadline=deadline, status="已完成" if i != 2 else "推进中",
                                      done_date=deadline - timedelta(days=3) if i != 2 else None)
        for i, p in enumerate(p for p in staff if p.is_dept_head):
            L.DutyReport.objects.create(unit=unit, date=date(year, 1, 20), reporter=p, on_site=i < 4,
                                        good=rnd.randint(30, 40), fairly_good=rnd.randint(5, 10),
                                        average=rnd.randint(0, 3), poor=0)
        for i, d in enumerate(depts):
            L.RiskPoint.objects.get_or_create(unit=unit, code=f"FX{i + 1:02d}", defaults=dict(
                department=d, post=f"{d.name}负责人", description="审批、采购环节廉政风险",
                level=("高", "中", "低")[i % 3], controls="" if i == 9 else "双人审核、定期轮岗",
                owner=staff[6 + i].name, reviewed=date(year, 5, 10)))
            L.RiskPoint.objects.filter(unit=unit, code=f"FX{i + 1:02d}").update(reviewed=date(year, 5, 10))
    _problems(unit, staff)


PROBLEMS = [
    ("政治建设", "理论学习的系统性、实践性还不够", "以知促行的政治站位不够高，学懂弄通做实上下苦功还不够，深学深用去研究和解决推进水务改革过程中遇到的新情况新问题还有差距。"),
    ("主体责任", "党风廉政建设责任压力的传导还不够到位", "落实从严治党各项制度规定还存在“上热中温下冷”现象，廉政教育的形式还不够新颖多样。"),
    ("纪律作风", "干事创业的工作作风和精气神还不够", "面对水务改革中的新情况新问题和历史遗留问题，打破惯性思维、担当作为的冲劲仍显不足。"),
    ("权力制约", "个别高风险岗位防控措施不够具体", "河湖管理科采砂审批岗位的防控措施尚未细化到环节。"),
]


def _problems(unit, staff):
    for period, deadline_base in (("2022H2", date(2023, 3, 31)), ("2023H1", date(2023, 9, 30))):
        for i, (aspect, title, desc) in enumerate(PROBLEMS):
            pr = Problem.objects.create(unit=unit, code=f"{period}-{i + 1:02d}", period=period, aspect=aspect,
                                        title=title, description=desc, source="自查" if i != 1 else "纪检监察组反馈")
            for j in range(2):
                deadline = deadline_base + timedelta(days=30 * j)
                done = period == "2022H2" and (i + j) % 3 != 0
                Measure.objects.create(problem=pr, text=f"{('深化专题学习', '压实责任链条', '开展作风专项整治', '细化岗位防控')[i]}措施{j + 1}",
                                       owner=staff[i].name, deadline=deadline,
                                       status="已完成" if done else "推进中",
                                       done_date=deadline - timedelta(days=5) if done else None)
