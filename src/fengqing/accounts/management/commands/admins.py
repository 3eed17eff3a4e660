"""``fengqing admins create|reset-password ROLE USERNAME`` and ``fengqing admins list``: the three
administrators (三员), managed only here by the server's operator."""

from __future__ import annotations

from ....commands import FengqingCommand
from ... import admins


class Command(FengqingCommand):
    help = "管理三员账号（系统管理员 sysadmin、安全管理员 secadmin、审计管理员 auditor）：只能在服务器命令行创建和重设"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("create", "创建管理员账号"), ("reset-password", "重设管理员密码")):
            p = sub.add_parser(name, help=text)
            p.add_argument("role", help="sysadmin | secadmin | auditor")
            p.add_argument("username")
            if name == "reset-password":
                p.add_argument("--reset-totp", action="store_true", help="同时解绑动态口令（手机遗失时）")
        sub.add_parser("list", help="列出三员账号")

    def handle(self, *args, action, **options):
        if action == "list":
            for label, username, active in admins.holders():
                self.stdout.write(f"{label}\t{username}\t{'' if active else '（已停用）'}")
            return
        if action == "create":
            password = admins.create(options["role"], options["username"])
            self.stdout.write(f"已创建{admins.role_of(options['role']).label}“{options['username']}”。")
        else:
            password = admins.reset_password(options["role"], options["username"], options["reset_totp"])
            self.stdout.write(f"已重设“{options['username']}”的密码。")
        self.stdout.write(f"一次性密码：{password}")
        self.stdout.write("首次登录须修改密码并绑定动态口令（手机验证器应用）。此密码只显示这一次。")
