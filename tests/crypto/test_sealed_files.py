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
    cmd = [sys.executable, "-c", args[0]] if python else [sys.executable, "-m", "fengqing.cli", *args]
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
