"""fengqing report --unit U --period P [--format docx,md,html,pdf,json] [--out PATH] [--redact] [--scheme FILE]
[--appendix] [--date YYYY-MM-DD] [--signed [N]]; fengqing report --all-units --period P --out DIR [...]"""

from __future__ import annotations

import sys
from pathlib import Path

from fengqing.accounts import audit
from fengqing.accounts.models import AuditEntry
from fengqing.commands import FengqingCommand, find_unit
from fengqing.errors import ReportError
from fengqing.files import atomic_write
from fengqing.periods import parse_period
from fengqing.org.models import Unit
from fengqing.report import signoff as signing
from fengqing.report.api import FORMATS, build_report, file_name, parse_formats, render_all
from fengqing.overview.api import build_overview_report, overview_file_name
from fengqing.overview.builder import DROP
from fengqing.report.batch import write_all
from fengqing.report.cutoff import cutoff_date


class Command(FengqingCommand):
    help = "生成政治生态分析研判报告（Word、Markdown、HTML、PDF、JSON）"

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--unit", help="单位名称、简称或代码")
        which.add_argument("--all-units", action="store_true", help="全部单位，每个单位一组文件，写入 --out 文件夹")
        which.add_argument("--overview", action="store_true", help="上级纪委对全部单位的综合研判报告")
        parser.add_argument("--period", required=True, help="期间，如 2023H1、2023H2、2023、2023Q1")
        parser.add_argument("--format", default="docx", help=f"格式，可多选，逗号分隔：{','.join(FORMATS)}（默认 docx）")
        parser.add_argument("--out", help="输出文件或文件夹；不指定时 JSON 输出到标准输出，其他格式写入当前文件夹")
        parser.add_argument("--redact", action="store_true", help="脱敏：隐去单位名称、人名、具体数字和日期")
        parser.add_argument("--scheme", help="评估指标体系文件（YAML），用于附表")
        parser.add_argument("--appendix", action="store_true", help="附指标评分表")
        parser.add_argument("--date", help="成文日期（年-月-日，默认为期间截止日）：各项状态均以该日为准")
        parser.add_argument("--signed", nargs="?", type=int, const=0, metavar="N",
                            help="输出已签发的报告（签发时保存的内容）：现行有效的版本，或第 N 版")
        parser.add_argument("--org", default="", help="综合研判报告：标题中的上级纪委名称，如 中共河川市纪委")
        parser.add_argument("--drop", type=float, default=DROP, help=f"综合研判报告：得分下降超过多少分的单位单独列出（默认 {DROP}）")

    def handle(self, *args, **opts):
        period = parse_period(opts["period"])
        formats = parse_formats(opts["format"])
        if opts["all_units"]:
            return self._all_units(period, formats, opts)
        if opts["overview"]:
            if opts["redact"] or opts["signed"] is not None:
                raise ReportError("综合研判报告不提供脱敏版和签发版")
            unit, kind = None, "综合研判报告"
            doc = build_overview_report(period, org=opts["org"], scheme=opts["scheme"], drop=opts["drop"])
            rendered = render_all(doc, formats)
            names = {f: overview_file_name(period, f) for f in formats}
        else:
            unit, kind = find_unit(opts["unit"]), "研判报告"
            if opts["signed"] is not None:
                rendered = signing.files(self._signed(unit, period, opts), formats, redact=opts["redact"])
            else:
                doc = build_report(unit, period, redact=opts["redact"], scheme=opts["scheme"],
                                   appendix=opts["appendix"], on=cutoff_date(period, opts["date"]))
                rendered = render_all(doc, formats)
            names = {f: file_name(unit, period, f, opts["redact"]) for f in formats}
        targets = self._targets(names, formats, opts)
        to_stdout = "json" in formats and "json" not in targets
        # with the JSON on standard output, the list of files goes to standard error to keep the JSON clean
        log = self.stderr if to_stdout else self.stdout
        for fmt, path in targets.items():
            atomic_write(path, rendered[fmt])
            log.write(f"已生成：{path}")
        audit.event(audit.cli_actor(), "命令行", AuditEntry.REPORT, kind, period.code, unit=unit, detail={
            "期间": period.code, "格式": ",".join(formats), "脱敏": opts["redact"], "含敏感内容": not opts["redact"],
            "文件": [p.name for p in targets.values()] + (["标准输出"] if to_stdout else [])})
        if to_stdout:
            self.stdout.write(rendered["json"].decode("utf-8"), ending="")

    def _all_units(self, period, formats, opts):
        if not opts["out"]:
            raise ReportError("生成全部单位的报告时，请用 --out 指定输出文件夹")
        out = Path(opts["out"])
        if out.exists() and not out.is_dir():
            raise ReportError(f"--out 应为文件夹，而“{out}”是文件")
        units = list(Unit.objects.order_by("name"))
        if not units:
            raise ReportError("数据库中还没有单位")
        if opts["signed"] is not None:
            raise ReportError("--all-units 生成各单位的当前报告，不能与 --signed 同用")
        results = write_all(units, period, formats, out, redact=opts["redact"], scheme=opts["scheme"],
                            appendix=opts["appendix"], on=cutoff_date(period, opts["date"]),
                            progress=self._progress_bar())
        failed = [r for r in results if r.error]
        for r in failed:
            self.stderr.write(f"错误：{r.unit.name}：{r.error}")
        files = sum(len(r.paths) for r in results)
        audit.event(audit.cli_actor(), "命令行", AuditEntry.REPORT, "研判报告", period.code, detail={
            "期间": period.code, "格式": ",".join(formats), "脱敏": opts["redact"], "含敏感内容": not opts["redact"],
            "单位数": len(results), "失败": [r.unit.name for r in failed], "文件夹": str(out)})
        self.stdout.write(f"{period.label}：{len(results)} 个单位，成功 {len(results) - len(failed)} 个"
                          f"（{files} 个文件，在 {out}），失败 {len(failed)} 个")
        if failed:
            sys.exit(2)

    def _progress_bar(self):
        """A bar on standard error when it is a terminal; nothing in a pipe or a log."""
        if not self.stderr.isatty():
            return None

        def show(done, total, unit):
            filled = done * 30 // total
            self.stderr.write(f"\r[{'#' * filled}{'-' * (30 - filled)}] {done}/{total} {unit.short_name[:12]:<12}",
                              ending="\n" if done == total else "")
            self.stderr.flush()

        return show

    @staticmethod
    def _signed(unit, period, opts):
        """The signed version asked for: it is printed as signed, so options that would change it are refused."""
        given = [f"--{k}" for k in ("scheme", "date") if opts[k]] + (["--appendix"] if opts["appendix"] else [])
        if given:
            raise ReportError(f"已签发的报告按签发时的内容输出，不能与 {'、'.join(given)} 同用")
        if opts["signed"]:
            return signing.version(unit, period, opts["signed"])
        signed = signing.current(unit, period)
        if signed is None:
            raise ReportError(f"{unit.name}{period.label}报告尚未签发（或已撤回签发）")
        return signed

    @staticmethod
    def _targets(name: dict[str, str], formats, opts) -> dict[str, Path]:
        """Format → file: --out is a file for one format, else a folder; without it, the current folder (and
        the JSON to standard output)."""
        out = opts["out"]
        if not out:
            return {f: Path.cwd() / name[f] for f in formats if f != "json"}
        out = Path(out)
        if out.suffix and not out.is_dir():
            if len(formats) > 1:
                raise ReportError(f"输出多种格式时 --out 应为文件夹，而不是文件“{out}”")
            if not out.parent.is_dir():
                raise ReportError(f"文件夹“{out.parent}”不存在")
            return {formats[0]: out}
        out.mkdir(parents=True, exist_ok=True)
        return {f: out / name[f] for f in formats}
