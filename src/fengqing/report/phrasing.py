"""Sentence templates: the report's wording is data (templates/sentences/*.j2), rendered in a sandboxed Jinja
environment. A unit overrides any template by putting a file of the same name in the folder named by
``settings.FENGQING_TEMPLATES`` (env ``FENGQING_TEMPLATES``): first ``<folder>/<单位代码>/``, then
``<folder>/<单位名称>/``, then ``<folder>/`` itself; the built-in file is used for whatever none of them has.

Templates may be written over several lines: each line is stripped and the lines are joined, so the output
is one run of Chinese text without stray spaces.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import ReportError
from ..org.models import Unit
from .runs import Run, mark, to_runs

BUILTIN = Path(__file__).resolve().parent / "templates" / "sentences"


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _name(text) -> str:
    return mark(text, "name") if text else ""


def _date(d: date | None) -> str:
    return mark(cn_date(d), "date") if d else ""


def _seq(*items, sep: str = "、") -> str:
    """Join the items whose figure (an item's second part) is not zero: ``seq(("党组会", n, "次"), …)``."""
    return sep.join("".join(str(p) for p in item) for item in items if len(item) < 2 or item[1])


def override_folders(unit: Unit) -> tuple[str, ...]:
    base = getattr(settings, "FENGQING_TEMPLATES", "")
    if not base:
        return ()
    root = Path(base)
    if not root.is_dir():
        raise ReportError(f"FENGQING_TEMPLATES 指向的文件夹“{base}”不存在")
    candidates = [root / unit.code if unit.code else None, root / unit.name, root]
    return tuple(str(p) for p in candidates if p is not None and p.is_dir())


@lru_cache(maxsize=32)
def _environment(folders: tuple[str, ...]) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(list(folders)), FileSystemLoader(str(BUILTIN))]),
        undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(name=_name, date=_date, seq=_seq)
    return env


class Phrasing:
    def __init__(self, unit: Unit, context: dict):
        self.env = _environment(override_folders(unit))
        self.context = context

    def text(self, template: str, **extra) -> str:
        try:
            out = self.env.get_template(f"{template}.j2").render({**self.context, **extra})
        except TemplateError as exc:
            raise ReportError(f"句子模板“{template}.j2”有误：{exc}") from exc
        return "".join(line.strip() for line in out.splitlines())

    def runs(self, template: str, **extra) -> list[Run]:
        return to_runs(self.text(template, **extra))
