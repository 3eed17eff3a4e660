"""Every unit's report for one period (``fengqing report --all-units``): one file set per unit, a failing unit
noted and the rest written, each file complete or absent."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from collections.abc import Callable

from ..errors import FengqingError
from ..files import atomic_write
from ..org.models import Unit
from ..periods import Period
from .api import build_report, file_name, render_all


@dataclass
class UnitResult:
    unit: Unit
    paths: list[Path] = field(default_factory=list)
    error: str | None = None  # the Chinese reason the unit's report could not be written


def write_all(units: list[Unit], period: Period, formats: list[str], out_dir: Path, redact: bool = False,
              scheme=None, appendix: bool = False, on: date | None = None,
              progress: Callable[[int, int, Unit], None] | None = None) -> list[UnitResult]:
    """Each unit's report in each format into ``out_dir``. A unit whose report fails is recorded with its
    reason and the next unit goes on; ``on`` is the 成文日期 (None: the period's end);
    ``progress(done, total, unit)`` is called after each unit."""
    out_dir.mkdir(parents=True, exist_ok=True)
    # two units with one short name (两个“财政局”) would write the same file names: those use their full names
    shared = {s for s, n in Counter(u.short_name for u in units).items() if n > 1}
    results = []
    for i, unit in enumerate(units, 1):
        result = UnitResult(unit)
        try:
            doc = build_report(unit, period, redact=redact, scheme=scheme, appendix=appendix, on=on)
            for fmt, data in render_all(doc, formats).items():
                name = file_name(unit, period, fmt, redact)
                if unit.short_name in shared and not redact:
                    name = name.replace(unit.short_name, unit.name, 1)
                atomic_write(out_dir / name, data)  # each file complete or absent
                result.paths.append(out_dir / name)
        except FengqingError as exc:
            result.error = exc.message
        except OSError as exc:
            result.error = f"无法写入文件“{exc.filename or ''}”：{exc.strerror or exc}"
        except Exception as exc:  # one unit's unforeseen failure must not cost the other units their reports
            result.error = f"生成时出错（{type(exc).__name__}：{exc}）"
        results.append(result)
        if progress:
            progress(i, len(units), unit)
    return results
