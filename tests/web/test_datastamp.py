"""The data stamp: triggers give it a new value at every committed change of the records, on SQLite and
PostgreSQL, whoever made the change; nothing else moves it."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from fengqing.ledger.models import Talk
from fengqing.web import datastamp
from tests.factories import D, unit
from tests.factories import person as make_person

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_table_an_assessment_reads_has_its_triggers():
    tables = set(datastamp.data_tables())
    # a few named by hand from each app, so that an empty list cannot pass
    assert {"org_unit", "org_person", "ledger_talk", "ledger_study", "rectify_problem", "rectify_measure"} <= tables
    # and what the reader reads besides: narratives, uploaded reports, evidence files
    assert {"report_narrative", "submission_submission", "web_evidence"} <= tables
    assert not {"accounts_auditentry", "web_datastamp"} & tables
    assert datastamp.installed() == tables


def test_install_is_idempotent():
    datastamp.install()
    datastamp.install()
    assert datastamp.installed() == set(datastamp.data_tables())


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_each_committed_change_gives_a_new_value_and_nothing_else_does():
    u = unit("河川市水务局", "水务局")
    person = make_person(u)
    seen = [datastamp.version()]
    assert seen[0] is not None  # the unit and the person made the first changes

    def changed() -> bool:
        now = datastamp.version()
        new = now not in seen
        seen.append(now)
        return new

    Talk.objects.create(unit=u, subject=person, kind="谈心谈话", date=D(2023, 3, 1))
    assert changed()
    # raw SQL, without the ORM and its signals: an update, an insert, a delete
    _raw("UPDATE ledger_talk SET kind = %s WHERE unit_id = %s", ["提醒谈话", u.id])
    assert changed()
    talk_id = Talk.objects.get().id
    _raw("DELETE FROM ledger_talk WHERE id = %s", [talk_id])
    assert changed()
    assert not changed()  # reading moves nothing

    # a change rolled back leaves the value as it was, and the next real change does not repeat a former value
    with pytest.raises(RuntimeError), transaction.atomic():
        Talk.objects.create(unit=u, subject=person, kind="谈心谈话", date=D(2023, 3, 2))
        raise RuntimeError("rolled back")
    assert not changed()
    Talk.objects.create(unit=u, subject=person, kind="谈心谈话", date=D(2023, 3, 3))
    assert changed()

    # tables outside the records (sessions, the audit log, users) do not move it
    from django.contrib.auth.models import User

    User.objects.create(username="someone")
    assert not changed()


def test_many_rows_in_one_transaction_are_one_change_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's trigger writes once per transaction (SQLite's once per row)")
    u = unit("河川市水务局", "水务局")
    person = make_person(u)
    _raw(f"SELECT setval('{datastamp.SEQUENCE}', 1000)", [])
    with transaction.atomic():
        Talk.objects.bulk_create([Talk(unit=u, subject=person, kind="谈心谈话", date=D(2023, 3, 1))
                                  for _ in range(50)])
        # not yet committed: the stamp moves at commit
        assert datastamp.version() != 1001
    assert datastamp.version() == 1001
