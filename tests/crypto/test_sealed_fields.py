"""Sealed fields through the ORM, on SQLite and PostgreSQL alike: plain in Python, sealed in SQL, counted by
their clear columns, sealed in the audit log, bound to their column."""

import pytest
from django.db import connection

from fengqing.accounts.audit import snapshot
from fengqing.crypto.cipher import open_text
from fengqing.errors import CryptoError
from fengqing.ledger.models import Discipline, Petition, Talk
from tests.factories import D, person, unit

pytestmark = pytest.mark.django_db

REASON = "因收受礼金被诫勉"


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def test_plain_through_the_orm_sealed_in_sql():
    u = unit()
    p = person(u, "钱七")
    talk = Talk.objects.create(unit=u, date=D(2023, 3, 1), subject=p, kind="诫勉谈话", talker="孙八", reason=REASON)
    Talk.objects.create(unit=u, date=D(2023, 3, 2), subject=p, kind="谈心谈话")
    Petition.objects.create(unit=u, received=D(2023, 4, 1), subject="钱七", category="作风", result="属实")
    Discipline.objects.create(unit=u, date=D(2023, 5, 1), subject=p, form="第一种形态", handling="批评教育")

    assert Talk.objects.get(pk=talk.pk).reason == REASON
    assert list(Talk.objects.filter(kind="诫勉谈话").values_list("talker", "reason")) == [("孙八", REASON)]
    assert Petition.objects.get().subject == "钱七"
    (stored_reason, stored_talker), (empty_reason, _) = raw(
        "SELECT reason, talker FROM ledger_talk ORDER BY id")
    assert stored_reason.startswith("fq1$") and REASON not in stored_reason
    assert empty_reason == ""  # nothing to hide in an empty field
    assert raw("SELECT handling FROM ledger_discipline")[0][0].startswith("fq1$")
    assert raw("SELECT subject FROM ledger_petition")[0][0].startswith("fq1$")
    # the clear columns still count in SQL
    assert Talk.objects.filter(kind="诫勉谈话", subject=p).count() == 1
    assert Petition.objects.filter(result__in=("属实", "部分属实")).count() == 1
    # two seals of the same text differ (fresh nonce), so equal values cannot be spotted in the table
    other = Talk.objects.create(unit=u, date=D(2023, 3, 3), subject=p, kind="诫勉谈话", reason=REASON)
    assert raw("SELECT reason FROM ledger_talk WHERE id = %s", [other.pk])[0][0] != stored_reason


def test_audit_snapshot_holds_the_sealed_form():
    u = unit()
    talk = Talk.objects.create(unit=u, date=D(2023, 3, 1), subject=person(u), kind="提醒谈话", reason=REASON)
    snap = snapshot(talk)
    assert REASON not in str(snap) and snap["reason"].startswith("fq1$")
    assert open_text(snap["reason"], "ledger_talk.reason") == REASON
    assert snap["kind"] == "提醒谈话"  # clear columns stay readable in the log


def test_a_value_moved_to_another_column_does_not_open():
    u = unit()
    talk = Talk.objects.create(unit=u, date=D(2023, 3, 1), subject=person(u), kind="提醒谈话", talker="周九",
                               reason=REASON)
    (sealed_reason,) = raw("SELECT reason FROM ledger_talk")[0]
    raw("UPDATE ledger_talk SET talker = %s WHERE id = %s", [sealed_reason, talk.pk])
    with pytest.raises(CryptoError, match="完整性校验失败"):
        Talk.objects.get(pk=talk.pk)


def test_totp_secret_is_sealed_at_rest_and_codes_still_verify():
    import pyotp
    from django.contrib.auth.models import User

    from fengqing.accounts.models import Credential
    from tests.factories import TOTP_SECRET, second_factor

    user = User.objects.create_user("totp-user", password="x")
    second_factor(user)
    stored = raw("SELECT totp_secret FROM accounts_credential WHERE user_id = %s", [user.pk])[0][0]
    assert stored.startswith("fq1$") and TOTP_SECRET not in stored
    secret = Credential.objects.get(user=user).totp_secret
    assert secret == TOTP_SECRET and pyotp.TOTP(secret).verify(pyotp.TOTP(TOTP_SECRET).now())


def test_documents_stored_in_clear_are_sealed_in_place_by_the_migrations():
    """Rows written before the columns were sealed (plaintext in SQL) are sealed by the migrations' functions;
    the ORM gives back the same documents, whose SHA-256 still match; going back unseals them."""
    import hashlib
    from importlib import import_module

    from django.contrib.auth.models import User

    from fengqing.dossier.models import Reply
    from fengqing.ledger.models import IntegrityOpinion
    from fengqing.report.models import SignedReport
    from fengqing.submission.models import Submission

    u = unit()
    user = User.objects.create_user("signer", password="x")
    document, word, upload, text, reason = '{"title": "报告正文"}', b"PK\x03\x04word/document.xml", b"file", "正文", "理由"
    signed = SignedReport.objects.create(unit=u, period="2023H1", version=1, date=D(2023, 6, 30), document=document,
                                         docx=word, document_sha256=hashlib.sha256(document.encode()).hexdigest(),
                                         docx_sha256=hashlib.sha256(word).hexdigest(), signed_by=user)
    sub = Submission.objects.create(unit=u, period="2023H1", version=1, kind="upload", file_name="a.txt",
                                     content=upload, sha256=hashlib.sha256(upload).hexdigest(), text=text,
                                     submitted_by=user)
    opinion = IntegrityOpinion.objects.create(unit=u, date=D(2023, 5, 1), subject=person(u), matter="评先评优",
                                              conclusion="同意")
    reply = Reply.objects.create(unit=u, request=opinion, proposed="同意", conclusion="暂缓", reason=reason,
                                 decided_by="x", decided_at=signed.signed_at)
    # as the tables held them before: in clear
    raw("UPDATE report_signedreport SET document = %s, docx = %s", [document, word])
    raw("UPDATE submission_submission SET content = %s, text = %s", [upload, text])
    raw("UPDATE dossier_reply SET reason = %s", [reason])

    migrations = [import_module(f"fengqing.{m}") for m in ("report.migrations.0004_sealed_signedreport",
                                                            "submission.migrations.0002_sealed_content",
                                                            "dossier.migrations.0002_sealed_reply_reason")]

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    for m in migrations:
        m.seal(None, editor)
        m.seal(None, editor)  # twice: what is sealed already stays as it is
    (stored_doc, stored_word), = raw("SELECT document, docx FROM report_signedreport")
    (stored_upload, stored_text), = raw("SELECT content, text FROM submission_submission")
    assert stored_doc.startswith("fq1$") and bytes(stored_word).startswith(b"fq1$")
    assert bytes(stored_upload).startswith(b"fq1$") and stored_text.startswith("fq1$")
    assert b"word/document.xml" not in bytes(stored_word)
    assert raw("SELECT reason FROM dossier_reply")[0][0].startswith("fq1$")

    signed = SignedReport.objects.get(pk=signed.pk)
    assert (signed.document, bytes(signed.docx)) == (document, word)
    assert hashlib.sha256(bytes(signed.docx)).hexdigest() == signed.docx_sha256
    sub = Submission.objects.get(pk=sub.pk)
    assert (bytes(sub.content), sub.text) == (upload, text)
    assert Reply.objects.get(pk=reply.pk).reason == reason

    for m in migrations:
        m.unseal(None, editor)
    assert raw("SELECT document FROM report_signedreport")[0][0] == document
    assert bytes(raw("SELECT docx FROM report_signedreport")[0][0]) == word
    assert raw("SELECT reason FROM dossier_reply")[0][0] == reason
