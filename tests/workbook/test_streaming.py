"""The import streams: rows are written a batch at a time inside one transaction, so a problem found after
batches were written must still leave nothing behind; stored rows are matched through digests across batches;
records and audit rows go through PostgreSQL's COPY (the whole suite also runs on PostgreSQL) and come out
sealed, chained and in the workbook's order."""

from datetime import date, timedelta

import pytest
from django.db import connection

from fengqing.accounts.audit import verify
from fengqing.accounts.models import AuditEntry
from fengqing.errors import WorkbookError
from fengqing.ledger.models import Study, Talk
from fengqing.workbook.importer import BATCH, import_workbook

from .helpers import dump_db, valid, write_book

pytestmark = pytest.mark.django_db
TODAY = date(2023, 7, 15)
ROWS = 2 * BATCH + 500  # three batches of one sheet


def studies(count: int, topic=lambda n: f"专题学习{n}") -> list[dict]:
    start = date(2022, 1, 1)
    return [{"日期": start + timedelta(days=n % 500), "类型": "党支部集中学习", "主题": topic(n), "参加人数": 10}
            for n in range(count)]


def do_import(tmp_path, sheets, name="book.xlsx", **kw):
    return import_workbook(write_book(tmp_path / name, sheets), today=TODAY, **kw)


def sheet_stats(result, name):
    s = next(s for s in result.sheets if s.sheet == name)
    return s.new, s.updated, s.unchanged, s.deleted


def test_a_problem_after_written_batches_leaves_nothing_and_every_problem_is_listed(tmp_path):
    do_import(tmp_path, valid())
    before = dump_db()
    bad_talks = valid()["谈话"] + [{"日期": "2023-03-05", "对象": "1001", "类型": "不存在的类型"}]
    bad_petitions = [{"收件日期": "2099-01-01"}]
    book = valid(学习=studies(ROWS), 谈话=bad_talks, 信访举报=bad_petitions)
    with pytest.raises(WorkbookError) as caught:
        do_import(tmp_path, book, "bad.xlsx")
    # 学习 (three batches) and the sheets before 谈话 were written before its bad row was read: all rolled back
    assert dump_db() == before
    # the sheets after the first problem were still checked: both problems listed, in sheet order
    lines = [str(p) for p in caught.value.problems]
    assert len(lines) == 2
    assert lines[0].startswith("工作表“谈话”第4行“类型”列（值：不存在的类型）")
    assert lines[1].startswith("工作表“信访举报”第2行“收件日期”列")


def test_rows_match_stored_ones_across_batches(tmp_path):
    do_import(tmp_path, valid(学习=studies(ROWS)))
    assert Study.objects.count() == ROWS
    # the same rows again, in reverse order: every one matches a stored one
    again = do_import(tmp_path, valid(学习=studies(ROWS)[::-1]), "again.xlsx")
    assert sheet_stats(again, "学习") == (0, 0, ROWS, 0)
    # 100 topics changed (by hand: 100 rows no longer stored, 100 stored rows no longer given), replace mode;
    # a dry run first, which must count the same and write nothing
    changed = studies(ROWS, topic=lambda n: f"改后{n}" if n % 25 == 0 else f"专题学习{n}")
    assert sum(1 for n in range(ROWS) if n % 25 == 0) == 100
    audit_rows = AuditEntry.objects.count()
    dry = do_import(tmp_path, valid(学习=changed), "changed.xlsx", replace=True, dry_run=True)
    assert sheet_stats(dry, "学习") == (100, 0, ROWS - 100, 100)
    assert Study.objects.count() == ROWS and AuditEntry.objects.count() == audit_rows
    real = do_import(tmp_path, valid(学习=changed), "changed.xlsx", replace=True)
    assert sheet_stats(real, "学习") == (100, 0, ROWS - 100, 100)
    topics = set(Study.objects.values_list("topic", flat=True))
    assert len(topics) == ROWS and "改后0" in topics and "专题学习0" not in topics and "专题学习1" in topics


def test_bulk_written_records_are_sealed_chained_and_in_workbook_order(tmp_path):
    talks = [{"日期": date(2023, 1, 1) + timedelta(days=n % 150), "对象": "1001", "类型": "提醒谈话",
              "谈话人": f"谈话人{n}"} for n in range(BATCH + 10)]
    do_import(tmp_path, valid(谈话=talks))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, talker FROM ledger_talk ORDER BY id")
        raw = cursor.fetchall()
    assert len(raw) == BATCH + 10
    assert all(stored.startswith("fq1$") and "谈话人" not in stored for _, stored in raw)
    # read back through the model: plaintext, ids ascending in the workbook's row order
    assert list(Talk.objects.order_by("id").values_list("talker", flat=True)) == [t["谈话人"] for t in talks]
    # the log's snapshot of a new talk holds the sealed value, not the plaintext
    logged = AuditEntry.objects.filter(model="谈话", action=AuditEntry.CREATE).values_list("after", flat=True)
    assert len(logged) == BATCH + 10
    assert all(after["talker"].startswith("fq1$") for after in logged)
    verdict = verify()
    assert verdict.intact and verdict.entries == AuditEntry.objects.count()
