"""The scope layer's decisions on sensitive records (DESIGN §2, §7), asked directly: the web tests reach them only
through views, where an earlier filter may hide a wrong decision."""

import pytest

from fengqing.accounts.models import Role
from fengqing.accounts.scope import Scope
from fengqing.ledger.models import Discipline, Talk
from tests.factories import D, person, unit


@pytest.fixture
def records(db):
    u = unit()
    p = person(u)
    return u, {
        "talk": Talk.objects.create(unit=u, date=D(2023, 3, 2), subject=p, kind="廉洁纪律谈话"),
        "sensitive talk": Talk.objects.create(unit=u, date=D(2023, 3, 3), subject=p, kind="诫勉谈话"),
        "discipline": Discipline.objects.create(unit=u, date=D(2023, 4, 1), subject=p, form="第一种形态",
                                                handling="谈话提醒"),
    }


# DESIGN §7: the clerk keeps the ordinary ledgers (talks among them) but never sees a sensitive record; the
# discipline group keeps talks and 四种形态; the leadership and the supervisor keep neither
@pytest.mark.parametrize("role,changes", [
    (Role.CLERK, {"talk"}),
    (Role.DISCIPLINE, {"talk", "sensitive talk", "discipline"}),
    (Role.LEADERSHIP, set()),
    (Role.SUPERVISOR, set()),
    (Role.AUDITOR, set()),
])
def test_who_may_change_or_delete_which_record(records, role, changes):
    u, objs = records
    scope = Scope(role, frozenset({u.id}))
    assert {name for name, obj in objs.items() if scope.may_change(obj)} == changes
    assert not any(Scope(role, frozenset()).may_change(obj) for obj in objs.values())  # not one's unit


@pytest.mark.parametrize("role,imports,replaces", [
    (Role.CLERK, True, False),  # replacing would delete the sensitive rows the clerk cannot see
    (Role.DISCIPLINE, True, True),
    (Role.LEADERSHIP, False, False),
    (Role.SUPERVISOR, False, False),
    (Role.SYSADMIN, False, False),
])
def test_who_may_import_and_replace(records, role, imports, replaces):
    u, _ = records
    scope = Scope(role, frozenset({u.id}))
    assert (scope.may_import(u.id), scope.may_replace(u.id)) == (imports, replaces)
    assert not Scope(role, frozenset()).may_replace(u.id)


# issue 13: the leadership submits its unit's report; the supervisor lists submissions and sends them back;
# the supervisor and the discipline group read the reports together (报告审读); nobody acts outside their units
@pytest.mark.parametrize("role,submits,sends_back,lists,reads", [
    (Role.CLERK, False, False, False, False),
    (Role.LEADERSHIP, True, False, False, False),
    (Role.DISCIPLINE, False, False, False, True),
    (Role.SUPERVISOR, False, True, True, True),
    (Role.SYSADMIN, False, False, False, False),
    (Role.SECADMIN, False, False, False, False),
    (Role.AUDITOR, False, False, False, False),
])
def test_who_submits_sends_back_and_reads_reports(db, role, submits, sends_back, lists, reads):
    u = unit()
    scope = Scope(role, frozenset({u.id}))
    assert (scope.may_submit(u.id), scope.may_send_back(u.id), scope.sees_submissions, scope.sees_reading) == (
        submits, sends_back, lists, reads)
    other = Scope(role, frozenset())
    assert not other.may_submit(u.id) and not other.may_send_back(u.id)
