"""fengqing analyze [--period P] [--corpus DIR] [--json]"""

from __future__ import annotations

import json

from fengqing.analysis.api import analyze
from fengqing.analysis.findings import KINDS
from fengqing.commands import FengqingCommand
from fengqing.periods import parse_period


class Command(FengqingCommand):
    help = "审读各单位报告文字：雷同段落、套话占比、问题与措施、纸面销号、数字与台账不符"

    def add_arguments(self, parser):
        parser.add_argument("--period", help="只列出涉及该期间的发现，如 2023H1（比对仍覆盖全部期间）")
        parser.add_argument("--corpus", help="范文文件夹（.txt、.docx、.pdf），与之比对“抄范文”")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出全部发现（含来源、位置和分值）")

    def handle(self, *args, **opts):
        period = parse_period(opts["period"]) if opts["period"] else None
        result = analyze(period, opts["corpus"])
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
            return
        c = result.counts
        self.stdout.write(f"审读 {c['reports']} 份单位报告的 {c['texts']} 段文字"
                          + (f"，范文 {c['model_texts']} 份" if c["model_texts"] else "")
                          + (f"；只列出涉及{period.label}的发现" if period else ""))
        for kind, found in result.by_kind().items():
            self.stdout.write(f"\n{KINDS[kind]}：{len(found)} 处")
            for f in found:
                self.stdout.write(f"  · {f.message}")
                if f.kind == "copy":
                    for s in f.sources:
                        copied = "……".join(s.text[a:b] for a, b in s.spans)
                        self.stdout.write(f"      {s.label}：{_short(copied)}")
        if result.shares:
            self.stdout.write("\n各报告套话占比：")
            for s in sorted(result.shares, key=lambda s: -s.share):
                self.stdout.write(f"  {s.label}  {s.share * 100:.1f}%（{s.common}/{s.sentences}句）")


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "……"
