"""The audit log's hash chain, its triggers and ``fengqing audit verify|export`` — on whichever database the
suite runs (scripts/test.sh runs it on SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import hashlib
import json
import threading
from datetime import timedelta
from datetime import UTC

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone
from openpyxl import load_workbook

from fengqing.accounts import audit, chain
from fengqing.accounts.models import AuditEntry, ChainHead
from fengqing.ledger.models import Discipline
from tests.factories import D, person, unit


def _log(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        audit.event(f"user{i}", "网页", AuditEntry.LOGIN, "用户", f"user{i}", address="10.0.0.1",
                    detail={"原因": "测试", "序号": i})


def _raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _drop_triggers() -> None:
    for sql in chain.drop_triggers_sql(connection.vendor):
        _raw(sql)


def _verify_cli(capsys) -> tuple[int, str]:
    try:
        call_command("audit", "verify")
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out + out.err


def test_each_entry_holds_the_sha256_of_its_content_and_the_previous_hash(db):
    _log(3)
    entries = list(AuditEntry.objects.order_by("id"))
    assert entries[0].prev_hash == "0" * 64
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    e = entries[1]
    # recomputed here by hand from the documented canonical form
    text = json.dumps([e.prev_hash, e.at.astimezone(UTC).isoformat(timespec="microseconds"), e.actor,
                       e.role, e.address, e.via, e.action, e.model, e.object_id, e.unit_id, e.unit_name, e.outcome,
                       e.before, e.after],
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert e.hash == hashlib.sha256(text.encode()).hexdigest()
    assert ChainHead.objects.get().hash == entries[-1].hash and ChainHead.objects.get().entries == 3


def test_verify_passes_an_intact_log(db, capsys):
    u = unit()
    audit.record("clerk", "网页", [audit.Change(AuditEntry.CREATE, u, None, audit.snapshot(u))])
    _log(4)
    assert audit.verify().intact and audit.verify().entries == 5
    code, out = _verify_cli(capsys)
    assert code == 0 and "审计日志完整" in out


@pytest.mark.parametrize("statement", ["UPDATE {t} SET actor = 'x'", "DELETE FROM {t}"])
def test_triggers_refuse_update_and_delete_in_plain_sql(db, statement):
    _log(2)
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            _raw(statement.format(t=chain.AUDIT_TABLE))
    assert AuditEntry.objects.count() == 2 and set(AuditEntry.objects.values_list("actor", flat=True)) == {
        "user0", "user1"}


def test_the_chain_head_cannot_be_deleted_or_rewound(db):
    _log(2)
    for sql in (f"DELETE FROM {chain.HEAD_TABLE}", f"UPDATE {chain.HEAD_TABLE} SET entries = 0"):
        with pytest.raises(DatabaseError):
            with transaction.atomic():
                _raw(sql)
    assert ChainHead.objects.get().entries == 2


def test_flush_is_refused_while_the_log_has_entries(db):
    _log(1)
    with pytest.raises(CommandError, match="审计日志"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.count() == 1


def test_verify_finds_an_edited_entry(db, capsys):
    _log(5)
    _drop_triggers()
    third = AuditEntry.objects.order_by("id")[2]
    _raw(f"UPDATE {chain.AUDIT_TABLE} SET actor = %s WHERE id = %s", ["someone-else", third.pk])
    verdict = audit.verify()
    assert not verdict.intact and verdict.finding.entry_id == third.pk and verdict.entries == 2
    assert "被修改" in str(verdict.finding)
    code, out = _verify_cli(capsys)
    assert code == 2 and f"编号 {third.pk}" in out


def test_verify_finds_an_edit_whose_hash_was_recomputed(db):
    """A forger who also rewrites the entry's own hash still breaks the next entry's link."""
    _log(4)
    _drop_triggers()
    second, third = AuditEntry.objects.order_by("id")[1:3]
    content = chain.stored_content({**{f: getattr(second, f) for f in chain.CONTENT}, "actor": "forged"})
    forged = chain.entry_hash(second.prev_hash, content)
    _raw(f"UPDATE {chain.AUDIT_TABLE} SET actor = 'forged', hash = %s WHERE id = %s", [forged, second.pk])
    verdict = audit.verify()
    assert verdict.finding.entry_id == third.pk and "被删除或被改写" in str(verdict.finding)


def test_verify_finds_a_deleted_entry(db, capsys):
    _log(5)
    _drop_triggers()
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    _raw(f"DELETE FROM {chain.AUDIT_TABLE} WHERE id = %s", [ids[1]])
    verdict = audit.verify()
    assert verdict.finding.entry_id == ids[2] and "被删除" in str(verdict.finding)
    assert _verify_cli(capsys)[0] == 2


def test_verify_finds_entries_removed_from_the_end(db):
    _log(4)
    _drop_triggers()
    last = AuditEntry.objects.order_by("-id").first()
    _raw(f"DELETE FROM {chain.AUDIT_TABLE} WHERE id = %s", [last.pk])
    verdict = audit.verify()
    assert not verdict.intact and verdict.finding.entry_id is None and "被删除" in str(verdict.finding)


def test_verify_finds_an_inserted_entry(db, capsys):
    """An entry slipped in between two others, correctly chained onto its predecessor."""
    _log(2)
    first, second = AuditEntry.objects.order_by("id")
    _drop_triggers()
    content = chain.stored_content({f: getattr(first, f) for f in chain.CONTENT})
    content.update(actor="intruder", at=first.at + timedelta(seconds=1))
    forged = chain.entry_hash(first.hash, content)
    # placed by id between the two: move the second entry to a later id, then insert at its old id
    _raw(f"UPDATE {chain.AUDIT_TABLE} SET id = %s WHERE id = %s", [second.pk + 100, second.pk])
    cols = ["id", *chain.CONTENT, "prev_hash", "hash"]
    values = [second.pk, content["at"], "intruder", first.role, first.address, first.via, first.action, first.model,
              first.object_id, first.unit_id, first.unit_name, first.outcome,
              content["before"], content["after"], first.hash, forged]
    _raw(f"INSERT INTO {chain.AUDIT_TABLE} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})", values)
    verdict = audit.verify()
    assert verdict.finding.entry_id == second.pk + 100 and "插入" in str(verdict.finding)
    assert f"编号 {first.pk}" in str(verdict.finding)
    assert _verify_cli(capsys)[0] == 2


def test_verify_does_not_depend_on_contiguous_ids(db):
    """A restored copy may number entries differently; the chain follows prev_hash."""
    _log(3)
    _drop_triggers()
    for e in AuditEntry.objects.order_by("-id"):  # highest first: no clash
        _raw(f"UPDATE {chain.AUDIT_TABLE} SET id = %s WHERE id = %s", [e.pk * 10 + 7, e.pk])
    assert audit.verify().intact


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    threads, per_thread, errors = 6, 15, []

    def write(k):
        try:
            for i in range(per_thread):
                audit.event(f"t{k}", "网页", AuditEntry.LOGIN, "用户", f"{k}-{i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=write, args=(k,)) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    verdict = audit.verify()
    assert verdict.intact and verdict.entries == threads * per_thread
    assert ChainHead.objects.get().entries == threads * per_thread
    assert len(set(AuditEntry.objects.values_list("prev_hash", flat=True))) == threads * per_thread


def test_export_masks_sensitive_records_and_filters_by_date(db, tmp_path):
    u = unit()
    d = Discipline.objects.create(unit=u, date=D(2023, 4, 1), subject=person(u, "王五"), form="第一种形态",
                                  handling="谈话提醒")
    audit.record("discipline", "网页", [audit.Change(AuditEntry.CREATE, d, None, audit.snapshot(d))],
                 {u.pk: u.name})
    _log(1)
    call_command("audit", "export", str(tmp_path / "a.csv"))
    with open(tmp_path / "a.csv", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0][:4] == ["编号", "时间", "账号", "角色"]
    disc = next(r for r in rows[1:] if r[7] == "四种形态")
    after = json.loads(disc[12])
    assert after["handling"] == "＊＊＊" and after["id"] == d.pk and "谈话提醒" not in disc[12]
    # the export itself is in the log, with the operating-system user
    assert AuditEntry.objects.filter(action="导出", model="审计日志", actor__startswith="命令行").exists()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    call_command("audit", "export", str(tmp_path / "b.xlsx"), "--from", tomorrow)
    ws = load_workbook(tmp_path / "b.xlsx").active
    assert ws.max_row == 1 and ws.cell(1, 7).value == "操作"
