"""fengqing keys rotate | fengqing keys show"""

from __future__ import annotations

from fengqing.commands import FengqingCommand
from fengqing.crypto import keys
from fengqing.crypto.rotate import rotate


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
        done = rotate()
        self.stdout.write(f"已生成新密钥 {done.new_id}，重新加密 {done.values} 个字段值、{done.files} 个上传文件。")
        self.stdout.write(f"旧密钥（{'、'.join(done.retired)}）仍保留在密钥文件中：审计日志中的加密快照需要它们。"
                          "请立即备份新的密钥文件。")
