"""Encryption at rest, tested on the real files: a fresh data folder is filled through the command line and a
sealed upload, then every byte under it is searched for the sensitive values (SQLite; the database's own files,
its WAL, the uploads and the key folder)."""

import base64
import getpass
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from openpyxl import load_workbook

from tests.workbook.helpers import VALID, write_book

# values that appear nowhere else: if any of their bytes are on disk, a sensitive field leaked
REASON = "事由甲乙丙零一二"
TALKER = "谈话人丁戊己"
HANDLING = "处理方式庚辛壬癸"
PETITION_SUBJECT = "反映对象子丑寅"
PETITION_CATEGORY = "问题类别卯辰巳"
EVIDENCE = "佐证材料午未申酉".encode()
SECRETS = [s.encode("utf-8") for s in (REASON, TALKER, HANDLING, PETITION_SUBJECT, PETITION_CATEGORY)] + [EVIDENCE]

SAVE_UPLOAD = """
import django; django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
print(default_storage.save("evidence/2023/06/e.txt", ContentFile(EVIDENCE)))
""".replace("EVIDENCE", repr(EVIDENCE))


def book(path, handling=HANDLING):
    sheets = dict(VALID)
    sheets["谈话"] = [{"日期": "2023-03-02", "对象": "张伟", "类型": "诫勉谈话", "谈话人": TALKER, "事由": REASON}]
    sheets["四种形态"] = [{"日期": "2023-04-01", "对象": "张伟", "形态": "第一种形态", "处理方式": handling}]
    sheets["信访举报"] = [{"收件日期": "2023-05-01", "编号": "X-1", "反映对象": PETITION_SUBJECT,
                       "问题类别": PETITION_CATEGORY, "办理结果": "不属实"}]
    return write_book(path, sheets)


def run(home: Path, *args, python=False):
    env = {k: v for k, v in os.environ.items() if k not in ("FENGQING_DATABASE_URL", "FENGQING_DATA_KEY")}
    env.update(FENGQING_HOME=str(home), DJANGO_SETTINGS_MODULE="fengqing.settings")
    cmd = [sys.executable, "-c", *args] if python else [sys.executable, "-m", "fengqing.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=home.parent, timeout=180)


def files_under(home: Path):
    return [p for p in home.rglob("*") if p.is_file()]


def leaked(home: Path) -> list[tuple[str, str]]:
    return [(p.name, s.decode()) for p in files_under(home) for s in SECRETS if s in p.read_bytes()]


def exported(home: Path, tmp_path: Path) -> dict[str, list[tuple]]:
    out = tmp_path / "export.xlsx"
    result = run(home, "export", "--unit", "水务局", str(out))
    assert result.returncode == 0, result.stderr
    wb = load_workbook(out, read_only=True)
    return {name: [r for r in wb[name].iter_rows(values_only=True)] for name in ("谈话", "四种形态", "信访举报")}


def test_no_plaintext_on_disk_and_private_modes(tmp_path):
    home = tmp_path / "home"
    result = run(home, "import", str(book(tmp_path / "b.xlsx")))
    assert result.returncode == 0, result.stderr
    # a change and a deletion: the audit log's before/after snapshots are on disk too
    result = run(home, "import", "--replace", str(book(tmp_path / "c.xlsx", handling=HANDLING + "改")))
    assert result.returncode == 0, result.stderr
    saved = run(home, SAVE_UPLOAD, python=True)
    assert saved.returncode == 0, saved.stderr
    upload = home / "uploads" / saved.stdout.strip()
    assert upload.exists()
    names = {p.name for p in files_under(home)}
    assert "fengqing.sqlite3" in names and "data.key" in names
    assert leaked(home) == []
    # the values are there, sealed: the export (through the models) gives them back
    rows = exported(home, tmp_path)
    assert rows["谈话"][1][3:5] == (TALKER, REASON)
    assert rows["四种形态"][1][3] == HANDLING + "改"
    assert rows["信访举报"][1][2:4] == (PETITION_SUBJECT, PETITION_CATEGORY)
    # 0700 folders, 0600 files, for the database, its WAL, the key and the uploads
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for folder in (home / "keys", home / "uploads", upload.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for path in (home / "fengqing.sqlite3", home / "keys" / "data.key", upload, home / "secret.key"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    wal = home / "fengqing.sqlite3-wal"
    assert not wal.exists() or stat.S_IMODE(wal.stat().st_mode) == 0o600


def raw_rows(home: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(home / "fengqing.sqlite3") as db:
        return list(db.execute(sql))


def raw_values(home: Path, sql: str) -> list:
    return [r[0] for r in raw_rows(home, sql)]


def test_sealed_with_sm4_gcm_under_the_key_file(tmp_path):
    """Decrypted here with cryptography's SM4-GCM directly, from the documented layout, not with fengqing's code."""
    home = tmp_path / "home"
    assert run(home, "import", str(book(tmp_path / "b.xlsx"))).returncode == 0
    kid, key64 = (home / "keys" / "data.key").read_text().split()
    (stored,) = raw_values(home, "SELECT reason FROM ledger_talk")
    assert stored.startswith("fq1$")
    blob = base64.b64decode(stored[4:])
    assert blob[:8].decode() == kid
    nonce, body, tag = blob[8:20], blob[20:-16], blob[-16:]
    dec = Cipher(algorithms.SM4(base64.b64decode(key64)), modes.GCM(nonce, tag)).decryptor()
    dec.authenticate_additional_data(b"ledger_talk.reason")
    assert (dec.update(body) + dec.finalize()).decode() == REASON


def test_lost_key_tampered_value_and_rotation(tmp_path):
    home = tmp_path / "home"
    assert run(home, "import", str(book(tmp_path / "b.xlsx"))).returncode == 0
    assert run(home, SAVE_UPLOAD, python=True).returncode == 0
    key_file = home / "keys" / "data.key"
    old_id = key_file.read_text().split()[0]

    # a lost key is a clear error, and no new key is made that would mix with the old data
    key_file.rename(tmp_path / "saved.key")
    lost = run(home, "export", "--unit", "水务局", str(tmp_path / "x.xlsx"))
    assert lost.returncode == 2 and "Traceback" not in lost.stderr
    assert "找不到密钥文件" in lost.stderr and not key_file.exists()
    (tmp_path / "saved.key").rename(key_file)

    # a changed byte in a sealed value is refused, not read as garbage
    (stored,) = raw_values(home, "SELECT handling FROM ledger_discipline")
    blob = bytearray(base64.b64decode(stored[4:]))
    blob[25] ^= 1
    with sqlite3.connect(home / "fengqing.sqlite3") as db:
        db.execute("UPDATE ledger_discipline SET handling = ?", ["fq1$" + base64.b64encode(bytes(blob)).decode()])
    tampered = run(home, "export", "--unit", "水务局", str(tmp_path / "x.xlsx"))
    assert tampered.returncode == 2 and "完整性校验失败" in tampered.stderr and "Traceback" not in tampered.stderr
    with sqlite3.connect(home / "fengqing.sqlite3") as db:
        db.execute("UPDATE ledger_discipline SET handling = ?", [stored])

    rotated = run(home, "keys", "rotate")
    assert rotated.returncode == 0, rotated.stderr
    lines = key_file.read_text().split("\n")
    new_id = lines[0].split()[0]
    assert new_id != old_id and lines[1].split()[0] == old_id  # the old key kept for the audit log
    for sql in ("SELECT reason FROM ledger_talk", "SELECT talker FROM ledger_talk",
                "SELECT handling FROM ledger_discipline", "SELECT subject FROM ledger_petition",
                "SELECT category FROM ledger_petition"):
        (value,) = raw_values(home, sql)
        assert base64.b64decode(value[4:])[:8].decode() == new_id, sql
    for path in (home / "uploads" / "evidence").rglob("*.txt"):
        assert path.read_bytes()[4:12].decode() == new_id
    assert leaked(home) == []
    assert exported(home, tmp_path)["谈话"][1][3:5] == (TALKER, REASON)
    # the rotation is in the audit log: who (the OS user), the keys, the five values and one upload of this
    # data folder (counted by hand above), success; and the chain still verifies
    (entry,) = raw_rows(home, "SELECT actor, via, object_id, outcome, after FROM accounts_auditentry "
                              "WHERE action = '轮换密钥'")
    actor, via, object_id, outcome, after = entry
    assert actor == f"命令行（{getpass.getuser()}）" and via == "命令行" and outcome == "成功"
    assert object_id == new_id
    assert json.loads(after) == {"新密钥": new_id, "保留的旧密钥": [old_id], "重新加密字段值": 5,
                                 "重新加密上传文件": 1}
    verified = run(home, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_refused_rotation_is_audited(tmp_path):
    home = tmp_path / "home"
    assert run(home, "import", str(book(tmp_path / "b.xlsx"))).returncode == 0
    key = (home / "keys" / "data.key").read_text().split()[1]
    env = {k: v for k, v in os.environ.items() if k != "FENGQING_DATABASE_URL"}
    env.update(FENGQING_HOME=str(home), FENGQING_DATA_KEY=key, DJANGO_SETTINGS_MODULE="fengqing.settings")
    refused = subprocess.run([sys.executable, "-m", "fengqing.cli", "keys", "rotate"], capture_output=True, text=True,
                             env=env, cwd=tmp_path, timeout=180)
    assert refused.returncode == 2 and "环境变量" in refused.stderr
    ((outcome, after),) = raw_rows(home, "SELECT outcome, after FROM accounts_auditentry WHERE action = '轮换密钥'")
    assert outcome == "拒绝" and "环境变量" in json.loads(after)["原因"]


# -- documents kept whole in the database: signed reports, submitted reports, 廉政意见回复 reasons -----------------

OPINION_REASON = "回复理由亥子丑寅卯"
SUBMITTED = "报送正文辰巳午未申：某同志受到诫勉"

SIGN_SUBMIT_REPLY = """
import json, sys
from datetime import date
import django; django.setup()
from django.contrib.auth.models import User
from fengqing.dossier.letter import confirm
from fengqing.ledger.models import IntegrityOpinion
from fengqing.org.models import Person, Unit
from fengqing.periods import parse_period
from fengqing.report import signoff
from fengqing.submission import api as submission
unit = Unit.objects.get(short_name="水务局")
user = User.objects.create_user("leader1", password="Zz9!scan-pass")
signed = signoff.sign(unit, parse_period("2023H1"), user, "leader1", "网页")
submission.submit_file(unit, parse_period("2023H1"), "自行撰写.txt", sys.argv[1].encode(), user, "leader1", "网页")
opinion = IntegrityOpinion.objects.create(unit=unit, date=date(2023, 5, 2), subject=Person.objects.filter(unit=unit)[0],
                                          matter="评先评优", conclusion="同意")
confirm(unit, opinion.pk, "暂缓", sys.argv[2], "leader1", "网页")
facts = sorted((f["text"] for f in signed.data["facts"]), key=len)[-3:]
print(json.dumps({"facts": facts}))
"""

READ_BACK = """
import hashlib, io, json
import django; django.setup()
from docx import Document
from fengqing.dossier.models import Reply
from fengqing.report import signoff
from fengqing.report.models import SignedReport
from fengqing.submission import api as submission
from fengqing.submission.models import Submission
signed = SignedReport.objects.get()
files = signoff.files(signed, ["docx", "json"])
s = Submission.objects.get()
name, data, _ = submission.content(s)
print(json.dumps({
    "json_ok": hashlib.sha256(files["json"]).hexdigest() == signed.document_sha256,
    "docx_ok": hashlib.sha256(files["docx"]).hexdigest() == signed.docx_sha256,
    "docx_paragraphs": len(Document(io.BytesIO(files["docx"])).paragraphs),
    "title": signed.data["title"],
    "submitted": data.decode(), "submitted_ok": hashlib.sha256(data).hexdigest() == s.sha256, "text": s.text,
    "reason": Reply.objects.get().reason}, ensure_ascii=False))
"""


def key_ids(home: Path) -> set[str]:
    """The key id of every sealed document value: text (base64 after the prefix) and bytes (raw after it)."""
    ids = set()
    for table, column in (("report_signedreport", "document"), ("submission_submission", "text"),
                          ("dossier_reply", "reason")):
        ids |= {base64.b64decode(v[4:])[:8].decode() for v in raw_values(home, f"SELECT {column} FROM {table}")}
    for table, column in (("report_signedreport", "docx"), ("submission_submission", "content")):
        for v in raw_values(home, f"SELECT {column} FROM {table}"):
            assert v[:4] == b"fq1$", (table, column)
            ids.add(v[4:12].decode())
    return ids


def test_signed_and_submitted_reports_and_replies_sealed_on_disk(tmp_path):
    home = tmp_path / "home"
    assert run(home, "import", str(book(tmp_path / "b.xlsx"))).returncode == 0
    made = run(home, SIGN_SUBMIT_REPLY, SUBMITTED, OPINION_REASON, python=True)
    assert made.returncode == 0, made.stderr
    facts = json.loads(made.stdout.strip().splitlines()[-1])["facts"]
    assert all(len(f.encode()) > 30 for f in facts)  # sentences of the report, written nowhere else
    # the report's sentences (JSON), any .docx (its zip names are stored uncompressed), the submitted file and
    # its text, the reply's reason, and the earlier sensitive values: none is on disk in clear
    secrets = [*SECRETS, *(f.encode() for f in facts), b"word/document.xml", SUBMITTED.encode(),
               OPINION_REASON.encode()]
    found = [(p.name, s.decode()) for p in files_under(home) for s in secrets if s in p.read_bytes()]
    assert found == []

    def read_back():
        result = run(home, READ_BACK, python=True)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    # downloads give the documents as signed and submitted: their SHA-256 are those of the plaintext
    back = read_back()
    assert back["json_ok"] and back["docx_ok"] and back["docx_paragraphs"] > 5
    assert "水务局" in back["title"]
    assert (back["submitted"], back["submitted_ok"], back["text"]) == (SUBMITTED, True, SUBMITTED)
    assert back["reason"] == OPINION_REASON

    # rotation seals them again with the new key, and they still read the same
    old_id = (home / "keys" / "data.key").read_text().split()[0]
    assert key_ids(home) == {old_id}
    assert run(home, "keys", "rotate").returncode == 0
    new_id = (home / "keys" / "data.key").read_text().split()[0]
    assert key_ids(home) == {new_id}
    assert read_back() == back
