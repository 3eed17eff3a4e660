"""Two units with a few records each and one user per role; the discipline group and the supervisor are
assigned the first unit only, so that the second is "another unit" for every role."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.contrib.auth.models import User

from fengqing.accounts.models import Assignment, Role
from fengqing.ledger.models import Discipline, Petition, Study, Talk
from fengqing.rectify.models import Measure, Problem
from fengqing.submission.models import Submission
from fengqing.web.models import Evidence
from tests.factories import D, department, person, second_factor, unit

PASSWORD = "Fq-test-pass-2024"


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def units(db):
    own = unit("河川市水务局", "水务局", code="W1")
    other = unit("河川市交通局", "交通局", code="T1")
    return own, other


def _records(u):
    dept = department(u, "办公室")
    p = person(u, "张三", department=dept)
    Study.objects.create(unit=u, date=D(2023, 3, 1), kind="党组理论学习中心组", topic=f"{u.short_name}学习")
    Talk.objects.create(unit=u, date=D(2023, 3, 2), subject=p, kind="廉洁纪律谈话", talker="书记")
    Talk.objects.create(unit=u, date=D(2023, 3, 3), subject=p, kind="诫勉谈话", talker="组长", reason="敏感事由")
    Discipline.objects.create(unit=u, date=D(2023, 4, 1), subject=p, form="第一种形态", handling="谈话提醒")
    Petition.objects.create(unit=u, received=D(2023, 4, 2), number=f"{u.code}-1", subject="某人")
    problem = Problem.objects.create(unit=u, code=f"{u.code}-P1", period="2023H1", aspect="纪律作风",
                                     title="谈话覆盖不全")
    measure = Measure.objects.create(problem=problem, text="补谈", deadline=D(2023, 5, 1), status="推进中")
    Evidence.objects.create(measure=measure, file=ContentFile(b"%PDF-1.4 test", name="e.pdf"), name="记录.pdf",
                            size=13, uploaded_by="test")
    return p


@pytest.fixture
def world(units):
    own, other = units
    _records(own)
    _records(other)
    users = {}
    for role in Role:
        user = User.objects.create_user(role.value, password=PASSWORD, first_name=role.label)
        a = Assignment.objects.create(user=user, role=role)
        if role in (Role.CLERK, Role.LEADERSHIP, Role.DISCIPLINE, Role.SUPERVISOR):
            a.units.set([own])
        else:
            second_factor(user)
        users[role] = user
    for u in (own, other):  # a report each unit submitted (uploaded), for the pages that show one
        Submission.objects.create(unit=u, period="2023H1", version=1, kind=Submission.UPLOAD, file_name="报告.txt",
                                  content="报告正文。".encode(), sha256="0" * 64, text="报告正文。",
                                  submitted_by=users[Role.LEADERSHIP])
    return {"own": own, "other": other, "users": users}


@pytest.fixture
def login(client):
    def as_role(world, role):
        client.force_login(world["users"][role])
        return client
    return as_role
