"""``fengqing demo [--out DIR]``: build the demo database and say what it holds and where."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.db import connection

from ....commands import FengqingCommand
from ...builder import DemoSummary, build_demo

PER_LINE = 10


class Command(FengqingCommand):
    help = "生成演示数据：虚构的河川市水务局、林业局、档案馆及其2022—2023年的记录（重新运行将替换这三个单位的数据）"

    def add_arguments(self, parser):
        parser.add_argument("--out", default="demo-out", help="输出目录（默认 ./demo-out）")
        parser.add_argument("--seed", type=int, default=2023, help="随机种子（默认 2023；相同种子生成相同数据）")

    def handle(self, *args, out: str, seed: int, **options):
        call_command("migrate", verbosity=0)  # a fresh data folder has no tables yet
        summary = build_demo(seed)
        out_dir = Path(out).resolve()
        out_dir.mkdir(parents=True, exist_ok=True)
        write_summary(self.stdout, summary, out_dir)


def write_summary(stdout, summary: DemoSummary, out_dir: Path) -> None:
    stdout.write(f"已生成演示数据（随机种子 {summary.seed}，记录期间 2022年上半年至2023年下半年）：")
    for unit in summary.units:
        stdout.write(f"{unit.name}（{unit.short_name}）")
        items = [f"{table} {rows}" for table, rows in unit.counts]
        for i in range(0, len(items), PER_LINE):
            stdout.write("  " + "，".join(items[i:i + PER_LINE]))
    stdout.write(f"数据库：{database_location()}")
    stdout.write(f"输出目录：{out_dir}")


def database_location() -> str:
    """The database in words a user can act on; never the password."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(db["NAME"])
    host = f"{db['HOST'] or 'localhost'}:{db['PORT']}" if db["PORT"] else db["HOST"] or "localhost"
    return f"PostgreSQL 数据库“{db['NAME']}”（{db['USER']}@{host}）"
