"""Base class of fengqing's management commands: a FengqingError becomes exit status 2 and one Chinese line
per problem on stderr, never a traceback."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from .errors import FengqingError
from .org.models import Unit


class FengqingCommand(BaseCommand):
    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except FengqingError as exc:
            for line in exc.lines():
                self.stderr.write(f"错误：{line}")
            sys.exit(2)


def find_unit(ref: str) -> Unit:
    """The unit named by 单位名称, 单位简称 or 单位代码 (DESIGN §8)."""
    from django.db.models import Q

    from .errors import UnknownUnitError

    matches = list(Unit.objects.filter(Q(name=ref) | Q(short_name=ref) | Q(code=ref) & ~Q(code="")))
    if not matches:
        names = "、".join(Unit.objects.values_list("name", flat=True)[:10]) or "（数据库中还没有单位）"
        raise UnknownUnitError(f"找不到单位“{ref}”：请填写单位名称、简称或代码。现有单位：{names}")
    if len(matches) > 1:
        raise UnknownUnitError(f"“{ref}”对应多个单位（{'、'.join(u.name for u in matches)}），请改用单位名称")
    return matches[0]
