"""``fengqing demo [--out DIR]``: build the demo database, write the bureau's 2023H1 report, print the
assessment, the demo accounts and where everything is."""

from __future__ import annotations

from pathlib import Path

from django.db import connection

from ....assess.engine import assess, ranked
from ....assess.table import ranking_headers, ranking_rows, render
from ....commands import FengqingCommand
from ....accounts import audit
from ....accounts.demo_accounts import check_usernames_free, create_demo_accounts
from ....errors import FengqingError
from ....org.models import Unit
from ....report.api import write_reports
from ...builder import DEMO_UNIT_NAMES, DemoSummary, build_demo

PER_LINE = 10
REPORT_UNIT, REPORT_PERIOD = "河川市水务局", "2023H1"


class Command(FengqingCommand):
    help = "生成演示数据：虚构的河川市水务局、林业局、档案馆及其2022—2023年的记录（重新运行将替换这三个单位的数据），" \
           "写出水务局2023年上半年研判报告，并创建各角色的演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--out", default="demo-out", help="输出目录（默认 ./demo-out）")
        parser.add_argument("--seed", type=int, default=2023, help="随机种子（默认 2023；相同种子生成相同数据）")

    def handle(self, *args, out: str, seed: int, **options):
        foreign = list(Unit.objects.exclude(name__in=DEMO_UNIT_NAMES).order_by("name").values_list("name", flat=True)[:3])
        if foreign:
            raise FengqingError(f"这个数据库里有不是演示生成的单位（{'、'.join(foreign)}…），fengqing demo 只在空库或演示库上运行，"
                                "不会改动真实数据；请用一个新的数据目录（FENGQING_HOME=…）或数据库运行演示")
        check_usernames_free()
        summary = build_demo(seed)
        out_dir = Path(out).resolve()
        out_dir.mkdir(parents=True, exist_ok=True)
        write_summary(self.stdout, summary, out_dir)
        reports = write_reports(REPORT_UNIT, REPORT_PERIOD, ["docx", "pdf", "html", "md", "json"], out_dir,
                                appendix=True)
        redacted = write_reports(REPORT_UNIT, REPORT_PERIOD, ["docx"], out_dir, redact=True)
        self.stdout.write("")
        self.stdout.write(f"研判报告（{REPORT_UNIT} 2023年上半年）：")
        for path in reports + redacted:
            self.stdout.write(f"  {path}")
        self.stdout.write("")
        order = ranked(assess(REPORT_PERIOD))
        self.stdout.write("2023年上半年研判评估（风清默认指标体系）：")
        self.stdout.write(render(ranking_headers(order), ranking_rows(order)))
        self.stdout.write("")
        accounts = create_demo_accounts()
        audit.event(audit.cli_actor(), "命令行", "生成演示数据", "演示", seed, detail={
            "单位": list(DEMO_UNIT_NAMES), "演示账号": [username for _, username, _ in accounts]})
        self.stdout.write("演示账号（运行 fengqing serve 后在 http://127.0.0.1:8000/ 登录；每次运行 demo 都会重设密码；"
                          "三员账号登录后须用手机验证器应用绑定动态口令）：")
        for role, username, password in accounts:
            self.stdout.write(f"  {role:<8}用户名 {username:<10}密码 {password}")


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
