"""fengqing keys rotate | fengqing keys show"""

from __future__ import annotations

from fengqing.accounts import audit
from fengqing.accounts.models import AuditEntry
from fengqing.commands import FengqingCommand
from fengqing.crypto import keys
from fengqing.crypto.rotate import DONE, REFUSED, Rotation, rotate

OUTCOMES = {DONE: AuditEntry.SUCCESS, REFUSED: AuditEntry.REFUSED}


def log_rotation(done: Rotation | None, outcome: str, error: str) -> None:
    """One audit entry per rotation: the OS user, the keys, how many values and files were sealed again."""
    detail: dict = {} if done is None else {"新密钥": done.new_id, "保留的旧密钥": done.retired,
                                            "重新加密字段值": done.values, "重新加密上传文件": done.files}
    if error:
        detail["原因"] = error
    audit.event(audit.cli_actor(), "命令行", AuditEntry.KEY_ROTATE, "数据密钥", done.new_id if done else "",
                detail=detail, outcome=OUTCOMES.get(outcome, AuditEntry.FAILURE))


class Command(FengqingCommand):
    help = "数据密钥：rotate 生成新密钥并用它重新加密全部敏感字段和上传文件；show 显示密钥编号和位置"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rotate", "show"])

    def handle(self, *args, action, **options):
        if action == "show":
            ring = keys.keyring()
            ids = list(ring.keys)
            self.stdout.write(f"密钥来源：{ring.source}")
            self.stdout.write(f"当前密钥：{ids[0]}" + (f"；保留的旧密钥：{'、'.join(ids[1:])}" if ids[1:] else ""))
            return
        done = rotate(log_rotation)
        self.stdout.write(f"已生成新密钥 {done.new_id}，重新加密 {done.values} 个字段值、{done.files} 个上传文件。")
        self.stdout.write(f"旧密钥（{'、'.join(done.retired)}）仍保留在密钥文件中：审计日志中的加密快照需要它们。"
                          "请立即备份新的密钥文件。")
